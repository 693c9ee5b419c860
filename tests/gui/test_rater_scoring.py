"""A rater scores with the keyboard only; the project file holds exactly what was given."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from annotator.core.project import Project
from annotator.core.storage import RatingsRepo

DIMS = ("relevance", "fluency", "style", "compliance")
KEYS = {1: Qt.Key.Key_1, 2: Qt.Key.Key_2, 3: Qt.Key.Key_3, 4: Qt.Key.Key_4, 5: Qt.Key.Key_5}


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """Send a key where the keyboard focus really is, as a person typing would."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)
    settled(qtbot)


def settled(qtbot):
    """Wait for the rater windows' writer threads: every commit a key press started has
    returned or failed (the window commits off the UI thread, issue 19)."""
    from annotator.gui.controllers.rater_controller import RaterController

    sessions = [
        c.session for w in QApplication.topLevelWidgets() for c in w.findChildren(RaterController)
    ]
    qtbot.waitUntil(lambda: not any(s.saving for s in sessions), timeout=10000)


def type_text(widget, text):
    """Type text of any script (QTest's keyClicks only knows ASCII) as key events."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def stored(path, rater="alice"):
    with Project.open(path) as p:
        frame = RatingsRepo(p.db.conn).frame()
        notes = RatingsRepo(p.db.conn).annotations_frame()
    frame = frame[frame.rater == rater]
    scores = {(r.item_id, r.dimension): r.score for r in frame.itertuples()}
    notes = {
        r.item_id: (r.comment, r.flag, r.seconds) for r in notes.itertuples() if r.rater == rater
    }
    return scores, notes


def order_of(path, rater="alice"):
    # Read-only beside an open window (a second writer would be refused); a rater not
    # in the file yet is added by a session that can write.
    with Project.open(path, read_only=True) as p:
        if rater in p.raters():
            return p.session(rater).order
    with Project.open(path) as p:
        return p.session(rater).order


def test_rubric_has_the_four_default_dimensions(project_path):
    with Project.open(project_path) as p:
        assert p.rubric.keys == DIMS


def test_first_keystroke_scores_and_a_run_of_items_lands_in_the_file(
    project_path, open_window, qtbot
):
    window, ctl = open_window(project_path)
    order = order_of(project_path)
    given = {}
    runs = [(3, 4, 2, 5), (1, 1, 5, 5), (4, 4, 4, 3)]
    for n, run in enumerate(runs):
        assert ctl.index == n  # auto-advance opened the next unscored item
        for dim, score in zip(DIMS, run, strict=True):
            press(qtbot, KEYS[score])
            given[(order[n], dim)] = score
    assert ctl.index == 3
    scores, _ = stored(project_path)
    assert scores == given
    assert window.progress_label.text() == "3 / 12"
    assert window.saved_label.text().startswith("Saved ")


def test_undo_takes_back_the_last_score_and_returns_to_its_item(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    order = order_of(project_path)
    for score in (2, 3, 4, 5):
        press(qtbot, KEYS[score])
    assert ctl.index == 1
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctl.index == 0 and ctl.view.grid.focus_key == "compliance"
    assert [b.isChecked() for b in window.grid.buttons[3]] == [False] * 5
    assert window.grid.buttons[2][3].isChecked()  # style = 4 is still there
    scores, _ = stored(project_path)
    assert scores == {(order[0], "relevance"): 2, (order[0], "fluency"): 3, (order[0], "style"): 4}
    assert window.progress_label.text() == "0 / 12"
    press(qtbot, KEYS[1])  # the focus is back on the grid: the next digit re-scores
    assert stored(project_path)[0][(order[0], "compliance")] == 1


def test_tab_and_arrows_move_between_dimensions_and_items(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert window.grid.focus_key == "style"
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.grid.focus_key == "fluency"
    press(qtbot, KEYS[5])
    assert window.grid.focus_key == "style"
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_PageDown)
    assert ctl.index == 2
    press(qtbot, Qt.Key.Key_PageUp)
    press(qtbot, Qt.Key.Key_Left)
    assert ctl.index == 0
    # back on the partly scored item: focus on its first unscored dimension, score kept
    assert window.grid.focus_key == "relevance"
    assert window.grid.buttons[1][4].isChecked()


def test_flag_menu_then_digits_still_score(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    order = order_of(project_path)
    press(qtbot, Qt.Key.Key_F)
    menu = ctl.flags.menu
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_2)  # "&2 broken output"
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert "broken output" in window.flag_label.text()
    press(qtbot, KEYS[4])  # the menu did not keep the keyboard
    _, notes = stored(project_path)
    assert notes[order[0]][1] == "broken output"
    assert stored(project_path)[0] == {(order[0], "relevance"): 4}


def test_free_text_flag_and_clearing_it(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    order = order_of(project_path)
    ctl.flags.open_menu()
    ctl.flags.other_action.trigger()
    assert window.flag_text.isVisible() and window.flag_text.hasFocus()
    type_text(window.flag_text, "参考答案错了")
    qtbot.keyClick(window.flag_text, Qt.Key.Key_Return)
    settled(qtbot)
    assert stored(project_path)[1][order[0]][1] == "参考答案错了"
    assert window.grid.hasFocus()
    ctl.flags.clear_action.trigger()
    settled(qtbot)
    assert stored(project_path)[1][order[0]][1] == ""
    assert window.flag_label.text() == ""


def test_comment_is_saved_on_leaving_the_box_and_digits_return(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    order = order_of(project_path)
    press(qtbot, Qt.Key.Key_C)
    assert window.comment.hasFocus()
    type_text(window.comment, "输出 12345 太短")  # digits go into the comment here
    press(qtbot, Qt.Key.Key_Escape)
    assert window.grid.hasFocus()
    assert stored(project_path) == ({}, {order[0]: ("输出 12345 太短", "", 0.0)})
    press(qtbot, KEYS[2])
    assert stored(project_path)[0] == {(order[0], "relevance"): 2}


def test_closing_loses_nothing_and_reopening_resumes(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    order = list(ctl.session.order)
    for score in (5, 5, 5, 5, 4, 4):
        press(qtbot, KEYS[score])
    press(qtbot, Qt.Key.Key_C)
    qtbot.keyClicks(window.comment, "half done")
    window.close()  # while typing: the comment is flushed on close
    scores, notes = stored(project_path)
    assert len(scores) == 6 and notes[order[1]][0] == "half done"
    window2, ctl2 = open_window(project_path)
    assert ctl2.session.order == order
    assert ctl2.index == 1  # the first item not fully scored
    assert window2.grid.focus_key == "style"
    assert window2.comment.text() == "half done"


def test_auto_advance_off_then_enter_moves_on(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    window.auto_advance_action.setChecked(False)
    for score in (1, 2, 3, 4):
        press(qtbot, KEYS[score])
    assert ctl.index == 0
    press(qtbot, Qt.Key.Key_Return)
    assert ctl.index == 1
    window.close()
    _, ctl2 = open_window(project_path)  # the choice is remembered
    assert not ctl2.auto_advance


def test_time_on_item_is_stored_only_while_active(project_path, open_window, qtbot, monkeypatch):
    import annotator.gui.controllers.clock as rc  # the clock that counts time on an item

    clock = [1000.0]
    monkeypatch.setattr(rc.time, "monotonic", lambda: clock[0])
    window, ctl = open_window(project_path)
    order = order_of(project_path)
    ctl.show_item(0)  # restart the item's clock on the fake time
    clock[0] += 30
    ctl.clock.activation(False)  # the rater switched to another program for 100 s
    clock[0] += 100
    ctl.clock.activation(True)
    clock[0] += 12
    press(qtbot, Qt.Key.Key_Right)
    assert stored(project_path)[1][order[0]][2] == 42.0
