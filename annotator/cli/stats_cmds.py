"""report, gates, adjudicate, export: what a lead takes to the meeting."""

from __future__ import annotations

import argparse

from annotator.cli._common import add_json, emit, progress_printer
from annotator.cli._table import text_table
from annotator.cli.report_text import format_report
from annotator.core.domain.gates import reason_names, source_text
from annotator.core.i18n import tr
from annotator.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help=tr("print averages, agreement and verdicts"),
        description=tr(
            "Per-model means with 95% bootstrap intervals, Krippendorff's alpha per "
            "dimension with its reading, pairwise weighted kappa, and verdict counts."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument(
        "--level",
        choices=("ordinal", "interval", "nominal"),
        default="ordinal",
        help=tr("level of measurement for Krippendorff's alpha (default ordinal)"),
    )
    p.add_argument("--items", action="store_true", help=tr("with --json: include every item"))
    p.add_argument(
        "--round",
        choices=("calibration", "main"),
        help=tr(
            "only the calibration round's items (agreement and disagreements before the main "
            "round) or only the main round's"
        ),
    )
    add_json(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "gates",
        help=tr("show or change the pass/fail rules"),
        description=tr(
            'Show the gates, or change them: --set "bleu >= 0.35" changes a gate (and '
            'turns it on); --set "metric:chrf >= 0.5" adds one; --disable/--enable KEY; --hard '
            "KEY makes a gate fail an item even while its ratings are incomplete; --reset restores "
            "the defaults (mean BLEU >= 0.4, composite >= 4.0, no compliance score below 3). "
            "--decision interval (the default) judges a gate on a mean by its 95% interval, "
            "point by the mean alone; --minimum N is the number of complete samples a model "
            "needs before it is judged (default 30)."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument(
        "--set",
        dest="rules",
        action="append",
        default=[],
        metavar="RULE",
        help=tr('change or add a rule, e.g. "bleu >= 0.35"; may be repeated'),
    )
    p.add_argument(
        "--enable", action="append", default=[], metavar="KEY", help=tr("turn a gate on")
    )
    p.add_argument(
        "--disable", action="append", default=[], metavar="KEY", help=tr("turn a gate off")
    )
    p.add_argument(
        "--hard",
        action="append",
        default=[],
        metavar="KEY",
        help=tr("make a gate fail an item even while its ratings are incomplete"),
    )
    p.add_argument(
        "--soft",
        action="append",
        default=[],
        metavar="KEY",
        help=tr("make a gate wait for complete ratings (the default)"),
    )
    p.add_argument("--reset", action="store_true", help=tr("restore the default gates"))
    p.add_argument(
        "--decision",
        choices=("interval", "point"),
        help=tr("judge a gate on a mean by its 95%% interval (default) or by the mean alone"),
    )
    p.add_argument(
        "--minimum",
        type=int,
        metavar="N",
        help=tr("complete samples a model needs before it is judged (default 30)"),
    )
    add_json(p)
    p.set_defaults(func=cmd_gates)

    p = sub.add_parser(
        "adjudicate",
        help=tr("record the lead's score for a disputed item"),
        description=tr(
            "Record an adjudicated score for one item and dimension. It is kept apart "
            "from the raters' own scores, written to the audit log, and used by the verdicts."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("item", help=tr('the item: its id, uid, or "model/sample"'))
    p.add_argument("dimension", help=tr("the dimension, e.g. relevance"))
    p.add_argument("score", help=tr("the score, 1-5"))
    p.add_argument("--note", default="", help=tr("why (kept in the audit log)"))
    p.add_argument("--by", default="lead", help=tr("who decided (default: lead)"))
    add_json(p)
    p.set_defaults(func=cmd_adjudicate)

    p = sub.add_parser(
        "export",
        help=tr("write the Excel report (or CSV ratings / JSON summary)"),
        description=tr(
            "Write the Excel report: Summary, Items, Ratings, Agreement, Disagreements "
            "sheets and charts. A .csv target writes the ratings in long form; .json the summary; "
            "preferences.jsonl the side-by-side preference pairs for DPO (LLaMA-Factory's format, "
            "with dataset_info.json beside it); battles.jsonl the judgments as Chatbot Arena "
            "battles."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument(
        "output",
        help=tr("report.xlsx, ratings.csv, summary.json, preferences.jsonl or battles.jsonl"),
    )
    add_json(p)
    p.set_defaults(func=cmd_export)


def cmd_report(args: argparse.Namespace) -> None:
    with Project.open(args.project, background=True) as project:  # checked while it reads
        evaluation = project.evaluate(level=args.level, round_name=args.round)
        names = reason_names(project.rubric)  # Chinese names in Chinese, keys in English
    if args.json:
        data = evaluation.to_dict(include_items=args.items)
    else:  # the text prints the lists' counts only
        data = evaluation.to_dict(include_items=False, include_lists=False)
    emit(args, data, lambda: format_report(data, names))


def cmd_gates(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        switches = {"enable": args.enable, "disable": args.disable, "hard": args.hard,
                    "soft": args.soft}  # fmt: skip
        rule = {"decision": args.decision, "minimum": args.minimum}
        changing = any([args.rules, args.reset, *switches.values()]) or any(
            v is not None for v in rule.values()
        )
        if changing:
            project.edit_gates(rules=args.rules, reset=args.reset, **switches, **rule)
        gates, decision = project.gates(), project.decision()
        names = reason_names(project.rubric)
    rows = [
        [
            tr("on") if g.enabled else tr("off"),
            g.key,
            g.describe(names),
            tr("(hard)") if g.hard else "",
            source_text(g.source),
        ]
        for g in gates
    ]
    emit(
        args,
        {"gates": [g.to_dict() for g in gates], "decision": decision.to_dict()},
        lambda: "\n".join([*text_table(rows), "", decision.describe().text()]),
    )


def cmd_adjudicate(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        item_id = project.adjudicate(
            args.item, args.dimension, args.score, note=args.note, by=args.by
        )
        names = reason_names(project.rubric)  # the rubric's name in Chinese, else the key
    emit(
        args,
        {"item_id": item_id, "dimension": args.dimension, "score": int(args.score)},
        tr(
            "item {item}: {dimension} adjudicated {score}",
            item=item_id,
            dimension=names.get(args.dimension, args.dimension),
            score=args.score,
        ),
    )


def cmd_export(args: argparse.Namespace) -> None:
    if str(args.output).lower().endswith(".jsonl"):  # judgments: preference pairs or battles
        from annotator.cli.pairwise_cmds import format_export

        with Project.open(args.project) as project:
            data = project.side_by_side.export(args.output).to_dict()
        emit(args, data, lambda: format_export(data))
        return
    with Project.open(args.project) as project:
        path = project.export(args.output, progress=progress_printer(args, tr("exporting")))
    emit(args, {"path": str(path)}, tr("wrote {path}", path=path))
