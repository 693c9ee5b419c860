"""The command line: every use case of the project facade, each with --json output.

``annotator`` with no arguments opens the desktop app.
"""

from __future__ import annotations

import argparse
import sys

from annotator import __version__
from annotator.cli import metrics_cmds, project_cmds, ratings_cmds, stats_cmds, team_cmds
from annotator.cli._common import run_command

COMMAND_MODULES = [project_cmds, ratings_cmds, metrics_cmds, stats_cmds, team_cmds]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Human evaluation of fine-tuned language models: import model outputs, "
        "let raters score them blind, measure agreement, gate verdicts, export an Excel report. "
        "Run without arguments to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # the desktop app; a missing Qt still gets a message, not a traceback
        return run_command(
            argparse.Namespace(json=False), lambda _args: project_cmds.launch_gui([])
        )
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return run_command(args, args.func)
