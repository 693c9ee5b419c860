"""The Judges page's scatter: the judge's score (x) against the human mean (y), per item.

Judge scores are integers and human means take few values, so many items fall on the
same spot: each point is moved by a small, fixed jitter (the same item always lands on
the same place), and the diagonal y = x shows where a judge that agrees with the humans
would put them. One series per model; the colours come from the chart theme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCharts import QChart, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPen

from annotator.core.i18n import tr
from annotator.gui.lead.common import is_dark

JITTER = 0.12  # at most this far from the true value, on both axes (scores are 1 apart)
LOW, HIGH = 1, 5


def jitter(item_ids, salt: int = 0) -> np.ndarray:
    """A fixed offset in [-JITTER, JITTER] per item: the same item, the same place."""
    # splitmix64 of (id, salt): spread evenly, independent between the two axes, no state.
    with np.errstate(over="ignore"):
        z = np.asarray(item_ids, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z += np.uint64(salt) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    share = (z >> np.uint64(11)).astype(np.float64) / 2.0**53
    return (2 * share - 1) * JITTER


def _cjk_font(axis: QValueAxis) -> None:
    """A Chinese axis title in a Chinese font, so QtCharts sizes it whole (see charts.py)."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in axis.titleText()):
        return
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if families:
        font = QFont(axis.titleFont())
        font.setFamilies([families[0], *font.families()])
        axis.setTitleFont(font)


def _axis(title: str) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(LOW - 0.3, HIGH + 0.3)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(LOW)
    axis.setTickInterval(1)
    axis.setLabelFormat("%.0f")
    axis.setTitleText(title)
    _cjk_font(axis)
    return axis


def judge_scatter(pairs: pd.DataFrame, title: str) -> tuple[QChart, int]:
    """The chart of ``Judges.pairs`` (item_id, model, judge, human_mean) and the number
    of points drawn."""
    chart = QChart()
    chart.setTitle(title)
    chart.setTheme(
        QChart.ChartTheme.ChartThemeDark if is_dark() else QChart.ChartTheme.ChartThemeLight
    )
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    diagonal = QLineSeries()
    diagonal.setName(tr("judge = humans"))
    diagonal.append([QPointF(LOW - 0.3, LOW - 0.3), QPointF(HIGH + 0.3, HIGH + 0.3)])
    chart.addSeries(diagonal)
    pen = QPen(diagonal.pen())
    pen.setStyle(Qt.PenStyle.DashLine)
    pen.setWidthF(1.2)
    diagonal.setPen(pen)
    points = 0
    for model, group in pairs.groupby("model", sort=True):
        series = QScatterSeries()
        series.setName(str(model))
        series.setMarkerSize(7)
        series.setBorderColor(Qt.GlobalColor.transparent)
        dx = jitter(group["item_id"], salt=1)
        dy = jitter(group["item_id"], salt=2)
        xs = group["judge"].to_numpy(float) + dx
        ys = group["human_mean"].to_numpy(float) + dy
        series.append([QPointF(float(x), float(y)) for x, y in zip(xs, ys, strict=True)])
        points += len(group)
        chart.addSeries(series)
    axis_x, axis_y = _axis(tr("judge's score")), _axis(tr("human mean"))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    for series in chart.series():
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
    return chart, points
