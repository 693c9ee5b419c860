"""The side-by-side status line's promise about saving, as the scoring view keeps it.

Every judgment goes to the comparison session, which commits it at once or, when the
file is locked or the disk full, keeps it in an ordered queue (``keep_unsaved``). This
says which it was: "Saved 14:02:31" only once the write returned, otherwise why the
waiting changes are not in the file yet and how many there are; it retries on a timer.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QMessageBox

from annotator.core.i18n import tr
from annotator.gui.controllers.saving import SaveWatch


class JudgmentSaveWatch(SaveWatch):
    """``SaveWatch`` over a ``ComparisonSession`` and the side-by-side status line."""

    def report(self) -> None:
        """Show the outcome of the last write: saved, or unsaved and why."""
        if self.session.failure is None and not self.session.unsaved_count():
            self.timer.stop()
            self._show(tr("Saved {time}", time=datetime.now().strftime("%H:%M:%S")), False)
            return
        if not self.timer.isActive():
            self.timer.start()
        self._show(self.unsaved_text(), True)

    def retry(self) -> None:
        """Try the waiting changes again (the timer calls this)."""
        if self.session.unsaved_count() or self.session.failure is not None:
            self.session.save_pending()
            self.report()
        else:
            self.timer.stop()

    def may_close(self) -> bool:
        """True once nothing waits, or the rater chose to give the waiting changes up."""
        if not self.session.unsaved_count():
            return True
        self.session.save_pending()
        self.report()
        if not self.session.unsaved_count():
            return True
        answer = QMessageBox.warning(
            self.controller.view,
            tr("Judgments not saved"),
            tr(
                "{count} change(s) could not be written to {file} yet.\n\n{reason}\n\n"
                "Keep the window open and they are written as soon as the file can be "
                "written. Close anyway and they are lost.",
                count=self.session.unsaved_count(),
                file=self.session.db.path.name,
                reason=self.unsaved_text(),
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard
