"""Qt item models over core results: adapters fed with DataFrames, never running SQL.

``FrameModel`` shows a DataFrame through a list of ``Column`` specs (header,
source column, formatter, optional colour and tooltip). Rows are formatted on
demand in ``data()``, so a 100,000-item table costs nothing until it is seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from annotator.gui.lead.common import meaning_color
from annotator.gui.widgets.plain import plain_tip

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw value, for sorting and for tests


@dataclass(frozen=True)
class Column:
    """One column of a ``FrameModel``."""

    header: str
    source: str
    fmt: Callable[[object], str] = str
    color: Callable[[object], str | None] | None = None  # value -> meaning key
    tooltip: Callable[[pd.Series], str] | None = None  # row -> how the value was made
    align_right: bool = False


def _raw(value: object) -> object:
    """A plain Python value (numpy scalars confuse QVariant)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if value is pd.NA:
        return None
    return value


class FrameModel(QAbstractTableModel):
    """A read-only table over a DataFrame; ``set_frame`` swaps the data in one reset."""

    def __init__(self, columns: list[Column], parent: QObject | None = None):
        super().__init__(parent)
        self.columns = columns
        self.frame = pd.DataFrame(columns=[c.source for c in columns])
        self._cols: list[np.ndarray] = []

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame.reset_index(drop=True)
        # Columns as object arrays once: data() is then O(1) per cell, not a pandas lookup.
        self._cols = [
            frame[c.source].to_numpy(dtype=object)
            if c.source in frame
            else np.full(len(frame), None, dtype=object)
            for c in self.columns
        ]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def value(self, row: int, column: int) -> object:
        return _raw(self._cols[column][row])

    def row_value(self, row: int, source: str) -> object:
        """The raw value of any frame column (shown or not) in ``row``."""
        return _raw(self.frame[source].iat[row])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        spec = self.columns[index.column()]
        value = self.value(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return "–" if value is None else spec.fmt(value)
        if role == SORT_ROLE:
            return value
        if role == Qt.ItemDataRole.ForegroundRole and spec.color is not None:
            return meaning_color(spec.color(value))
        if role == Qt.ItemDataRole.ToolTipRole and spec.tooltip is not None:
            return plain_tip(spec.tooltip(self.frame.iloc[index.row()]))  # names as typed
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return section + 1
