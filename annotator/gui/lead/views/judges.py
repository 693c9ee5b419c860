"""Judges page: can an LLM judge replace a rater, and what do its scores add to the means?

Per judge: its name, its signature on one line (as a metric's), its counts and whether it
counts as a rater; the agreement with the humans and the alternative annotator test per
dimension, the test's reading in words; its side-by-side verdicts when it gave any; a
scatter of its score against the human mean per item; the prediction-powered means
beside the human-only ones. Without a judge: what a judge is and the two ways to get one.
It only reads ``Evaluation.judges`` and the pairs the controller hands it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCharts import QChartView, QScatterSeries
from PySide6.QtCore import Signal
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.lead.common import scrolled_page
from annotator.gui.lead.models import SORT_ROLE
from annotator.gui.lead.views.judges_chart import jitter, judge_scatter
from annotator.gui.lead.views.judges_header import (
    EPSILONS,
    EmptyState,
    JudgeHeader,
    epsilon_words,
    point_text,
    title,
    wrapped,
)
from annotator.gui.lead.views.judges_tables import (
    ALL,
    dimension_text,
    fill_agreement,
    fill_means,
    fill_pairwise,
    readings_text,
)
from annotator.gui.lead.views.side_by_side_tables import table
from annotator.gui.widgets.plain import plain_tip

if TYPE_CHECKING:
    import pandas as pd

    from annotator.core.results import Evaluation, JudgeResult


class JudgesPage(QWidget):
    """One judge at a time against the humans; the controller answers its requests."""

    epsilon_chosen = Signal(float)
    gates_from_chosen = Signal(str)  # a judge's name, or "humans"
    use_requested = Signal(str, bool)  # judge, on
    run_requested = Signal()
    pairs_wanted = Signal(str, str)  # judge, dimension (a rubric key or "all")
    refreshed = Signal()

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.labels = labels
        self.evaluation: Evaluation | None = None
        self.empty = EmptyState()
        self.empty.run_button.clicked.connect(self.run_requested)
        self.judge_box = QComboBox()
        self.epsilon_box = QComboBox()
        for epsilon in EPSILONS:
            self.epsilon_box.addItem(epsilon_words(epsilon), epsilon)
        self.gates_box = QComboBox()
        self.gates_box.setToolTip(
            tr(
                "What the model gates on human means read: the human-only means (the default),"
                " or a judge's prediction-powered means (human and judge scores together)"
            )
        )
        self.run_button = QPushButton(tr("Ru&n a judge…"))
        self.run_button.setToolTip(self.empty.run_button.toolTip())
        self.run_button.clicked.connect(self.run_requested)
        self.header = JudgeHeader()
        self.header.use_button.clicked.connect(self._use_clicked)
        self.agreement = table()
        self.readings = wrapped(plain=True)
        self.pairwise_box = QWidget()
        self.pairwise = table()
        self.dimension_box = QComboBox()
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(520, 420)
        self.chart_note = wrapped(small=True)
        self.means = table()
        for t in (self.agreement, self.pairwise, self.means):
            t.setTabKeyNavigation(False)  # Tab goes on to the next control, arrows move in it
        self.content = QWidget()
        self._lay_out()
        self.judge_box.activated.connect(lambda _: self._show_selected())
        self.epsilon_box.activated.connect(
            lambda _: self.epsilon_chosen.emit(float(self.epsilon_box.currentData()))
        )
        self.gates_box.activated.connect(
            lambda _: self.gates_from_chosen.emit(str(self.gates_box.currentData()))
        )
        self.dimension_box.activated.connect(lambda _: self._want_pairs())
        self.agreement.currentCellChanged.connect(lambda row, *_: self._row_chosen(row))
        self._show_empty(None)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        for text, box in ((tr("Jud&ge:"), self.judge_box), (tr("&Epsilon:"), self.epsilon_box),
                          (tr("Gates &read:"), self.gates_box)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(box)
            controls.addWidget(label)
            controls.addWidget(box)
        controls.addWidget(self.run_button)
        controls.addStretch(1)
        pairwise = QVBoxLayout(self.pairwise_box)
        pairwise.setContentsMargins(0, 8, 0, 0)
        pairwise.addWidget(title(tr("Side-by-side verdicts (both orders combined)")))
        pairwise.addWidget(self.pairwise)
        dimension = QLabel(tr("&Dimension:"))
        dimension.setBuddy(self.dimension_box)
        chart_row = QHBoxLayout()
        chart_row.addWidget(dimension)
        chart_row.addWidget(self.dimension_box)
        chart_row.addStretch(1)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.header)
        layout.addWidget(title(tr("Can it replace a rater?")))
        layout.addWidget(self.agreement)
        layout.addWidget(self.readings)
        layout.addWidget(self.pairwise_box)
        layout.addWidget(title(tr("Judge's score against the human mean, per item")))
        layout.addLayout(chart_row)
        layout.addWidget(self.chart_view)
        layout.addWidget(self.chart_note)
        layout.addWidget(title(tr("Prediction-powered means (PPI++) beside the human-only means")))
        layout.addWidget(self.means)
        layout.addWidget(
            wrapped(
                tr(
                    "The prediction-powered mean uses the judge's scores on every item and"
                    " corrects them with the humans' where both scored; it never replaces the"
                    " human-only verdict unless a gate is told to use it."
                ),
                small=True,
            )
        )
        scrolled_page(self, self.empty, self.content)

    # -- what the controller calls ---------------------------------------------------------
    @property
    def report(self):
        return self.evaluation.judges if self.evaluation is not None else None

    @property
    def has_judges(self) -> bool:
        return self.report is not None and bool(self.report.judges)

    def selected(self) -> JudgeResult | None:
        if not self.has_judges:
            return None
        return self.report.get(self.judge_box.currentText()) or self.report.judges[0]

    def dimension(self) -> str:
        return self.dimension_box.currentData() or ALL

    def show_evaluation(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        if not self.has_judges:
            self._show_empty(evaluation.project.get("path"))
        else:
            self._fill_boxes()
            self._show_selected()
        self.refreshed.emit()

    def show_pairs(self, name: str, dimension: str, pairs: pd.DataFrame) -> None:
        """The scatter of ``Judges.pairs`` for the judge and dimension shown."""
        shown = dimension_text(dimension, self.labels)
        chart, points = judge_scatter(pairs, tr("{judge} · {dimension}", judge=name,
                                                dimension=shown))  # fmt: skip
        self._tips(chart, pairs)
        old = self.chart_view.chart()
        self.chart_view.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.chart_note.setText(
            tr(
                "{n} points (an item and a dimension each), moved by at most 0.12 so that"
                " equal scores stay visible; on the dashed line the judge gives the human"
                " mean.",
                n=points,
            )
        )

    # -- inside ----------------------------------------------------------------------------
    def _tips(self, chart, pairs: pd.DataFrame) -> None:
        """Hovering a point says which item it is and its two scores."""
        for series in chart.series():
            if not isinstance(series, QScatterSeries):
                continue
            rows = pairs[pairs["model"].astype(str) == series.name()]
            if len(rows):
                series.hovered.connect(partial(self._point_tip, rows))

    def _point_tip(self, rows: pd.DataFrame, point, state: bool) -> None:
        if not state:
            QToolTip.hideText()
            return
        x = rows["judge"].to_numpy(float) + jitter(rows["item_id"], salt=1)
        y = rows["human_mean"].to_numpy(float) + jitter(rows["item_id"], salt=2)
        row = rows.iloc[int(((x - point.x()) ** 2 + (y - point.y()) ** 2).argmin())]
        QToolTip.showText(QCursor.pos(), plain_tip(point_text(row, self.labels)))

    def _show_empty(self, path: str | None) -> None:
        self.empty.show_project(path)
        self.empty.show()
        self.content.hide()

    def _fill_boxes(self) -> None:
        names = [j.name for j in self.report.judges]
        current = self.judge_box.currentText()
        self.judge_box.clear()
        self.judge_box.addItems(names)
        if current in names:
            self.judge_box.setCurrentIndex(names.index(current))
        self.epsilon_box.setCurrentIndex(max(0, self.epsilon_box.findData(self.report.epsilon)))
        self.gates_box.clear()
        self.gates_box.addItem(tr("human-only means"), "humans")
        for judge in self.report.judges:
            if judge.scores:
                self.gates_box.addItem(tr("{judge}: prediction-powered means", judge=judge.name),
                                       judge.name)  # fmt: skip
        chosen = self.gates_box.findData(self.evaluation.gates_from or "humans")
        self.gates_box.setCurrentIndex(max(0, chosen))

    def _show_selected(self) -> None:
        judge = self.selected()
        self.empty.hide()
        self.content.show()
        self.header.show_judge(judge)
        fill_agreement(self.agreement, judge, self.labels)
        self.readings.setText(readings_text(judge))
        self.pairwise_box.setVisible(judge.pairwise is not None)
        if judge.pairwise is not None:
            fill_pairwise(self.pairwise, judge.pairwise)
        fill_means(self.means, judge, self.labels)
        self._fill_dimensions(judge)
        self._want_pairs()

    def _fill_dimensions(self, judge: JudgeResult) -> None:
        current = self.dimension()
        self.dimension_box.clear()
        for d in judge.dimensions:
            self.dimension_box.addItem(dimension_text(d.dimension, self.labels), d.dimension)
        index = self.dimension_box.findData(current)
        self.dimension_box.setCurrentIndex(index if index >= 0 else 0)

    def _want_pairs(self) -> None:
        judge = self.selected()
        if judge is not None and judge.dimensions:
            self.pairs_wanted.emit(judge.name, self.dimension())

    def _row_chosen(self, row: int) -> None:
        item = self.agreement.item(row, 0) if row >= 0 else None
        if item is None:
            return
        index = self.dimension_box.findData(item.data(SORT_ROLE))
        if index >= 0 and index != self.dimension_box.currentIndex():
            self.dimension_box.setCurrentIndex(index)
            self._want_pairs()

    def _use_clicked(self) -> None:
        judge = self.selected()
        if judge is not None:
            self.use_requested.emit(judge.name, not judge.promoted)
