"""The side-by-side page's chart: one stacked horizontal bar per pair and dimension.

Each bar is the whole of a pair's judgments, split into G (A better), S (same), B (B
better) and both bad, each as its share. Painted with ``QPainter``: a few rectangles
and labels need no chart scene, and the bars can say in a tooltip what each part is.
The four colours carry the outcome's meaning (green better, grey same, red worse, dark
both unacceptable), muted, in a light and a dark variant; the rest follows the palette.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.core.i18n import tr
from annotator.gui.lead.common import is_dark, percent
from annotator.gui.widgets.plain import plain_tip

SEGMENTS = ("good", "same", "bad", "both_bad")
# segment -> (light palette, dark palette): muted fills, readable under their labels
COLOURS = {
    "good": ("#5f9f70", "#4d8f5f"),
    "same": ("#c3c7cc", "#6b7078"),
    "bad": ("#cc6b62", "#b85a52"),
    "both_bad": ("#41464e", "#101114"),
}
BAR = 22  # pixels: a bar's height
GAP = 10  # pixels between bars
PAD = 8  # pixels around the drawing


@dataclass(frozen=True)
class GsbRow:
    """One bar: its label and the counts of G, S, B and both bad."""

    label: str
    counts: tuple[int, int, int, int]

    @property
    def total(self) -> int:
        return sum(self.counts)


def segment_names() -> dict[str, str]:
    """What each part of a bar is, in the reader's language."""
    return {
        "good": tr("G: A better"),
        "same": tr("S: same"),
        "bad": tr("B: B better"),
        "both_bad": tr("Both bad"),
    }


def colour(segment: str) -> QColor:
    light, dark = COLOURS[segment]
    return QColor(dark if is_dark() else light)


def _text_on(fill: QColor) -> QColor:
    return QColor("#000000") if fill.lightness() > 150 else QColor("#ffffff")


class GsbBars(QWidget):
    """Stacked horizontal GSB bars; ``set_rows`` gives them, ``segment_at`` finds a part."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[GsbRow] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_rows(self, rows: list[GsbRow]) -> None:
        self.rows = list(rows)
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    # -- geometry --------------------------------------------------------------------------
    def _line(self) -> int:
        return self.fontMetrics().height()

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = max(len(self.rows), 1)
        return QSize(640, 2 * PAD + self._line() + GAP + rows * (BAR + GAP))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, self.sizeHint().height())

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(r.label) for r in self.rows), default=0)
        return min(widest + PAD, int(self.width() * 0.4))

    def _count_width(self) -> int:
        metrics = self.fontMetrics()
        texts = [tr("n = {n}", n=r.total) for r in self.rows]
        return max((metrics.horizontalAdvance(t) for t in texts), default=0) + PAD

    def bar_rect(self, index: int) -> QRect:
        """Where the bar of row ``index`` is drawn."""
        left = PAD + self._label_width()
        width = max(self.width() - left - self._count_width() - PAD, 10)
        top = PAD + self._line() + GAP + index * (BAR + GAP)
        return QRect(left, top, width, BAR)

    def segment_rects(self, index: int) -> list[tuple[str, QRectF]]:
        """Each non-empty part of a bar with its rectangle (widths by share of judgments)."""
        row, bar = self.rows[index], self.bar_rect(index)
        if not row.total:
            return []
        out, x = [], float(bar.left())
        for name, count in zip(SEGMENTS, row.counts, strict=True):
            width = bar.width() * count / row.total
            if count:
                out.append((name, QRectF(x, bar.top(), width, bar.height())))
            x += width
        return out

    def segment_at(self, point) -> tuple[int, str] | None:
        """(row, segment) under ``point``, or None."""
        point = QPointF(point)
        for index in range(len(self.rows)):
            for name, rect in self.segment_rects(index):
                if rect.contains(point):
                    return index, name
        return None

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._legend(painter)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        for index, row in enumerate(self.rows):
            bar = self.bar_rect(index)
            painter.setPen(text)
            label = metrics.elidedText(row.label, Qt.TextElideMode.ElideMiddle, bar.left() - PAD)
            painter.drawText(
                QRect(PAD, bar.top(), bar.left() - 2 * PAD, BAR),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            for name, rect in self.segment_rects(index):
                fill = colour(name)
                painter.fillRect(rect, fill)
                self._outline(painter, rect)
                share = percent(row.counts[SEGMENTS.index(name)] / row.total)
                if metrics.horizontalAdvance(share) + 6 <= rect.width():
                    painter.setPen(_text_on(fill))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, share)
            painter.setPen(text)
            painter.drawText(
                QRect(bar.right() + PAD, bar.top(), self._count_width(), BAR),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                tr("n = {n}", n=row.total),
            )
        painter.end()

    def _outline(self, painter: QPainter, rect) -> None:
        """A faint edge in the text colour: a dark part stays visible on a dark window."""
        edge = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        edge.setAlpha(60)
        painter.save()
        painter.setPen(edge)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.restore()

    def _legend(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        x, line = PAD + self._label_width(), self._line()
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        for name, text in segment_names().items():
            swatch = QRect(x, PAD + (line - 10) // 2, 10, 10)
            painter.fillRect(swatch, colour(name))
            self._outline(painter, swatch)
            x += 14
            painter.drawText(
                QRect(x, PAD, metrics.horizontalAdvance(text) + 2, line),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += metrics.horizontalAdvance(text) + 18

    # -- tooltips --------------------------------------------------------------------------
    def tip_at(self, point) -> str:
        found = self.segment_at(point)
        if found is None:
            return ""
        index, name = found
        row = self.rows[index]
        count = row.counts[SEGMENTS.index(name)]
        return tr(
            "{pair}: {part} in {count} of {n} judgments ({share})",
            pair=row.label,
            part=segment_names()[name],
            count=count,
            n=row.total,
            share=percent(count / row.total),
        )

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            tip = self.tip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), plain_tip(tip), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
