"""A rater judges comparisons side by side with the keyboard only; the file holds exactly
what was pressed, by model order.

Each expected outcome is computed here from the lead's judgments frame (which model was
shown on the left) and the side pressed, and the text on the left pane is checked to be
that model's answer (read from the items table), never with the conversions under test.
"""

from __future__ import annotations

import math
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from annotator.core.project import Project
from tests.factories import add_items
from tests.gui.test_rater_scoring import type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
K = Qt.Key
DIMS = ("", "relevance", "fluency", "style", "compliance")


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """Send a key where the keyboard focus really is, as a person typing would."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


@pytest.fixture
def demo_path(tmp_path):
    """The demo project (base against lora-v2, 48 samples) with comparisons vs the baseline
    (the demo comes with them, judged by its three raters; the tests' rater is new)."""
    path = tmp_path / "demo.annotator"
    with Project.demo(path) as project:
        report = project.side_by_side.create(vs_baseline=True)
        assert report.pairs[0].samples == 48 and project.side_by_side.count() == 48
    return path


def configure(path, **settings):
    with Project.open(path) as project:
        project.side_by_side.configure(**settings)


@pytest.fixture
def open_sbs(qtbot):
    """Open the rater window (as the app does) and switch it to side by side with F2."""
    from annotator.gui.app import build_rater_workspace

    opened: list[tuple] = []

    def open_(path, rater="dora", switch=True):
        project = Project.open(path)
        window, rater_ctl = build_rater_workspace(project, rater)
        qtbot.addWidget(window)
        opened.append((project, window))
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        if switch and not rater_ctl.modes.active:
            press(qtbot, K.Key_F2)
        return window, rater_ctl, rater_ctl.modes.controller

    yield open_
    for project, window in opened:
        window.close()
        project.close()


def judgments(path, rater="dora"):
    """{(comparison id, dimension): row} of the lead's frame for ``rater``, read afresh."""
    with Project.open(path, read_only=True) as project:
        frame = project.side_by_side.judgments()
    frame = frame[frame.rater.str.lower() == rater]
    return {(r.comparison_id, r.dimension): r for r in frame.itertuples()}


def answers(path):
    """{answer text: (sample id, model)} from the lead's items table."""
    with Project.open(path, read_only=True) as project:
        rows = project.db.conn.execute(
            "SELECT i.generated, i.sample_id, m.name FROM items i "
            "JOIN models m ON m.id = i.model_id"
        ).fetchall()
    found = {text: (sample, model) for text, sample, model in rows}
    assert len(found) == len(rows)  # each answer's text belongs to one model
    return found


def model_of_text(path):
    return {text: model for text, (_, model) in answers(path).items()}


def expected(row, side: str) -> str:
    """The outcome by model order of pressing ``side`` (left / right / tie / both_bad)."""
    if side in ("tie", "both_bad"):
        return side
    chosen = row.left if side == "left" else ({row.model_a, row.model_b} - {row.left}).pop()
    return "a" if chosen == row.model_a else "b"


def notes(path):
    with Project.open(path, read_only=True) as project:
        rows = project.db.conn.execute(
            "SELECT n.comparison_id, n.comment, n.flag, n.seconds FROM comparison_notes n "
            "JOIN raters r ON r.id = n.rater_id WHERE lower(r.name) = 'dora'"
        ).fetchall()
    return {cid: (comment, flag, seconds) for cid, comment, flag, seconds in rows}


def test_f2_and_ctrl_tab_switch_between_scores_and_side_by_side(demo_path, open_sbs, qtbot):
    window, rater, sbs = open_sbs(demo_path, switch=False)
    modes = rater.modes
    tabs = window.findChild(QTabBar, "modeTabs")
    assert tabs.isVisible() and tabs.count() == 2 and not modes.active
    assert window.grid.hasFocus()
    press(qtbot, K.Key_F2)
    assert modes.active and modes.page.isVisible() and not window.grid.isVisible()
    assert modes.page.panel.hasFocus() and tabs.currentIndex() == 1
    assert not window.item_dock.isVisible() and not window.statusBar().isVisible()
    assert window.windowTitle().endswith("side by side")
    press(qtbot, K.Key_Z, CTRL)  # the scoring undo is off here: nothing happens to scores
    press(qtbot, K.Key_Tab, CTRL)
    assert not modes.active and window.grid.hasFocus() and window.grid.isVisible()
    assert window.item_dock.isVisible() and window.statusBar().isVisible()
    # the scoring help names the switch; the side-by-side help names its own keys
    assert "F2 / Ctrl+Tab" in _texts(window.overlay)
    help_text = _texts(modes.page.overlay)
    assert "both answers unacceptable" in help_text and "undo the last judgment" in help_text
    press(qtbot, K.Key_3)  # a digit in scoring mode scores, it does not judge
    assert judgments(demo_path) == {}
    press(qtbot, K.Key_F2)
    press(qtbot, K.Key_Question)
    assert modes.page.overlay.isVisible() and not window.overlay.isVisible()
    press(qtbot, K.Key_Escape)
    assert modes.page.panel.hasFocus()
    answers = modes.page.answers
    assert abs(answers.left.width() - answers.right.width()) <= 1  # equal room for each
    before = answers.left.text.font().pointSize()
    press(qtbot, K.Key_Equal, CTRL)
    left, right = answers.left.text.font(), answers.right.text.font()
    assert left.pointSize() == before + 1 and left == right  # one font for both answers
    press(qtbot, K.Key_L, CTRL)
    assert not modes.page.list_host.isVisible()
    press(qtbot, K.Key_L, CTRL)
    assert modes.page.list_host.isVisible() and not window.item_dock.isVisible()


def test_keys_judge_by_the_side_on_screen_and_land_in_the_file(demo_path, open_sbs, qtbot):
    window, _, sbs = open_sbs(demo_path)
    texts = model_of_text(demo_path)
    keys = [
        (K.Key_1, "left"),
        (K.Key_2, "tie"),
        (K.Key_3, "right"),
        (K.Key_X, "both_bad"),
        (K.Key_Left, "left"),
        (K.Key_Down, "tie"),
        (K.Key_Right, "right"),
    ]
    given = {}
    for n, (key, side) in enumerate(keys):
        assert sbs.index == n  # auto-advance opened the next comparison
        cid = sbs.pair.comparison_id
        _, _, left_text, right_text = sbs.view.answers.texts()
        press(qtbot, key)
        given[cid] = (side, texts[left_text], texts[right_text])
        row = judgments(demo_path)[(cid, "")]  # in the file right after the key press
        assert row.outcome == expected(row, side)
        assert re.fullmatch(r"Saved \d\d:\d\d:\d\d", sbs.view.saved_label.text())
    stored = judgments(demo_path)
    assert len(stored) == len(keys)
    for cid, (side, left_model, right_model) in given.items():
        row = stored[(cid, "")]
        assert row.left == left_model and {row.model_a, row.model_b} == {left_model, right_model}
        assert row.outcome == expected(row, side) and math.isnan(row.strength)
    assert sbs.view.progress_label.text() == f"{len(keys)} / 48"
    assert "B better" in sbs.view.list.item(2).text()
    assert "unjudged" in sbs.view.list.item(len(keys)).text()


def test_every_model_is_on_the_left_in_half_of_the_comparisons(demo_path, open_sbs, qtbot):
    window, _, sbs = open_sbs(demo_path)
    texts = model_of_text(demo_path)
    lefts = []
    for _ in range(48):
        lefts.append(texts[sbs.view.answers.texts()[2]])
        press(qtbot, K.Key_PageDown)
    assert sorted(set(lefts)) == ["base", "lora-v2"] and lefts.count("base") == 24


def test_auto_advance_skips_what_is_judged_and_can_be_turned_off(demo_path, open_sbs, qtbot):
    window, rater, sbs = open_sbs(demo_path)
    second = sbs.session.order[1]
    press(qtbot, K.Key_Right, CTRL)
    press(qtbot, K.Key_1)  # judges the second; the next unjudged after it is the third
    assert sbs.index == 2
    press(qtbot, K.Key_PageUp)
    press(qtbot, K.Key_Left, CTRL)
    assert sbs.index == 0
    press(qtbot, K.Key_3)
    assert sbs.index == 2  # the second is judged already
    window.auto_advance_action.setChecked(False)
    press(qtbot, K.Key_2)
    assert sbs.index == 2
    press(qtbot, K.Key_Return)  # Enter: the next comparison not judged
    assert sbs.index == 3
    assert set(judgments(demo_path)) == {(c, "") for c in sbs.session.order[:3]}
    assert judgments(demo_path)[(second, "")].outcome != "tie"  # 1: a side


def test_undo_goes_back_to_the_comparison_and_restores_what_was_there(demo_path, open_sbs, qtbot):
    window, _, sbs = open_sbs(demo_path)
    first, second = sbs.session.order[:2]
    press(qtbot, K.Key_1)
    press(qtbot, K.Key_3)
    assert sbs.index == 2
    press(qtbot, K.Key_Z, CTRL)
    assert sbs.index == 1 and set(judgments(demo_path)) == {(first, "")}
    assert not any(b.isChecked() for b in sbs.view.panel.buttons[0])
    press(qtbot, K.Key_Z, CTRL)
    assert sbs.index == 0 and judgments(demo_path) == {}
    press(qtbot, K.Key_Z, CTRL)
    assert sbs.view.status.currentMessage() == "No judgment to undo"
    press(qtbot, K.Key_2)  # same
    press(qtbot, K.Key_Left, CTRL)
    assert sbs.index == 0 and sbs.view.panel.buttons[0][1].isChecked()
    press(qtbot, K.Key_1)  # changed to the left answer
    row = judgments(demo_path)[(first, "")]
    assert row.outcome == expected(row, "left")
    press(qtbot, K.Key_Right, CTRL)
    press(qtbot, K.Key_Z, CTRL)  # back on the first, "same" again
    assert sbs.index == 0 and judgments(demo_path)[(first, "")].outcome == "tie"
    assert sbs.view.panel.buttons[0][1].isChecked()
    assert sbs.view.progress_label.text() == "1 / 48"
    assert second not in {c for c, _ in judgments(demo_path)}


def test_flag_comment_and_time_are_written_and_keys_judge_again(demo_path, open_sbs, qtbot):
    window, rater, sbs = open_sbs(demo_path)
    first = sbs.pair.comparison_id
    press(qtbot, K.Key_F)
    menu = sbs.flags.menu
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, K.Key_2)  # "&2 broken output"
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert "broken output" in sbs.view.flag_label.text()
    assert notes(demo_path)[first][1] == "broken output"
    press(qtbot, K.Key_C)
    assert sbs.view.comment.hasFocus()
    type_text(sbs.view.comment, "两个都跑题 123")  # digits go into the comment here
    press(qtbot, K.Key_Escape)
    assert sbs.view.panel.hasFocus()
    assert notes(demo_path)[first][:2] == ("两个都跑题 123", "broken output")
    assert "⚑" in sbs.view.list.item(0).text() and "✎" in sbs.view.list.item(0).text()
    assert judgments(demo_path) == {}
    # Offscreen, the closed popup menu stays the active window; a desktop gives it back.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.wait(1100)  # the window is active: the clock runs on this comparison only
    assert rater.clock.running() == 0.0  # the scoring item's clock is stopped
    press(qtbot, K.Key_3)
    assert set(judgments(demo_path)) == {(first, "")}
    assert notes(demo_path)[first][2] >= 1.0  # time written on leaving it
    press(qtbot, K.Key_Left, CTRL)
    sbs.flags.open_menu()
    sbs.flags.other_action.trigger()
    assert sbs.view.flag_text.hasFocus()
    type_text(sbs.view.flag_text, "参考答案错了")
    qtbot.keyClick(sbs.view.flag_text, K.Key_Return)
    assert notes(demo_path)[first][1] == "参考答案错了" and sbs.view.panel.hasFocus()
    sbs.flags.clear_action.trigger()
    assert notes(demo_path)[first][1] == "" and sbs.view.flag_label.text() == ""


def test_r_shows_the_reference_only_when_asked(demo_path, open_sbs, qtbot):
    window, _, sbs = open_sbs(demo_path)
    answers = sbs.view.answers
    assert not answers.reference.isVisible()
    press(qtbot, K.Key_R)
    assert answers.reference.isVisible() and answers.texts()[1] == sbs.pair.reference
    press(qtbot, K.Key_R)
    assert not answers.reference.isVisible()
    assert judgments(demo_path) == {}


def test_five_levels_keys_one_to_five_and_the_arrows(demo_path, open_sbs, qtbot):
    configure(demo_path, scale=5)
    window, _, sbs = open_sbs(demo_path)
    words = [b.text() for b in sbs.view.panel.buttons[0]]
    assert words == [
        "1  A much better",
        "2  A better",
        "3  About the same",
        "4  B better",
        "5  B much better",
        "X  Both unacceptable",
    ]
    keys = [
        (K.Key_1, "left", 2),
        (K.Key_2, "left", 1),
        (K.Key_3, "tie", None),
        (K.Key_4, "right", 1),
        (K.Key_5, "right", 2),
        (K.Key_X, "both_bad", None),
        (K.Key_Left, "left", 1),
        (K.Key_Down, "tie", None),
        (K.Key_Right, "right", 1),
    ]
    given = {}
    for key, side, strength in keys:
        given[sbs.pair.comparison_id] = (side, strength)
        press(qtbot, key)
    stored = judgments(demo_path)
    assert {c for c, _ in stored} == set(given)
    for cid, (side, strength) in given.items():
        row = stored[(cid, "")]
        assert row.outcome == expected(row, side)
        assert (None if math.isnan(row.strength) else int(row.strength)) == strength
    assert "A much better" in sbs.view.list.item(0).text()


def test_one_row_per_dimension_moved_with_up_down_and_tab(demo_path, open_sbs, qtbot):
    configure(demo_path, dimensions=True)
    window, _, sbs = open_sbs(demo_path)
    panel = sbs.view.panel
    assert panel.rows == 5 and [n.text() for n in panel.names][0] == "Overall"
    first = sbs.pair.comparison_id
    press(qtbot, K.Key_1)  # overall: left; the focus moves to relevance
    assert panel.focus_row == 1
    press(qtbot, K.Key_Down)  # moves, does not judge "same"
    assert panel.focus_row == 2 and set(judgments(demo_path)) == {(first, "")}
    press(qtbot, K.Key_3)  # fluency: right
    press(qtbot, K.Key_Up)
    press(qtbot, K.Key_Up)
    assert panel.focus_row == 1
    press(qtbot, K.Key_2)  # relevance: same
    press(qtbot, K.Key_X)  # fluency again: both bad
    press(qtbot, K.Key_Left)  # style: left
    assert panel.focus_row == 4
    press(qtbot, K.Key_Tab)
    assert panel.focus_row == 0
    press(qtbot, K.Key_Backtab, SHIFT)
    assert panel.focus_row == 4 and sbs.index == 0
    assert "4 of 5 judged" in sbs.view.list.item(0).text()
    press(qtbot, K.Key_3)  # compliance: right; every row judged: the next comparison
    assert sbs.index == 1 and panel.focus_row == 0
    sides = {"": "left", "relevance": "tie", "fluency": "both_bad", "style": "left"}
    sides["compliance"] = "right"
    stored = judgments(demo_path)
    assert set(stored) == {(first, d) for d in DIMS}
    for dim, side in sides.items():
        assert stored[(first, dim)].outcome == expected(stored[(first, dim)], side)
    assert "A better" in sbs.view.list.item(0).text()


def test_nothing_in_the_window_names_a_model(project_path, open_sbs, qtbot):
    with Project.open(project_path) as project:
        assert project.side_by_side.create(vs_baseline=True).pairs[0].created == 6
    window, rater, sbs = open_sbs(project_path)
    for key in (K.Key_1, K.Key_R, K.Key_3, K.Key_X, K.Key_F2, K.Key_F2, K.Key_Question):
        press(qtbot, key)
        shown = _texts(window).lower()
        assert "base" not in shown and "lora" not in shown, shown
    assert "模型输出" in shown and "参考答案" in shown  # the texts themselves were walked


def test_a_rater_with_only_comparisons_opens_on_them(tmp_path, open_sbs, qtbot):
    lead = tmp_path / "lead.annotator"
    with Project.create(lead, "gsb eval") as project:
        add_items(project, 6, "base")
        add_items(project, 6, "lora-v2")
        project.assign(["alice", "bob"], per_item=1)
        project.side_by_side.create(vs_baseline=True)  # after assign: everyone judges all
        project.create_package("dora", tmp_path / "dora.annotator")
    window, rater, sbs = open_sbs(tmp_path / "dora.annotator", rater="dora", switch=False)
    assert len(rater.session) == 0 and rater.modes.active
    assert not window.findChild(QTabBar, "modeTabs").isVisible()
    assert sbs.view.panel.hasFocus()
    press(qtbot, K.Key_F2)  # nothing to score: it stays on the comparisons
    assert rater.modes.active and sbs.view.panel.hasFocus()
    sides = ["left", "right", "tie", "left", "both_bad", "right"]
    keys = {"left": K.Key_1, "tie": K.Key_2, "right": K.Key_3, "both_bad": K.Key_X}
    for side in sides:
        press(qtbot, keys[side])
    assert sbs.view.progress_label.text() == "6 / 6"
    shown = answers(lead)  # text -> (sample, model) in the lead's file
    seen = {}  # sample -> (model on the left, side pressed)
    for n, side in enumerate(sides):
        sample, left_model = shown[sbs.session.pair(n).left]
        seen[sample] = (left_model, side)
    window.close()
    with Project.open(lead) as project:
        merged = project.merge_package(tmp_path / "dora.annotator")
        assert merged.judgments_new == 6
        frame = project.side_by_side.judgments()
    frame = frame[frame.rater == "dora"]
    assert sorted(frame.sample_id) == sorted(seen)
    for row in frame.itertuples():
        left_model, side = seen[row.sample_id]
        assert row.left == left_model and row.outcome == expected(row, side)


@pytest.mark.slow
def test_locked_file_keeps_judgments_waiting_and_writes_them_in_order(demo_path, open_sbs, qtbot):
    from tests.gui.test_rater_unsaved import Lock

    window, _, sbs = open_sbs(demo_path)
    first, second = sbs.session.order[:2]
    holder = Lock(demo_path)
    try:
        press(qtbot, K.Key_1)
        press(qtbot, K.Key_3)
        assert sbs.index == 2  # judged as if saved: the next comparison is on screen
        label = sbs.view.saved_label.text()
        assert "locked" in label and f"{sbs.session.unsaved_count()} waiting" in label
        assert not label.startswith("Saved")
        assert "A better" in sbs.view.list.item(0).text()
    finally:
        holder.release()
    qtbot.waitUntil(lambda: sbs.view.saved_label.text().startswith("Saved"), timeout=10000)
    stored = judgments(demo_path)
    assert stored[(first, "")].outcome == expected(stored[(first, "")], "left")
    assert stored[(second, "")].outcome == expected(stored[(second, "")], "right")


def _texts(root: QWidget) -> str:
    """Every text a widget under ``root`` shows: labels, buttons, texts, lists, tooltips."""
    parts = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        parts.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
            parts.append(widget.text())
        if isinstance(widget, QLineEdit):
            parts.append(widget.placeholderText())
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QListWidget):
            parts += [widget.item(n).text() for n in range(widget.count())]
        elif isinstance(widget, QTabBar):
            parts += [widget.tabText(n) for n in range(widget.count())]
    parts += [action.text() for action in root.findChildren(QAction)]
    return "\n".join(parts)
