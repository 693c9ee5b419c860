"""``python -m annotator``: the command line (no arguments opens the app)."""

import multiprocessing

from annotator.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the metrics pool in a PyInstaller build
    raise SystemExit(main())
