"""A sheet of sections laid out before it is written: widths, wraps and heights known.

Write-only sheets take their column widths before the first row, so the Summary is
collected first (``Grid``), measured, then streamed. Each column is as wide as its
longest text (headers may wrap onto two lines), up to a cap; longer texts wrap and
their row gets the height of its lines. Titles, section titles and notes spill into
the empty cells to their right and take no part in the widths.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment

from annotator.core.formats.xlsx_report.cells import (
    HEADER_FILL,
    HEADER_FONT,
    SECTION_FONT,
    TITLE_FONT,
    WRAP,
    clean_text,
)
from annotator.core.formats.xlsx_report.layout import (
    FORMATS,
    NUMBER,
    lines_needed,
    rounded,
    row_height,
    set_widths,
    width_units,
)
from annotator.core.i18n import display_width

FIRST_CAP = 34  # terminal columns: the first column holds names and rules
OTHER_CAP = 24
MIN_COLUMNS = 6
NUMBER_RIGHT = Alignment(horizontal="right", vertical="top")
CENTRED = Alignment(horizontal="center", vertical="top")


@dataclass(frozen=True)
class Num:
    """A number of a kind (see ``layout.FORMATS``)."""

    value: object
    kind: str


@dataclass(frozen=True)
class Centred:
    """A short text centred in its cell (an interval "[+0.57, +1.01]", a verdict, a
    reading): it reads apart from the right-aligned numbers beside it."""

    text: str | None


@dataclass(frozen=True)
class _Spill:
    text: str
    font: object = None


class Grid:
    def __init__(self):
        self.rows: list[tuple[str, list]] = []  # (role, cells)

    def title(self, text: str) -> None:
        self.rows.append(("title", [_Spill(text, TITLE_FONT)]))

    def section(self, text: str) -> None:
        self.rows.append(("section", [_Spill(text, SECTION_FONT)]))

    def note(self, *cells) -> None:
        """A row whose last cell spills right (a reason, a signature, a one-line remark)."""
        *head, last = cells
        self.rows.append(("row", [*head, _Spill(last)]))

    def header(self, labels: list[str]) -> None:
        self.rows.append(("header", list(labels)))

    def row(self, *cells) -> None:
        self.rows.append(("row", list(cells)))

    def blank(self) -> None:
        if self.rows and self.rows[-1][0] != "blank":
            self.rows.append(("blank", []))

    # measuring -------------------------------------------------------------------
    def widths(self) -> list[float]:
        """Terminal columns each column needs (capped)."""
        need: dict[int, float] = {}
        for role, cells in self.rows:
            for j, cell in enumerate(cells):
                if cell is None or isinstance(cell, _Spill):
                    continue
                if isinstance(cell, Centred):
                    w = display_width(cell.text or "") + 1
                elif isinstance(cell, Num):
                    w = len(_shown(cell)) + 1
                elif role == "header":  # a header may wrap onto two lines
                    text = str(cell)
                    w = max(math.ceil(display_width(text) / 2), _longest_word(text))
                else:
                    w = display_width(str(cell))
                need[j] = max(need.get(j, MIN_COLUMNS), w)
        count = max(need, default=-1) + 1
        return [
            min(need.get(j, MIN_COLUMNS), FIRST_CAP if j == 0 else OTHER_CAP) for j in range(count)
        ]

    def write(self, ws) -> None:
        columns = self.widths()
        set_widths(ws, [width_units(c) for c in columns])
        for index, (role, cells) in enumerate(self.rows, start=1):
            lines = max(
                [
                    lines_needed(str(c), columns[j])
                    for j, c in enumerate(cells)
                    if isinstance(c, str) and j < len(columns)
                ]
                or [1]
            )
            size = {"title": 14.0, "section": 12.0}.get(role, 11.0)
            if lines > 1 or role in ("title", "section"):
                ws.row_dimensions[index].height = row_height(lines, size)
            ws.append([_cell(ws, c, role) for c in cells])


def _shown(cell: Num) -> str:
    """The number as Excel shows it (for its width)."""
    value = rounded(cell.value, cell.kind)
    if value is None or isinstance(value, str):
        return value or ""
    fmt = FORMATS[cell.kind].split(";")[0]  # a signed format's positive section
    digits = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    sign = "+" if fmt.startswith("+") else ""
    return f"{value * 100:.{digits}f}%" if fmt.endswith("%") else f"{value:{sign}.{digits}f}"


def _longest_word(text: str) -> int:
    words = [w for w in text.replace("(", " ").split() if w.isascii()]
    return max([display_width(w) for w in words] + [2])


def _cell(ws, value, role: str):
    if value is None:
        return None
    if isinstance(value, Num):
        shown = rounded(value.value, value.kind)
        if shown is None:
            return None
        cell = WriteOnlyCell(ws, shown)
        cell.number_format = FORMATS[value.kind]
        cell.alignment = NUMBER_RIGHT  # "<0.001" too, in line with the numbers
        return cell
    if isinstance(value, Centred):
        if value.text is None:
            return None
        cell = WriteOnlyCell(ws, clean_text(value.text))
        cell.data_type = "s"
        cell.number_format = "@"
        cell.alignment = CENTRED
        return cell
    if isinstance(value, _Spill):
        cell = WriteOnlyCell(ws, clean_text(value.text))
        cell.data_type = "s"
        cell.number_format = "@"
        if value.font:
            cell.font = value.font
        cell.alignment = NUMBER  # top, as its row's other cells; no wrap: it spills right
        return cell
    if not isinstance(value, str):
        raise TypeError(f"a Summary cell is text or Num, not {type(value).__name__}")
    cell = WriteOnlyCell(ws, clean_text(value))
    cell.data_type = "s"  # text even when it looks like a formula
    cell.number_format = "@"
    cell.alignment = WRAP
    if role == "header":
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    return cell
