"""judges: LLM judges checked against the humans (issue 17).

``annotator judges PROJECT`` lists the judges (``--use``/``--unuse NAME`` promotes one or
stops it counting, ``--epsilon`` sets the test's margin); ``annotator judges import PROJECT
FILE [--judge NAME]`` imports a judge's scores. ``annotator preferences import ... --judges``
(the parser ``pairwise_cmds`` registers, given the flag here) imports a judge's
side-by-side verdicts instead of the raters'.
"""

from __future__ import annotations

import argparse

from annotator.cli import pairwise_cmds
from annotator.cli._common import add_json, emit
from annotator.cli._help import TranslatedParser
from annotator.cli._table import text_table
from annotator.cli.judges_text import level_text, signature_text
from annotator.core.i18n import tr
from annotator.core.project import Project

SUBCOMMANDS = ("import", "list")


class _ListByDefault(TranslatedParser):
    """``judges PROJECT`` (no sub-command) runs ``judges list PROJECT``."""

    def parse_known_args(self, args=None, namespace=None):
        args = list(args or [])
        first = next((a for a in args if not a.startswith("-")), None)
        if first is not None and first not in SUBCOMMANDS:
            args.insert(0, "list")
        return super().parse_known_args(args, namespace)


def register(sub: argparse._SubParsersAction) -> None:
    judges = sub.add_parser(
        "judges",
        help=tr("LLM judges: import, test against the raters, promote"),
        description=tr(
            "An LLM judge is a kind of rater kept apart: it never counts in the human means, "
            "agreement or verdicts, and never reaches a rater, unless the lead promotes it "
            "after it passed the alternative annotator test. annotator judges PROJECT lists "
            "the judges with their signature and the test's reading per dimension."
        ),
    )
    judges.__class__ = _ListByDefault  # the sub-command may be left out
    jsub = judges.add_subparsers(
        dest="judges_command", metavar="SUBCOMMAND", parser_class=TranslatedParser
    )
    _register_list(jsub)
    _register_import(jsub)
    _add_judges_flag(sub)


def _register_list(jsub: argparse._SubParsersAction) -> None:
    p = jsub.add_parser(
        "list",
        help=tr("the judges, their signature, scores and the test's reading"),
        description=tr(
            "List the judges. --use NAME makes a judge count as a rater (refused unless it "
            "passed the alternative annotator test on the current data on every dimension; "
            "--force promotes it anyway and the report says so); --unuse NAME stops it "
            "counting. --epsilon sets the test's margin: 0.2 or expert (the default), 0.15 "
            "or skilled, 0.1 or crowd."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    group = p.add_mutually_exclusive_group()
    group.add_argument("--use", metavar="NAME", help=tr("promote the judge to count as a rater"))
    group.add_argument("--unuse", metavar="NAME", help=tr("the judge no longer counts as a rater"))
    p.add_argument(
        "--force",
        action="store_true",
        help=tr("with --use: promote a judge that has not passed the test"),
    )
    p.add_argument(
        "--epsilon",
        metavar="MARGIN",
        help=tr("the test's margin: 0.2|expert, 0.15|skilled or 0.1|crowd"),
    )
    p.add_argument(
        "--gates-from",
        metavar="NAME",
        help=tr(
            "the model gates on human means use this judge's prediction-powered means "
            "(humans: the human-only means, the default)"
        ),
    )
    add_json(p)
    p.set_defaults(func=cmd_list)


def _register_import(jsub: argparse._SubParsersAction) -> None:
    p = jsub.add_parser(
        "import",
        help=tr("import a judge's scores in long form (CSV or XLSX)"),
        description=tr(
            "Import an LLM judge's scores in the long form of ratings import: item id "
            "(optional model), judge (or rater), dimension, score and an optional reason. "
            "--judge NAME names the judge of a file without a judge column. A judge may not "
            "bear a human rater's name. Nothing is written if any row is wrong; importing "
            "the same rows again changes nothing."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("file", help=tr("the judge's scores (CSV or XLSX)"))
    p.add_argument("--judge", metavar="NAME", help=tr("the judge, when the file has no column"))
    add_json(p)
    p.set_defaults(func=cmd_import)


def _add_judges_flag(sub: argparse._SubParsersAction) -> None:
    """``preferences import ... --judges [--judge NAME]``: the verdicts are a judge's."""
    prefs = sub.choices.get("preferences")
    actions = [a for a in (prefs._actions if prefs else []) if a.dest == "preferences_command"]
    parser = actions[0].choices.get("import") if actions else None
    if parser is None:
        return
    parser.add_argument(
        "--judges",
        action="store_true",
        help=tr(
            "the verdicts are an LLM judge's (one row per order it saw), kept apart from "
            "the raters'"
        ),
    )
    parser.add_argument(
        "--judge", metavar="NAME", help=tr("with --judges: the judge, when the file has no column")
    )
    parser.set_defaults(func=cmd_import_preferences)


# -- the commands ------------------------------------------------------------------------------
def cmd_import_preferences(args: argparse.Namespace) -> None:
    if not args.judges:
        if args.judge:
            from annotator.core.domain.errors import AnnotatorError
            from annotator.core.domain.message import Message

            raise AnnotatorError(Message("--judge goes with --judges"))
        return pairwise_cmds.cmd_import(args)
    with Project.open(args.project) as project:
        report = project.judges.import_preferences(args.file, judge=args.judge)
    emit(args, report.to_dict(), lambda: pairwise_cmds.format_import(report))


def cmd_import(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.judges.import_scores(args.file, judge=args.judge)
    emit(args, report.to_dict(), lambda: format_import(report))


def format_import(report) -> str:
    text = tr(
        "{file}: {rows} rows from {judges}: {new} new, {changed} changed, {unchanged} "
        "unchanged scores; {reasons} with a reason",
        file=report.file,
        rows=report.rows,
        judges=tr(", ").join(report.judges),
        new=report.new,
        changed=report.changed,
        unchanged=report.unchanged,
        reasons=report.reasons,
    )
    for given, stored in report.same_as.items():
        text += "\n  " + tr(
            '"{given}" is taken as the judge "{stored}" (names that differ only by case, '
            "width or spaces are the same judge)",
            given=given,
            stored=stored,
        )
    if report.backup:
        text += "\n  " + tr("backup written: {path}", path=report.backup)
    return text


def cmd_list(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        done = None
        if args.epsilon is not None or args.gates_from is not None:
            project.judges.configure(epsilon=args.epsilon, gates_from=args.gates_from)
        if args.use or args.unuse:
            done = project.judges.use(args.use or args.unuse, on=bool(args.use), force=args.force)
        report = project.judges.evaluate()
        data = {
            "settings": project.judges.settings(),
            "judges": report.to_dict(),
            "changed": done.to_dict() if done else None,
        }
    emit(args, data, lambda: format_list(data))


def format_list(data: dict) -> str:
    settings = data["settings"]
    lines = []
    if data["changed"]:
        lines += [data["changed"]["message"], ""]
    if not data["judges"]:
        lines.append(tr("no judges yet; import one with: annotator judges import PROJECT FILE"))
    else:
        rows = [[tr("judge"), tr("signature"), tr("scores"), tr("verdicts"), tr("promoted")]]
        for j in data["judges"]:
            rows.append([j["name"], signature_text(j["signature"]), str(j["counts"]["scores"]),
                         str(j["counts"]["judgments"]),
                         tr("yes") if j["promoted"] else tr("no")])  # fmt: skip
        lines += text_table(rows, right={2, 3})
        for j in data["judges"]:
            lines += ["", f"{j['name']}:"]
            lines += [f"  - {d['reading']}" for d in j["dimensions"]]
            if j["side_by_side"]:
                lines.append(f"  - {j['side_by_side']['reading']}")
            if j.get("promotion"):
                lines.append(f"  {j['promotion']}")
    lines += ["", tr("epsilon = {epsilon} ({level})", epsilon=settings["epsilon"],
                     level=level_text(settings["epsilon"]))]  # fmt: skip
    return "\n".join(lines)
