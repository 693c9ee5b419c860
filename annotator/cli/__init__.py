"""The command line: every use case of the project facade, each with --json output.

``annotator`` with no arguments opens the desktop app.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from annotator import __version__
from annotator.cli._common import (
    argument_labels,
    check_arguments,
    help_language,
    report_failure,
    run_command,
)
from annotator.cli._help import TranslatedParser
from annotator.core.i18n import set_language, tr

# The modules of the commands, in the order of the help, and the commands each registers.
# A command imports only its own module (a report need not load the judge client or the
# importers): tests/cli/test_cli_lazy.py keeps this table equal to what the modules register.
COMMANDS: dict[str, tuple[str, ...]] = {
    "project_cmds": ("init", "import", "info", "demo", "open"),
    "ratings_cmds": ("ratings",),
    "metrics_cmds": ("metrics",),
    "stats_cmds": ("report", "gates", "adjudicate", "export"),
    "decision_cmds": ("models", "plan"),
    "team_cmds": ("assign", "package", "sheet", "status"),
    "pairwise_cmds": ("pairwise", "preferences"),
    "judges_cmds": ("judges",),
    "judge_cmds": ("judge",),
    "gold_cmds": ("gold",),
}
# Modules that add options to another module's command (registered after it).
EXTENDS: dict[str, tuple[str, ...]] = {"judges_cmds": ("preferences",)}


def command_modules(argv: Sequence[str] = ()) -> list[ModuleType]:
    """The modules to register for ``argv``: the named command's own module, or all of them
    (no command, an option first, or a name no module has: the help and the error list every
    command)."""
    first = argv[0] if argv else ""
    names = [
        name
        for name, commands in COMMANDS.items()
        if first in commands or first in EXTENDS.get(name, ())
    ] or list(COMMANDS)
    return [importlib.import_module(f"annotator.cli.{name}") for name in names]


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser, its help in the current language (set it first: see main); with ``argv``,
    only the command it names is registered."""
    parser = TranslatedParser(
        prog="annotator",
        description=tr(
            "Human evaluation of fine-tuned language models: import model outputs, "
            "let raters score them blind, measure agreement, gate verdicts, export an Excel "
            "report. Run without arguments to open the desktop app."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"annotator {__version__}",
        help=tr("show program's version number and exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=TranslatedParser)
    for module in command_modules(argv):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 an error, 2 a usage error)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # the desktop app; a missing Qt still gets a message, not a traceback
        return run_command(
            argparse.Namespace(json=False),
            lambda _args: importlib.import_module("annotator.cli.project_cmds").launch_gui([]),
        )
    try:
        set_language(help_language())  # the help and argparse's errors; no project known yet
        parser = build_parser(argv)
        args = parser.parse_args(argv)
    except Exception as exc:  # noqa: BLE001 - the safety net covers parsing too
        return report_failure(argparse.Namespace(json="--json" in argv), exc)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    labels = argument_labels(parser)
    return run_command(args, lambda a: check_arguments(a, labels) or a.func(a))
