"""pairwise, preferences: side-by-side comparisons of two models' answers (issue 16).

``annotator pairwise PROJECT`` is ``annotator pairwise status PROJECT``.
"""

from __future__ import annotations

import argparse

from annotator.cli._common import add_json, emit
from annotator.cli._help import TranslatedParser
from annotator.cli._table import text_table
from annotator.core.i18n import tr
from annotator.core.project import Project

SUBCOMMANDS = ("create", "status", "settings", "export")


class _StatusByDefault(TranslatedParser):
    """``pairwise PROJECT`` (no sub-command) runs ``pairwise status PROJECT``."""

    def parse_known_args(self, args=None, namespace=None):
        args = list(args or [])
        first = next((a for a in args if not a.startswith("-")), None)
        if first is not None and first not in SUBCOMMANDS:
            args.insert(0, "status")
        return super().parse_known_args(args, namespace)


def register(sub: argparse._SubParsersAction) -> None:
    pairwise = sub.add_parser(
        "pairwise",
        help=tr("side-by-side comparisons of two models' answers"),
        description=tr(
            "Compare two models' answers to the same sample side by side (GSB: better, "
            "the same, worse). annotator pairwise PROJECT lists the comparisons and who "
            "judged them."
        ),
    )
    # argparse makes the parser; its class is changed so that the sub-command may be left out
    pairwise.__class__ = _StatusByDefault
    psub = pairwise.add_subparsers(
        dest="pairwise_command", metavar="SUBCOMMAND", parser_class=TranslatedParser
    )
    _register_create(psub)
    p = psub.add_parser(
        "status",
        help=tr("comparisons per pair and judgments per rater"),
        description=tr(
            "Per pair of models: the comparisons, how many have an overall judgment, and "
            "the judgments; per rater: comparisons assigned, judged and judgments given."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    add_json(p)
    p.set_defaults(func=cmd_status)
    _register_settings(psub)
    _register_export(psub)
    _register_preferences(sub)


def _register_create(psub: argparse._SubParsersAction) -> None:
    p = psub.add_parser(
        "create",
        help=tr("create comparisons of two models on the samples both answered"),
        description=tr(
            "Create one comparison per sample both models answered: of two named models "
            "(--models A,B), of every candidate against the baseline (--vs-baseline), or "
            "of every pair (--all-pairs). The baseline is always B, the candidate A; "
            "between two candidates the model imported first is B. Creating again adds "
            "only comparisons of samples imported since."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--models", metavar="A,B", help=tr("two models, comma-separated, e.g. lora-v2,base")
    )
    group.add_argument(
        "--vs-baseline",
        action="store_true",
        help=tr("every candidate against the baseline"),
    )
    group.add_argument("--all-pairs", action="store_true", help=tr("every pair of models"))
    add_json(p)
    p.set_defaults(func=cmd_create)


def _register_settings(psub: argparse._SubParsersAction) -> None:
    p = psub.add_parser(
        "settings",
        help=tr("the judgment scale and per-dimension judgments"),
        description=tr(
            "Show or change how raters judge a comparison: on 3 levels (A better, about "
            "the same, B better) or 5 (with much better), and whether they also judge "
            "each rubric dimension. Both answers unacceptable can always be said."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("--scale", type=int, choices=(3, 5), help=tr("3 or 5 levels"))
    p.add_argument(
        "--dimensions",
        choices=("on", "off"),
        help=tr("also judge each rubric dimension (on) or overall only (off)"),
    )
    add_json(p)
    p.set_defaults(func=cmd_settings)


def _register_export(psub: argparse._SubParsersAction) -> None:
    p = psub.add_parser(
        "export",
        help=tr("write preference pairs for DPO or the judgments as battles"),
        description=tr(
            "As annotator export, with the counts: preferences*.jsonl writes LLaMA-Factory's "
            "preference dataset (instruction, input, chosen, rejected), one row per "
            "comparison where more than half of the overall judgments prefer the same "
            "answer (ties, both unacceptable and split votes are left out and counted), "
            "and registers it in dataset_info.json next to it (ranking: true; other "
            "entries are kept). battles*.jsonl writes every judgment in Chatbot Arena's "
            "battle format (model_a is the answer shown on the left)."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("output", help=tr("preferences.jsonl or battles.jsonl"))
    add_json(p)
    p.set_defaults(func=cmd_export)


def _register_preferences(sub: argparse._SubParsersAction) -> None:
    prefs = sub.add_parser(
        "preferences",
        help=tr("bring side-by-side judgments in from other tools"),
        description=tr("Work with side-by-side judgments made outside the app."),
    )
    rsub = prefs.add_subparsers(dest="preferences_command", metavar="SUBCOMMAND")
    p = rsub.add_parser(
        "import",
        help=tr("import judgments in Chatbot Arena's battle format (CSV or JSONL)"),
        description=tr(
            "Import side-by-side judgments: one row per judgment with columns sample_id "
            "(or question_id), rater (or judge), model_a (the answer shown on the left), "
            "model_b, winner (model_a, model_b, tie or tie (bothbad)) and optionally "
            "dimension (empty: overall; else a rubric dimension's key or name). A "
            "comparison that does not exist yet is created. Nothing is written if any row "
            "is wrong; importing the same rows again changes nothing."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("file", help=tr("the battles file (CSV, JSONL, JSON or XLSX)"))
    add_json(p)
    p.set_defaults(func=cmd_import)


# -- the commands ------------------------------------------------------------------------------
def _models(text: str | None) -> list[str] | None:
    return None if text is None else [m.strip() for m in text.split(",") if m.strip()]


def cmd_create(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.side_by_side.create(
            models=_models(args.models), vs_baseline=args.vs_baseline, all_pairs=args.all_pairs
        )
        _, baseline = project.models()
    data = report.to_dict() | {"baseline_text": baseline.describe().text()}
    emit(args, data, lambda: format_create(data))


def format_create(data: dict) -> str:
    rows = [[tr("candidate (A)"), tr("other (B)"), tr("created"), tr("already there"),
             tr("samples")]]  # fmt: skip
    for p in data["pairs"]:
        rows.append([p["model_a"], p["model_b"], f"{p['created']:,}", f"{p['existing']:,}",
                     f"{p['samples']:,}"])  # fmt: skip
    lines = [data["baseline_text"], *text_table(rows, right={2, 3, 4})]
    lines.append(tr("{count} comparison(s) created", count=data["created"]))
    return "\n".join(lines)


def cmd_status(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        data = project.side_by_side.status() | {"settings": project.side_by_side.settings()}
    emit(args, data, lambda: format_status(data, args.project))


def format_status(data: dict, project: str) -> str:
    if not data["comparisons"]:
        return tr(
            "no comparisons yet; create them with: annotator pairwise create {project} "
            "--vs-baseline",
            project=project,
        )
    rows = [[tr("candidate (A)"), tr("other (B)"), tr("comparisons"), tr("judged"),
             tr("judgments")]]  # fmt: skip
    for p in data["pairs"]:
        rows.append([p["model_a"], p["model_b"], f"{p['comparisons']:,}", f"{p['judged']:,}",
                     f"{p['judgments']:,}"])  # fmt: skip
    lines = text_table(rows, right={2, 3, 4})
    if data["raters"]:
        rows = [[tr("rater"), tr("assigned"), tr("judged"), tr("judgments")]]
        for r in data["raters"]:
            rows.append([r["rater"], f"{r['assigned']:,}", f"{r['judged']:,}",
                         f"{r['judgments']:,}"])  # fmt: skip
        lines += ["", *text_table(rows, right={1, 2, 3})]
    else:
        lines += ["", tr("no rater has judged a comparison yet")]
    return "\n".join([*lines, "", format_settings(data["settings"])])


def cmd_settings(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        if args.scale is not None or args.dimensions is not None:
            dimensions = None if args.dimensions is None else args.dimensions == "on"
            settings = project.side_by_side.configure(scale=args.scale, dimensions=dimensions)
        else:
            settings = project.side_by_side.settings()
    emit(args, settings, lambda: format_settings(settings))


def format_settings(settings: dict) -> str:
    scale = (
        tr("5 levels (A much better, A better, about the same, B better, B much better)")
        if settings["scale"] == 5
        else tr("3 levels (A better, about the same, B better)")
    )
    per = tr("overall and per rubric dimension") if settings["dimensions"] else tr("overall")
    return tr("scale: {scale}; judged: {per}", scale=scale, per=per)


def cmd_export(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.side_by_side.export(args.output)
    data = report.to_dict()
    emit(args, data, lambda: format_export(data))


def format_export(data: dict) -> str:
    """What an export of judgments wrote (``annotator export`` may print it as well)."""
    if data["kind"] == "battles":
        return tr("wrote {rows} battle(s) to {path}", rows=data["rows"], path=data["path"])
    return "\n".join(
        [
            tr("wrote {rows} preference pair(s) to {path}", rows=data["rows"], path=data["path"]),
            tr(
                "left out {count} of {comparisons} judged comparison(s): {ties} mostly about "
                "the same, {both_bad} mostly both unacceptable, {split} without a majority",
                count=data["left_out"],
                comparisons=data["comparisons"],
                ties=data["ties"],
                both_bad=data["both_bad"],
                split=data["split"],
            ),
            tr(
                'registered as "{name}" in {info} (LLaMA-Factory: dataset: {name})',
                name=data["dataset"],
                info=data["dataset_info"],
            ),
        ]
    )


def cmd_import(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.side_by_side.import_preferences(args.file)
    emit(args, report.to_dict(), lambda: format_import(report))


def format_import(report) -> str:
    text = tr(
        "{file}: {rows} rows from {raters}: {new} new, {changed} changed, {unchanged} "
        "unchanged judgments; {created} comparison(s) created",
        file=report.file,
        rows=report.rows,
        raters=tr(", ").join(report.raters),
        new=report.new,
        changed=report.changed,
        unchanged=report.unchanged,
        created=report.comparisons_created,
    )
    for given, stored in report.same_as.items():
        text += "\n  " + tr(
            '"{given}" is taken as the rater "{stored}" (names that differ '
            "only by case, width or spaces are the same rater)",
            given=given,
            stored=stored,
        )
    if report.backup:
        text += "\n  " + tr("backup written: {path}", path=report.backup)
    return text
