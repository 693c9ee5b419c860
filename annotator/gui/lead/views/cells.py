"""Table cells every lead page shares: read-only, with their raw value and how they were made."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from annotator.gui.lead.common import meaning_color
from annotator.gui.lead.models import SORT_ROLE
from annotator.gui.widgets.plain import plain_tip


def cell(
    text: str, raw: object = None, tip: str = "", meaning: str | None = None, right: bool = True
) -> QTableWidgetItem:
    """A read-only table cell with its raw value (SORT_ROLE) and how it was made."""
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setData(SORT_ROLE, raw)
    if tip:
        item.setToolTip(plain_tip(tip))  # tips quote model and dimension names
    if (color := meaning_color(meaning)) is not None:
        item.setForeground(color)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def fit_height(table: QTableWidget) -> None:
    """Show every row of a short table without its own scroll bar."""
    table.resizeColumnsToContents()
    table.resizeRowsToContents()  # a two-line cell gets its two lines
    header = table.horizontalHeader()
    # The hint, not the height: a header not yet laid out (or in a taller CJK font) is
    # still at its old height.
    height = max(header.height(), header.sizeHint().height()) + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    # Whether the columns overflow, read from the widths: the scroll bar's own visibility
    # is updated later, so the last row was hidden under it on the first fill.
    wide = header.length() + 2 * table.frameWidth() > table.width()
    if wide or table.horizontalScrollBar().isVisible():
        height += table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(height + 2)
