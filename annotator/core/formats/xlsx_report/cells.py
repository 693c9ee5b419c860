"""Writing any text safely into a worksheet opened in write-only mode.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or reads like an error such as
``#N/A``) is written as a text cell, never a formula or an error; characters XML forbids
are removed; text over Excel's 32,767-character limit is cut with a visible marker.
Values that need no care pass through untouched (fast path).

Every cell object handed to ``ws.append`` carries a style (here the text number format
``@``). openpyxl's write-only ``append`` keeps the last *unstyled* cell object of a row as
its scratch cell and assigns the following values of the row into it: an unstyled cell of
ours was overwritten by the next columns' values (and, reused on later rows, put them in
the wrong columns), and a failed assignment left it typed as a number holding text, which
made the whole file unreadable. A styled cell is written and then let go.
"""

from __future__ import annotations

import math

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray

from annotator.core.i18n import tr

EXCEL_CELL_LIMIT = 32767
FORMULA_START = ("=", "+", "-", "@")
TEXT_FORMAT = "@"  # Excel's "Text" number format: the cell stays text even when edited

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)


def clean_text(value: str) -> str:
    """Remove characters XML cannot hold and cut text Excel cannot hold."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        keep = EXCEL_CELL_LIMIT - len(cut_marker(len(value)))
        value = value[:keep] + cut_marker(len(value) - keep)
    return value


def cut_marker(count: int) -> str:
    """What ends a text cut to fit a cell: " …[cut: 7233 more characters]"."""
    return " " + tr("…[cut: {count} more characters]", count=count)


def safe(ws, value, *, wrap: bool = False):
    """A value ready for ``ws.append``: plain when harmless, a text cell when it needs care."""
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if not isinstance(value, str):
        return value.item() if hasattr(value, "item") else value
    value = clean_text(value)
    if wrap or needs_text_cell(value):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"  # text even when it looks like a formula
        cell.number_format = TEXT_FORMAT  # a style: openpyxl never writes into this cell
        if wrap:
            cell.alignment = WRAP
        return cell
    return value


def needs_text_cell(value: str) -> bool:
    """True when a plain string would not be stored as text (a formula or an error)."""
    return value.startswith(FORMULA_START) or (value[:1] == "#" and value in ERROR_CODES)


def safe_column(ws, values: list, *, repeated: bool = False) -> list:
    """``safe`` over a whole column. ``repeated`` columns (models, raters, dimensions) hold
    few distinct values: each is checked once and the result reused on every row."""
    if not repeated:
        return [v if _harmless(v) else safe(ws, v) for v in values]
    seen: dict = {}
    out = []
    for v in values:
        if v not in seen:
            seen[v] = v if _harmless(v) else safe(ws, v)
        out.append(seen[v])
    return out


def _harmless(value) -> bool:
    """True for values ws.append can take as they are (the common case, checked cheaply)."""
    if isinstance(value, str):
        return (
            not needs_text_cell(value)
            and len(value) <= EXCEL_CELL_LIMIT
            and not ILLEGAL_CHARACTERS_RE.search(value)
        )
    return isinstance(value, int | bool) or (isinstance(value, float) and not math.isnan(value))


class WrappedText:
    """Wrapped, top-aligned text cells made fast: the style is registered once and its
    index array copied to each cell (setting ``alignment`` per cell looks it up each time)."""

    def __init__(self, ws):
        self.ws = ws
        proto = WriteOnlyCell(ws, "")
        proto.alignment = WRAP  # a style: openpyxl never writes into these cells
        self._style = proto._style

    def __call__(self, value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        cell = WriteOnlyCell(self.ws, clean_text(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"  # text even when it looks like a formula
        cell._style = StyleArray(self._style)
        return cell


def styled(ws, value, *, font=None, fill=None, alignment=None, number_format=None):
    """A cell with the given style; text is always a text cell (never a formula)."""
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
        number_format = number_format or TEXT_FORMAT  # styled, so never a scratch cell
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    return cell


def header(ws, labels: list[str]) -> list:
    return [
        styled(ws, label, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP) for label in labels
    ]


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
