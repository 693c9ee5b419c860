"""init, import, info, demo, open: making a project and bringing items in."""

from __future__ import annotations

import argparse
import shlex

from annotator.cli._common import (
    add_json,
    command_language,
    emit,
    follow_project,
    progress_printer,
)
from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.formats.items import OwnFileError
from annotator.core.i18n import LANGUAGES, current_language, tr
from annotator.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help=tr("create a new project file"),
        description=tr("Create a new, empty evaluation project (one SQLite file)."),
    )
    p.add_argument("project", help=tr("the project file to create, e.g. eval.annotator"))
    p.add_argument("--name", help=tr("a name for the evaluation (default: the file name)"))
    p.add_argument(
        "--language",
        choices=LANGUAGES,
        help=tr("language of the report and messages (default: the system's, zh_CN or en)"),
    )
    p.add_argument(
        "--rubric", help=tr("a rubric TOML file (default: the built-in four dimensions)")
    )
    p.add_argument(
        "--min-raters",
        type=int,
        default=2,
        help=tr("raters an item needs before it counts as complete (default 2)"),
    )
    add_json(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "import",
        help=tr("import items from CSV, TSV, XLSX, JSON, JSONL or LLaMA-Factory output"),
        description=tr(
            "Import (instruction, reference, generated) triples. The format, encoding "
            "and column roles are detected; --map overrides a role. The import is one transaction: "
            "on any problem nothing is written and every problem is listed with its row and column."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("file", help=tr("the file to import (e.g. generated_predictions.jsonl)"))
    p.add_argument(
        "--model",
        help=tr("the model these outputs come from (required unless the file has a model column)"),
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help=tr(
            "use COLUMN for ROLE (instruction, input, reference, generated, id, "
            "model); may be repeated"
        ),
    )
    p.add_argument(
        "--update",
        action="store_true",
        help=tr("replace the texts of items already imported whose texts changed"),
    )
    p.add_argument(
        "--skip-duplicates",
        action="store_true",
        help=tr("keep the first of rows with the same id instead of refusing the file"),
    )
    add_json(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "info",
        help=tr("summarise a project"),
        description=tr("Show what a project holds: models, items, raters, ratings."),
    )
    p.add_argument("project", help=tr("the project file"))
    add_json(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser(
        "demo",
        help=tr("build the demo project and show its summary"),
        description=tr(
            "Build the demo project in your data folder (from data "
            "shipped with annotator) and print its summary."
        ),
    )
    p.add_argument("--path", help=tr("where to write the demo project (default: user data folder)"))
    p.add_argument("--fresh", action="store_true", help=tr("rebuild it even if it exists"))
    p.add_argument("--open", action="store_true", help=tr("then open it in the app"))
    add_json(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "open",
        help=tr("open a project or rater package in the app"),
        description=tr("Open the desktop app on a project file or a rater package."),
    )
    p.add_argument("project", nargs="?", help=tr("the project or package file"))
    p.add_argument("--rater", help=tr("score as this rater (skips the rater question)"))
    p.add_argument("--lead", action="store_true", help=tr("open the lead's workspace"))
    p.add_argument(
        "--smoke-test",
        action="store_true",
        help=tr("open, show the window, close it and exit (checks an installation)"),
    )
    add_json(p)
    p.set_defaults(func=cmd_open)


def parse_mapping(values: list[str]) -> dict[str, str]:
    mapping = {}
    for value in values:
        role, sep, column = value.partition("=")
        if not sep or not role.strip() or not column.strip():
            raise AnnotatorError(
                tr('--map "{value}" must look like ROLE=COLUMN, e.g. --map generated=output',
                   value=value)
            )  # fmt: skip
        mapping[role.strip()] = column.strip()
    return mapping


def cmd_init(args: argparse.Namespace) -> None:
    from pathlib import Path

    # a file name may hold bytes that are not UTF-8 (fine for the OS); the name stored in the
    # project must be text
    stem = Path(args.project).stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    with Project.create(
        args.project,
        args.name or stem,
        # --language, else ANNOTATOR_LANG, else the system's locale (zh* -> zh_CN, else en)
        language=command_language(args),
        rubric=args.rubric and Path(args.rubric),
        min_raters=args.min_raters,
    ) as project:
        info = project.info()
    emit(
        args,
        info,
        lambda: tr(
            "created {path} ({name}, {count} dimensions: {dimensions})",
            path=info["path"],
            name=info["name"],
            count=len(info["dimensions"]),
            dimensions=tr(", ").join(_dimension_name(d) for d in info["dimensions"]),
        ),
    )


def _own_file_command(exc: OwnFileError, args: argparse.Namespace) -> OwnFileError:
    """The refusal of one of our own files, with the command that takes it."""
    project, file = shlex.quote(args.project), shlex.quote(args.file)
    command = {
        "rating_sheet": f"annotator sheet import {project} {file}",
        "package": f"annotator package merge {project} {file}",
        "project": f"annotator open {file}",
    }.get(exc.kind)
    if command is None:  # a report: no command takes it
        return exc
    problem = exc.problems[0]
    message = Message(
        "{message}\n(command line: {command})", message=problem.message, command=command
    )
    return OwnFileError(exc.kind, message, file=exc.file or problem.file or "")


def cmd_import(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        try:
            report = project.import_file(
                args.file,
                model=args.model,
                mapping=parse_mapping(args.map),
                update=args.update,
                skip_duplicates=args.skip_duplicates,
                progress=progress_printer(args, tr("importing")),
            )
        except OwnFileError as exc:
            raise _own_file_command(exc, args) from None
    data = report.to_dict()

    def text() -> str:
        lines = [
            tr(
                "{file}: {format}, {encoding}",
                file=report.file,
                format=report.format,
                encoding=report.encoding or tr("binary"),
            )
        ]
        for model, counts in report.models.items():
            lines.append(
                "  "
                + tr(
                    "{model}: {added} added, {unchanged} unchanged, {updated} updated",
                    model=model,
                    added=counts.added,
                    unchanged=counts.unchanged,
                    updated=counts.updated,
                )
            )
        if report.already_imported:
            lines.append("  " + tr("already imported: nothing changed"))
        for column, metric in report.metric_columns.items():
            lines.append(
                "  " + tr('metric column "{column}" kept as {metric}', column=column, metric=metric)
            )
        lines += ["  " + tr("note: {note}", note=n) for n in report.notices]
        if report.backup:
            lines.append("  " + tr("backup written: {path}", path=report.backup))
        return "\n".join(lines)

    emit(args, data, text)


def _dimension_name(d: dict) -> str:
    """A dimension as reasons and reports name it: its Chinese name in Chinese, else its key."""
    name = d.get("name_zh") if current_language() == "zh_CN" else None
    return name or d["key"]


def format_info(info: dict) -> str:
    sep = tr(", ")
    kind = tr("package") if info["kind"] == "package" else tr("project")
    lines = [
        tr("{name}  ({kind}, {path})", name=info["name"], kind=kind, path=info["path"]),
        "  "
        + tr(
            "items: {items:,}  ratings: {ratings:,}  raters: {raters}",
            items=info["items"],
            ratings=info["ratings"],
            raters=sep.join(info["raters"]) or "-",
        ),
        "  "
        + tr(
            "models: {models}",
            models=sep.join(f"{m['name']} ({m['items']:,})" for m in info["models"]) or "-",
        ),
        "  "
        + tr(
            "rubric: {dimensions}",
            dimensions=sep.join(f"{d['name_zh']} {d['name_en']}" for d in info["dimensions"]),
        ),
        "  "
        + tr(
            "created {created}, modified {modified}",
            created=info["created_at"],
            modified=info["modified_at"],
        ),
    ]
    return "\n".join(lines)


def cmd_info(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        info = project.info()
    emit(args, info, lambda: format_info(info))


def cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    project = Project.demo(Path(args.path) if args.path else None, fresh=args.fresh)
    with project:
        info = project.info()
    follow_project(info.get("language"))
    emit(args, info, lambda: format_info(info))
    if args.open:
        return launch_gui([info["path"]])
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    if args.project:
        check_openable(args.project, args.rater)
    argv = [args.project] if args.project else []
    if args.rater:
        argv += ["--rater", args.rater]
    if args.lead:
        argv += ["--lead"]
    if args.smoke_test:
        argv += ["--smoke-test"]
    return launch_gui(argv)


def check_openable(path: str, rater: str | None = None) -> None:
    """Open and close the project the app is asked to open, before Qt starts.

    A missing file, a folder, a damaged or foreign file is then a message in the terminal
    the command was typed in, not a dialog box (or, with no display, a crash of Qt). The app
    opens it again itself; a migration, if one is due, has happened once here.

    Raises:
        ProjectFileError: the file cannot be opened as a project or a rater package.
    """
    from pathlib import Path

    # Project.open says a missing file, a folder, a name too long for the system itself.
    with Project.open(Path(path)) as project:
        # A package (or this rater's work) already open in a window: said here, in words.
        if project.kind == "package" or rater:
            project.check_free(rater)


def launch_gui(argv: list[str]) -> int:
    from annotator.preflight import refuse_gui

    # before Qt is imported: no display, or system libraries Qt's plugin needs are missing,
    # is a sentence and exit status 2 here instead of Qt's abort (exit 134)
    refused = refuse_gui()
    if refused is not None:
        return refused
    try:
        from annotator.gui.app import main as gui_main
    except ImportError as exc:  # the core works without Qt; say so instead of a traceback
        raise AnnotatorError(
            tr("the desktop app cannot start: {reason}. Install PySide6.", reason=exc)
        ) from exc
    return gui_main(argv)
