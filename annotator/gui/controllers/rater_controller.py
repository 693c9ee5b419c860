"""Decides what the rater workspace does: holds the session, the current item, the clock.

The view lays out; this class reacts to the grid's commands, the menu actions and
the window's events. Every score goes straight to the session, which commits it;
comments and time are flushed when the rater leaves an item and when the window
closes, so closing at any moment loses nothing.

When the file cannot be written (locked by another program, disk full) the session
keeps the change in order and ``SaveWatch`` shows it unsaved and retries; scoring goes
on as if it were saved. When an item cannot even be read (a package locked by another
program), the keys typed meanwhile are kept and replayed once it opens, so none lands
on the item still on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLineEdit

from annotator import __version__
from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.models import BlindItem
from annotator.core.i18n import tr
from annotator.core.project import RaterSession
from annotator.gui.controllers.clock import ItemClock
from annotator.gui.controllers.flagging import FlagControl
from annotator.gui.controllers.rater_actions import RaterViewActions
from annotator.gui.controllers.saving import SaveWatch
from annotator.gui.controllers.side_by_side_mode import attach_side_by_side
from annotator.gui.models.item_list_model import ItemListModel
from annotator.gui.settings import (
    AUTO_ADVANCE,
    FONT_POINT,
    HIGHLIGHT_SHARED,
    app_settings,
    read_bool,
)
from annotator.gui.views.rater_view import RaterWindow

# What reading or writing the file can fail with while another program holds it.
_FILE_ERRORS = (AnnotatorError, OSError)


class RaterController(RaterViewActions, QObject):
    """The rater workspace's behaviour over one ``RaterSession``."""

    def __init__(
        self, session: RaterSession, view: RaterWindow, *, project_name: str = "", settings=None
    ):
        super().__init__(view)
        self.session = session
        self.view = view
        self.settings = settings if settings is not None else app_settings()
        self.model = ItemListModel(session, self)
        self.index = -1
        self.item: BlindItem | None = None
        self._comment_saved = ""
        self.clock = ItemClock()
        self._done = session.done_count()  # kept up to date here: O(1) per keystroke
        self.flags = FlagControl(self)
        self.saving = SaveWatch(self)
        self.saving.use_writer()  # commits off the UI thread, in order
        self._opening: int | None = None  # an item that could not be read yet
        self._held: list[tuple[str, int]] = []  # keys typed while it could not be read

        view.setWindowTitle(
            tr(
                "annotator {version} - {project} - rater: {rater}",
                version=__version__,
                project=project_name,
                rater=session.rater,
            )
        )
        view.heading.setText(project_name)
        view.table.setModel(self.model)
        metrics = view.table.fontMetrics()
        view.table.setColumnWidth(0, metrics.horizontalAdvance(str(len(session))) + 16)
        view.table.setColumnWidth(1, metrics.horizontalAdvance(tr("unscored")) + 16)
        view.table.setColumnWidth(2, metrics.horizontalAdvance("⚑✎") + 14)
        view.progress.setRange(0, max(1, len(session)))

        view.grid.command.connect(self._on_command)
        view.undo_action.triggered.connect(lambda: self._on_command("undo", 0))
        view.next_unscored_action.triggered.connect(self.next_unscored)
        view.find_action.triggered.connect(self.start_search)
        view.quit_action.triggered.connect(view.close)  # saves as closing does
        view.zoom_in_action.triggered.connect(lambda: self.zoom(1))
        view.zoom_out_action.triggered.connect(lambda: self.zoom(-1))
        view.help_action.triggered.connect(self.toggle_help)
        view.overlay.closed.connect(view.grid.setFocus)
        view.auto_advance_action.setChecked(read_bool(self.settings, AUTO_ADVANCE, True))
        view.auto_advance_action.toggled.connect(
            lambda on: self.settings.setValue(AUTO_ADVANCE, on)
        )
        view.highlight_action.setChecked(read_bool(self.settings, HIGHLIGHT_SHARED, True))
        view.highlight_action.toggled.connect(self._set_highlight)
        view.texts.highlight_shared = view.highlight_action.isChecked()
        view.texts.set_point_size(int(self.settings.value(FONT_POINT, view.texts.point_size)))
        view.filter_box.currentIndexChanged.connect(self._on_filter)
        view.table.activated.connect(self._on_row_chosen)
        view.table.clicked.connect(self._on_row_chosen)
        view.search.returnPressed.connect(self.find_next)
        view.comment.editingFinished.connect(self.save_comment)
        for edit in (view.comment, view.search):
            edit.installEventFilter(self)
        view.installEventFilter(self)

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._show_time)
        self._clock.start()
        view.saved_label.setText(tr("Every score is saved the moment you give it"))
        self._show_progress()
        first = session.next_unscored(0)
        self.show_item(0 if first is None else first)
        view.grid.setFocus()
        self.modes = attach_side_by_side(self)  # None: no comparisons for this rater

    # -- auto-advance ----------------------------------------------------------------------
    @property
    def auto_advance(self) -> bool:
        return self.view.auto_advance_action.isChecked()

    # -- moving between items --------------------------------------------------------------
    def show_item(self, index: int) -> None:
        """Leave the current item (saving its comment and time) and show ``index``."""
        if not 0 <= index < len(self.session):
            return
        self.leave_item()
        try:
            item = self.session.item(index)
            scores = self.session.scores(item.id)
            comment, flag, seconds = self.session.annotation(item.id)
        except _FILE_ERRORS as exc:
            self._cannot_open(index, exc)
            return
        self._opening = None
        old = self.index
        self.index = index
        self.item = item
        view = self.view
        view.texts.set_texts(item.instruction, item.reference, item.generated)
        view.grid.set_scores(scores)
        view.grid.set_unsaved(self.saving.marks(item.id))
        keys = self.session.rubric.keys
        view.grid.set_focus_row(next((n for n, k in enumerate(keys) if k not in scores), 0))
        self._comment_saved = comment
        view.comment.setText(comment)
        self.flags.show_flag(flag)
        self.clock.start_item(seconds, active=view.isActiveWindow())
        view.position_label.setText(
            tr("Item {n} of {total} · {uid}", n=index + 1, total=len(self.session), uid=item.uid)
        )
        if old >= 0 and self.model.filter != "all":
            self.model.refilter()  # the item just left may no longer match the filter
        self._select_row(index)
        self._show_time()
        self._replay_held()

    def _cannot_open(self, index: int, exc: BaseException) -> None:
        """The item could not be read: keep the one on screen, retry, hold the keys."""
        self._opening = index
        self.saving.timer.start()
        self.view.saved_label.setText(
            tr(
                "Cannot open item {n} yet: the file is locked by another program ({error}); "
                "retrying… Keys you type are kept until it opens.",
                n=index + 1,
                error=exc,
            )
        )

    def retry_opening(self) -> None:
        """Open the item that could not be read before (the retry timer calls this)."""
        if self._opening is not None:
            self.show_item(self._opening)
            if self._opening is None:
                self.saving.report()

    def _replay_held(self) -> None:
        held, self._held = self._held, []
        while held and self._opening is None:
            name, value = held.pop(0)
            self._on_command(name, value)
        self._held = held + self._held  # an item that failed to open again holds the rest

    def leave_item(self) -> None:
        """Flush the current item's comment and time to the project file."""
        if self.item is None:
            return
        self.save_comment()
        seconds = self.clock.take()
        if seconds > 0:
            self.session.add_time(self.item.id, seconds)

    def go(self, step: int) -> None:
        self.show_item(max(0, min(len(self.session) - 1, self.index + step)))
        self.view.grid.setFocus()

    def next_unscored(self) -> None:
        """Open the next item not fully scored (after this one, wrapping)."""
        target = self.session.next_unscored((self.index + 1) % max(1, len(self.session)))
        if target is None:
            self.status(tr("Every item is scored. Thank you!"))
        elif target != self.index:
            self.show_item(target)
        self.view.grid.setFocus()

    def _select_row(self, index: int) -> None:
        table = self.view.table
        row = self.model.row_of(index)
        if row < 0:
            table.clearSelection()
            return
        model_index = self.model.index(row, 0)
        table.selectionModel().setCurrentIndex(
            model_index,
            table.selectionModel().SelectionFlag.ClearAndSelect
            | table.selectionModel().SelectionFlag.Rows,
        )
        table.scrollTo(model_index)

    def _on_row_chosen(self, model_index) -> None:
        self.show_item(self.model.position(model_index.row()))
        self.view.grid.setFocus()

    def _on_filter(self) -> None:
        self.model.set_filter(self.view.filter_box.currentData())
        self._select_row(self.index)

    # -- scoring ---------------------------------------------------------------------------
    def _on_command(self, name: str, value: int) -> None:
        if self._opening is not None:  # the next item is not on screen yet
            self._held.append((name, value))
            return
        grid = self.view.grid
        if name == "undo":
            self.undo()
        elif name == "score":
            self.score(value)
        elif name == "focus":
            grid.set_focus_row(value)
        elif name == "next_dimension":
            grid.set_focus_row((grid.focus_row + 1) % len(grid.rows))
        elif name == "previous_dimension":
            grid.set_focus_row((grid.focus_row - 1) % len(grid.rows))
        elif name == "next_item":
            self.go(1)
        elif name == "previous_item":
            self.go(-1)
        elif name == "confirm":
            self.next_unscored()
        elif name == "flag":
            self.flags.open_menu()
        elif name == "comment":
            self.view.comment.setFocus()
        elif name == "help":
            self.toggle_help()

    def score(self, value: int) -> None:
        """Score the focused dimension; then the next dimension, or the next item."""
        if self.item is None:
            return
        grid = self.view.grid
        was_done = self.session.state(self.index).done
        row = grid.focus_row
        self.session.set_score(self.item.id, grid.focus_key, value)
        scores = self.session.scores(self.item.id)  # includes a score still waiting
        grid.set_scores(scores)
        self._after_write(was_done)
        keys = self.session.rubric.keys
        missing = [n for n, k in enumerate(keys) if k not in scores]
        if not missing and not was_done and self.auto_advance:
            self.next_unscored()  # this score finished the item, whichever row was last
        elif row < len(keys) - 1:
            grid.set_focus_row(row + 1)
        elif missing:
            grid.set_focus_row(missing[0])
        elif self.auto_advance:
            self.next_unscored()

    def undo(self) -> None:
        """Take back the last score and show it where it was given."""
        done = self.session.undo()
        if done is None:
            self.status(tr("Nothing to undo"))
            return
        item_id, dimension, restored = done
        index = self.session.index_of(item_id)
        if index != self.index:
            self.show_item(index)
            if self._opening is not None:  # its item opens later, with the score taken back
                self._done = self.session.done_count()
                self._show_progress()
                return
        state = self.session.state(index)
        # A cleared score lowered the item's count by one; a restored one left it as it was.
        was_done = state.done if restored is not None else state.scored + 1 >= state.total
        self.view.grid.set_scores(self.session.scores(item_id))
        self.view.grid.set_focus_row(self.session.rubric.keys.index(dimension))
        self._after_write(was_done)
        self.view.grid.setFocus()

    def _after_write(self, was_done: bool) -> None:
        now_done = self.session.state(self.index).done
        self._done += int(now_done) - int(was_done)
        self.model.position_changed(self.index)
        self._show_progress()
        self.saving.report()

    # -- notes -----------------------------------------------------------------------------
    def save_comment(self) -> None:
        if self.item is None:
            return
        text = self.view.comment.text().strip()
        if text != self._comment_saved:
            self.session.set_comment(self.item.id, text)
            self._comment_saved = text
            self.model.position_changed(self.index)
            self.saving.report()

    def set_flag(self, flag: str) -> None:
        if self.item is None:
            return
        self.session.set_flag(self.item.id, flag)
        self.flags.show_flag(flag)
        self.model.position_changed(self.index)
        self.saving.report()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if watched is self.view:
            if kind == QEvent.Type.ActivationChange:
                self.clock.activation(self.view.isActiveWindow() and self.view.grid.isVisible())
            elif kind == QEvent.Type.Close:
                return self._on_close(event)
        elif (
            isinstance(watched, QLineEdit)
            and kind == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.view.grid.setFocus()  # leaving the box saves the comment
            return True
        return super().eventFilter(watched, event)

    def _on_close(self, event: QEvent) -> bool:
        """Write everything; with changes that still cannot be written, ask before closing."""
        self.leave_item()
        self.session.flush_time()
        if self.saving.may_close():
            self.saving.timer.stop()
            self._clock.stop()
            self.session.close()  # another window may now open the file
            return False  # the window closes
        event.ignore()
        return True
