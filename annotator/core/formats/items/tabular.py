"""Read CSV, TSV and XLSX tables into columns of text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message

# Far beyond any model output (Excel itself holds 32,767 per cell); a longer cell is an
# attack on memory or a broken file, and would be unworkable in every window and export.
MAX_CELL_CHARS = 1_000_000


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
        raise InputError(Problem(Message("the file is empty"), file=file)) from None
    except pd.errors.ParserError:
        raise InputError(_ragged_rows(text, delimiter, file)) from None
    n = len(next(iter(data.values()))) if data else 0
    table = Table(columns, data, list(range(2, n + 2)))
    joined = joined_file_rows(table)
    if joined:
        raise InputError(_joined_problems(table, joined, text, delimiter, file))
    return _drop_blank(table, file)


_BOM = "\ufeff"


def _header_cell(name: str) -> str:
    """A header as it would read in a data row: pandas names an empty header "Unnamed: 3"."""
    return "" if name.startswith("Unnamed: ") else name


def joined_file_rows(table: Table) -> list[int]:
    """Positions of records that start a second file: a byte-order mark or the header again.

    Two exports concatenated (``cat a.csv b.csv``) put the second file's BOM and header in
    the middle; read as data they became an item ("\ufeffid", "instruction").
    """
    if not table.columns:
        return []
    first = table.data[table.columns[0]]
    head = [_header_cell(c).strip() for c in table.columns]
    found = []
    for i, value in enumerate(first):
        if (
            value.startswith(_BOM)
            or value.strip() == head[0]
            and len(head) > 1
            and all(
                table.data[c][i].lstrip(_BOM).strip() == h
                for c, h in zip(table.columns[1:], head[1:], strict=True)
            )
        ):
            found.append(i)
    return found


def _joined_problems(
    table: Table, positions: list[int], text: str, delimiter: str, file: str
) -> list[Problem]:
    lines = _record_lines(text, delimiter, {table.rows[i] for i in positions})
    problems = []
    for i in positions[:100]:
        row = table.rows[i]
        if table.data[table.columns[0]][i].startswith(_BOM):
            message = Message(
                "a byte-order mark (U+FEFF) starts this record: a second file was probably "
                "appended to the first; remove that line (and a repeated header)"
            )
        else:
            message = Message(
                "this record repeats the header row: two files were probably joined; "
                "remove the repeated header"
            )
        problems.append(Problem(message, file=file, line=lines.get(row), row=row))
    return problems


def _record_lines(text: str, delimiter: str, wanted: set[int]) -> dict[int, int]:
    """First physical line of the given records (header = record 1), which quoted newlines
    make differ from the record number."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: dict[int, int] = {}
    start = 1
    for number, _ in enumerate(reader, start=1):
        if number in wanted:
            found[number] = start
            if len(found) == len(wanted):
                break
        start = reader.line_num + 1
    return found


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
                    Message(
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
    return problems or [Problem(Message("the table cannot be parsed"), file=file)]


def _name(delimiter: str) -> Message | str:
    """The delimiter as a noun for messages."""
    if delimiter == "\t":
        return Message("tab")
    if delimiter == ",":
        return Message("comma")
    if delimiter == ";":
        return Message("semicolon")
    if delimiter == "|":
        return Message("vertical bar")
    return repr(delimiter)


def _drop_blank(table: Table, file: str) -> Table:
    """Drop records whose every cell is empty; complain when no record is left."""
    blank = np.ones(len(table.rows), dtype=bool)
    for column in table.columns:  # column-wise: no Python loop over records
        blank &= np.asarray(table.data[column], dtype=object) == ""
    keep = np.flatnonzero(~blank).tolist() if table.columns else []
    if not keep:
        raise InputError(
            Problem(Message("the table has a header row but no data rows"), file=file, row=2)
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


def check_cell_lengths(table: Table, file: str) -> None:
    """Refuse a table with a cell longer than ``MAX_CELL_CHARS``, naming where it is.

    Raises:
        InputError: the first over-long cell of each column.
    """
    problems = []
    key = "line" if table.unit == "line" else "row"
    for column in table.columns:
        values = table.data[column]
        if not values or max(map(len, values)) <= MAX_CELL_CHARS:
            continue
        i = next(k for k, v in enumerate(values) if len(v) > MAX_CELL_CHARS)
        where = {key: table.rows[i]} if table.unit != "record" else {}
        message = Message(
            "refused: the cell holds {length} characters (limit {limit})",
            length=len(values[i]),
            limit=MAX_CELL_CHARS,
        )
        if table.unit == "record":
            message = Message("record {record}: {problem}", record=table.rows[i], problem=message)
        problems.append(Problem(message, file=file, column=column, **where))
    if problems:
        raise InputError(problems, file=file)
