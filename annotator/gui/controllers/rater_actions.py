"""The rater workspace's search, zoom, highlight, help and status-bar lines.

A mixin of ``RaterController`` (it uses the controller's view, session, settings,
clock and current item), kept apart so the controller stays about scoring and moving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.domain.errors import AnnotatorError
from annotator.core.i18n import tr
from annotator.gui.settings import FONT_POINT, HIGHLIGHT_SHARED

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from annotator.core.domain.models import BlindItem
    from annotator.core.project import RaterSession
    from annotator.gui.controllers.clock import ItemClock
    from annotator.gui.views.rater_view import RaterWindow

# What reading the file can fail with while another program holds it.
_FILE_ERRORS = (AnnotatorError, OSError)


class RaterViewActions:
    """Search, view preferences and the status bar of the rater workspace."""

    view: RaterWindow
    session: RaterSession
    item: BlindItem | None
    index: int
    clock: ItemClock
    _done: int
    settings: QSettings

    def show_item(self, index: int) -> None: ...

    # -- search, view ----------------------------------------------------------------------
    def start_search(self) -> None:
        self.view.item_dock.show()
        self.view.search.setFocus()
        self.view.search.selectAll()

    def find_next(self) -> None:
        text = self.view.search.text()
        try:
            found = self.session.search(text, self.index)
        except _FILE_ERRORS as exc:
            self.status(tr("Cannot search now: {error}", error=exc))
            return
        if found is None:
            self.status(tr('No instruction or output contains "{text}"', text=text))
            return
        self.show_item(found)
        self.view.grid.setFocus()

    def zoom(self, steps: int) -> None:
        self.settings.setValue(FONT_POINT, self.view.texts.zoom(steps))

    def _set_highlight(self, on: bool) -> None:
        self.settings.setValue(HIGHLIGHT_SHARED, on)
        self.view.texts.highlight_shared = on
        if self.item is not None:
            self.view.texts.set_texts(
                self.item.instruction, self.item.reference, self.item.generated
            )

    def toggle_help(self) -> None:
        if self.view.grid.isVisibleTo(self.view):  # else the side-by-side page's own help
            self.view.overlay.toggle()

    # -- status bar ------------------------------------------------------------------------
    def status(self, message: str) -> None:
        self.view.statusBar().showMessage(message, 5000)

    def _show_progress(self) -> None:
        self.view.progress_label.setText(f"{self._done} / {len(self.session)}")
        self.view.progress.setValue(self._done)

    def _show_time(self) -> None:
        total = self.clock.total()
        self.view.time_label.setText(tr("this item {m}:{s:02d}", m=total // 60, s=total % 60))
