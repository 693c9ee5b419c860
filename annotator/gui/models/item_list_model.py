"""The item list: a lazy table adapter over a ``RaterSession``.

Rows are positions in the rater's order (optionally filtered). Nothing is
materialised up front: a row's texts are fetched through the session when a view
asks for that row, and a small cache keeps scrolling smooth. The model never runs
SQL itself; the session does, blind.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.scoring import FILTERS
from annotator.core.i18n import tr
from annotator.core.project import RaterSession
from annotator.gui.widgets.plain import plain_tip

COLUMNS = ("#", "Status", "", "Instruction")
PREVIEW_CHARS = 40
CACHE_SIZE = 512
PositionRole = Qt.ItemDataRole.UserRole + 1
_FILE_ERRORS = (AnnotatorError, OSError)

Index = QModelIndex | QPersistentModelIndex


class ItemListModel(QAbstractTableModel):
    """Rows: positions in ``session.order`` passing the current filter."""

    def __init__(self, session: RaterSession, parent=None):
        super().__init__(parent)
        self._session = session
        self._filter = "all"
        self._rows: list[int] | None = None  # None: every position, without a list of them
        self._previews: OrderedDict[int, str] = OrderedDict()

    # -- filter ----------------------------------------------------------------------------
    @property
    def filter(self) -> str:
        return self._filter

    def set_filter(self, kind: str) -> None:
        """Show "all", "unscored", "flagged" or "commented" items."""
        if kind not in FILTERS:
            raise ValueError(f'unknown filter "{kind}"')
        self.beginResetModel()
        self._filter = kind
        self._rows = None if kind == "all" else self._session.indexes(kind)
        self.endResetModel()

    def refilter(self) -> None:
        """Recompute the rows of the current filter (after scores, flags or comments)."""
        if self._filter != "all":
            self.set_filter(self._filter)

    # -- positions <-> rows ----------------------------------------------------------------
    def position(self, row: int) -> int:
        """The position in the rater's order shown on ``row``."""
        return row if self._rows is None else self._rows[row]

    def row_of(self, position: int) -> int:
        """The row showing ``position``, or -1 when the filter hides it."""
        if self._rows is None:
            return position if 0 <= position < len(self._session) else -1
        try:
            return self._rows.index(position)
        except ValueError:
            return -1

    def position_changed(self, position: int) -> None:
        """Repaint one item's row (its scores, flag or comment changed)."""
        row = self.row_of(position)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        if parent.isValid():
            return 0
        return len(self._session) if self._rows is None else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        position = self.position(index.row())
        column = index.column()
        if role == PositionRole:
            return position
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(position + 1)
            state = self._session.state(position)
            if column == 1:
                return _status(state.scored, state.total)
            if column == 2:
                return _notes(state.flagged, state.commented)
            return self._preview(position)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            state = self._session.state(position)
            if not state.done:  # unfinished work stands out by weight of color, not a hue
                return QApplication.palette().color(QPalette.ColorRole.Text)
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            try:
                return plain_tip(self._session.item(position).instruction)
            except _FILE_ERRORS:  # a package locked by another program: no tooltip now
                return None
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            state = self._session.state(position)
            words = [tr("flagged")] if state.flagged else []
            if state.commented:
                words.append(tr("commented"))
            return ", ".join(words) or None
        return None

    def _preview(self, position: int) -> str:
        text = self._previews.get(position)
        if text is None:
            try:
                raw = self._session.item(position).instruction
            except _FILE_ERRORS:  # locked by another program: shown once it can be read
                return "…"
            text = " ".join(raw.split())[:PREVIEW_CHARS]
            self._previews[position] = text
            if len(self._previews) > CACHE_SIZE:
                self._previews.popitem(last=False)
        else:
            self._previews.move_to_end(position)
        return text


def _header(section: int) -> str:
    # Literal tr() calls: packaging/messages.py only finds messages written out like this.
    return {
        1: tr("Status"),
        3: tr("Instruction"),
    }.get(section, COLUMNS[section])


def _status(scored: int, total: int) -> str:
    if scored >= total:
        return tr("done")
    if scored == 0:
        return tr("unscored")
    return f"{scored}/{total}"


def _notes(flagged: bool, commented: bool) -> str:
    # Symbols keep the column narrow; the tooltip says them in words.
    return ("⚑" if flagged else "") + ("✎" if commented else "")
