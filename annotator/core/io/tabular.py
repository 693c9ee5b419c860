"""Read CSV, TSV and XLSX tables into columns of text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from annotator.core.errors import InputError, Problem
from annotator.core.i18n import tr

# A sheet with one of these names is the data, wherever it sits in the workbook.
_DATA_SHEETS = ("data", "items", "samples", "数据", "样本")


@dataclass
class Table:
    """Records as columns of text.

    ``rows[i]`` is where record ``i`` came from: a spreadsheet-style row
    (header = 1) when ``unit`` is "row", a line number when it is "line", and the
    1-based position in the array when it is "record".
    """

    columns: list[str]
    data: dict[str, list[str]]
    rows: list[int]
    unit: str = "row"
    sheet: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)


CHUNK_ROWS = 2_000


def read_delimited(
    text: str, delimiter: str, file: str, *, limit: int | None = None, raw: bytes | None = None
) -> Table:
    """Parse delimited text (quoted newlines and CRLF included) with pandas' C parser.

    ``raw`` may be the same content as UTF-8 bytes, which spares an encode.

    Raises:
        InputError: a header-only or empty table, or records with more fields than the header.
    """
    payload = raw if raw is not None else text.encode("utf-8")
    try:
        # In chunks: pandas holds the GIL while it turns a chunk into Python strings
        # (about 15 ms for 2,000 rows); a whole 100,000-row file at once froze the app's
        # window for a third of a second while a background import read it.
        reader = pd.read_csv(
            io.BytesIO(payload),
            sep=delimiter,
            dtype=str,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,  # keep blank lines so row numbers match the spreadsheet
            index_col=False,
            engine="c",
            encoding="utf-8",
            nrows=limit,
            chunksize=CHUNK_ROWS,
        )
        with reader:
            data: dict[str, list[str]] = {}
            columns: list[str] = []
            for chunk in reader:
                if not columns:
                    columns = [str(c).strip() for c in chunk.columns]
                    data = {name: [] for name in columns}
                for name, col in zip(columns, chunk.columns, strict=True):
                    data[name] += chunk[col].tolist()
    except pd.errors.EmptyDataError:
        raise InputError(Problem(tr("the file is empty"), file=file)) from None
    except pd.errors.ParserError:
        raise InputError(_ragged_rows(text, delimiter, file)) from None
    n = len(next(iter(data.values()))) if data else 0
    return _drop_blank(Table(columns, data, list(range(2, n + 2))), file)


def _ragged_rows(text: str, delimiter: str, file: str) -> list[Problem]:
    """Name every record with more fields than the header (what pandas refused)."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    name = _name(delimiter)
    for number, record in enumerate(reader, start=2):
        if len(record) > len(header):
            problems.append(
                Problem(
                    tr(
                        "expected {expected} fields like the header, found {found}; "
                        "a cell probably holds an unquoted {delimiter}",
                        expected=len(header),
                        found=len(record),
                        delimiter=name,
                    ),
                    file=file,
                    row=number,
                )
            )
            if len(problems) >= 100:
                break
    return problems or [Problem(tr("the table cannot be parsed"), file=file)]


def _name(delimiter: str) -> str:
    """The delimiter as a noun for messages."""
    if delimiter == "\t":
        return tr("tab")
    if delimiter == ",":
        return tr("comma")
    if delimiter == ";":
        return tr("semicolon")
    if delimiter == "|":
        return tr("vertical bar")
    return repr(delimiter)


def _drop_blank(table: Table, file: str) -> Table:
    """Drop records whose every cell is empty; complain when no record is left."""
    blank = np.ones(len(table.rows), dtype=bool)
    for column in table.columns:  # column-wise: no Python loop over records
        blank &= np.asarray(table.data[column], dtype=object) == ""
    keep = np.flatnonzero(~blank).tolist() if table.columns else []
    if not keep:
        raise InputError(
            Problem(tr("the table has a header row but no data rows"), file=file, row=2)
        )
    if len(keep) < len(table.rows):
        table.data = {c: [table.data[c][i] for i in keep] for c in table.columns}
        table.rows = [table.rows[i] for i in keep]
    return table


def cell_text(value: Any) -> str:
    """Text of a spreadsheet value: integers without ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path | BinaryIO, file: str, *, limit: int | None = None) -> Table:
    """Read the data sheet of a workbook (named like data/items, else the first one).

    Raises:
        InputError: not a workbook, empty sheet, header only.
    """
    import openpyxl  # imported here: a second or so that CSV users should not pay
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(
            Problem(
                tr(
                    "expected an Excel .xlsx workbook but it cannot be opened ({error})",
                    error=exc,
                ),
                file=file,
            )
        ) from None
    try:
        names = book.sheetnames
        sheet = next((n for n in names if n.strip().lower() in _DATA_SHEETS), names[0])
        ws = book[sheet]
        header: list[str] | None = None
        header_row = 0
        records: list[tuple[Any, ...]] = []
        rows: list[int] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if header is None:
                if any(v not in (None, "") for v in values):
                    header = [cell_text(v).strip() for v in values]
                    header_row = number
                continue
            if any(v not in (None, "") for v in values):
                records.append(values)
                rows.append(number)
                if limit is not None and len(records) >= limit:
                    break
    finally:
        book.close()
    if header is None:
        raise InputError(Problem(tr('the sheet "{sheet}" is empty', sheet=sheet), file=file))
    width = max([len(header)] + [len(r) for r in records])
    header += [""] * (width - len(header))
    from openpyxl.utils import get_column_letter

    columns, data, letters = [], {}, {}
    for j, name in enumerate(header):
        values = [cell_text(r[j]) if j < len(r) else "" for r in records]
        if not name:
            if not any(values):
                continue  # stray formatting on an empty column
            name = f"column {get_column_letter(j + 1)}"
        while name in data:
            name += "_"
        columns.append(name)
        data[name] = values
        letters[name] = get_column_letter(j + 1)
    if not records:
        raise InputError(
            Problem(
                tr('the sheet "{sheet}" has a header row but no data rows', sheet=sheet),
                file=file,
                row=header_row + 1,
            )
        )
    return Table(columns, data, rows, unit="row", sheet=sheet, extra={"letters": letters})
