"""The rater window commits on a writer thread (issue 19): the key press returns before the
disk, the status bar says "Saving…" until the commit has returned and "Saved" only for what
the file holds, fast key presses land in the order given, and closing waits for the writer.

Every check reads the file with sqlite3 from its own connection, never through the session.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.test_rater_scoring import DIMS, KEYS
from tests.gui.test_rater_unsaved import stored, written

CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A real key press where the focus is, returning as the window does: no wait for the
    writer thread (no event loop runs between presses, as with a fast typist)."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def final(given: list[tuple[int, str, int]]) -> dict[tuple[int, str], int]:
    """The last score given to each (item, dimension)."""
    return {(item_id, dim): score for item_id, dim, score in given}


def watch_saved(ctl, path, given=()) -> list[tuple[str, dict, int]]:
    """Record, each time the status bar is set: its text, what the file holds then, and
    how many presses ``given`` had recorded."""
    seen: list[tuple[str, dict, int]] = []
    show = ctl.saving._show

    def spy(text: str, unsaved: bool) -> None:
        show(text, unsaved)
        seen.append((text, stored(path) if text.startswith("Saved ") else {}, len(given)))

    ctl.saving._show = spy
    return seen


def test_status_says_saving_while_the_commit_waits_then_saved_once_in_the_file(
    project_path, open_window, qtbot
):
    window, ctl = open_window(project_path)
    first = ctl.item.id
    seen = watch_saved(ctl, project_path)
    other = sqlite3.connect(project_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another connection holds the write lock
    try:
        press(qtbot, KEYS[3])
        assert window.saved_label.text() == "Saving…"
        assert ctl.view.grid.focus_key == "fluency"  # the keys go on at once
        assert window.grid.buttons[0][2].isChecked()  # the score is on screen ...
        assert window.grid.unsaved_keys() == set()  # ... not marked: in flight, not refused
        assert ctl.session.scores(first) == {"relevance": 3}  # read in memory before the commit
        assert stored(project_path) == {}  # and not in the file yet
    finally:
        other.execute("ROLLBACK")
        other.close()
    qtbot.waitUntil(lambda: window.saved_label.text().startswith("Saved "), timeout=10000)
    assert stored(project_path) == {(first, "relevance"): 3}
    saved = [files for text, files, _ in seen if text.startswith("Saved ")]
    assert saved and all(files == {(first, "relevance"): 3} for files in saved)


def test_fast_key_presses_are_committed_in_the_order_given(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    given: list[tuple[int, str, int]] = []
    seen = watch_saved(ctl, project_path, given)
    scores = [1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 2, 4, 1, 3, 5, 3]  # four items, no pause
    for score in scores:
        given.append((ctl.item.id, ctl.view.grid.focus_key, score))
        press(qtbot, KEYS[score])
    press(qtbot, Qt.Key.Key_Left)  # back to the fourth item: rescore its relevance twice
    fourth = ctl.item.id
    for score in (4, 2):  # its relevance was 1: each is a change the log records
        ctl.view.grid.set_focus_row(0)
        given.append((fourth, "relevance", score))
        press(qtbot, KEYS[score])
    qtbot.waitUntil(lambda: window.saved_label.text().startswith("Saved "), timeout=10000)
    assert [dim for _, dim, _ in given[:16]] == list(DIMS) * 4
    assert written(project_path) == given
    expected = final(given)
    assert stored(project_path) == expected
    assert expected[(fourth, "relevance")] == 2
    # Every "Saved" shown: the file held every score given before it (the press being
    # handled at that moment may not have reached the session yet).
    for text, files, n in seen:
        if text.startswith("Saved "):
            assert files in (final(given[:n]), final(given[: n - 1])), (text, n)
    assert window.progress_label.text() == "4 / 12"


def test_undo_right_after_a_key_press_takes_the_score_back_in_the_file_too(
    project_path, open_window, qtbot
):
    window, ctl = open_window(project_path)
    first = ctl.item.id
    press(qtbot, KEYS[2])
    press(qtbot, KEYS[5])  # fluency 5, probably waiting behind the commit of relevance 2
    press(qtbot, Qt.Key.Key_Z, CTRL)  # takes back fluency 5, in flight or not
    assert ctl.view.grid.focus_key == "fluency"
    qtbot.waitUntil(lambda: window.saved_label.text().startswith("Saved "), timeout=10000)
    assert stored(project_path) == {(first, "relevance"): 2}
    log = written(project_path)
    # Dropped before it was sent, or written and then taken back: never left in the file.
    assert log in (
        [(first, "relevance", 2)],
        [(first, "relevance", 2), (first, "fluency", 5), (first, "fluency", None)],
    )


def test_closing_with_writes_in_flight_loses_none(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    given = {}
    for score in (4, 3, 2, 1, 5, 4, 3, 2, 1, 1):
        given[(ctl.item.id, ctl.view.grid.focus_key)] = score
        press(qtbot, KEYS[score])
    assert ctl.session.unsaved_count() > 0  # the last ones have not been committed yet
    window.close()  # no event loop ran: closing itself waits for the writer
    assert not window.isVisible()
    assert stored(project_path) == given
    assert ctl.session.unsaved_count() == 0
