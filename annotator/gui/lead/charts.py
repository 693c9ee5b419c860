"""QtCharts for the overview: means per model, score distributions, metric vs human.

Each builder takes core results and returns a ``QChart``; the page puts it in a
``QChartView``. Series colours come from the chart theme, which follows the
system palette (light or dark); only the diagnostic labels are ours.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPainter

from annotator.core.i18n import tr
from annotator.core.stats import StatsReport
from annotator.gui.lead.common import is_dark


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTheme(
        QChart.ChartTheme.ChartThemeDark if is_dark() else QChart.ChartTheme.ChartThemeLight
    )
    chart.setBackgroundVisible(False)  # the window's own colour shows through
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _cjk_title_font(axis: QValueAxis) -> None:
    """Give a vertical axis title in Chinese a Chinese font of its own.

    QtCharts sizes a rotated title by the line height of the axis's own font; when the
    glyphs come from a fallback CJK font (taller than, say, DejaVu Sans) the title no
    longer fits and is cut to "...". Naming a CJK family first keeps the two in step.
    """
    if not any("\u4e00" <= ch <= "\u9fff" for ch in axis.titleText()):
        return
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if not families:
        return
    font = QFont(axis.titleFont())
    font.setFamilies([families[0], *font.families()])
    axis.setTitleFont(font)


def means_chart(stats: StatsReport, labels: dict[str, str]) -> QChart:
    """Dimension means and the composite, one bar per model, on the 1-5 scale."""
    chart = _chart(tr("Mean score per dimension"))
    keys = [*stats.dimensions, "composite"]
    series = QBarSeries()
    for summary in stats.models:
        bars = QBarSet(summary.model)
        for key in keys:
            mean = summary.means.get(key)
            bars.append(float(mean.mean) if mean and mean.mean is not None else 0.0)
        series.append(bars)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.setTruncateLabels(False)  # "Style consistency" must read whole
    axis_x.append([labels.get(k, k) for k in keys])
    axis_y = QValueAxis()
    axis_y.setRange(1, 5)
    axis_y.setTickCount(5)
    axis_y.setLabelFormat("%.0f")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    return chart


def distribution_chart(stats: StatsReport) -> QChart:
    """Share of each score 1-5 over all dimensions, per model (percent, so n can differ)."""
    chart = _chart(tr("Score distribution (all dimensions)"))
    series = QBarSeries()
    top = 0.0
    for summary in stats.models:
        counts = np.zeros(5)
        for dist in summary.distribution.values():
            counts += np.asarray(dist, dtype=float)[:5]
        share = 100 * counts / counts.sum() if counts.sum() else counts
        top = max(top, float(share.max(initial=0)))
        bars = QBarSet(summary.model)
        bars.append([float(v) for v in share])
        series.append(bars)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append(["1", "2", "3", "4", "5"])
    axis_y = QValueAxis()
    axis_y.setRange(0, max(10.0, np.ceil(top / 10) * 10))
    axis_y.setLabelFormat("%.0f%%")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    return chart


def scatter_chart(stats: StatsReport, metric: str) -> tuple[QChart, int]:
    """An automatic metric (x) against the human composite (y), one series per model.

    Returns the chart and the number of points drawn. The page labels the two
    corners where metric and people disagree (``CORNERS``).
    """
    chart = _chart(tr("{metric} vs human composite", metric=metric.upper()))
    table = stats.items
    x_max, points = 1.0, 0
    axis_x, axis_y = QValueAxis(), QValueAxis()
    for model, group in table.groupby("model", sort=False):
        xs = group[metric].to_numpy(dtype=float) if metric in group else np.array([])
        ys = group["composite"].to_numpy(dtype=float)
        ok = np.isfinite(xs) & np.isfinite(ys)
        series = QScatterSeries()
        series.setName(str(model))
        series.setMarkerSize(8)
        series.append([QPointF(float(x), float(y)) for x, y in zip(xs[ok], ys[ok], strict=True)])
        points += int(ok.sum())
        if ok.any():
            x_max = max(x_max, float(xs[ok].max()))
        chart.addSeries(series)
    # A little room past each end: points at composite 5 or metric 0 stay whole.
    axis_x.setRange(-0.02 * x_max, 1.02 * x_max)
    axis_x.setTickType(QValueAxis.TickType.TicksDynamic)
    axis_x.setTickAnchor(0)
    axis_x.setTickInterval(0.25 if x_max <= 1 else 10 ** np.floor(np.log10(x_max)))
    axis_x.setTitleText(metric.upper())
    axis_y.setRange(0.85, 5.15)
    axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
    axis_y.setTickAnchor(1)
    axis_y.setTickInterval(1)
    axis_y.setLabelFormat("%.0f")
    axis_y.setTitleText(tr("composite"))
    _cjk_title_font(axis_y)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    for series in chart.series():
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
    return chart, points


def corner_texts() -> dict[str, str]:
    """High metric with a low composite copies the reference's words but reads badly;
    low metric with a high composite is a good answer the single reference misses."""
    return {"surface": tr("surface match ↘"), "narrow": tr("↖ narrow reference")}


CORNER_GAP = 16  # pixels at least between the two corner labels


def fit_corners(metrics, narrow: str, surface: str, width: int, gap: int = CORNER_GAP):
    """The two corner texts as they fit side by side in ``width`` pixels with ``gap``
    between them (measured with ``metrics``, a ``QFontMetrics``): whole when they fit,
    else each elided to half the room; an empty text when not even "…" fits."""
    need = metrics.horizontalAdvance(narrow) + metrics.horizontalAdvance(surface) + gap
    if need <= width:
        return narrow, surface
    half = max(0, (width - gap) // 2)
    out = []
    for text in (narrow, surface):
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, half)
        out.append(elided if elided and metrics.horizontalAdvance(elided) <= half else "")
    return out[0], out[1]


RENDER_HINTS = QPainter.RenderHint.Antialiasing
