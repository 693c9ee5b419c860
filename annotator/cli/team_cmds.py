"""assign, package create/merge, sheet create/import, status: the offline team workflow."""

from __future__ import annotations

import argparse

from annotator.cli._common import add_json, emit, finite_number
from annotator.core.i18n import tr
from annotator.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assign",
        help=tr("decide which rater rates which item"),
        description=tr(
            "Assign items to raters with the load balanced. Items of the same sample "
            "id (across models) go to the same raters. Re-assigning replaces the assignment of "
            "the selected items; ratings are never deleted."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument(
        "--raters", required=True, help=tr("comma-separated names, e.g. alice,bob,carol")
    )
    p.add_argument("--per-item", type=int, help=tr("raters per item (default: every rater)"))
    p.add_argument(
        "--items",
        metavar="FILTER",
        help=tr(
            'only these items: "model=lora-v2", "sample=s1*", a bare sample-id '
            "glob; several space-separated terms must all match"
        ),
    )
    p.add_argument("--seed", type=int, default=0, help=tr("the same seed gives the same result"))
    p.add_argument(
        "--shared",
        type=finite_number,
        default=0,
        help=tr("samples rated by every rater for agreement: a count (5) or a fraction (0.1)"),
    )
    p.add_argument(
        "--gold",
        metavar="all|SHARE",
        default="all",
        help=tr(
            "the gold items each rater gets among their work, looking like any other: all "
            "(the default), a share (0.5) or a count (3); 0 hands them out as ordinary items"
        ),
    )
    p.add_argument(
        "--calibration",
        type=int,
        metavar="N",
        default=0,
        help=tr(
            "every rater first gets the same N items (seeded), the calibration round; "
            "package create and sheet create --round calibration hand out only those"
        ),
    )
    add_json(p)
    p.set_defaults(func=cmd_assign)

    pkg = sub.add_parser(
        "package",
        help=tr("rater packages for the app, offline"),
        description=tr("Hand out and merge back rater packages."),
    )
    psub = pkg.add_subparsers(dest="package_command", metavar="SUBCOMMAND")
    p = psub.add_parser(
        "create",
        help=tr("write one rater's package"),
        description=tr(
            "Write a package: a project file holding only the rater's assigned items "
            "(blind: no model names, no other rater's work), the rubric and their own scores."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("--rater", required=True, help=tr("the rater's name"))
    p.add_argument(
        "-o", "--output", required=True, help=tr("the package file, e.g. alice.annotator")
    )
    p.add_argument("--force", action="store_true", help=tr("overwrite the output file"))
    _add_round(p)
    add_json(p)
    p.set_defaults(func=cmd_package_create)
    p = psub.add_parser(
        "merge",
        help=tr("merge a returned package into the project"),
        description=tr(
            "Check the package belongs to this project and rater, back up the project, "
            "then merge scores, comments, flags and times in one transaction. Merging the same "
            "package twice changes nothing."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("package", help=tr("the returned package file"))
    add_json(p)
    p.set_defaults(func=cmd_package_merge)

    sheet = sub.add_parser(
        "sheet",
        help=tr("Excel rating sheets (no app needed)"),
        description=tr("Hand out and import Excel rating sheets."),
    )
    ssub = sheet.add_subparsers(dest="sheet_command", metavar="SUBCOMMAND")
    p = ssub.add_parser(
        "create",
        help=tr("write one rater's Excel rating sheet"),
        description=tr(
            "One row per assigned item, a 1-5 drop-down per dimension, a comment "
            "column, the rubric on a second sheet; texts are locked (sheet protection without "
            "password)."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("--rater", required=True, help=tr("the rater's name"))
    p.add_argument("-o", "--output", required=True, help=tr("the xlsx file, e.g. bob.xlsx"))
    p.add_argument("--force", action="store_true", help=tr("overwrite the output file"))
    _add_round(p)
    add_json(p)
    p.set_defaults(func=cmd_sheet_create)
    p = ssub.add_parser(
        "import",
        help=tr("import a filled-in rating sheet"),
        description=tr(
            "Check every cell, then merge the scores and comments (backup first). "
            "On any problem nothing is imported, unless --skip-invalid."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("sheet", help=tr("the filled-in rating sheet (.xlsx)"))
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help=tr("import the valid cells and report the invalid ones"),
    )
    add_json(p)
    p.set_defaults(func=cmd_sheet_import)

    p = sub.add_parser(
        "status",
        help=tr("progress per rater"),
        description=tr("Per rater: assigned, done, remaining, last merge, last score."),
    )
    p.add_argument("project", help=tr("the project file"))
    add_json(p)
    p.set_defaults(func=cmd_status)


def _add_round(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--round",
        choices=("calibration", "main"),
        help=tr("only the calibration round or only the main round (default: everything assigned)"),
    )


def cmd_assign(args: argparse.Namespace) -> None:
    raters = [r for r in args.raters.split(",") if r.strip()]
    with Project.open(args.project) as project:
        report = project.assign(
            raters,
            per_item=args.per_item,
            items_filter=args.items,
            seed=args.seed,
            shared=args.shared,
            gold=args.gold,
            calibration=args.calibration,
        )
    emit(
        args,
        report.to_dict(),
        lambda: "\n".join(
            [
                tr(
                    "{items} items ({samples} samples) to {raters} raters, {per_item} per item, "
                    "seed {seed}; {shared} shared items",
                    items=report.items,
                    samples=report.groups,
                    raters=len(report.raters),
                    per_item=report.per_item,
                    seed=report.seed,
                    shared=report.shared_items,
                )
            ]
            + _rounds_lines(report)
            + [
                "  " + tr("{rater}: {count} items", rater=r, count=n)
                for r, n in report.load.items()
            ]
            + ["  " + tr("note: {note}", note=n) for n in report.notices]
        ),
    )


def _rounds_lines(report) -> list[str]:
    lines = []
    if report.calibration_items:
        lines.append(
            "  "
            + tr(
                "calibration round: the same {count} items to every rater",
                count=report.calibration_items,
            )
        )
    if report.gold_items:
        lines.append("  " + tr("gold items mixed into the work: {count}", count=report.gold_items))
    return lines


def cmd_package_create(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.create_package(
            args.rater, args.output, overwrite=args.force, round_name=args.round
        )
    emit(
        args,
        report.to_dict(),
        tr(
            "{path}: package for {rater} with {items} items ({scores} scores already given); "
            "package id {package_id}",
            path=report.path,
            rater=report.rater,
            items=report.items,
            scores=report.scores,
            package_id=report.package_id,
        )
        + _pairs_line(report.comparisons, report.judgments),
    )


def _pairs_line(comparisons: int, judgments: int) -> str:
    """The hand-out's side-by-side part, when it has one."""
    if not comparisons:
        return ""
    return "\n" + tr(
        "  and {comparisons} side-by-side comparisons ({judgments} judgments already given)",
        comparisons=comparisons,
        judgments=judgments,
    )


def cmd_package_merge(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.merge_package(args.package)
    emit(args, report.to_dict(), report.summary)


def cmd_sheet_create(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.create_sheet(
            args.rater, args.output, overwrite=args.force, round_name=args.round
        )
    emit(
        args,
        report.to_dict(),
        tr(
            "{path}: rating sheet for {rater} with {items} items",
            path=report.path,
            rater=report.rater,
            items=report.items,
        )
        + _pairs_line(report.comparisons, report.prefilled_judgments),
    )


def cmd_sheet_import(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.import_sheet(args.sheet, skip_invalid=args.skip_invalid)
    emit(args, report.to_dict(), report.summary)


def cmd_status(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        status = project.team_status()
    emit(args, status, lambda: Project.format_team_status(status))
