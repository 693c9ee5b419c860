"""How the report's numbers look, how wide its columns are, and how it prints.

One number format per kind of value, in every sheet:

=================  ==========  =====================================================
kind               format      values
=================  ==========  =====================================================
``score``          ``0.00``    ratings' means, composite, leniency
``metric``         ``0.000``   BLEU, ROUGE, chrF ... means, Spearman rho
``signed_score``   ``+0.00``   a paired difference of scores (candidate − baseline)
``signed_metric``  ``+0.000``  a paired difference of metrics (candidate − baseline)
``effect``         ``0.00``    Cohen's d_z of a paired difference
``agree``          ``0.000``   Krippendorff's alpha, Cohen's kappa
``p``              ``0.000``   p-values; below 0.001 the text ``<0.001``
``percent``        ``0%``      item pass rate
``share``          ``0.0%``    exact agreement, agreement within one point
``count``          ``0``       items, pairs, units, ratings, a rater's 1-5 score
``seconds``        ``0``       seconds per item
``rate``           ``0.00``    a side-by-side win rate (0 to 1)
``signed_rate``    ``+0.00``   a side-by-side net score (-1 to 1)
``elo``            ``0``       a Bradley-Terry rating on the Elo scale
=================  ==========  =====================================================

The value in a cell is rounded to the digits its format shows: what you read is what
the cell holds. Column widths follow the display width of the longest text in the
column (a Chinese character takes two); a text wider than a column's cap wraps, and
its row is given the height of its lines (neither Excel nor LibreOffice grows a row
for wrapped text written by openpyxl).
"""

from __future__ import annotations

import math
import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.styles.cell_style import StyleArray

from annotator.core.formats.xlsx_report.cells import column_letter
from annotator.core.i18n import display_width

FORMATS = {
    "score": "0.00",
    "metric": "0.000",
    "signed_score": "+0.00;-0.00;0.00",
    "signed_metric": "+0.000;-0.000;0.000",
    "effect": "0.00",
    "agree": "0.000",
    "p": "0.000",
    "percent": "0%",
    "share": "0.0%",
    "count": "0",
    "seconds": "0",
    "rate": "0.00",
    "signed_rate": "+0.00;-0.00;0.00",
    "elo": "0",
}
DIGITS = {
    "score": 2,
    "metric": 3,
    "signed_score": 2,
    "signed_metric": 3,
    "effect": 2,
    "agree": 3,
    "p": 3,
    "percent": 2,
    "share": 3,
    "rate": 2,
    "signed_rate": 2,
}
P_FLOOR = 0.001
LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_LINES = 8  # a row shows at most this many lines; the cell keeps the whole text
NUMBER = Alignment(vertical="top")
_BREAK = re.compile(r"[ |,/;]")


def rounded(value, kind: str):
    """``value`` as the cell holds it for its kind (None for a missing value)."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    if kind in ("count", "seconds", "elo"):
        return int(round(value))
    if kind == "p" and value < P_FLOOR:
        return f"<{P_FLOOR:g}"
    return round(value, DIGITS[kind])


def width_units(columns: float) -> float:
    """Excel's column width (in widths of a '0') for text ``columns`` terminal columns wide."""
    return round(columns * 1.1 + 2, 1)


def lines_needed(text: str, columns: float) -> int:
    """Lines ``text`` takes wrapped into ``columns`` terminal columns (an estimate that
    errs long: breaks at spaces and between Chinese characters only)."""
    total = 0
    for part in str(text).split("\n"):
        line, count = 0, 1
        for atom in _atoms(part):
            w = display_width(atom)
            if line and line + w > columns:
                count += 1
                line = 0
            while w > columns:  # a word wider than the column: broken by characters
                count += 1
                w -= columns
            line += w
        total += count
    return total


def _atoms(text: str):
    word = ""
    for ch in text:
        if display_width(ch) == 2:
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
            if _BREAK.match(ch):
                yield word
                word = ""
    if word:
        yield word


def fast_lines(text, columns: float) -> int:
    """``lines_needed`` for the long sheets, from the text's length alone (C speed): a
    Chinese character is three UTF-8 bytes and two columns, the others one and one."""
    if not isinstance(text, str) or not text:
        return 1
    n = len(text)
    wide = (len(text.encode("utf-8")) - n) // 2
    # measured on LibreOffice's rendering: a Chinese character takes about 1.6 widths of
    # a '0', not the 2.2 a column's width allows it; 0.8 keeps rows from doubling
    return text.count("\n") + math.ceil(0.8 * (n + wide) / max(columns - 1, 1))


def row_height(lines: int, size: float = 11.0) -> float:
    return round(min(lines, MAX_LINES) * LINE_HEIGHT * size / 11.0 + 2, 1)


def set_widths(ws, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[column_letter(index)].width = width


def print_setup(ws, *, title_rows: str | None = "1:1") -> None:
    """Every sheet prints landscape, one page wide, its header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows


class Numbers:
    """Number cells of one kind, made fast: the style is registered once and copied."""

    def __init__(self, ws, kind: str):
        self.ws = ws
        self.kind = kind
        proto = WriteOnlyCell(ws, 0)
        proto.number_format = FORMATS[kind]
        proto.alignment = NUMBER
        self._style = proto._style

    def __call__(self, value):
        value = rounded(value, self.kind)
        if value is None:
            return None
        cell = WriteOnlyCell(self.ws, value)
        cell._style = StyleArray(self._style)
        return cell

    def column(self, values) -> list:
        return [self(v) for v in values]
