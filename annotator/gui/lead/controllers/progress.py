"""A background op behind a progress dialog with Cancel: the controllers' writes run here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.i18n import tr
from annotator.gui.workers import Op, run_in_background


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
