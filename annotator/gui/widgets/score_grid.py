"""The score grid: one row per rubric dimension, five fixed buttons, the anchor below.

The buttons never move and never take focus: the grid itself holds the keyboard
focus and turns keys into commands (``command`` signal) that the controller
decides about. The chosen score is filled and the focused dimension has a ring,
both drawn from the palette's highlight so light and dark themes both work.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.models import SCORES, Rubric
from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_tip

_AMBER = "#e08a00"  # unsaved: a warning, readable on light and dark palettes

_KEYS = {
    Qt.Key.Key_Tab: "next_dimension",
    Qt.Key.Key_Backtab: "previous_dimension",
    Qt.Key.Key_Down: "next_dimension",
    Qt.Key.Key_Up: "previous_dimension",
    Qt.Key.Key_Right: "next_item",
    Qt.Key.Key_PageDown: "next_item",
    Qt.Key.Key_Left: "previous_item",
    Qt.Key.Key_PageUp: "previous_item",
    Qt.Key.Key_Return: "confirm",
    Qt.Key.Key_Enter: "confirm",
    Qt.Key.Key_F: "flag",
    Qt.Key.Key_C: "comment",
    Qt.Key.Key_Question: "help",
}


class ScoreGrid(QWidget):
    """Scores of one item on every dimension; emits ``command(name, value)``.

    Commands: ("score", 1-5), ("next_dimension"|"previous_dimension"|"next_item"|
    "previous_item"|"confirm"|"flag"|"comment"|"help", 0), and ("focus", row) when a
    row is clicked.
    """

    command = Signal(str, int)

    def __init__(self, rubric: Rubric, lang: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scoreGrid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._rubric = rubric
        self._lang = lang
        self._scores: dict[str, int] = {}
        self._focus_row = 0
        self._hover: tuple[int, int] | None = None
        self.rows: list[QFrame] = []
        self.labels: list[QLabel] = []
        self.buttons: list[list[QPushButton]] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        for r, dim in enumerate(rubric.dimensions):
            frame = QFrame(grid_host)
            frame.setObjectName("scoreRow")
            row = QHBoxLayout(frame)
            row.setContentsMargins(8, 3, 8, 3)
            label = QLabel(dim.name(lang), frame)
            label.setTextFormat(Qt.TextFormat.PlainText)  # the rubric's words, not markup
            label.setToolTip(plain_tip(dim.description(lang)))
            row.addWidget(label)
            buttons = []
            for score in SCORES:
                button = QPushButton(str(score), frame)
                button.setCheckable(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setFixedSize(44, 32)
                button.setToolTip(plain_tip(dim.anchor(score, lang)))
                button.clicked.connect(lambda _=False, r=r, s=score: self._clicked(r, s))
                button.installEventFilter(self)
                button.setProperty("cell", (r, score))
                row.addWidget(button)
                buttons.append(button)
            row.addStretch(1)
            grid.addWidget(frame, r, 0)
            self.rows.append(frame)
            self.labels.append(label)
            self.buttons.append(buttons)
        # One label width for every row, so the five buttons line up in columns; wide
        # enough for "(not saved)" too, so marking a score unsaved moves nothing.
        width = (
            max(
                label.fontMetrics().horizontalAdvance(self._unsaved_name(dim))
                for label, dim in zip(self.labels, rubric.dimensions, strict=True)
            )
            + 24
        )
        for label in self.labels:
            label.setFixedWidth(max(width, 140))
        outer.addWidget(grid_host)
        self.anchor = QLabel(self)
        self.anchor.setObjectName("anchor")
        self.anchor.setWordWrap(True)
        self.anchor.setTextFormat(Qt.TextFormat.PlainText)
        self.anchor.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # Two lines reserved so a long anchor never pushes the controls below it around.
        self.anchor.setFixedHeight(self.anchor.fontMetrics().lineSpacing() * 2 + 8)
        outer.addWidget(self.anchor)
        self._restyle()
        self._update_anchor()

    # -- state -----------------------------------------------------------------------------
    @property
    def focus_row(self) -> int:
        return self._focus_row

    @property
    def focus_key(self) -> str:
        return self._rubric.dimensions[self._focus_row].key

    def set_scores(self, scores: dict[str, int]) -> None:
        """Show an item's scores (dimension key -> 1..5); missing keys are unscored."""
        self._scores = dict(scores)
        for r, dim in enumerate(self._rubric.dimensions):
            chosen = self._scores.get(dim.key)
            for score, button in zip(SCORES, self.buttons[r], strict=True):
                button.setChecked(score == chosen)
        self._update_anchor()

    def set_unsaved(self, keys: set[str]) -> None:
        """Mark the chosen score of these dimensions as not in the file yet (dashed, amber,
        with a tooltip saying so); every other score is shown as saved."""
        for r, dim in enumerate(self._rubric.dimensions):
            waiting = dim.key in keys
            chosen = self._scores.get(dim.key)
            for score, button in zip(SCORES, self.buttons[r], strict=True):
                unsaved = waiting and score == chosen
                if bool(button.property("unsaved")) is not unsaved:
                    button.setProperty("unsaved", unsaved)
                    button.setToolTip(
                        tr("Not saved yet: retrying")
                        if unsaved
                        else plain_tip(dim.anchor(score, self._lang))
                    )
                    button.style().unpolish(button)
                    button.style().polish(button)
            label = self.labels[r]
            if bool(label.property("unsaved")) is not waiting:
                label.setProperty("unsaved", waiting)
                label.setText(self._unsaved_name(dim) if waiting else dim.name(self._lang))
                label.style().unpolish(label)
                label.style().polish(label)

    def _unsaved_name(self, dim) -> str:
        return tr("{name} (not saved)", name=dim.name(self._lang))

    def unsaved_keys(self) -> set[str]:
        """The dimensions shown as not saved."""
        return {
            dim.key
            for r, dim in enumerate(self._rubric.dimensions)
            if self.labels[r].property("unsaved")
        }

    def set_focus_row(self, row: int) -> None:
        self._focus_row = max(0, min(row, len(self.rows) - 1))
        for r, frame in enumerate(self.rows):
            focused = r == self._focus_row
            if frame.property("focused") is not focused:
                # Re-polishing a style-sheet widget is costly: only the rows that change.
                frame.setProperty("focused", focused)
                frame.style().unpolish(frame)
                frame.style().polish(frame)
                frame.update()
        self._update_anchor()

    # -- keyboard --------------------------------------------------------------------------
    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt override
        return False  # Tab moves between dimensions, not out of the grid

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        text = event.text()
        if text in ("1", "2", "3", "4", "5") and not mods & ~Qt.KeyboardModifier.ShiftModifier:
            self.command.emit("score", int(text))
            return
        if text == "?":
            self.command.emit("help", 0)
            return
        name = _KEYS.get(Qt.Key(event.key()))
        allowed = Qt.KeyboardModifier.NoModifier | Qt.KeyboardModifier.ShiftModifier
        if name and (mods | allowed) == allowed:
            self.command.emit(name, 0)
            return
        super().keyPressEvent(event)

    # -- mouse -----------------------------------------------------------------------------
    def _clicked(self, row: int, score: int) -> None:
        self.set_focus_row(row)
        self.command.emit("focus", row)
        self.command.emit("score", score)
        self.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        cell = watched.property("cell") if isinstance(watched, QPushButton) else None
        if cell is not None:
            if event.type() == QEvent.Type.Enter:
                self._hover = tuple(cell)
                self._update_anchor()
            elif event.type() == QEvent.Type.Leave:
                self._hover = None
                self._update_anchor()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    # -- drawing ---------------------------------------------------------------------------
    def anchor_text(self) -> str:
        """What the anchor line says now: hovered level, else chosen, else the question."""
        if self._hover is not None:
            row, score = self._hover
        else:
            row = self._focus_row
            score = self._scores.get(self._rubric.dimensions[row].key)
        dim = self._rubric.dimensions[row]
        if score is None:
            return f"{dim.name(self._lang)}: {dim.description(self._lang)}"
        return f"{dim.name(self._lang)} {score} = {dim.anchor(score, self._lang)}"

    def _update_anchor(self) -> None:
        self.anchor.setText(self.anchor_text())

    def _restyle(self) -> None:
        pal = self.palette()
        hi = pal.color(QPalette.ColorRole.Highlight).name()
        hi_text = pal.color(QPalette.ColorRole.HighlightedText).name()
        for frame in self.rows:
            frame.setProperty("focused", None)  # force a re-polish under the new sheet
        self.setStyleSheet(
            f"QFrame#scoreRow {{ border: 2px solid transparent; border-radius: 6px; }}"
            f'QFrame#scoreRow[focused="true"] {{ border: 2px solid {hi}; }}'
            f"QPushButton:checked {{ background-color: {hi}; color: {hi_text};"
            f" border: 1px solid {hi}; border-radius: 4px; font-weight: bold; }}"
            # A score not in the file yet: the same fill, a dashed amber frame, italic.
            f'QPushButton[unsaved="true"] {{ border: 3px dashed {_AMBER};'
            f" font-style: italic; }}"
            f'QLabel[unsaved="true"] {{ color: {_AMBER}; font-weight: bold; }}'
        )
        self.set_focus_row(self._focus_row)
