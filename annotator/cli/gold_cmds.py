"""gold: the lead's gold items, hidden in the raters' work (issue 18).

``annotator gold PROJECT FILE`` imports expected scores (all or nothing; the same file
again changes nothing); ``annotator gold PROJECT`` lists them; ``--clear`` removes them;
``--use-adjudicated ITEM`` makes an adjudicated item gold.
"""

from __future__ import annotations

import argparse

from annotator.cli._common import add_json, emit
from annotator.cli._table import text_table
from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.i18n import tr
from annotator.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "gold",
        help=tr("gold items: expected scores hidden in every rater's work"),
        description=tr(
            "Gold items are items whose expected scores the lead knows. annotator gold "
            "PROJECT FILE imports them from CSV or XLSX (item or sample id, optional model, "
            "dimension, expected score, optional tolerance in points, default 1); nothing is "
            "written if any row is wrong, and the same file again changes nothing. assign "
            "then mixes them into every rater's work, where nothing tells them from the "
            "others. Without FILE the gold scores are listed."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("file", nargs="?", help=tr("the expected scores (CSV or XLSX)"))
    p.add_argument("--clear", action="store_true", help=tr("remove every expected score"))
    p.add_argument(
        "--use-adjudicated",
        metavar="ITEM",
        help=tr("make an adjudicated item gold: its adjudicated scores become the expected ones"),
    )
    add_json(p)
    p.set_defaults(func=cmd_gold)


def cmd_gold(args: argparse.Namespace) -> None:
    chosen = [x for x in (args.file, args.clear or None, args.use_adjudicated) if x]
    if len(chosen) > 1:
        raise AnnotatorError(
            Message("give a FILE, --clear or --use-adjudicated, one at a time, not together")
        )
    with Project.open(args.project) as project:
        if args.file:
            report = project.gold.import_file(args.file)
            return emit(args, report.to_dict(), lambda: format_import(report))
        if args.clear:
            change = project.gold.clear()
            text = tr("{count} expected score(s) removed", count=change.removed)
            return emit(args, change.to_dict(), text)
        if args.use_adjudicated:
            change = project.gold.use_adjudicated(project.resolve_item(args.use_adjudicated))
            text = tr(
                "{count} expected score(s) taken from the adjudication; {items} gold item(s)",
                count=change.written,
                items=change.items,
            )
            return emit(args, change.to_dict(), text)
        rows = project.gold.list()
    emit(args, {"gold": rows}, lambda: format_list(rows))


def format_import(report) -> str:
    return tr(
        "{file}: {rows} expected scores: {new} new, {changed} changed, {unchanged} unchanged; "
        "{items} gold item(s) in the project",
        file=report.file,
        rows=report.rows,
        new=report.new,
        changed=report.changed,
        unchanged=report.unchanged,
        items=report.items,
    )


def format_list(rows: list[dict]) -> str:
    if not rows:
        return tr("no gold items yet; import them with: annotator gold PROJECT FILE")
    head = [tr("model"), tr("sample"), tr("dimension"), tr("expected"), tr("tolerance")]
    body = [
        [r["model"], r["sample_id"], r["dimension"], str(r["expected"]), f"{r['tolerance']:g}"]
        for r in rows
    ]
    items = len({r["item_id"] for r in rows})
    summary = tr("{items} gold item(s), {count} expected score(s)", items=items, count=len(rows))
    return "\n".join([*text_table([head, *body], right={3, 4}), "", summary])
