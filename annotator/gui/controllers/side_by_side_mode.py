"""The rater window's two modes: scoring items, and judging comparisons side by side.

When the project (or package) has comparisons for the rater, the window gets a tab bar
("Scores" / "Side by side", also F2 or Ctrl+Tab) over a stack of the two pages; a rater
with only comparisons opens straight on them. Only the page on screen counts time and
takes keys: switching writes the page left behind (comment, time) and disables the
scoring shortcuts that the side-by-side page answers itself (Ctrl+Z, Ctrl+L ...).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.side_by_side import level_labels
from annotator.core.i18n import tr
from annotator.core.side_by_side import SideBySide
from annotator.gui.controllers.side_by_side_controller import SideBySideController
from annotator.gui.settings import ui_language
from annotator.gui.views.side_by_side_view import SWITCH_KEYS, SideBySideView


def attach_side_by_side(rater: Any, comparisons=None) -> ModeSwitch | None:
    """Offer the rater's comparisons in their window; None when there are none.

    ``rater`` is the window's ``RaterController`` (not imported: it imports this module).
    """
    if comparisons is None:
        facade = SideBySide(rater.session.db)
        if not facade.count():  # most projects: nothing to read, nothing changes
            return None
        comparisons = facade.session(rater.session)
    if not len(comparisons):
        return None
    return ModeSwitch(rater, comparisons)


class ModeSwitch(QObject):
    """Hosts the side-by-side page in the rater window and switches between the modes."""

    def __init__(self, rater: Any, comparisons):
        super().__init__(rater)
        self.rater = rater
        self.window = window = rater.view
        self.active = False
        self.scoring = len(rater.session) > 0  # anything to score besides the comparisons
        self._dock_shown = True
        lang = ui_language()
        rubric = rater.session.rubric
        dims = [rubric.get(key) for key in comparisons.dimensions[1:]]
        names = [tr("Overall"), *(d.name(lang) for d in dims)]
        prompts = [tr("Which answer is better as a whole?"), *(d.description(lang) for d in dims)]
        levels = [(choice, words.text()) for choice, words in level_labels(comparisons.scale)]
        self.page = SideBySideView(levels, names, scale=comparisons.scale, switch=self.scoring)
        self.controller = SideBySideController(
            comparisons,
            self.page,
            prompts=prompts,
            project_name=window.heading.text(),
            auto_advance=window.auto_advance_action.isChecked,
        )
        self._title = window.windowTitle()
        self._wrap_central()
        self._build_actions()
        self.page.answers.set_point_size(window.texts.point_size)
        window.installEventFilter(self)
        # Also gives the keyboard back to the page on screen (moving the scoring page into
        # the stack took it from the score grid).
        self.set_side_by_side(not self.scoring)

    def _wrap_central(self) -> None:
        window = self.window
        scoring = window.takeCentralWidget()
        host = QWidget(window)
        host.setObjectName("raterModes")
        box = QVBoxLayout(host)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(0)
        self.tabs = QTabBar(host)
        self.tabs.setObjectName("modeTabs")
        self.tabs.addTab(tr("Scores"))
        self.tabs.addTab(tr("Side by side"))
        self.tabs.setToolTip(tr("Switch with {keys}", keys=SWITCH_KEYS))
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.setExpanding(False)
        self.tabs.setVisible(self.scoring)  # only comparisons: nothing to switch to
        self.stack = QStackedWidget(host)
        self.stack.addWidget(scoring)
        self.stack.addWidget(self.page)
        box.addWidget(self.tabs)
        box.addWidget(self.stack, 1)
        self._show_page(0)
        window.setCentralWidget(host)
        self.tabs.currentChanged.connect(lambda n: self.set_side_by_side(n == 1))

    def _build_actions(self) -> None:
        window = self.window
        self.switch_action = QAction(tr("Side by side"), window)
        self.switch_action.setCheckable(True)
        self.switch_action.setShortcuts([QKeySequence("F2"), QKeySequence("Ctrl+Tab")])
        self.switch_action.setEnabled(self.scoring)
        self.switch_action.toggled.connect(self.set_side_by_side)
        self.list_action = QAction(tr("Show or hide the comparison list"), window)
        self.list_action.setShortcut(QKeySequence("Ctrl+L"))
        self.list_action.setEnabled(False)
        self.list_action.triggered.connect(
            lambda: self.page.list_host.setVisible(self.page.list_host.isHidden())
        )
        for act in (self.switch_action, self.list_action):
            window.addAction(act)  # shortcuts work even with the menu bar hidden
        menu = self._view_menu()
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.switch_action)
            menu.addAction(self.list_action)
        if self.scoring:
            window.overlay.add_row(SWITCH_KEYS, tr("switch between scoring and side by side"))
        window.help_action.triggered.connect(self._help)
        window.zoom_in_action.triggered.connect(self._zoomed)
        window.zoom_out_action.triggered.connect(self._zoomed)
        # The scoring page's shortcuts that the side-by-side page answers itself, or that
        # act on the scoring page only: off while the comparisons are on screen.
        self._scoring_actions = (
            window.undo_action,
            window.next_unscored_action,
            window.find_action,
            window.item_list_action,
            window.highlight_action,
        )

    def _view_menu(self) -> QMenu | None:
        for action in self.window.menuBar().actions():
            menu = action.menu()
            if menu is not None and self.window.zoom_in_action in menu.actions():
                return menu
        return None

    # -- switching -------------------------------------------------------------------------
    def set_side_by_side(self, on: bool) -> None:
        """Show the comparisons (True) or the items to score (False)."""
        on = bool(on) or not self.scoring
        if on != self.active:
            if on:
                self._leave_scoring()
            else:
                self._leave_side_by_side()
            self.active = on
            for act in self._scoring_actions:
                act.setEnabled(not on)
            self.list_action.setEnabled(on)
            self._show_page(int(on))
            self.window.setWindowTitle(
                tr("{title} - side by side", title=self._title) if on else self._title
            )
        for widget in (self.tabs, self.switch_action):
            widget.blockSignals(True)  # they follow the mode; they do not switch it again
        self.tabs.setCurrentIndex(int(on))
        self.switch_action.setChecked(on)
        for widget in (self.tabs, self.switch_action):
            widget.blockSignals(False)
        if on:
            self.controller.enter()
        else:
            self.window.grid.setFocus()

    def _show_page(self, n: int) -> None:
        """Show page ``n``; the hidden page's size does not count (a stack takes the largest
        of its pages' minimum sizes, and the side-by-side page would widen scoring)."""
        for k in range(self.stack.count()):
            policy = QSizePolicy.Policy.Preferred if k == n else QSizePolicy.Policy.Ignored
            self.stack.widget(k).setSizePolicy(policy, policy)
        self.stack.setCurrentIndex(n)

    def _leave_scoring(self) -> None:
        rater, window = self.rater, self.window
        rater.leave_item()  # its comment and time are written
        rater.clock.activation(False)
        window.overlay.close_overlay()
        self._dock_shown = not window.item_dock.isHidden()
        window.item_dock.hide()
        window.statusBar().hide()  # the page has its own status line

    def _leave_side_by_side(self) -> None:
        rater, window = self.rater, self.window
        self.controller.pause()
        self.page.overlay.close_overlay()
        rater.clock.activation(window.isActiveWindow())
        window.item_dock.setVisible(self._dock_shown)
        window.statusBar().show()

    def _help(self) -> None:
        if self.active:
            self.page.overlay.toggle()

    def _zoomed(self) -> None:
        self.page.answers.set_point_size(self.window.texts.point_size)

    # -- the window's events ---------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Installed after the scoring controller's filter, so it sees a close first.
        if watched is self.window:
            kind = event.type()
            if kind == QEvent.Type.ActivationChange:
                self.controller.activation(self.window.isActiveWindow())
            elif kind == QEvent.Type.Close:
                self.controller.leave_comparison()
                if not self.controller.saving.may_close():
                    event.ignore()
                    return True
        return super().eventFilter(watched, event)
