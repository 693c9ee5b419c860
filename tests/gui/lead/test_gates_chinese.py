"""The gate editor in Chinese: a threshold on the wrong scale is still a question.

The app once found the proposed value by reading the English words of the error; in
Chinese the words differ, so the question never came. The error now carries the value.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from annotator.core.project import Project
from annotator.gui.lead.views.gates_editor import RULE


def type_rule(qtbot, dialog, key: str, text: str) -> None:
    """Edit a rule's cell with the keyboard, as a lead would."""
    table = dialog.table
    table.setFocus()
    table.setCurrentCell(dialog.row_of(key), RULE)
    qtbot.keyClick(table, Qt.Key.Key_F2)  # the platform's "edit this cell" key
    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "the cell did not open for editing"
    editor = editors[0]
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits the edit on its next turn
    qtbot.waitUntil(lambda: table.item(dialog.row_of(key), RULE).text() == text)


def bleu_threshold(path) -> float:
    with Project.open(path) as check:
        return next(g for g in check.gates() if g.key == "bleu").threshold


def test_chinese_editor_offers_0_40_for_bleu_40_and_saves_it(
    chinese, demo_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    dialog = controller.gates.open()
    controller.answers.yes = True
    type_rule(qtbot, dialog, "bleu", "bleu >= 40")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert controller.answers.questions, "no question was asked"
    question = controller.answers.questions[-1]
    assert "改用“bleu >= 0.40”吗？" in question  # the offer, in Chinese
    assert "取值范围是 0-1" in question  # the reason, in Chinese too
    assert "did you mean" not in question
    wait_idle(controller)
    assert bleu_threshold(demo_path) == pytest.approx(0.40)


def test_chinese_editor_refused_offer_changes_nothing(
    chinese, demo_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    before = bleu_threshold(demo_path)
    dialog = controller.gates.open()
    controller.answers.yes = False
    type_rule(qtbot, dialog, "bleu", "bleu >= 85")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert "改用“bleu >= 0.85”吗？" in controller.answers.questions[-1]
    assert "did you mean" not in dialog.result.text()
    wait_idle(controller)
    assert bleu_threshold(demo_path) == before


def test_a_rule_that_merely_quotes_a_number_is_not_offered(demo_path, open_lead, qtbot):
    """Only the scale error proposes a value: other errors are told, never turned into a
    question by a number that happens to be in their words."""
    window, controller = open_lead(demo_path, poll_ms=10**8)
    dialog = controller.gates.open()
    type_rule(qtbot, dialog, "composite", "composite >= 40")  # human scores run 1 to 5
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert controller.answers.questions == []
    assert dialog.result.text().startswith("Not applied")
