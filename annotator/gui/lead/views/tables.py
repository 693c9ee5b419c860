"""Items page (every item with its verdict and reasons), and the table view the lead pages share."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from PySide6.QtCore import QSortFilterProxyModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.lead.common import number, verdict_text
from annotator.gui.lead.models import SORT_ROLE, Column, FrameModel

if TYPE_CHECKING:
    from annotator.core.results import Evaluation


def table_view(model) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    compact(view)
    return view, proxy


def compact(view) -> None:
    """Rows as tall as a line of text plus a little air, not Qt's roomy default."""
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)


class ItemsPage(QWidget):
    """Every item: model, sample, composite, metrics, verdict and why. Double-click opens it."""

    item_activated = Signal(int)
    refreshed = Signal()  # redrawn from new data (the controller's changes concerned it)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = FrameModel([], self)
        self.view, self.proxy = table_view(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.view.doubleClicked.connect(self._on_activated)
        self.verdict = QComboBox()
        for text, key in (
            (tr("All verdicts"), ""),
            (tr("PASS"), "PASS"),
            (tr("FAIL"), "FAIL"),
            (tr("REVIEW"), "NEEDS_REVIEW"),
        ):
            self.verdict.addItem(text, key)
        self.verdict.currentIndexChanged.connect(self._apply)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Filter: model, sample or reason"))
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.count = QLabel()
        self.frame = pd.DataFrame()
        bar = QHBoxLayout()
        bar.addWidget(self.verdict)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)

    def show_evaluation(self, evaluation: Evaluation) -> None:
        stats = evaluation.stats
        keep = ["item_id", "model", "sample_id", "n_raters", "composite", *stats.metric_names]
        frame = stats.items[keep].merge(
            evaluation.verdicts.items[["item_id", "verdict", "reasons"]], on="item_id"
        )
        frame["verdict"] = frame["verdict"].astype(str)
        self.frame = frame
        columns = [
            Column(tr("Item"), "item_id", str, align_right=True),
            Column(tr("Model"), "model"),
            Column(tr("Sample"), "sample_id"),
            Column(tr("Raters"), "n_raters", str, align_right=True),
            Column(tr("Composite"), "composite", number, align_right=True),
            *(
                Column(
                    m.upper(),
                    m,
                    number,
                    align_right=True,
                    tooltip=lambda row, m=m: evaluation.signatures.get(m, ""),
                )
                for m in stats.metric_names
            ),
            Column(tr("Verdict"), "verdict", verdict_text, color=lambda v: v),
            Column(tr("Reasons"), "reasons", tooltip=lambda row: str(row["reasons"])),
        ]
        self.model.columns = columns
        self._apply()
        self.refreshed.emit()

    def _apply(self) -> None:
        frame = self.frame
        key = self.verdict.currentData()
        if key and not frame.empty:
            frame = frame[frame["verdict"] == key]
        self.model.set_frame(frame)
        self.count.setText(tr("{n} items", n=len(frame)))
        self.view.resizeColumnsToContents()

    def show_model(self, model: str, verdict: str = "") -> None:
        self.verdict.setCurrentIndex(max(self.verdict.findData(verdict), 0))
        self.search.setText(model)

    def _on_activated(self, index) -> None:
        source = self.proxy.mapToSource(index)
        self.item_activated.emit(int(self.model.value(source.row(), 0)))
