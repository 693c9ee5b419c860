"""The status bar's promise about saving, kept true when the file cannot be written.

Every change goes to the session, which hands it to its writer thread (the commit waits
for the disk, longer than a frame) or, when the file is locked by another program or the
disk is full, keeps it in an ordered queue. This class shows which it is: "Saving…"
while a commit is in flight, "Saved 14:02:31" once the writer says the file holds every
change, or in words why the waiting scores are not saved yet,
with those scores marked unsaved on the grid. It retries on a timer (the session also
retries with every new change), and closing the window with changes still waiting
retries once more and then asks before anything is given up.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QMessageBox

from annotator.core.domain.scoring import DISK_FULL, LOCKED, READ_ONLY
from annotator.core.i18n import tr

if TYPE_CHECKING:
    from annotator.core.domain.models import BlindItem
    from annotator.core.project import RaterSession
    from annotator.gui.views.rater_view import RaterWindow

RETRY_MS = 1500
# Closing waits this long for a lock before it asks: a sync tool usually lets go by then.
CLOSE_WAIT_MS = 3000


class SaveHost(Protocol):
    """What the save watch uses of the rater controller (a QObject, its parent)."""

    view: RaterWindow
    session: RaterSession
    item: BlindItem | None

    def retry_opening(self) -> None: ...


class SaveWatch(QObject):
    """Says whether the rater's work is in the file, and retries what is not."""

    # Emitted on the writer thread after each commit; queued to this (the UI) thread.
    committed = Signal()

    def __init__(self, controller: SaveHost):
        super().__init__(controller)
        self.controller = controller
        self.session = controller.session
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.session.keep_unsaved = True  # nothing the rater gives is dropped on an error
        self.timer.timeout.connect(self.retry)

    def use_writer(self) -> None:
        """Commit on the session's writer thread: a key press returns before the disk."""
        self.committed.connect(self._on_committed)
        self.session.start_writer(self.committed.emit)
        # "Saving…" and "Saved 14:02:31" alternate at every key: one width, no jitter
        label = self.controller.view.saved_label
        wide = label.fontMetrics().horizontalAdvance(tr("Saved {time}", time="00:00:00"))
        label.setMinimumWidth(max(label.minimumWidth(), wide + 8))

    def _on_committed(self) -> None:
        if self.session.settle():
            self.report()

    def marks(self, item_id: int) -> set[str]:
        """The item's dimensions to mark unsaved on the grid: only while the file refuses
        them (a commit in flight is not a warning)."""
        if self.session.failure is None:
            return set()
        return self.session.unsaved_dimensions(item_id)

    # -- after every write -----------------------------------------------------------------
    def report(self) -> None:
        """Show the outcome of the last write: saved, or unsaved and why."""
        view = self.controller.view
        item = self.controller.item
        view.grid.set_unsaved(self.marks(item.id) if item is not None else set())
        failure = self.session.failure
        if failure is None and not self.session.unsaved_count():
            self.timer.stop()
            self._show(tr("Saved {time}", time=datetime.now().strftime("%H:%M:%S")), False)
            return
        if failure is None and self.session.saving:
            self._show(tr("Saving…"), False)  # "Saved" only once the commit has returned
            return
        if not self.timer.isActive():
            self.timer.start()
        self._show(self.unsaved_text(), True)

    def retry(self) -> None:
        """Try the waiting changes again (the timer; also before opening another item)."""
        if self.session.unsaved_count() or self.session.failure is not None:
            self.session.save_pending()
            self.report()
        else:
            self.timer.stop()
        self.controller.retry_opening()

    def unsaved_text(self) -> str:
        """The status bar's words for why changes are waiting."""
        failure = self.session.failure
        count = self.session.unsaved_count()
        kind = failure.kind if failure is not None else LOCKED
        if kind == LOCKED:
            return tr(
                "Not saved: the file is locked by another program; retrying… "
                "({count} waiting, kept in order)",
                count=count,
            )
        if kind == DISK_FULL:
            return tr(
                "Not saved: the disk is full. Free some space; retrying… "
                "({count} waiting, kept in order)",
                count=count,
            )
        if kind == READ_ONLY:
            return tr(
                "Not saved: the file cannot be written (read-only); retrying… "
                "({count} waiting, kept in order)",
                count=count,
            )
        return tr(
            "Not saved ({detail}); retrying… ({count} waiting, kept in order)",
            detail=failure.detail if failure is not None else "",
            count=count,
        )

    def _show(self, text: str, unsaved: bool) -> None:
        label = self.controller.view.saved_label
        label.setText(text)
        if label.property("unsaved") is not unsaved:
            label.setProperty("unsaved", unsaved)
            label.setStyleSheet(_warning_style(label.palette()) if unsaved else "")

    # -- closing ---------------------------------------------------------------------------
    def may_close(self) -> bool:
        """Called when the window closes: True once nothing is waiting, or the rater chose
        to give the waiting changes up after a last try."""
        if not self.session.unsaved_count():
            return True
        self.session.save_pending(CLOSE_WAIT_MS)
        self.report()
        if not self.session.unsaved_count():
            return True
        answer = QMessageBox.warning(
            self.controller.view,
            tr("Scores not saved"),
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


def _warning_style(palette: QPalette) -> str:
    """Amber on a light window, a lighter amber on a dark one: unsaved is a warning."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    color = "#ffb454" if dark else "#a85200"
    return f"QLabel {{ color: {color}; font-weight: bold; }}"
