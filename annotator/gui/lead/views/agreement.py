"""Agreement page: alpha per dimension, the pairwise kappa matrix, exact agreement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.wording import level_name, reading_name
from annotator.core.i18n import tr
from annotator.gui.lead.common import number, percent, reading_kind
from annotator.gui.lead.models import SORT_ROLE
from annotator.gui.lead.views.cells import cell, fit_height

if TYPE_CHECKING:
    from annotator.core.results import Evaluation


def _table() -> QTableWidget:
    table = QTableWidget(0, 0)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


class AgreementPage(QWidget):
    """Can the human scores be trusted? Unreliable readings link to their items."""

    show_items = Signal(str)  # dimension: the disagreements behind a weak alpha
    refreshed = Signal()  # redrawn from new data (the controller's changes concerned it)

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.labels = labels
        self.evaluation: Evaluation | None = None
        self.alpha = _table()
        self.alpha.cellClicked.connect(self._on_alpha_clicked)
        self.kappa = _table()
        self.kappa.verticalHeader().setVisible(True)
        self.pairs = _table()
        self.dimension = QComboBox()
        self.dimension.currentIndexChanged.connect(self._fill_kappa)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Krippendorff's alpha per dimension")))
        layout.addWidget(self.alpha)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Pairwise weighted kappa:")))
        row.addWidget(self.dimension)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.kappa)
        layout.addWidget(QLabel(tr("Exact and within-one agreement over rater pairs")))
        layout.addWidget(self.pairs)
        layout.addStretch(1)

    def show_evaluation(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self._fill_alpha()
        current = self.dimension.currentData()
        self.dimension.blockSignals(True)
        self.dimension.clear()
        for key in [*evaluation.stats.dimensions, "all"]:
            self.dimension.addItem(self._name(key), key)
        index = self.dimension.findData(current)
        self.dimension.setCurrentIndex(max(index, 0))
        self.dimension.blockSignals(False)
        self._fill_kappa()
        self._fill_pairs()
        self.refreshed.emit()

    def _name(self, key: str) -> str:
        return tr("all dimensions") if key == "all" else self.labels.get(key, key)

    def disagreement_count(self, dimension: str) -> int:
        """Open disagreements (2+ points apart, not adjudicated) that involve ``dimension``."""
        table = self.evaluation.stats.disagreements
        if table.empty:
            return 0
        open_ = table[~table["resolved"].astype(bool)]
        if dimension == "all":
            return len(open_)
        return int(
            open_["dimensions"]
            .astype(str)
            .str.split(", ")
            .apply(lambda dims: dimension in dims)
            .sum()
        )

    def _fill_alpha(self) -> None:
        stats = self.evaluation.stats
        headers = [
            tr("Dimension"),
            tr("alpha ({level})", level=level_name(stats.level)),
            tr("95% CI"),
            tr("Reading"),
            tr("Units"),
            tr("Needs action"),
        ]
        table = self.alpha
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(stats.alpha))
        n_raters = len(stats.raters)
        for r, a in enumerate(stats.alpha):
            tip = tr(
                "Krippendorff's alpha, {level} level, over {units} items with 2+ ratings "
                "({values} pairable values) from {raters} raters; bootstrap CI with "
                "{resamples} resamples",
                level=level_name(a.level),
                units=a.units,
                values=a.pairable_values,
                raters=n_raters,
                resamples=a.ci.resamples,
            )
            table.setItem(r, 0, cell(self._name(a.dimension), a.dimension, right=False))
            table.setItem(r, 1, cell(number(a.alpha, 3), a.alpha, tip))
            table.setItem(r, 2, cell(f"{number(a.ci.low, 2)}–{number(a.ci.high, 2)}", None, tip))
            kind = reading_kind(a.interpretation)
            reading = reading_name(a.interpretation)
            table.setItem(r, 3, cell(reading, a.interpretation, tip, meaning=kind, right=False))
            table.setItem(r, 4, cell(str(a.units), a.units))
            if kind != "reliable":
                n = self.disagreement_count(a.dimension)
                link = cell(
                    tr("see {n} items →", n=n),
                    n,
                    tr("click: the disagreements behind this reading"),
                    right=False,
                )
                link.setForeground(self.palette().link())
                table.setItem(r, 5, link)
        fit_height(table)

    def _on_alpha_clicked(self, row: int, column: int) -> None:
        if column == 5 and self.alpha.item(row, 5) is not None:
            self.show_items.emit(str(self.alpha.item(row, 0).data(SORT_ROLE)))

    def _fill_kappa(self) -> None:
        if self.evaluation is None:
            return
        stats = self.evaluation.stats
        key = self.dimension.currentData() or "all"
        kappa = (
            stats.kappa[stats.kappa["dimension"] == key] if not stats.kappa.empty else stats.kappa
        )
        raters = list(stats.raters["rater"]) if not stats.raters.empty else []
        table = self.kappa
        table.clear()
        table.setRowCount(len(raters))
        table.setColumnCount(len(raters))
        table.setHorizontalHeaderLabels(raters)
        table.setVerticalHeaderLabels(raters)
        for _, row in kappa.iterrows():
            if row["rater_a"] not in raters or row["rater_b"] not in raters:
                continue
            i, j = raters.index(row["rater_a"]), raters.index(row["rater_b"])
            value = row["kappa"]
            tip = tr(
                "weighted kappa over {n} shared ratings; exact {e}, within one {w}",
                n=int(row["n"]),
                e=percent(row["exact"]),
                w=percent(row["within_one"]),
            )
            table.setItem(i, j, cell(number(value), value, tip))
            table.setItem(j, i, cell(number(value), value, tip))
        for i in range(len(raters)):
            table.setItem(i, i, cell("1", 1.0))
        fit_height(table)

    def _fill_pairs(self) -> None:
        pairs = self.evaluation.stats.pair_agreement
        table = self.pairs
        table.clear()
        headers = [tr("Dimension"), tr("Pairs"), tr("Exact"), tr("Within one")]
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(pairs))
        for r, (key, p) in enumerate(pairs.items()):
            table.setItem(r, 0, cell(self._name(key), key, right=False))
            table.setItem(r, 1, cell(str(p.get("pairs", 0)), p.get("pairs")))
            table.setItem(r, 2, cell(percent(p.get("exact")), p.get("exact")))
            table.setItem(r, 3, cell(percent(p.get("within_one")), p.get("within_one")))
        fit_height(table)
