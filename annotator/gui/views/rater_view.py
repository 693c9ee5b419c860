"""The rater workspace window: layout only. ``RaterController`` decides what happens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.models import Rubric
from annotator.core.i18n import tr
from annotator.gui.widgets.help_menu import add_help_menu
from annotator.gui.widgets.plain import plain_label
from annotator.gui.widgets.score_grid import ScoreGrid
from annotator.gui.widgets.shortcut_overlay import ShortcutOverlay
from annotator.gui.widgets.text_panes import TextPanes


class RaterWindow(QMainWindow):
    """Header with progress, item list (dock), texts, score grid, notes, status bar."""

    def __init__(self, rubric: Rubric, lang: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("raterWindow")
        self.resize(1280, 800)
        central = QWidget(self)
        central.setObjectName("raterCentral")
        self.setCentralWidget(central)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 6, 10, 6)

        header = QHBoxLayout()
        self.heading = QLabel(central)
        self.heading.setObjectName("heading")
        self.position_label = QLabel(central)
        self.position_label.setObjectName("positionLabel")
        self.progress_label = QLabel(central)
        self.progress_label.setObjectName("progressLabel")
        # Project names and ids come from files: shown as typed, never as markup.
        for label in (self.heading, self.position_label, self.progress_label):
            plain_label(label)
        self.progress = QProgressBar(central)
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(160)
        header.addWidget(self.heading, 1)
        header.addWidget(self.position_label)
        header.addSpacing(16)
        header.addWidget(self.progress_label)
        header.addWidget(self.progress)
        layout.addLayout(header)

        self.texts = TextPanes(central)
        layout.addWidget(self.texts, 1)
        self.grid = ScoreGrid(rubric, lang, central)
        layout.addWidget(self.grid)

        notes = QHBoxLayout()
        self.comment = QLineEdit(central)
        self.comment.setObjectName("comment")
        self.comment.setPlaceholderText(tr("Comment (C; Esc returns to the scores)"))
        self.flag_button = QToolButton(central)
        self.flag_button.setObjectName("flagButton")
        self.flag_button.setText(tr("Flag (F)"))
        self.flag_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.flag_label = QLabel(central)
        self.flag_label.setObjectName("flagLabel")
        plain_label(self.flag_label)  # a free-text reason the rater typed
        self.flag_text = QLineEdit(central)
        self.flag_text.setObjectName("flagText")
        self.flag_text.setPlaceholderText(tr("Why flag this item? Enter saves, Esc cancels"))
        self.flag_text.hide()
        notes.addWidget(self.comment, 3)
        notes.addWidget(self.flag_button)
        notes.addWidget(self.flag_label, 1)
        notes.addWidget(self.flag_text, 2)
        layout.addLayout(notes)

        self._build_item_dock()
        self._build_rubric_dock(rubric, lang)
        self._build_status_bar()
        self._build_actions()
        self.overlay = ShortcutOverlay(central)

    def _build_item_dock(self) -> None:
        self.item_dock = QDockWidget(tr("Items"), self)
        self.item_dock.setObjectName("itemDock")
        self.item_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        host = QWidget(self.item_dock)
        box = QVBoxLayout(host)
        box.setContentsMargins(4, 4, 4, 4)
        self.filter_box = QComboBox(host)
        self.filter_box.setObjectName("filterBox")
        for key, label in (
            ("all", tr("All items")),
            ("unscored", tr("Unscored")),
            ("flagged", tr("Flagged")),
            ("commented", tr("Commented")),
        ):
            self.filter_box.addItem(label, key)
        self.filter_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.search = QLineEdit(host)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr("Search (Ctrl+F; Enter finds next)"))
        self.search.setClearButtonEnabled(True)
        self.table = QTableView(host)
        self.table.setObjectName("itemTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures 100,000 rows to lay them out.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        box.addWidget(self.filter_box)
        box.addWidget(self.search)
        box.addWidget(self.table, 1)
        self.item_dock.setWidget(host)
        self.item_dock.setMinimumWidth(280)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.item_dock)

    def _build_rubric_dock(self, rubric: Rubric, lang: str) -> None:
        self.rubric_dock = QDockWidget(tr("Rubric"), self)
        self.rubric_dock.setObjectName("rubricDock")
        self.rubric_view = QTextBrowser(self.rubric_dock)
        self.rubric_view.setObjectName("rubricView")
        self.rubric_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        parts = []
        for dim in rubric.dimensions:
            levels = "".join(
                f"<tr><td valign='top'><b>{s}</b></td><td>{_esc(dim.anchor(s, lang))}</td></tr>"
                for s in range(5, 0, -1)
            )
            parts.append(
                f"<h3>{_esc(dim.name(lang))}</h3><p>{_esc(dim.description(lang))}</p>"
                f"<table cellspacing='4'>{levels}</table>"
            )
        self.rubric_view.setHtml("".join(parts))
        self.rubric_dock.setWidget(self.rubric_view)
        self.rubric_dock.setMinimumWidth(260)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.rubric_dock)
        self.rubric_dock.hide()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.saved_label = QLabel(bar)
        self.saved_label.setObjectName("savedLabel")
        self.time_label = QLabel(bar)
        self.time_label.setObjectName("timeLabel")
        plain_label(self.saved_label)  # may quote an error naming the file
        plain_label(self.time_label)
        self.hints_label = QLabel(
            tr(
                "1-5 score · Tab next dimension · ←/→ items · Ctrl+Z undo · F flag · "
                "C comment · ? shortcuts"
            ),
            bar,
        )
        bar.addWidget(self.saved_label)
        bar.addWidget(QLabel("·", bar))
        bar.addWidget(self.time_label)
        bar.addPermanentWidget(self.hints_label)

    def _build_actions(self) -> None:
        def action(text: str, *keys: QKeySequence | str, checkable: bool = False) -> QAction:
            act = QAction(text, self)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])
            act.setCheckable(checkable)
            self.addAction(act)  # shortcuts work even with the menu bar hidden
            return act

        scoring = self.menuBar().addMenu(tr("&Scoring"))
        self.undo_action = action(tr("Undo last score"), QKeySequence.StandardKey.Undo)
        self.auto_advance_action = action(tr("Auto-advance to the next item"), checkable=True)
        self.next_unscored_action = action(tr("Next unscored item"), "Ctrl+N")
        self.find_action = action(tr("Search"), QKeySequence.StandardKey.Find)
        for act in (
            self.undo_action,
            self.auto_advance_action,
            self.next_unscored_action,
            self.find_action,
        ):
            scoring.addAction(act)
        scoring.addSeparator()
        # Closes the window as its close button does: everything is written first.
        self.quit_action = action(tr("Quit"), "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        scoring.addAction(self.quit_action)

        view = self.menuBar().addMenu(tr("&View"))
        self.zoom_in_action = action(tr("Larger text"), "Ctrl+=", "Ctrl++")
        self.zoom_out_action = action(tr("Smaller text"), "Ctrl+-")
        self.item_list_action = self.item_dock.toggleViewAction()
        self.item_list_action.setShortcut(QKeySequence("Ctrl+L"))
        self.rubric_action = self.rubric_dock.toggleViewAction()
        self.rubric_action.setShortcut(QKeySequence("Ctrl+R"))
        self.highlight_action = action(tr("Mark text shared with the reference"), checkable=True)
        self.help_action = action(tr("Keyboard shortcuts (?)"))
        for act in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.item_list_action,
            self.rubric_action,
            self.highlight_action,
            self.help_action,
        ):
            view.addAction(act)
        add_help_menu(self)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
