"""Decides what the side-by-side view does: holds the comparison session, the current
comparison and its clock.

Every judgment goes straight to the session, which commits it before the status line
says "Saved"; the comment and the time on a comparison are written when the rater leaves
it (and when the window closes). Keys judge by the side on screen: the session stores
the outcome by model order, so nothing here knows which model is where.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLineEdit

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.side_by_side import BOTH_BAD, LEFT, OVERALL, SAME, Choice, level_labels
from annotator.core.i18n import tr
from annotator.gui.controllers.clock import ItemClock
from annotator.gui.controllers.side_by_side_flags import PairFlags
from annotator.gui.controllers.side_by_side_saving import JudgmentSaveWatch
from annotator.gui.views.side_by_side_view import SideBySideView

# What reading or writing the file can fail with while another program holds it.
_FILE_ERRORS = (AnnotatorError, OSError)
_FIGURE_SPACE = "\u2007"  # as wide as a digit: the numbers of the list line up


def choice_word(choice: Choice) -> str:
    """A judgment in the comparison list's words (A better, same, B much better ...)."""
    if choice.side == SAME:
        return tr("same")
    if choice.side == BOTH_BAD:
        return tr("both bad")
    much = choice.strength == 2
    if choice.side == LEFT:
        return tr("A much better") if much else tr("A better")
    return tr("B much better") if much else tr("B better")


class SideBySideController(QObject):
    """The side-by-side view's behaviour over one ``ComparisonSession``."""

    def __init__(
        self,
        session,
        view: SideBySideView,
        *,
        prompts: list[str],
        project_name: str = "",
        auto_advance: Callable[[], bool] = lambda: True,
    ):
        super().__init__(view)
        self.session = session
        self.view = view
        self.levels = [choice for choice, _ in level_labels(session.scale)]
        self.auto_advance = auto_advance
        self.index = -1
        self.pair = None
        self.shown = False  # the view is on screen (the window shows it, not the scores)
        self._comment_saved = ""
        self.clock = ItemClock()
        self._done = session.done_count()
        self.flags = PairFlags(self)
        self.saving = JudgmentSaveWatch(self)  # sets keep_unsaved: nothing given is dropped

        view.heading.setText(project_name)
        view.progress.setRange(0, max(1, len(session)))
        view.list.addItems([self._row_text(n) for n in range(len(session))])
        view.panel.set_prompts(prompts)
        view.panel.command.connect(self._on_command)
        view.list.itemClicked.connect(lambda item: self._on_row(view.list.row(item)))
        view.list.itemActivated.connect(lambda item: self._on_row(view.list.row(item)))
        view.comment.editingFinished.connect(self.save_comment)
        view.comment.installEventFilter(self)
        view.overlay.closed.connect(view.panel.setFocus)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._show_time)
        self._timer.start()
        view.saved_label.setText(tr("Every judgment is saved the moment you give it"))
        self._show_progress()
        first = session.next_unjudged(0)
        self.show(0 if first is None else first)

    # -- on screen or not ------------------------------------------------------------------
    def enter(self) -> None:
        """The view is now on screen: its clock runs, its keys judge."""
        self.shown = True
        self.clock.activation(self.view.window().isActiveWindow())
        self.view.panel.setFocus()

    def pause(self) -> None:
        """The view leaves the screen: write the comment and the time, stop the clock."""
        self.leave_comparison()
        self.shown = False
        self.clock.activation(False)

    def activation(self, active: bool) -> None:
        """The window became active or inactive."""
        self.clock.activation(active and self.shown)

    # -- moving between comparisons ----------------------------------------------------------
    def show(self, index: int) -> None:
        """Leave the current comparison (writing its comment and time) and show ``index``."""
        if not 0 <= index < len(self.session):
            return
        self.leave_comparison()
        try:
            pair = self.session.pair(index)
            cid = pair.comparison_id
            chosen = self.session.judgments(cid)
            comment, flag = self.session.note(cid)
        except _FILE_ERRORS as exc:
            self.status(tr("Cannot open comparison {n} yet: {error}", n=index + 1, error=exc))
            return
        self.index, self.pair = index, pair
        view = self.view
        view.answers.set_texts(pair.instruction, pair.reference, pair.left, pair.right)
        view.panel.set_chosen(self._rows_chosen(chosen))
        dims = self.session.dimensions
        view.panel.set_focus_row(next((r for r, d in enumerate(dims) if d not in chosen), 0))
        self._comment_saved = comment
        view.comment.setText(comment)
        self.flags.show_flag(flag)
        self.clock.start_item(0.0, active=self.shown and view.window().isActiveWindow())
        view.position_label.setText(
            tr("Comparison {n} of {total}", n=index + 1, total=len(self.session))
        )
        view.list.setCurrentRow(index)
        view.list.scrollToItem(view.list.item(index))
        self._show_time()

    def leave_comparison(self) -> None:
        """Write the current comparison's comment and time to the project file."""
        if self.pair is None:
            return
        self.save_comment()
        seconds = self.clock.take()
        if seconds > 0:
            self.session.add_time(self.pair.comparison_id, seconds)
            self.saving.report()  # a waiting count that counts the time too

    def go(self, step: int) -> None:
        self.show(max(0, min(len(self.session) - 1, self.index + step)))
        self.view.panel.setFocus()

    def next_unjudged(self) -> None:
        """Open the next comparison not fully judged (after this one, wrapping)."""
        target = self.session.next_unjudged((self.index + 1) % max(1, len(self.session)))
        if target is None:
            self.status(tr("Every comparison is judged. Thank you!"))
        elif target != self.index:
            self.show(target)
        self.view.panel.setFocus()

    def _on_row(self, row: int) -> None:
        self.show(row)
        self.view.panel.setFocus()

    # -- judging ---------------------------------------------------------------------------
    def _on_command(self, name: str, value: int) -> None:
        panel = self.view.panel
        if name == "level":
            self.judge(value)
        elif name == "focus":
            panel.set_focus_row(value)
        elif name in ("next_row", "previous_row"):
            step = 1 if name == "next_row" else -1
            panel.set_focus_row((panel.focus_row + step) % panel.rows)
        elif name in ("next", "previous"):
            self.go(1 if name == "next" else -1)
        elif name == "confirm":
            self.next_unjudged()
        elif name == "undo":
            self.undo()
        elif name == "flag":
            self.flags.open_menu()
        elif name == "comment":
            self.view.comment.setFocus()
        elif name == "reference":
            self.view.answers.show_reference(not self.view.answers.reference_shown)
        elif name == "help":
            self.view.overlay.toggle()

    def judge(self, level: int) -> None:
        """Judge the focused row; then the next row, or the next comparison."""
        if self.pair is None:
            return
        cid, dims, panel = self.pair.comparison_id, self.session.dimensions, self.view.panel
        row = panel.focus_row
        was_done = self.session.state(self.index).done
        self.session.judge(cid, self.levels[level], dims[row])
        chosen = self.session.judgments(cid)  # includes a judgment still waiting
        panel.set_chosen(self._rows_chosen(chosen))
        self._after_write(was_done)
        missing = [r for r, d in enumerate(dims) if d not in chosen]
        if not missing and not was_done and self.auto_advance():
            self.next_unjudged()  # this judgment finished the comparison
        elif row < len(dims) - 1:
            panel.set_focus_row(row + 1)
        elif missing:
            panel.set_focus_row(missing[0])
        elif self.auto_advance():
            self.next_unjudged()

    def undo(self) -> None:
        """Take back the last judgment and show it where it was given."""
        done = self.session.undo()
        if done is None:
            self.status(tr("No judgment to undo"))
            return
        cid, dimension, restored = done
        index = self.session.index_of(cid)
        if index != self.index:
            self.show(index)
        state = self.session.state(index)
        # A cleared judgment lowered the count by one; a restored one left it as it was.
        was_done = state.done if restored is not None else state.judged + 1 >= state.total
        self.view.panel.set_chosen(self._rows_chosen(self.session.judgments(cid)))
        self.view.panel.set_focus_row(self.session.dimensions.index(dimension))
        self._after_write(was_done)
        self.view.panel.setFocus()

    def _rows_chosen(self, chosen: dict[str, Choice]) -> dict[int, int]:
        # By side and strength: a judgment given before the scale changed still shows.
        level = self.view.panel.level_of
        return {
            r: level(chosen[d].side, chosen[d].strength or 1)
            for r, d in enumerate(self.session.dimensions)
            if d in chosen
        }

    def _after_write(self, was_done: bool) -> None:
        self._done += int(self.session.state(self.index).done) - int(was_done)
        self._refresh_row(self.index)
        self._show_progress()
        self.saving.report()

    # -- notes -----------------------------------------------------------------------------
    def save_comment(self) -> None:
        if self.pair is None:
            return
        text = self.view.comment.text().strip()
        if text != self._comment_saved:
            self.session.set_comment(self.pair.comparison_id, text)
            self._comment_saved = text
            self._refresh_row(self.index)
            self.saving.report()

    def current_flag(self) -> str:
        return self.session.note(self.pair.comparison_id)[1] if self.pair is not None else ""

    def set_flag(self, flag: str) -> None:
        if self.pair is None:
            return
        self.session.set_flag(self.pair.comparison_id, flag)
        self.flags.show_flag(flag)
        self._refresh_row(self.index)
        self.saving.report()

    # -- the list and the status line --------------------------------------------------------
    def _row_text(self, n: int) -> str:
        state = self.session.state(n)
        chosen = self.session.judgments(self.session.order[n])
        if state.done and OVERALL in chosen:
            word = choice_word(chosen[OVERALL])
        elif state.judged:
            word = tr("{judged} of {total} judged", judged=state.judged, total=state.total)
        else:
            word = tr("unjudged")
        marks = ("⚑" if state.flagged else "") + ("✎" if state.commented else "")
        number = str(n + 1).rjust(len(str(len(self.session))), _FIGURE_SPACE)
        return f"{number}   {word}   {marks}".rstrip()

    def _refresh_row(self, n: int) -> None:
        item = self.view.list.item(n)
        if item is not None:
            item.setText(self._row_text(n))

    def status(self, message: str) -> None:
        self.view.status.showMessage(message, 5000)

    def _show_progress(self) -> None:
        self.view.progress_label.setText(f"{self._done} / {len(self.session)}")
        self.view.progress.setValue(self._done)

    def _show_time(self) -> None:
        total = self.clock.total()
        self.view.time_label.setText(tr("this comparison {m}:{s:02d}", m=total // 60, s=total % 60))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            isinstance(watched, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.view.panel.setFocus()  # leaving the box saves the comment
            return True
        return super().eventFilter(watched, event)
