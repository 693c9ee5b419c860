"""The Qt binding itself must not corrupt the interpreter during a long rating session.

PySide6 6.12.0 with Python 3.11 released a reference to None on every Qt call that
returns nothing: after a few thousand ``setText`` calls the process aborted with
"none_dealloc". A rater makes that many calls in an hour. Run in a subprocess, since
the failure is a hard crash.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel()
    before = sys.getrefcount(None)
    for n in range(20000):
        label.setText(str(n))
        label.update()
        app.processEvents()
    print(sys.getrefcount(None) - before)
""")


def test_void_qt_calls_keep_none_alive():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip().splitlines()[-1]) > -1000
