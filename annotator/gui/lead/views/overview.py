"""Overview page: per-model means with CIs, metrics, verdicts, differences, and charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.gates import label as metric_label
from annotator.core.domain.wording import verdict_name
from annotator.core.i18n import tr
from annotator.gui.lead.charts import (
    CORNER_GAP,
    RENDER_HINTS,
    corner_texts,
    distribution_chart,
    fit_corners,
    means_chart,
    scatter_chart,
)
from annotator.gui.lead.common import number, percent, verdict_text
from annotator.gui.lead.models import SORT_ROLE
from annotator.gui.lead.views.baseline_bar import BaselineBar
from annotator.gui.lead.views.cells import cell, fit_height
from annotator.gui.lead.views.comparisons import difference_cell, pairs_cell, row_title
from annotator.gui.lead.views.next_steps import NextSteps
from annotator.gui.lead.views.plan_panel import PlanPanel
from annotator.gui.widgets.plain import plain_label

if TYPE_CHECKING:
    from annotator.core.results import Evaluation


class OverviewPage(QWidget):
    """The lead's first look: is the fine-tune better, by how much, and is it good enough."""

    verdict_clicked = Signal(str, str)  # model, verdict: show the items behind it
    baseline_chosen = Signal(str)  # a model, or "" to choose by name again
    refreshed = Signal()  # redrawn from new data (the controller's changes concerned it)

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.labels = labels
        self.evaluation: Evaluation | None = None
        self.heading = plain_label(QLabel(tr("No statistics yet")))
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.table.cellDoubleClicked.connect(self._on_double_click)
        self.baseline_bar = BaselineBar()
        self.baseline_bar.chosen.connect(self.baseline_chosen)
        self.rule_line = QLabel()  # the decision rule in force, under the table
        self.rule_line.setWordWrap(True)
        small = self.rule_line.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.rule_line.setFont(small)
        self.plan_panel = PlanPanel(labels)
        self.means_view = QChartView()
        self.dist_view = QChartView()
        self.scatter_view = QChartView()
        for view in (self.means_view, self.dist_view, self.scatter_view):
            view.setRenderHint(RENDER_HINTS)
            view.setMinimumHeight(260)
            view.setMinimumWidth(280)
            # A chart view's size hint is its scene's size, i.e. the size it was last given:
            # taken as a hint, the page grew on every layout and scrolled (and the corner
            # labels were placed on a transient geometry). The minimum sizes hold instead.
            view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        # Plain labels over the view, not graphics items in the chart: the chart is
        # replaced on every refresh and must own nothing Python holds on to.
        self.corner_labels = {k: QLabel(t, self.scatter_view) for k, t in corner_texts().items()}
        self.scatter_points = 0
        # Placed once the layout settled: while the view is being resized, its scene is
        # still centred on the old size and the plot area maps to the wrong place.
        self.corner_timer = QTimer(self)
        self.corner_timer.setSingleShot(True)
        self.corner_timer.setInterval(0)
        self.corner_timer.timeout.connect(self._place_corner_labels)
        self.metric_box = QComboBox()
        self.metric_box.currentTextChanged.connect(self._draw_scatter)
        # With no ratings yet: what to do next, in place of charts with nothing in them.
        self.next_steps = NextSteps()
        self.status: dict | None = None  # the team status last shown (assignments)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.heading)
        layout.addWidget(self.baseline_bar)
        layout.addWidget(self.table)
        layout.addWidget(self.rule_line)
        layout.addWidget(self.plan_panel)
        layout.addWidget(self.next_steps)
        self.charts = QWidget()
        charts = QGridLayout(self.charts)
        charts.setContentsMargins(0, 0, 0, 0)
        charts.addWidget(self.means_view, 0, 0)
        charts.addWidget(self.dist_view, 0, 1)
        self.metric_row = QWidget()
        row = QHBoxLayout(self.metric_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Automatic metric:")))
        row.addWidget(self.metric_box)
        row.addStretch(1)
        charts.addWidget(self.metric_row, 1, 0, 1, 2)
        charts.addWidget(self.scatter_view, 2, 0, 1, 2)
        charts.setRowStretch(0, 1)
        charts.setRowStretch(2, 1)
        layout.addWidget(self.charts, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- filling -----------------------------------------------------------------------------
    def show_evaluation(self, evaluation: Evaluation, status: dict | None = None) -> None:
        """Show new statistics; ``status`` (``Project.team_status()``) when it was read too."""
        self.evaluation = evaluation
        if status is not None:
            self.status = status
        stats = evaluation.stats
        n_raters = len(stats.raters)
        self.heading.setText(
            tr(
                "{models} models, {items} items, {raters} raters · means over complete items "
                "with {conf:.0%} bootstrap intervals ({resamples} resamples)",
                models=len(stats.models),
                items=len(stats.items),
                raters=n_raters,
                conf=stats.confidence,
                resamples=stats.resamples,
            )
        )
        self._fill_table(evaluation)
        self.baseline_bar.show_baseline(evaluation.baseline, [m.model for m in stats.models])
        self.baseline_bar.setVisible(bool(stats.models))
        self.table.setVisible(bool(stats.models))
        self.rule_line.setVisible(bool(stats.models))
        self.plan_panel.setVisible(bool(stats.models))
        rated = len(stats.raters) > 0
        self.heading.setVisible(rated)  # "0 raters · means over…" says nothing yet
        self.next_steps.setVisible(not rated)
        self.charts.setVisible(rated)
        if not rated:
            self.next_steps.show_state(
                len(stats.items),
                [m.model for m in stats.models],
                bool((self.status or {}).get("has_assignments")),
            )
        self.metric_row.setVisible(bool(stats.metric_names))
        self.scatter_view.setVisible(bool(stats.metric_names))
        self.means_view.setChart(means_chart(stats, self.labels))
        self.dist_view.setChart(distribution_chart(stats))
        current = self.metric_box.currentText()
        self.metric_box.blockSignals(True)
        self.metric_box.clear()
        self.metric_box.addItems(list(stats.metric_names))
        if current in stats.metric_names:
            self.metric_box.setCurrentText(current)
        self.metric_box.blockSignals(False)
        self._draw_scatter(self.metric_box.currentText())
        self.refreshed.emit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        """A narrower page may need the table's scroll bar: keep every row above it."""
        super().resizeEvent(event)
        for table in (self.table, self.plan_panel.table):
            if table.rowCount():
                fit_height(table)

    def _draw_scatter(self, metric: str) -> None:
        if self.evaluation is None or not metric:
            for label in self.corner_labels.values():
                label.hide()
            return
        chart, self.scatter_points = scatter_chart(self.evaluation.stats, metric)
        self.scatter_view.setChart(chart)
        chart.plotAreaChanged.connect(lambda _area: self.corner_timer.start())
        self._place_corner_labels()

    def _place_corner_labels(self) -> None:
        view = self.scatter_view
        if view.chart() is None:
            return
        area = view.chart().plotArea()
        top_left = view.mapFromScene(view.chart().mapToScene(area.topLeft()))
        bottom_right = view.mapFromScene(view.chart().mapToScene(area.bottomRight()))
        narrow, surface = self.corner_labels["narrow"], self.corner_labels["surface"]
        left, right = top_left.x() + 2, min(bottom_right.x(), view.width()) - 2
        texts = corner_texts()
        fitted = fit_corners(
            narrow.fontMetrics(), texts["narrow"], texts["surface"], right - left, CORNER_GAP
        )
        for label, text, full in zip(
            (narrow, surface), fitted, (texts["narrow"], texts["surface"]), strict=True
        ):
            label.setText(text)
            label.setToolTip(full if text != full else "")
            label.adjustSize()
            label.setVisible(bool(text))
        # Above the plot, in the strip beside the title: over the plot they hid points.
        above = max(0, top_left.y() - narrow.height() - 2)
        narrow.move(left, above)
        surface.move(max(left + narrow.width() + CORNER_GAP, right - surface.width()), above)

    def columns(self, evaluation: Evaluation) -> list[tuple[str, str]]:
        """(kind, key) per column after the model name: what decides first (n, composite,
        verdict, pass rate), then each dimension and each metric behind it."""
        stats = evaluation.stats
        cols = [("n", "n"), ("human", "composite"), ("verdict", "verdict")]
        cols += [("verdict", "pass_rate")] + [("human", d) for d in stats.dimensions]
        return cols + [("metric", m) for m in stats.metric_names]

    def _headers(self, cols: list[tuple[str, str]]) -> list[str]:
        headers = [tr("Model")]
        for kind, key in cols:
            if kind == "human":
                headers.append(self.labels.get(key, key))
            elif kind == "metric":
                headers.append(metric_label(key))
            elif kind == "n":
                headers.append(tr("Complete items"))
            else:
                headers.append(tr("Verdict") if key == "verdict" else tr("Pass rate"))
        return headers

    def _fill_table(self, evaluation: Evaluation) -> None:
        stats, verdicts = evaluation.stats, evaluation.verdicts
        cols = self.columns(evaluation)
        headers = self._headers(cols)
        models = list(stats.models)
        # Computed with the statistics in the background op: the page only reads them.
        comparisons = stats.comparisons
        table = self.table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(models) + len(comparisons))
        n_raters = len(stats.raters)
        for r, summary in enumerate(models):
            table.setItem(r, 0, cell(summary.model, summary.model, right=False))
            mv = verdicts.model(summary.model)
            for c, (kind, key) in enumerate(cols, start=1):
                table.setItem(r, c, self._model_cell(evaluation, summary, mv, kind, key, n_raters))
        for r, comparison in enumerate(comparisons, start=len(models)):
            table.setItem(r, 0, cell(row_title(comparison), None, right=False))
            for c, (kind, key) in enumerate(cols, start=1):
                if kind == "n":
                    item = pairs_cell(comparison)
                elif kind == "verdict":
                    item = None
                else:
                    item = difference_cell(comparison, key, stats.confidence)
                if item is not None:
                    table.setItem(r, c, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        fit_height(table)
        decision = verdicts.decision
        self.rule_line.setText(str(decision.describe(verdicts.confidence)))

    def _model_cell(self, evaluation, summary, mv, kind, key, n_raters) -> QTableWidgetItem:
        stats = evaluation.stats
        if kind == "n":
            tip = tr(
                "{n} of this model's {total} items are complete (every dimension scored): "
                "its means rest on them; {minimum} are needed for a verdict",
                n=mv.n_complete,
                total=summary.n_items,
                minimum=mv.minimum,
            )
            text = f"{mv.n_complete} / {summary.n_items}"
            return cell(text, mv.n_complete, tip)
        if kind == "human":
            mean = summary.means.get(key)
            if mean is None or mean.mean is None:
                return cell("–")
            half = (mean.ci.high - mean.ci.low) / 2 if mean.ci.high is not None else None
            text = number(mean.mean) + (f" ±{half:.2f}" if half is not None else "")
            if mean.n != mv.n_complete:  # the complete column does not say it
                text += f" (n={mean.n})"
            tip = tr(
                "mean over {n} complete items (of {total}), {raters} raters; {conf:.0%} "
                "bootstrap CI {low}–{high}, {resamples} resamples",
                n=mean.n,
                total=summary.n_items,
                raters=n_raters,
                conf=stats.confidence,
                low=number(mean.ci.low),
                high=number(mean.ci.high),
                resamples=stats.resamples,
            )
            if key == "composite":
                weights = ", ".join(f"{d} {w:g}" for d, w in stats.weights.items())
                tip += "\n" + tr("composite = weighted mean of the dimensions ({w})", w=weights)
            return cell(text, mean.mean, tip)
        if kind == "metric":
            mean = summary.metrics.get(key)
            value = mean.mean if mean else None
            signature = evaluation.signatures.get(key) or tr("imported from the file")
            tip = tr(
                "mean over {n} items; signature: {sig}", n=mean.n if mean else 0, sig=signature
            )
            return cell(number(value), value, tip)
        if key == "verdict":
            return cell(
                verdict_text(str(mv.verdict)),
                str(mv.verdict),
                verdict_tip(mv),
                meaning=str(mv.verdict),
                right=False,
            )
        tip = tr(
            "{p} passed, {f} failed, {r} need review (review items are not counted)",
            p=mv.n_pass,
            f=mv.n_fail,
            r=mv.n_review,
        )
        low, high = mv.pass_rate_ci
        text = percent(mv.pass_rate)
        if low is not None:  # 100% of 2 items is not 100%: the Wilson interval says how sure
            text += f"\n[{percent(low)}, {percent(high)}]"
            tip += "\n" + tr("95% Wilson interval of the share of items that pass")
        return cell(text, mv.pass_rate, tip)

    def _on_double_click(self, row: int, column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None and self.evaluation is not None:
            model = item.data(SORT_ROLE)
            if model:
                self.verdict_clicked.emit(str(model), "")


def verdict_tip(mv) -> str:
    """The verdict's reasons in the reader's language, and the samples it rests on."""
    reasons = [str(m) for m in mv.reason_messages] or list(mv.reasons)
    head = tr(
        "{verdict}: {n} complete samples (at least {minimum} needed)",
        verdict=verdict_name(str(mv.verdict)),
        n=mv.n_complete,
        minimum=mv.minimum,
    )
    return "\n".join([head, *(reasons or [tr("every gate passed")])])
