"""A copyable, non-blocking report of what an operation did."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_label


class ReportDialog(QDialog):
    """What an operation did, as selectable text with a Copy button (never blocks)."""

    def __init__(
        self,
        title: str,
        text: str,
        parent: QWidget | None = None,
        extra_buttons: list[tuple[str, Callable[[], None]]] = (),
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        self.text.setMinimumSize(560, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        copy = QPushButton(tr("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        self.extra: dict[str, QPushButton] = {}
        for label, callback in extra_buttons:
            button = QPushButton(label)
            button.clicked.connect(callback)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            self.extra[label] = button
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(QLabel(title)))
        layout.addWidget(self.text)
        layout.addWidget(buttons)
