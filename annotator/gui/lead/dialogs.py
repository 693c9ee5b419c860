"""Reusable dialogs: a copyable report, and a background op with a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.lead.common import tr
from annotator.gui.widgets.plain import plain_label
from annotator.gui.workers import Op, run_in_background


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


def run_with_progress(
    parent: QWidget,
    label: str,
    fn: Callable[[Callable[[int, int], None]], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException, str], None],
) -> Op:
    """Run ``fn(progress)`` in the background behind a progress dialog with Cancel.

    The dialog is window-modal but shown with ``show()``: the event loop keeps
    running, so the window repaints and the op's callbacks arrive.
    """
    dialog = QProgressDialog(label, tr("Cancel"), 0, 100, parent)
    dialog.setWindowTitle(tr("Working"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # short ops finish before anything flashes
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def finish(callback, *args) -> None:
        dialog.canceled.disconnect()
        dialog.close()
        dialog.deleteLater()
        callback(*args)

    op = run_in_background(
        fn,
        on_success=lambda result: finish(on_success, result),
        on_failure=lambda exc, trace: finish(on_failure, exc, trace),
        on_progress=progressed,
        parent=parent,
    )
    dialog.canceled.connect(op.cancel)
    op.dialog = dialog  # for tests and for the caller to relabel
    return op
