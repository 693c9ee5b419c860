"""The long sheets' rows (Items, Ratings) written as XML text, not cell by cell.

openpyxl serialises every cell through lxml's element writer (about 5 us a cell, most
of the export of 100,000 items). Here each column's cells are rendered as text once per
block of rows, with the style id looked up once per column, and the block is put into
the sheet's stream as it is (``scratch._LocalSheet.write_xml_rows``). The cells are the
ones openpyxl writes for the same values: the same types (``t``), style ids (``s``),
number text (``%.16g``), inline strings with ``xml:space="preserve"`` where openpyxl puts
it; only non-ASCII text is written as UTF-8 rather than as character references.

A column is one of
  * ``Wrapped``: the report's wrapped, top-aligned text cells (``cells.WrappedText``),
  * ``Rounded``: numbers of one kind (``layout.Numbers``),
  * ``Plain``: values written as they are, text that needs care as a text cell
    (``cells.safe_column``).
Any other kind of value (a date, a decimal) is written by openpyxl itself.
"""

from __future__ import annotations

import math
from io import BytesIO

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.xml.functions import xmlfile

from annotator.core.formats.xlsx_report.cells import (
    TEXT_FORMAT,
    WRAP,
    _harmless,
    clean_text,
    column_letter,
    needs_text_cell,
)
from annotator.core.formats.xlsx_report.layout import FORMATS, NUMBER, rounded

BLOCK = 2000  # rows rendered and written at a time (and a progress tick each)


def escape(text: str) -> str:
    """Text as lxml writes it in an element (``\\r`` as a reference: a reader drops it)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def text_tail(text: str, s: str) -> str:
    """What follows ``<c r="B7"`` for a text cell (``s``: its style attribute or '')."""
    if not text:
        return f'{s} t="inlineStr"></c>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def number_tail(value, s: str) -> str:
    """What follows ``<c r="B7"`` for a number (or a bool) cell."""
    if isinstance(value, bool):
        return f'{s} t="b"><v>{int(value)}</v></c>'
    number = "" if math.isnan(value) or math.isinf(value) else format(value, ".16g")
    return f'{s} t="n"><v>{number}</v></c>'


class _Style:
    """A style as a cell's ``s`` attribute, registered in the workbook once."""

    def __init__(self, ws, style: StyleArray | None):
        self.ws = ws
        self.array = StyleArray(style) if style is not None else StyleArray()
        self.attr = f' s="{ws.parent._cell_styles.add(self.array)}"' if any(self.array) else ""

    def other(self, value) -> str:
        """Any other value, written by openpyxl's own cell writer."""
        cell = WriteOnlyCell(self.ws, value)
        if any(self.array):  # ours, as WrappedText sets it; else what the value set (a date)
            cell._style = StyleArray(self.array)
        cell.row, cell.column = 1, 1
        out = BytesIO()
        with xmlfile(out) as xf:
            write_cell(xf, self.ws, cell, cell.has_style)
        return out.getvalue().decode("ascii")[len('<c r="A1"') :]

    def value(self, value) -> str:
        if isinstance(value, int | float):
            return number_tail(value, self.attr)
        return self.other(value)


def _style_of(ws, **attrs) -> StyleArray:
    proto = WriteOnlyCell(ws, 0)
    for name, value in attrs.items():
        setattr(proto, name, value)
    return proto._style


class Wrapped:
    """Wrapped, top-aligned cells; text is always a text cell (``cells.WrappedText``)."""

    def __init__(self, ws, values: list):
        self.values = values
        self.style = _Style(ws, _style_of(ws, alignment=WRAP))

    def tails(self, lo: int, hi: int) -> list:
        s, style = self.style.attr, self.style
        out = []
        for v in self.values[lo:hi]:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                out.append(None)
            elif isinstance(v, str):
                out.append(text_tail(clean_text(v), s))
            else:
                out.append(style.value(v))
        return out


class Rounded:
    """Numbers of one kind, rounded to the digits their format shows (``layout.Numbers``)."""

    def __init__(self, ws, values: list, kind: str):
        self.values, self.kind = values, kind
        self.style = _Style(ws, _style_of(ws, number_format=FORMATS[kind], alignment=NUMBER))

    def tails(self, lo: int, hi: int) -> list:
        s, kind = self.style.attr, self.kind
        out = []
        for v in self.values[lo:hi]:
            v = rounded(v, kind)
            if v is None:
                out.append(None)
            elif isinstance(v, str):
                out.append(text_tail(v, s))  # "<0.001": a text cell of the same style
            else:
                out.append(number_tail(v, s))
        return out


class Plain:
    """Values as they are, text that would be a formula or an error as a text cell
    (``cells.safe_column``). ``repeated`` columns (few distinct values) render each
    value once."""

    def __init__(self, ws, values: list, *, repeated: bool = False):
        self.values, self.repeated = values, repeated
        self.plain = _Style(ws, None)
        self.text = _Style(ws, _style_of(ws, number_format=TEXT_FORMAT))

    def tail(self, v) -> str | None:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        if not isinstance(v, str):
            if not _harmless(v) and hasattr(v, "item"):
                v = v.item()  # a numpy number
            return self.plain.value(v)
        if _harmless(v):
            return text_tail(v, "")
        v = clean_text(v)
        return text_tail(v, self.text.attr if needs_text_cell(v) else "")

    def tails(self, lo: int, hi: int) -> list:
        values = self.values[lo:hi]
        if not self.repeated:
            return [self.tail(v) for v in values]
        seen: dict = {}
        out = []
        for v in values:
            try:
                out.append(seen[v])
            except KeyError:
                out.append(seen.setdefault(v, self.tail(v)))
            except TypeError:  # not hashable: rendered each time
                out.append(self.tail(v))
        return out


def _row_start(ws, r: int) -> str:
    dims = ws.row_dimensions
    if r not in dims:
        return f'<row r="{r}">'
    attrs = "".join(f' {k}="{escape(str(v))}"' for k, v in dict(dims[r]).items())
    return f'<row r="{r}"{attrs}>'


def write_rows(ws, columns: list, n: int, tick) -> None:
    """Append ``n`` rows to ``ws`` (a ``scratch`` sheet), one cell from each column,
    rendered and written ``BLOCK`` rows at a time; ``tick(k)`` after each block."""
    letters = [column_letter(k) for k in range(1, len(columns) + 1)]
    for lo in range(0, n, BLOCK):
        hi = min(lo + BLOCK, n)
        tails = [column.tails(lo, hi) for column in columns]
        first = ws.next_row
        parts = []
        for r, row in enumerate(zip(*tails, strict=True), first):
            parts.append(_row_start(ws, r))
            parts.extend(
                f'<c r="{c}{r}"{t}' for c, t in zip(letters, row, strict=True) if t is not None
            )
            parts.append("</row>")
        ws.write_xml_rows("".join(parts).encode("utf-8"), hi - lo)
        tick(lo)
