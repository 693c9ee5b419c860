"""The texts of one comparison: the instruction on top, the reference hidden until asked
for, and the two answers side by side, labelled A and B, equal width, the same font.

Neither answer is marked: no highlighting, no colour, nothing that could hint at which
model wrote it. The answers stay side by side at every width, because the keys judge
by the side an answer is on.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_label

MIN_POINT, MAX_POINT, DEFAULT_POINT = 9, 28, 13


class TextBox(QFrame):
    """A bold caption (and an optional note at its right) above a read-only text."""

    def __init__(self, caption: str, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        top = QHBoxLayout()
        self.caption = QLabel(caption, self)
        font = self.caption.font()
        font.setBold(True)
        self.caption.setFont(font)
        self.note = plain_label(QLabel(self))
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        top.addWidget(self.caption)
        top.addStretch(1)
        top.addWidget(self.note)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName(name)
        self.text.setReadOnly(True)
        # The judge panel keeps the keyboard: texts scroll with the wheel and select with
        # the mouse, but a click must not swallow the next key.
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)


class AnswerPanes(QWidget):
    """Instruction, (hidden) reference, and the answers on the left (A) and right (B)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.instruction = TextBox(tr("Instruction"), "instructionText", self)
        self.reference = TextBox(tr("Reference"), "referenceText", self)
        self.reference.hide()
        self.left = TextBox(tr("A"), "leftAnswer", self)
        self.right = TextBox(tr("B"), "rightAnswer", self)
        answers = QWidget(self)
        # A stays left and B right in every language (the keys judge by the side).
        answers.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        row = QHBoxLayout(answers)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        # Equal stretch and no splitter: neither answer can be given more room.
        row.addWidget(self.left, 1)
        row.addWidget(self.right, 1)
        self.outer = QSplitter(Qt.Orientation.Vertical, self)
        self.outer.setChildrenCollapsible(False)
        for widget in (self.instruction, self.reference, answers):
            self.outer.addWidget(widget)
        self.outer.setStretchFactor(0, 1)
        self.outer.setStretchFactor(1, 1)
        self.outer.setStretchFactor(2, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.outer)
        self._point = DEFAULT_POINT
        self.set_point_size(DEFAULT_POINT)
        self.show_reference(False)

    # -- content ---------------------------------------------------------------------------
    def set_texts(self, instruction: str, reference: str, left: str, right: str) -> None:
        self.instruction.text.setPlainText(instruction)
        self.reference.text.setPlainText(reference or tr("This sample has no reference."))
        self.left.text.setPlainText(left)
        self.right.text.setPlainText(right)

    def texts(self) -> tuple[str, str, str, str]:
        return (
            self.instruction.text.toPlainText(),
            self.reference.text.toPlainText(),
            self.left.text.toPlainText(),
            self.right.text.toPlainText(),
        )

    @property
    def reference_shown(self) -> bool:
        return not self.reference.isHidden()

    def show_reference(self, shown: bool) -> None:
        self.reference.setVisible(shown)
        self.instruction.note.setText(
            tr("R hides the reference") if shown else tr("R shows the reference")
        )

    # -- reading comfort -------------------------------------------------------------------
    @property
    def point_size(self) -> int:
        return self._point

    def set_point_size(self, point: int) -> None:
        """One font for every text, so neither answer reads differently from the other."""
        self._point = max(MIN_POINT, min(MAX_POINT, point))
        for box in (self.instruction, self.reference, self.left, self.right):
            font = QFont(box.text.font())
            font.setPointSize(self._point)
            box.text.setFont(font)
