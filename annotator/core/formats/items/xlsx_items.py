"""Read the data sheet of an items workbook, bounded by the data that is really there.

A workbook comes from anywhere, so nothing in it is trusted:

- the ``<dimension>`` tag (some non-Excel tools write a wrong one, and openpyxl's read-only
  mode stops at it: 3 of 10 rows were imported) is ignored;
- the cells are read as the XML lists them, without padding rows to the sheet's width
  (a stray space at XFD1048576 made openpyxl produce 17 billion empty cells);
- the zip's members are checked for their unpacked sizes before anything is parsed
  (a 0.6 MB file whose shared string expands to 600 MB took 2.3 GB of memory), and a
  cell longer than ``MAX_CELL_CHARS`` is refused with its address.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.formats.items.tabular import MAX_CELL_CHARS, Table, cell_text
from annotator.core.formats.xlsx_safety import MAX_MEMBERS, MAX_RATIO, ZipExcess, zip_excess

# An items workbook of 100,000 long Chinese triples unpacks to about 300 MB (a rating
# sheet's limit, xlsx_safety.MAX_TOTAL_BYTES, is lower); the member count and the ratio
# are xlsx_safety's, the one zip-bomb check (``zip_excess``).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
# Columns holding a value: an items table has a few dozen. Each one costs a pass over
# every record, so a value in every column of a wide sheet would be quadratic work.
MAX_COLUMNS = 1_000
# A sheet with one of these names is the data, wherever it sits in the workbook.
_DATA_SHEETS = ("data", "items", "samples", "数据", "样本")


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f}"


def check_archive(source: BinaryIO, file: str) -> None:
    """Refuse a workbook whose members would unpack beyond the limits (a zip bomb).

    Python's zipfile never returns more than a member's declared size, so the declared
    sizes bound what openpyxl can be made to read.

    Raises:
        InputError: not a zip, too many members, too large unpacked, or a member
            compressed far more than real spreadsheet XML is.
    """
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(
            Problem(
                Message(
                    "expected an Excel .xlsx workbook but it cannot be opened ({error})", error=exc
                ),
                file=file,
            )
        ) from None
    finally:
        source.seek(0)
    excess = zip_excess(members, max_total=MAX_UNPACKED_BYTES)
    if excess is not None:
        raise InputError(Problem(_excess_words(excess), file=file))


def _excess_words(excess: ZipExcess) -> Message:
    if excess.kind == "members":
        return Message(
            "refused: the workbook holds {count} files (limit {limit}); "
            "save the data as a new workbook or as CSV UTF-8",
            count=excess.size,
            limit=MAX_MEMBERS,
        )
    if excess.kind == "total":
        return Message(
            "refused: the workbook would unpack to {size} MB (limit {limit} MB); "
            "split it, or save it as CSV UTF-8 or JSON lines",
            size=_mb(excess.size),
            limit=_mb(MAX_UNPACKED_BYTES),
        )
    return Message(
        'refused: the part "{member}" of the workbook unpacks from {packed} MB '
        "to {size} MB, more than {ratio} times (a zip bomb?); real sheets do not "
        "compress that well",
        member=excess.member,
        packed=f"{excess.packed / 2**20:.1f}",
        size=_mb(excess.size),
        ratio=MAX_RATIO,
    )


def _open_book(source: BinaryIO, file: str):
    import openpyxl  # imported here: a second or so that CSV users should not pay

    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file; all mean the same
        raise InputError(
            Problem(
                Message(
                    "expected an Excel .xlsx workbook but it cannot be opened ({error})",
                    error=_first_line(exc),
                ),
                file=file,
            )
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _rows(book, ws) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """``(row number, cells)`` as the sheet's XML lists them: no padding, no dimension tag."""
    try:
        from openpyxl.worksheet._reader import WorkSheetParser

        source = ws._get_source()
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
    except (ImportError, AttributeError, TypeError):  # another openpyxl: its public reader
        yield from _padded_rows(ws)
        return
    with source:
        yield from parser.parse()


def _padded_rows(ws) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    ws.reset_dimensions()  # never trust <dimension>
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        yield (
            number,
            [{"column": j, "value": v} for j, v in enumerate(values, start=1) if v is not None],
        )


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


class _Sheet:
    """The non-blank cells of one sheet: the header row and the records under it."""

    def __init__(self, name: str, file: str):
        self.name, self.file = name, file
        self.header: dict[int, str] = {}
        self.header_row = 0
        self.records: list[dict[int, str]] = []
        self.rows: list[int] = []

    def add(self, number: int, cells: list[dict[str, Any]]) -> None:
        values: dict[int, str] = {}
        for cell in cells:
            if cell["value"] is None:
                continue
            text = cell_text(cell["value"])
            if not text.strip():  # a space typed far away is no data
                continue
            if len(text) > MAX_CELL_CHARS:
                raise InputError(self._too_long(number, cell["column"], len(text)))
            values[cell["column"]] = text
        if not values:
            return
        if not self.header_row:
            self.header = {j: text.strip() for j, text in values.items()}
            self.header_row = number
            return
        self.records.append(values)
        self.rows.append(number)

    def _too_long(self, row: int, column: int, length: int) -> Problem:
        return Problem(
            Message(
                "refused: the cell holds {length} characters (limit {limit})",
                length=length,
                limit=MAX_CELL_CHARS,
            ),
            file=self.file,
            cell=f"{self.name}!{_letter(column)}{row}",
        )


def read_xlsx(source: BinaryIO, file: str, *, limit: int | None = None) -> Table:
    """Read the data sheet of a workbook (named like data/items, else the first one).

    ``extra["letters"]`` maps each column to its letter.

    Raises:
        InputError: not a workbook, a zip bomb, a cell too long, too many columns,
            an empty sheet or a header without data rows.
    """
    check_archive(source, file)
    book = _open_book(source, file)
    try:
        names = book.sheetnames
        if not names:
            raise InputError(Problem(Message("the workbook has no sheets"), file=file))
        name = next((n for n in names if n.strip().lower() in _DATA_SHEETS), names[0])
        sheet = _Sheet(name, file)
        try:
            for number, cells in _rows(book, book[name]):
                sheet.add(number, cells)
                if limit is not None and len(sheet.records) >= limit:
                    break
        except InputError:
            raise
        except Exception as exc:  # broken XML inside the zip, a bad shared-string index ...
            raise InputError(
                Problem(
                    Message(
                        'the sheet "{sheet}" cannot be read ({error})',
                        sheet=name,
                        error=_first_line(exc),
                    ),
                    file=file,
                )
            ) from None
    finally:
        book.close()
    return _table(sheet)


def _table(sheet: _Sheet) -> Table:
    if not sheet.header_row:
        raise InputError(
            Problem(Message('the sheet "{sheet}" is empty', sheet=sheet.name), file=sheet.file)
        )
    used = set(sheet.header).union(*sheet.records)
    if len(used) > MAX_COLUMNS:
        last = _letter(max(used))
        raise InputError(
            Problem(
                Message(
                    'refused: the sheet "{sheet}" has values in {count} columns (up to column '
                    "{last}; limit {limit}); delete the stray cells far to the right",
                    sheet=sheet.name,
                    count=len(used),
                    last=last,
                    limit=MAX_COLUMNS,
                ),
                file=sheet.file,
            )
        )
    columns, data, letters = [], {}, {}
    for j in sorted(used):
        name = sheet.header.get(j) or f"column {_letter(j)}"
        while name in data:
            name += "_"
        columns.append(name)
        data[name] = [record.get(j, "") for record in sheet.records]
        letters[name] = _letter(j)
    if not sheet.records:
        raise InputError(
            Problem(
                Message('the sheet "{sheet}" has a header row but no data rows', sheet=sheet.name),
                file=sheet.file,
                row=sheet.header_row + 1,
            )
        )
    return Table(
        columns, data, sheet.rows, unit="row", sheet=sheet.name, extra={"letters": letters}
    )
