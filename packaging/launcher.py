"""Entry script of the PyInstaller build: the ``annotator`` command, frozen.

No arguments opens the desktop app; a subcommand runs the command line, exactly as the
installed ``annotator`` script does (``annotator.cli:main``). Two cases go straight to the app
instead, because the command line has no subcommand for them: a project or rater-package file
as the only kind of argument (what the OS passes when a ``.annotator`` file is double-clicked),
and the app's own options (``--smoke-test``, ``--rater``, ``--lead``) given without ``open``.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

GUI_OPTIONS = ("--smoke-test", "--rater", "--lead")
PROJECT_SUFFIX = ".annotator"


def wants_gui(argv: list[str]) -> bool:
    """Whether these arguments are for the desktop app rather than the command line."""
    if not argv:
        return False  # the command line opens the app itself
    first = argv[0]
    if first.split("=", 1)[0] in GUI_OPTIONS:
        return True
    return first.lower().endswith(PROJECT_SUFFIX) and Path(first).is_file()


def main() -> int:
    # First, before anything imports Qt: a metrics worker (spawn pool) re-runs this
    # executable, and freeze_support() turns that run into the worker instead of the app.
    multiprocessing.freeze_support()
    argv = sys.argv[1:]
    if wants_gui(argv):
        from annotator.gui.app import main as gui_main

        return gui_main(argv)
    from annotator.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
