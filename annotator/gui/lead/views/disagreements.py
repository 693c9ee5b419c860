"""Disagreements page: items where raters differ by 2+, side by side, and the lead's score.

The lead is not blind here: the model, every rater's scores and comments are
shown. An adjudicated score is kept apart from the raters' own (the core stores
it separately and audits it); the verdicts then use it.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.lead.models import SORT_ROLE, Column, FrameModel
from annotator.gui.lead.views.cells import cell
from annotator.gui.lead.views.tables import compact
from annotator.gui.widgets.plain import plain_label


def _text_box(title: str) -> tuple[QGroupBox, QTextBrowser]:
    box = QGroupBox(title)
    text = QTextBrowser()
    text.setOpenLinks(False)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addWidget(text)
    return box, text


class DisagreementsPage(QWidget):
    """List of disputed items on the left, the chosen item and the lead's score on the right."""

    item_chosen = Signal(int)
    adjudicate = Signal(int, str, int, str)  # item id, dimension, score, note
    use_as_gold = Signal(int)  # item id: its adjudicated scores become the expected ones
    refreshed = Signal()  # redrawn from new data (the controller's changes concerned it)

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.labels = labels
        self.item_id: int | None = None
        self.frame = pd.DataFrame()
        self.model = FrameModel(
            [
                Column(tr("Item"), "item_id", str, align_right=True),
                Column(tr("Sample"), "sample_id"),
                Column(tr("Model"), "model"),
                Column(tr("Spread"), "max_range", lambda v: f"{v:g}", align_right=True),
                Column(tr("Dimensions"), "dimensions", self._dimension_names),
                Column(tr("Adjudicated"), "resolved", lambda v: tr("yes") if v else ""),
            ],
            self,
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(4)
        self.list = QTableView()
        self.list.setModel(self.proxy)
        self.list.setSortingEnabled(True)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setStretchLastSection(True)
        compact(self.list)
        self.list.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # widest spread first
        self.list.selectionModel().currentRowChanged.connect(self._on_row)
        self.dimension_filter = QComboBox()
        self.dimension_filter.currentIndexChanged.connect(self._apply_filter)
        self.show_resolved = QCheckBox(tr("Show adjudicated"))
        self.show_resolved.setChecked(True)
        self.show_resolved.toggled.connect(self._apply_filter)
        self.count = QLabel()

        self.title = plain_label(QLabel(tr("Choose an item on the left")))  # model, sample
        self.title.setWordWrap(True)
        inst_box, self.instruction = _text_box(tr("Instruction"))
        ref_box, self.reference = _text_box(tr("Reference"))
        gen_box, self.generated = _text_box(tr("Generated"))
        self.scores = QTableWidget(0, 0)
        self.scores.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scores.setWordWrap(True)
        self.dimension = QComboBox()
        self.dimension.currentIndexChanged.connect(self._suggest_score)
        self.detail: dict | None = None
        self.score = QSpinBox()
        self.score.setRange(1, 5)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Why (kept in the audit log)"))
        self.record = QPushButton(tr("Record adjudicated score"))
        self.record.setEnabled(False)
        self.record.clicked.connect(self._on_record)
        self.gold = QPushButton(tr("Use as gold"))
        self.gold.setToolTip(
            tr("The item's adjudicated scores become its expected scores (gold items)")
        )
        self.gold.setEnabled(False)
        self.gold.clicked.connect(self._on_gold)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.dimension_filter)
        filters.addWidget(self.show_resolved)
        ll.addLayout(filters)
        ll.addWidget(self.list)
        ll.addWidget(self.count)
        texts = QSplitter(Qt.Orientation.Horizontal)
        texts.addWidget(ref_box)
        texts.addWidget(gen_box)
        form = QFormLayout()
        form.addRow(tr("Dimension"), self.dimension)
        form.addRow(tr("Score (1-5)"), self.score)
        form.addRow(tr("Note"), self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record)
        buttons.addWidget(self.gold)
        buttons.addStretch(1)
        form.addRow("", buttons)
        adjudicate = QGroupBox(tr("The lead's score"))
        adjudicate.setLayout(form)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.title)
        inst_box.setMaximumHeight(110)
        rl.addWidget(inst_box)
        rl.addWidget(texts, 2)
        rl.addWidget(self.scores, 1)
        rl.addWidget(adjudicate)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([470, 670])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    # -- list --------------------------------------------------------------------------------
    def set_disagreements(
        self, frame: pd.DataFrame, items: pd.DataFrame, dimensions: tuple[str, ...]
    ) -> None:
        """The stats' disagreement table, with sample ids from the item table."""
        if not frame.empty:
            frame = frame.merge(items[["item_id", "sample_id"]], on="item_id", how="left")
        self.frame = frame
        current = self.dimension_filter.currentData()
        self.dimension_filter.blockSignals(True)
        self.dimension_filter.clear()
        self.dimension_filter.addItem(tr("All dimensions"), "")
        for d in dimensions:
            self.dimension_filter.addItem(self.labels.get(d, d), d)
        self.dimension_filter.setCurrentIndex(max(self.dimension_filter.findData(current), 0))
        self.dimension_filter.blockSignals(False)
        self._apply_filter()
        if self.item_id is not None:
            self.select_item(self.item_id)
        self.refreshed.emit()

    def filter_dimension(self, dimension: str) -> None:
        """Show only disagreements on ``dimension`` ("all" or "" for every one), open ones."""
        self.show_resolved.setChecked(False)
        index = self.dimension_filter.findData("" if dimension == "all" else dimension)
        self.dimension_filter.setCurrentIndex(max(index, 0))
        self._apply_filter()

    def _dimension_names(self, keys: object) -> str:
        """ "relevance, style" (the frame's keys) as the rubric names them: 相关性、风格一致性."""
        return tr(", ").join(self.labels.get(k, k) for k in str(keys).split(", "))

    def _apply_filter(self) -> None:
        frame = self.frame
        if not frame.empty:
            key = self.dimension_filter.currentData()
            if key:
                frame = frame[
                    frame["dimensions"].astype(str).str.split(", ").apply(lambda dims: key in dims)
                ]
            if not self.show_resolved.isChecked():
                frame = frame[~frame["resolved"].astype(bool)]
        self.model.set_frame(frame)
        self.list.resizeColumnsToContents()
        open_ = int((~self.frame["resolved"].astype(bool)).sum()) if len(self.frame) else 0
        self.count.setText(
            tr(
                "{shown} shown · {open} not adjudicated of {total}",
                shown=len(frame),
                open=open_,
                total=len(self.frame),
            )
        )

    def visible_item_ids(self) -> list[int]:
        return [int(self.proxy.index(r, 0).data(SORT_ROLE)) for r in range(self.proxy.rowCount())]

    def select_item(self, item_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(SORT_ROLE) == item_id:
                self.list.selectRow(r)
                return

    def _on_row(self, current, _previous) -> None:
        if current.isValid():
            self.item_chosen.emit(int(self.proxy.index(current.row(), 0).data(SORT_ROLE)))

    # -- detail ------------------------------------------------------------------------------
    def show_detail(self, item_id: int, detail: dict, dimensions: tuple[str, ...]) -> None:
        """Fill the right side from ``Project.item_detail``."""
        self.item_id = item_id
        item = detail["item"]
        self.title.setText(
            tr(
                "Item {id} · {model} · sample {sample}",
                id=item_id,
                model=item.model,
                sample=item.sample_id,
            )
        )
        self.instruction.setPlainText(item.instruction)
        self.reference.setPlainText(item.reference)
        self.generated.setPlainText(item.generated)
        raters = list(detail["scores"]) + [r for r in detail["notes"] if r not in detail["scores"]]
        rows = [*raters, tr("Adjudicated")]
        table = self.scores
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(len(dimensions) + 1)
        table.setHorizontalHeaderLabels(
            [*(self.labels.get(d, d) for d in dimensions), tr("Comment")]
        )
        table.setVerticalHeaderLabels(rows)
        for r, rater in enumerate(raters):
            scores = detail["scores"].get(rater, {})
            for c, d in enumerate(dimensions):
                value = scores.get(d)
                table.setItem(r, c, cell("–" if value is None else str(value), value))
            note = detail["notes"].get(rater, {})
            table.setItem(
                r,
                len(dimensions),
                cell(note.get("comment") or "", None, note.get("comment") or "", right=False),
            )
        adjudicated = detail["adjudicated"]
        for c, d in enumerate(dimensions):
            value = adjudicated.get(d)
            table.setItem(len(raters), c, cell("" if value is None else str(value), value))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeRowsToContents()
        table.setMaximumHeight(
            table.horizontalHeader().height()
            + sum(table.rowHeight(r) for r in range(len(rows)))
            + 6
        )
        self.detail = detail
        current = self.dimension.currentData()
        self.dimension.clear()
        for d in dimensions:
            self.dimension.addItem(self.labels.get(d, d), d)
        wanted = current if current in dimensions else self._widest(detail, dimensions)
        self.dimension.setCurrentIndex(max(self.dimension.findData(wanted), 0))
        self.record.setEnabled(True)
        self.gold.setEnabled(True)  # not adjudicated yet: the refusal says what to do

    def _suggest_score(self) -> None:
        """Start from the raters' median: the lead moves it only when they disagree with it."""
        if not self.detail:
            return
        key = self.dimension.currentData()
        values = sorted(s[key] for s in self.detail["scores"].values() if key in s)
        if key in self.detail["adjudicated"]:
            self.score.setValue(int(self.detail["adjudicated"][key]))
        elif values:
            self.score.setValue(int(values[len(values) // 2]))

    @staticmethod
    def _widest(detail: dict, dimensions: tuple[str, ...]) -> str | None:
        """The dimension the raters disagree on most: the one the lead most likely settles."""
        spreads = {}
        for d in dimensions:
            values = [s[d] for s in detail["scores"].values() if d in s]
            spreads[d] = max(values) - min(values) if values else -1
        return max(spreads, key=spreads.get) if spreads else None

    def _on_record(self) -> None:
        if self.item_id is None:
            return
        self.adjudicate.emit(
            self.item_id,
            str(self.dimension.currentData()),
            self.score.value(),
            self.note.text().strip(),
        )
        self.note.clear()

    def _on_gold(self) -> None:
        if self.item_id is not None:
            self.use_as_gold.emit(self.item_id)
