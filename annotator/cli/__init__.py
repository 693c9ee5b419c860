"""The command line: every use case of the project facade, each with --json output.

``annotator`` with no arguments opens the desktop app.
"""

from __future__ import annotations

import argparse
import sys

from annotator import __version__
from annotator.cli import (
    decision_cmds,
    gold_cmds,
    judge_cmds,
    judges_cmds,
    metrics_cmds,
    pairwise_cmds,
    project_cmds,
    ratings_cmds,
    stats_cmds,
    team_cmds,
)
from annotator.cli._common import (
    argument_labels,
    check_arguments,
    help_language,
    report_failure,
    run_command,
)
from annotator.cli._help import TranslatedParser
from annotator.core.i18n import set_language, tr

COMMAND_MODULES = [
    project_cmds, ratings_cmds, metrics_cmds, stats_cmds, decision_cmds, team_cmds,
    pairwise_cmds, judges_cmds, judge_cmds, gold_cmds,
]  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the current language (set it first: see main)."""
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
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 an error, 2 a usage error)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # the desktop app; a missing Qt still gets a message, not a traceback
        return run_command(
            argparse.Namespace(json=False), lambda _args: project_cmds.launch_gui([])
        )
    try:
        set_language(help_language())  # the help and argparse's errors; no project known yet
        parser = build_parser()
        args = parser.parse_args(argv)
    except Exception as exc:  # noqa: BLE001 - the safety net covers parsing too
        return report_failure(argparse.Namespace(json="--json" in argv), exc)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    labels = argument_labels(parser)
    return run_command(args, lambda a: check_arguments(a, labels) or a.func(a))
