"""The side-by-side judgment controls: one row of fixed level buttons per dimension.

Each button carries its key and its anchor words ("1  A better"), always visible; the
buttons never move and never take focus. The panel holds the keyboard focus and turns
keys into commands (``command`` signal) that the controller decides about: ``1``-``3``
(or ``1``-``5``) are the levels from left to right on screen, ``X`` both unacceptable,
the arrows left / same / right, whatever the language.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.side_by_side import BOTH_BAD, LEFT, RIGHT, SAME, Choice
from annotator.gui.widgets.plain import plain_label

Ctrl = Qt.KeyboardModifier.ControlModifier
_PLAIN = {
    Qt.Key.Key_PageDown: "next",
    Qt.Key.Key_PageUp: "previous",
    Qt.Key.Key_Return: "confirm",
    Qt.Key.Key_Enter: "confirm",
    Qt.Key.Key_Tab: "next_row",
    Qt.Key.Key_Backtab: "previous_row",
    Qt.Key.Key_F: "flag",
    Qt.Key.Key_C: "comment",
    Qt.Key.Key_R: "reference",
    Qt.Key.Key_Question: "help",
}
_WITH_CTRL = {
    Qt.Key.Key_Right: "next",
    Qt.Key.Key_Left: "previous",
    Qt.Key.Key_Z: "undo",
}


def level_keys(choices: list[Choice]) -> list[str]:
    """The key of each level as shown on its button: 1, 2, ... from the left, X both bad."""
    keys, n = [], 0
    for choice in choices:
        if choice.side == BOTH_BAD:
            keys.append("X")
        else:
            n += 1
            keys.append(str(n))
    return keys


class JudgePanel(QWidget):
    """Judgments of one comparison on every dimension; emits ``command(name, value)``.

    Commands: ("level", index into the levels), ("focus", row) when a row is clicked, and
    ("next"|"previous"|"confirm"|"next_row"|"previous_row"|"flag"|"comment"|"reference"|
    "undo"|"help", 0).
    """

    command = Signal(str, int)

    def __init__(
        self,
        levels: list[tuple[Choice, str]],
        rows: list[str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("judgePanel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # 1 / 2 / 3 sit left to right in every language, as the answers they judge do.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.choices = [choice for choice, _ in levels]
        self.words = [words for _, words in levels]
        self.keys = level_keys(self.choices)
        self._chosen: dict[int, int] = {}  # row -> level index
        self._focus_row = 0
        self.frames: list[QFrame] = []
        self.names: list[QLabel] = []
        self.buttons: list[list[QPushButton]] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        width = self._button_width()
        name_width = max(self.fontMetrics().horizontalAdvance(name) for name in rows) + 16
        for r, name in enumerate(rows):
            outer.addWidget(self._row(r, name, width, max(name_width, 90)))
        self.anchor = plain_label(QLabel(self))
        self.anchor.setObjectName("judgeAnchor")
        self.anchor.setWordWrap(True)
        self.anchor.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.anchor.setFixedHeight(self.anchor.fontMetrics().lineSpacing() * 2 + 8)
        outer.addWidget(self.anchor)
        self.prompts = [""] * len(rows)
        self._restyle()

    def _button_width(self) -> int:
        """One width for the steps of the scale, so they read as a scale."""
        metrics = self.fontMetrics()
        steps = [n for n, c in enumerate(self.choices) if c.side != BOTH_BAD]
        return max(metrics.horizontalAdvance(self._caption(n)) for n in steps) + 22

    def _caption(self, level: int) -> str:
        return f"{self.keys[level]}  {self.words[level]}"

    def _row(self, r: int, name: str, width: int, name_width: int) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("judgeRow")
        row = QHBoxLayout(frame)
        row.setContentsMargins(8, 3, 8, 3)
        label = plain_label(QLabel(name, frame))  # the rubric's words, not markup
        label.setFixedWidth(name_width)
        row.addWidget(label)
        buttons = []
        for n, choice in enumerate(self.choices):
            if choice.side == BOTH_BAD:
                row.addSpacing(24)  # set apart: not a step on the scale
            button = QPushButton(self._caption(n), frame)
            button.setObjectName(f"level_{r}_{n}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            own = self.fontMetrics().horizontalAdvance(self._caption(n)) + 22
            button.setFixedSize(own if choice.side == BOTH_BAD else width, 34)
            button.clicked.connect(lambda _=False, r=r, n=n: self._clicked(r, n))
            row.addWidget(button)
            buttons.append(button)
        row.addStretch(1)
        self.frames.append(frame)
        self.names.append(label)
        self.buttons.append(buttons)
        return frame

    # -- state -----------------------------------------------------------------------------
    @property
    def focus_row(self) -> int:
        return self._focus_row

    @property
    def rows(self) -> int:
        return len(self.frames)

    def set_chosen(self, chosen: dict[int, int]) -> None:
        """Show a comparison's judgments: row -> level index; missing rows are unjudged."""
        self._chosen = dict(chosen)
        for r, buttons in enumerate(self.buttons):
            for n, button in enumerate(buttons):
                button.setChecked(self._chosen.get(r) == n)
        self._update_anchor()

    def set_focus_row(self, row: int) -> None:
        self._focus_row = max(0, min(row, self.rows - 1))
        for r, frame in enumerate(self.frames):
            focused = r == self._focus_row and self.rows > 1
            if frame.property("focused") is not focused:
                frame.setProperty("focused", focused)
                frame.style().unpolish(frame)
                frame.style().polish(frame)
        self._update_anchor()

    def level_of(self, side: str, strength: int | None = None) -> int:
        """The index of a level by its side (and strength on the five-level scale)."""
        for n, choice in enumerate(self.choices):
            if choice.side == side and choice.strength in (strength, None):
                return n
        raise ValueError(side)

    # -- keyboard --------------------------------------------------------------------------
    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt override
        return False  # Tab moves between dimensions, not out of the panel

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = not mods & ~Qt.KeyboardModifier.ShiftModifier
        command = self._command(Qt.Key(event.key()), event.text(), plain, mods == Ctrl)
        if command is None:
            super().keyPressEvent(event)
        else:
            self.command.emit(*command)

    def _command(self, key: Qt.Key, text: str, plain: bool, ctrl: bool) -> tuple | None:
        if ctrl:
            name = _WITH_CTRL.get(key)
            return None if name is None else (name, 0)
        if not plain:
            return None
        if text and text.upper() in self.keys:
            return ("level", self.keys.index(text.upper()))
        if text == "?":
            return ("help", 0)
        arrows = {Qt.Key.Key_Left: LEFT, Qt.Key.Key_Right: RIGHT}
        if self.rows == 1:
            arrows[Qt.Key.Key_Down] = SAME
        else:
            if key == Qt.Key.Key_Down:
                return ("next_row", 0)
            if key == Qt.Key.Key_Up:
                return ("previous_row", 0)
        if key in arrows:
            side = arrows[key]
            return ("level", self.level_of(side, None if side == SAME else 1))
        name = _PLAIN.get(key)
        return None if name is None else (name, 0)

    # -- mouse -----------------------------------------------------------------------------
    def _clicked(self, row: int, level: int) -> None:
        self.set_focus_row(row)
        self.command.emit("focus", row)
        self.command.emit("level", level)
        self.setFocus()

    # -- drawing ---------------------------------------------------------------------------
    def anchor_text(self) -> str:
        """The focused row's judgment in words, or the question it asks."""
        r = self._focus_row
        name = self.names[r].text()
        level = self._chosen.get(r)
        if level is None:
            return f"{name}: {self.prompts[r]}" if self.prompts[r] else name
        return f"{name}: {self.keys[level]} = {self.words[level]}"

    def _update_anchor(self) -> None:
        self.anchor.setText(self.anchor_text())

    def set_prompts(self, prompts: list[str]) -> None:
        """What each row asks, shown under the buttons while the focused row is unjudged."""
        self.prompts = list(prompts)
        self._update_anchor()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.type() == event.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        pal = self.palette()
        hi = pal.color(QPalette.ColorRole.Highlight).name()
        hi_text = pal.color(QPalette.ColorRole.HighlightedText).name()
        for frame in self.frames:
            frame.setProperty("focused", None)  # re-polished under the new sheet
        self.setStyleSheet(
            f"QFrame#judgeRow {{ border: 2px solid transparent; border-radius: 6px; }}"
            f'QFrame#judgeRow[focused="true"] {{ border: 2px solid {hi}; }}'
            f"QPushButton {{ text-align: left; padding-left: 8px; }}"
            f"QPushButton:checked {{ background-color: {hi}; color: {hi_text};"
            f" border: 1px solid {hi}; border-radius: 4px; font-weight: bold; }}"
        )
        self.set_focus_row(self._focus_row)
