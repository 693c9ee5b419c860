"""All shortcuts at a glance: an overlay over the window, not a dialog. Esc or ? closes it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from annotator.core.i18n import tr


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what they do), in the order a rater learns them."""

    return [
        (
            "1 - 5",
            tr("score the focused dimension, then go to the next"),
        ),
        (
            "Tab / Shift+Tab",
            tr("next / previous dimension"),
        ),
        (
            "Enter",
            tr("next item (when auto-advance is off)"),
        ),
        (
            "Right / Left, PgDn / PgUp",
            tr("next / previous item"),
        ),
        ("Ctrl+Z", tr("undo the last score")),
        ("F", tr("flag the item")),
        (
            "C",
            tr("write a comment (Esc returns to the scores)"),
        ),
        (
            "Ctrl+F",
            tr("search instructions and outputs"),
        ),
        ("Ctrl+= / Ctrl+-", tr("larger / smaller text")),
        ("Ctrl+L", tr("show or hide the item list")),
        ("Ctrl+R", tr("show or hide the rubric")),
        ("?", tr("show or hide this help")),
    ]


class ShortcutOverlay(QWidget):
    """Covers its parent with a translucent layer and a panel of shortcuts."""

    closed = Signal()

    def __init__(self, parent: QWidget, rows: list[tuple[str, str]] | None = None):
        super().__init__(parent)
        self.setObjectName("shortcutOverlay")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        panel = QFrame(self)
        panel.setObjectName("shortcutPanel")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setAutoFillBackground(True)
        grid = QGridLayout(panel)
        title = QLabel(tr("Keyboard shortcuts"), panel)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        grid.addWidget(title, 0, 0, 1, 2)
        self.panel, self._grid, self._count = panel, grid, 0
        self._hint = QLabel(tr("Esc or ? closes this help"), panel)
        self._hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        for keys, what in shortcut_rows() if rows is None else rows:
            self.add_row(keys, what)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def add_row(self, keys: str, what: str) -> None:
        """One more shortcut, under the others (the closing hint stays last)."""
        self._count += 1
        key_label = QLabel(keys, self.panel)
        key_label.setStyleSheet("font-weight: bold")
        self._grid.addWidget(key_label, self._count, 0)
        self._grid.addWidget(QLabel(what, self.panel), self._count, 1)
        self._grid.addWidget(self._hint, self._count + 1, 0, 1, 2)

    def open(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.setFocus()

    def close_overlay(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def toggle(self) -> None:
        if self.isVisible():
            self.close_overlay()
        else:
            self.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape or event.text() == "?":
            self.close_overlay()
            return
        event.accept()  # nothing scores while the help is up

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.close_overlay()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        shade = QColor(self.palette().color(QPalette.ColorRole.Shadow))
        shade.setAlpha(110)
        painter.fillRect(self.rect(), shade)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return super().eventFilter(watched, event)
