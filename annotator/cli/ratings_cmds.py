"""ratings import: scores from earlier spreadsheets or other tools."""

from __future__ import annotations

import argparse

from annotator.cli._common import add_json, emit
from annotator.core.i18n import tr
from annotator.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    ratings = sub.add_parser(
        "ratings",
        help=tr("bring ratings in from other files"),
        description=tr("Work with ratings from outside the app."),
    )
    rsub = ratings.add_subparsers(dest="ratings_command", metavar="SUBCOMMAND")
    p = rsub.add_parser(
        "import",
        help=tr("import ratings in long form (CSV or XLSX)"),
        description=tr(
            "Import ratings in long form: one row per score with columns item id, "
            "rater, dimension and score (optional comment, optional model). Headers in English "
            "or Chinese are recognised (item_id/item/id, rater/annotator, dimension/criterion, "
            "score/rating, 条目/评分人/维度/分数). A dimension may be written as its key, its "
            "English or Chinese name, or a short form (style). Optional time columns: seconds "
            "(or lead_time as Label Studio exports it, or 耗时) per item, and rated_at (ISO "
            "8601). Nothing is written if any row is wrong; importing the same rows again "
            "changes nothing."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("file", help=tr("the ratings file (CSV or XLSX)"))
    add_json(p)
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.import_ratings(args.file)
    emit(
        args,
        report.to_dict(),
        lambda: (
            tr(
                "{file}: {rows} rows from {raters}: {new} new, {changed} changed, "
                "{unchanged} unchanged scores; {comments} comments",
                file=report.file,
                rows=report.rows,
                raters=tr(", ").join(report.raters),
                new=report.new,
                changed=report.changed,
                unchanged=report.unchanged,
                comments=report.comments,
            )
            + "".join(
                "\n  "
                + tr(
                    '"{given}" is taken as the rater "{stored}" (names that differ '
                    "only by case, width or spaces are the same rater)",
                    given=given,
                    stored=stored,
                )
                for given, stored in report.same_as.items()
            )
            + ("\n  " + tr("backup written: {path}", path=report.backup) if report.backup else "")
        ),
    )
