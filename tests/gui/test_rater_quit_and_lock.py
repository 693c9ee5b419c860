"""Issue 14: one window per package (point 6); Quit, and finishing on a skipped row (point 9)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.project import Project
from annotator.core.usecases.team import create_package
from annotator.gui import app as gui_app

from .test_rater_scoring import KEYS, order_of, press, stored


def test_a_second_window_on_an_open_package_is_refused_in_words(
    project_path, tmp_path, open_window, qapp, no_modal_dialogs
):
    package = tmp_path / "alice.annotator"
    with Project.open(project_path) as lead:
        create_package(lead.db, "alice", package)
    window, ctl = open_window(package)
    assert gui_app.main([str(package), "--smoke-test"]) == 1
    (shown,) = no_modal_dialogs
    assert shown.startswith("critical: ") and "already open for scoring by alice" in shown
    assert "Traceback" not in shown
    window.close()  # closing lets the next window in
    assert gui_app.main([str(package), "--smoke-test"]) == 0


def test_ctrl_q_quits_and_writes_the_comment_being_typed(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    order = order_of(project_path)
    press(qtbot, KEYS[4])
    press(qtbot, Qt.Key.Key_C)
    qtbot.keyClicks(window.comment, "quit mid-word")
    assert window.quit_action in window.menuBar().actions()[0].menu().actions()
    press(qtbot, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
    scores, notes = stored(project_path)
    assert scores == {(order[0], "relevance"): 4} and notes[order[0]][0] == "quit mid-word"
    again, ctl2 = open_window(project_path)  # the lock went with the window
    assert ctl2.session.order == order


def test_filling_a_skipped_dimension_last_advances_to_the_next_item(
    project_path, open_window, qtbot
):
    window, ctl = open_window(project_path)
    press(qtbot, KEYS[3])  # relevance
    press(qtbot, Qt.Key.Key_Tab)  # skip fluency
    press(qtbot, KEYS[3])  # style
    press(qtbot, KEYS[3])  # compliance: back to the skipped fluency
    assert window.grid.focus_key == "fluency" and ctl.index == 0
    press(qtbot, KEYS[2])  # the item is complete
    assert ctl.index == 1 and window.grid.focus_key == "relevance"
    # Correcting a finished item does not jump away from it.
    press(qtbot, Qt.Key.Key_PageUp)
    assert ctl.index == 0
    press(qtbot, KEYS[5])
    assert ctl.index == 0
