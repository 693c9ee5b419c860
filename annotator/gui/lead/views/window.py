"""The lead's main window: toolbar, navigation, pages. It lays out; the controller decides."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.lead.views.agreement import AgreementPage
from annotator.gui.lead.views.disagreements import DisagreementsPage
from annotator.gui.lead.views.judges import JudgesPage
from annotator.gui.lead.views.overview import OverviewPage
from annotator.gui.lead.views.raters import RatersPage
from annotator.gui.lead.views.side_by_side import SideBySidePage
from annotator.gui.lead.views.tables import ItemsPage
from annotator.gui.widgets.help_menu import add_help_menu
from annotator.gui.widgets.plain import plain_label

PAGES = (
    "overview",
    "side_by_side",
    "judges",
    "agreement",
    "disagreements",
    "items",
    "raters",
)


class LeadWindow(QMainWindow):
    """Toolbar (Import … Export), a left navigation and one page at a time."""

    file_dropped = Signal(str)
    closing = Signal()

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.resize(1280, 860)
        self.actions_by_name: dict[str, QAction] = {}
        toolbar = QToolBar(tr("Lead"))
        toolbar.setObjectName("lead-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        for name, text, tip, keys in (
            (
                "import",
                tr("Import"),
                tr("Import an automatic-evaluation file (or drop it here)"),
                QKeySequence.StandardKey.Open,
            ),
            ("metrics", tr("Metrics"), tr("Compute BLEU and ROUGE for every item"), None),
            (
                "side_by_side",
                tr("Side by side…"),
                tr("Create side-by-side comparisons of two models' answers"),
                None,
            ),
            ("assign", tr("Assign"), tr("Hand out items to raters"), None),
            ("packages", tr("Packages"), tr("Write one rater package per rater"), None),
            ("sheets", tr("Sheets"), tr("Write one Excel rating sheet per rater"), None),
            ("merge", tr("Merge"), tr("Merge rater packages back (several at once)"), None),
            ("import_sheets", tr("Import sheets"), tr("Import filled rating sheets"), None),
            ("gates", tr("Gates"), tr("Edit the pass/fail rules"), None),
            ("export", tr("Export"), tr("Excel report, ratings CSV or summary JSON"), None),
            (
                "refresh",
                tr("Refresh"),
                tr("Recompute the statistics now"),
                QKeySequence.StandardKey.Refresh,
            ),
        ):
            action = QAction(text, self)
            action.setToolTip(tip)
            if keys is not None:
                action.setShortcut(keys)
            toolbar.addAction(action)
            self.actions_by_name[name] = action
        toolbar.insertSeparator(self.actions_by_name["side_by_side"])
        toolbar.insertSeparator(self.actions_by_name["gates"])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.project_label = plain_label(QLabel())  # the project's name, as typed
        toolbar.addWidget(self.project_label)

        file_menu = self.menuBar().addMenu(tr("&File"))
        file_menu.addAction(self.actions_by_name["import"])
        file_menu.addAction(self.actions_by_name["export"])
        file_menu.addSeparator()
        close = QAction(tr("Close"), self)
        close.setShortcut(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)
        file_menu.addAction(close)
        team_menu = self.menuBar().addMenu(tr("&Team"))
        for name in ("side_by_side", "assign", "packages", "sheets", "merge", "import_sheets"):
            team_menu.addAction(self.actions_by_name[name])
        results = self.menuBar().addMenu(tr("&Results"))
        for name in ("metrics", "gates", "refresh"):
            results.addAction(self.actions_by_name[name])
        add_help_menu(self)

        self.nav = QListWidget()
        self.nav.addItems(
            [
                tr("Overview"),
                tr("Side by side"),
                tr("Judges"),
                tr("Agreement"),
                tr("Disagreements"),
                tr("Items"),
                tr("Raters"),
            ]
        )
        self.nav.setMaximumWidth(190)
        self.nav.setSpacing(3)
        self.overview = OverviewPage(labels)
        self.overview.next_steps.action_requested.connect(
            lambda name: self.actions_by_name[name].trigger()
        )
        self.side_by_side = SideBySidePage(labels)
        self.side_by_side.empty.create_button.clicked.connect(
            self.actions_by_name["side_by_side"].trigger
        )
        self.judges = JudgesPage(labels)
        self.agreement = AgreementPage(labels)
        self.disagreements = DisagreementsPage(labels)
        self.items = ItemsPage()
        self.raters = RatersPage(labels)
        self.stack = QStackedWidget()
        pages = (
            self.overview,
            self.side_by_side,
            self.judges,
            self.agreement,
            self.disagreements,
            self.items,
            self.raters,
        )
        for page in pages:  # in the order of PAGES
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.nav)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([150, 1130])
        self.setCentralWidget(split)
        self.status = plain_label(QLabel())  # messages quote file and model names
        self.statusBar().addWidget(self.status, 1)

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(PAGES.index(name))

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    # -- drag and drop a file to import it ---------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.file_dropped.emit(url.toLocalFile())
                event.acceptProposedAction()
                return

    def closeEvent(self, event) -> None:  # noqa: N802
        self.closing.emit()
        super().closeEvent(event)
