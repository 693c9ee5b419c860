"""Pieces of the Raters page (issue 18): flags as words, a per-rater score histogram
painted in its table cell, and the rater-adjusted means beside the raw ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.lead.common import number
from annotator.gui.lead.views.cells import cell, fit_height
from annotator.gui.lead.views.tables import compact
from annotator.gui.widgets.plain import plain_label

if TYPE_CHECKING:
    from annotator.core.stats.adjusted import AdjustedMeans
    from annotator.core.stats.rater_quality import RaterSignals

LEVELS = 5


def flag_word(code: str) -> str:
    """A flag code as the lead reads it: the Excel report's Raters sheet's words."""
    words = {
        "speeding": tr("speeding"),
        "straight_lining": tr("straight-lining"),
        "drift": tr("drift"),
        "gold": tr("gold items failed"),
        "severity": tr("severity"),
    }
    return words.get(code, code)


def flags_text(signals: RaterSignals | None) -> str:
    """The flags of one rater in words ("" when none)."""
    if signals is None:
        return ""
    return tr(", ").join(flag_word(f.code) for f in signals.flags)


def counts_text(counts: Sequence[int] | None) -> str:
    """ "1: 3 · 2: 5 · 3: 10 · 4: 2 · 5: 0" — the histogram in words."""
    if not counts:
        return ""
    return " · ".join(f"{k}: {int(n)}" for k, n in enumerate(counts, start=1))


class ScoreBars(QStyledItemDelegate):
    """Paints a rater's counts of the scores 1-5 as five small bars, tallest = most.

    Args:
        counts_of: the counts shown in a cell (``index`` -> five ints, or None).
    """

    def __init__(self, counts_of, parent=None):
        super().__init__(parent)
        self.counts_of = counts_of

    def paint(self, painter, option, index) -> None:
        counts = self.counts_of(index)
        if not counts:
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        palette = option.palette
        color = (palette.highlightedText() if selected else palette.text()).color()
        painter.save()
        rect = option.rect.adjusted(4, 3, -4, -3)
        top = max(max(counts), 1)
        width = max(rect.width() // LEVELS, 3)
        for k, n in enumerate(counts[:LEVELS]):
            height = round(rect.height() * n / top)
            if n and height < 1:
                height = 1  # a score given once still shows
            bar = QRect(rect.left() + k * width + 1, rect.bottom() - height + 1, width - 2, height)
            painter.fillRect(bar, color)
        painter.restore()

    def sizeHint(self, option, index):  # noqa: N802
        size = super().sizeHint(option, index)
        size.setWidth(max(size.width(), 5 * 12 + 8))
        return size


def _dimension_order(means: AdjustedMeans) -> list[str]:
    dims = list(dict.fromkeys(m.dimension for m in means.means))
    return [d for d in dims if d != "composite"] + (["composite"] if "composite" in dims else [])


class AdjustedMeansBox(QWidget):
    """Per model and dimension (and composite): raw, adjusted, the adjustment, items."""

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.labels = labels
        self.title = QLabel(
            tr(
                "Rater-adjusted means: score = item effect + rater effect, least squares "
                "per dimension"
            )
        )
        self.title.setWordWrap(True)
        headers = [
            tr("Model"),
            tr("Dimension"),
            tr("Raw mean"),
            tr("Adjusted mean"),
            tr("Adjustment"),
            tr("Items"),
        ]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        compact(self.table)
        self.notes = plain_label(QLabel())  # the notes name raters as typed
        self.notes.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        layout.addWidget(self.notes)
        layout.addStretch(1)

    def show_means(self, means: AdjustedMeans | None) -> None:
        rows = [] if means is None else list(means.means)
        order = {d: k for k, d in enumerate(_dimension_order(means))} if means else {}
        rows.sort(key=lambda m: (m.model, order.get(m.dimension, 0)))
        table = self.table
        table.setRowCount(len(rows))
        notes: list[str] = []
        for r, m in enumerate(rows):
            shift = None if m.adjusted is None or m.raw is None else m.adjusted - m.raw
            note = "" if m.note is None else m.note.text()
            if note and note not in notes:
                notes.append(note)
            values = (
                cell(m.model, m.model, right=False),
                cell(self._dimension(m.dimension), m.dimension, right=False),
                cell(number(m.raw), m.raw),
                cell(number(m.adjusted), m.adjusted, note),
                cell(number(shift, 3, signed=True), shift, note),
                cell(str(m.n), m.n),
            )
            for c, item in enumerate(values):
                table.setItem(r, c, item)
        fit_height(table)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    def _dimension(self, key: str) -> str:
        return tr("Composite") if key == "composite" else self.labels.get(key, key)
