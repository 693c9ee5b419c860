"""Blindness, the item list, search, the help overlay, layout: the rest of the workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTextBrowser

from annotator.core.project import Project
from annotator.gui.models.item_list_model import PositionRole

from .test_rater_scoring import KEYS, order_of, press


def visible_state(window) -> tuple[list[str], list[bool]]:
    """Every text and every checked state a rater could see in the window."""
    texts, checked = [window.windowTitle()], []
    for w in window.findChildren(QLabel):
        texts.append(w.text())
    for w in window.findChildren(QLineEdit):
        texts.append(w.text())
    for w in window.findChildren(QPlainTextEdit) + window.findChildren(QTextBrowser):
        texts.append(w.toPlainText())
    for w in window.findChildren(QAbstractButton):
        texts.append(w.text())
        checked.append(w.isChecked())
    model = window.table.model()
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            texts.append(str(model.index(row, col).data() or ""))
            texts.append(str(model.index(row, col).data(Qt.ItemDataRole.ToolTipRole) or ""))
    return texts, checked


def test_another_raters_work_and_the_model_never_show(project_path, open_window, qtbot):
    with Project.open(project_path) as p:
        bob = p.session("bob")
        for item_id in order_of(project_path, "alice")[:3]:
            for dim in bob.rubric.keys:
                bob.set_score(item_id, dim, 5)
            bob.set_comment(item_id, "bob-secret-comment")
            bob.set_flag(item_id, "bob-secret-flag")
    window, ctl = open_window(project_path)
    for _ in range(3):  # walk bob's items in alice's window
        texts, checked = visible_state(window)
        joined = "\n".join(texts)
        assert "bob" not in joined and "lora" not in joined and "base" not in joined.lower()
        assert not any(checked)
        assert window.progress_label.text() == "0 / 12"
        press(qtbot, Qt.Key.Key_Right)


def test_item_list_filters_and_jumping_into_it(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    for score in (1, 2, 3, 4):
        press(qtbot, KEYS[score])  # item 0 done -> item 1
    ctl.set_flag("broken output")  # flag item 1
    model = window.table.model()
    assert model.rowCount() == 12 and model.index(0, 1).data() == "done"
    window.filter_box.setCurrentIndex(window.filter_box.findData("unscored"))
    assert [model.index(r, 0).data(PositionRole) for r in range(model.rowCount())] == list(
        range(1, 12)
    )
    window.filter_box.setCurrentIndex(window.filter_box.findData("flagged"))
    assert model.rowCount() == 1 and model.index(0, 2).data() == "⚑"
    window.filter_box.setCurrentIndex(window.filter_box.findData("all"))
    rect = window.table.visualRect(model.index(5, 3))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ctl.index == 5 and window.grid.hasFocus()
    assert window.table.currentIndex().row() == 5


def test_item_list_model_bare(project_path, qtmodeltester):
    from annotator.gui.models.item_list_model import ItemListModel

    with Project.open(project_path) as p:
        session = p.session("alice")
        model = ItemListModel(session)
        qtmodeltester.check(model)
        assert model.rowCount() == len(session) == 12
        assert model.index(3, 3).data() == session.item(3).instruction[:40]
        session.set_score(session.order[3], "fluency", 4)
        model.position_changed(3)
        assert model.index(3, 1).data() == "1/4"
        session.set_comment(session.order[7], "note")
        model.set_filter("commented")
        qtmodeltester.check(model)
        assert model.rowCount() == 1 and model.position(0) == 7 and model.row_of(3) == -1
        assert model.index(0, 2).data() == "✎"


def test_search_jumps_to_the_next_match(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    with Project.open(project_path, read_only=True) as p:  # the window holds alice's lock
        s = p.session("alice")
        expected = [n for n in range(len(s)) if "产品 4 " in s.item(n).instruction]
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    window.search.setText("产品 4 ")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    first = ctl.index
    assert first in expected and window.grid.hasFocus()
    ctl.find_next()
    assert {first, ctl.index} == set(expected)
    window.search.setText("no such text anywhere")
    ctl.find_next()
    assert "No instruction or output contains" in window.statusBar().currentMessage()


def test_shortcut_overlay_opens_and_closes_without_scoring(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    press(qtbot, Qt.Key.Key_Question)
    assert window.overlay.isVisible()
    press(qtbot, KEYS[3])  # swallowed by the overlay
    assert ctl.session.scores(ctl.item.id) == {}
    press(qtbot, Qt.Key.Key_Escape)
    assert not window.overlay.isVisible() and window.grid.hasFocus()
    press(qtbot, Qt.Key.Key_Question)
    press(qtbot, Qt.Key.Key_Question)
    assert not window.overlay.isVisible()


def test_font_zoom_and_wide_or_narrow_layout(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    start = window.texts.point_size
    press(qtbot, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.texts.point_size == start + 2
    assert window.texts.generated.text.font().pointSize() == start + 2
    press(qtbot, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.texts.point_size == start + 1
    window.resize(1500, 800)
    qtbot.waitUntil(lambda: window.texts.pair.orientation() == Qt.Orientation.Horizontal)
    window.resize(760, 900)
    qtbot.waitUntil(lambda: window.texts.pair.orientation() == Qt.Orientation.Vertical)


def test_anchor_follows_focus_and_chosen_level(project_path, open_window, qtbot):
    window, ctl = open_window(project_path)
    rubric = ctl.session.rubric
    assert rubric.get("relevance").description("en") in window.grid.anchor.text()
    press(qtbot, KEYS[4])
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.grid.anchor.text().endswith(rubric.get("relevance").anchor(4, "en"))


def test_title_names_version_project_and_rater(project_path, open_window):
    import annotator

    window, _ = open_window(project_path, "王小明")
    assert window.windowTitle() == f"annotator {annotator.__version__} - gui eval - rater: 王小明"
