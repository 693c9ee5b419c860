"""The rater window when another program overwrites its package's bytes (issue 13).

The core raises its own errors (no ``sqlite3.Error`` reaches the window, which no longer
catches one): the status bar names the damaged file, the scores typed meanwhile stay on
screen as unsaved, and once the file is whole again they arrive, in order.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.project import Project
from tests.factories import add_items
from tests.gui.test_rater_scoring import KEYS, press
from tests.gui.test_rater_unsaved import assert_no_traceback, wait_saved, written


def _package(folder: Path) -> Path:
    with Project.create(folder / "eval.annotator", "gui eval", language="en") as p:
        add_items(p, 3, "base")
        p.assign(["alice"])
        p.create_package("alice", folder / "alice.annotator")
    return folder / "alice.annotator"


def test_overwritten_package_is_named_and_no_score_is_lost(tmp_path, open_window, qtbot, capfd):
    package = _package(tmp_path)
    window, ctl = open_window(package)
    first = ctl.item.id
    whole = package.read_bytes()
    package.write_bytes(b"\xa5" * len(whole))  # another program writes over it
    press(qtbot, KEYS[2])
    press(qtbot, KEYS[4])
    text = window.saved_label.text()
    assert text.startswith("Not saved (") and "2 waiting" in text, text
    assert str(package) in text and "damaged" in text, text
    assert window.grid.unsaved_keys() == {"relevance", "fluency"}
    assert window.grid.buttons[0][1].isChecked() and window.grid.buttons[1][3].isChecked()
    package.write_bytes(whole)  # the file is whole again: the waiting scores arrive
    wait_saved(qtbot, window)
    assert written(package) == [(first, "relevance", 2), (first, "fluency", 4)]
    assert window.grid.unsaved_keys() == set()
    assert_no_traceback(capfd)
