"""The texts being judged: instruction on top, reference and generated side by side
when the window is wide and stacked when it is narrow, each scrolling on its own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr

WIDE = 900  # px: below this the reference and generated panes stack
MIN_POINT, MAX_POINT, DEFAULT_POINT = 9, 28, 13


def shared_spans(reference: str, generated: str, n: int = 2) -> list[tuple[int, int]]:
    """(start, end) spans of ``generated`` covered by character n-grams also in ``reference``.

    Character n-grams suit Chinese (no spaces) and still mark repeated English words.
    """
    grams = {reference[i : i + n] for i in range(len(reference) - n + 1)}
    spans: list[tuple[int, int]] = []
    for i in range(len(generated) - n + 1):
        piece = generated[i : i + n]
        if piece.strip() and piece in grams:
            if spans and spans[-1][1] >= i:
                spans[-1] = (spans[-1][0], i + n)
            else:
                spans.append((i, i + n))
    return spans


class _Pane(QFrame):
    """A caption above a read-only text that scrolls independently."""

    def __init__(self, caption: str, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.caption = QLabel(caption, self)
        font = self.caption.font()
        font.setBold(True)
        self.caption.setFont(font)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName(name)
        self.text.setReadOnly(True)
        # The grid keeps the keyboard: reading panes scroll with the wheel and select with
        # the mouse, but a click must not swallow the next digit.
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.caption)
        layout.addWidget(self.text, 1)


class TextPanes(QWidget):
    """Instruction, reference and generated text of one item."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.instruction = _Pane(tr("Instruction"), "instructionText", self)
        self.reference = _Pane(tr("Reference"), "referenceText", self)
        self.generated = _Pane(tr("Generated"), "generatedText", self)
        self.pair = QSplitter(Qt.Orientation.Horizontal, self)
        self.pair.setChildrenCollapsible(False)
        self.pair.addWidget(self.reference)
        self.pair.addWidget(self.generated)
        self.outer = QSplitter(Qt.Orientation.Vertical, self)
        self.outer.setChildrenCollapsible(False)
        self.outer.addWidget(self.instruction)
        self.outer.addWidget(self.pair)
        self.outer.setStretchFactor(0, 1)
        self.outer.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.outer)
        self.highlight_shared = True
        self._point = DEFAULT_POINT
        self.set_point_size(DEFAULT_POINT)

    # -- content ---------------------------------------------------------------------------
    def set_texts(self, instruction: str, reference: str, generated: str) -> None:
        self.instruction.text.setPlainText(instruction)
        self.reference.text.setPlainText(reference)
        self.generated.text.setPlainText(generated)
        self._mark_shared(reference, generated)

    def texts(self) -> tuple[str, str, str]:
        return (
            self.instruction.text.toPlainText(),
            self.reference.text.toPlainText(),
            self.generated.text.toPlainText(),
        )

    def _mark_shared(self, reference: str, generated: str) -> None:
        if not self.highlight_shared:
            self.generated.text.setExtraSelections([])
            return
        color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        color.setAlpha(55)  # a tint: the text keeps the palette's own contrast
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        selections = []
        doc = self.generated.text.document()
        for start, end in shared_spans(reference, generated):
            cursor = QTextCursor(doc)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cursor
            sel.format = fmt
            selections.append(sel)
        self.generated.text.setExtraSelections(selections)

    # -- reading comfort -------------------------------------------------------------------
    @property
    def point_size(self) -> int:
        return self._point

    def set_point_size(self, point: int) -> None:
        self._point = max(MIN_POINT, min(MAX_POINT, point))
        for pane in (self.instruction, self.reference, self.generated):
            font = QFont(pane.text.font())
            font.setPointSize(self._point)
            pane.text.setFont(font)

    def zoom(self, steps: int) -> int:
        """Grow (positive) or shrink the reading font; returns the new point size."""
        self.set_point_size(self._point + steps)
        return self._point

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        wide = event.size().width() >= WIDE
        want = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.pair.orientation() != want:
            self.pair.setOrientation(want)
        super().resizeEvent(event)
