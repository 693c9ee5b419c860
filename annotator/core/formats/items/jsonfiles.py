"""Read JSON (an array of objects) and JSON lines into a table of text columns."""

from __future__ import annotations

import json
import sys
from typing import Any

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.formats.items.tabular import Table

_MAX_PROBLEMS = 100
# Keys under which exporters wrap the record list: {"data": [...]}.
_WRAPPERS = ("data", "items", "records", "samples", "examples", "rows")


def value_text(value: Any) -> str:
    """Text of a JSON value: numbers as written, nested values as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _kind(value: Any) -> Message:
    """What a JSON value is, as a noun for "found ..." messages."""
    if isinstance(value, list):
        return Message("an array")
    if isinstance(value, str):
        return Message("a string")
    if isinstance(value, bool):
        return Message("a boolean")
    if value is None:
        return Message("null")
    return Message("a number")


def _not_json(exc: json.JSONDecodeError) -> Message:
    return Message("not valid JSON: {error} (column {column})", error=exc.msg, column=exc.colno)


def _too_deep() -> Message:
    # Python's JSON reader recurses once per level; a [[[[...]]]] bomb ends in RecursionError.
    return Message(
        "the JSON is nested too deeply (more than {limit} levels of [ or {{) to be "
        "a table of records",
        limit=sys.getrecursionlimit(),
    )


def read_json(text: str, file: str, *, limit: int | None = None) -> tuple[Table, str]:
    """Read a JSON array of objects, falling back to JSON lines when the text is that.

    Returns:
        ``(table, format)`` with format "json" or "jsonl".

    Raises:
        InputError: not JSON, not records, or nested too deeply to read.
    """
    try:
        return _read_json(text, file, limit)
    except RecursionError:  # also from value_text's json.dumps of a deep nested value
        raise InputError(Problem(_too_deep(), file=file)) from None


def _read_json(text: str, file: str, limit: int | None) -> tuple[Table, str]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{"):
            return read_jsonl(text, file, limit=limit), "jsonl"
        raise InputError(Problem(_not_json(exc), file=file, line=exc.lineno)) from None
    if isinstance(doc, dict):
        wrapped = [k for k in _WRAPPERS if isinstance(doc.get(k), list)]
        if not wrapped:  # a single object: one record, as a one-line JSONL file would be
            return _to_table([doc], [1], "line", limit), "json"
        doc = doc[wrapped[0]]
    if not isinstance(doc, list):
        raise InputError(
            Problem(
                Message("expected an array of objects, found {found}", found=_kind(doc)),
                file=file,
                line=1,
            )
        )
    problems = [
        Problem(
            Message(
                "record {record} of the array: expected an object {{...}}, found {found}",
                record=i,
                found=_kind(r),
            ),
            file=file,
        )
        for i, r in enumerate(doc, start=1)
        if not isinstance(r, dict)
    ]
    if problems:
        raise InputError(problems[:_MAX_PROBLEMS], file=file)
    if not doc:
        raise InputError(Problem(Message("the JSON array is empty: no records"), file=file))
    return _to_table(doc, list(range(1, len(doc) + 1)), "record", limit), "json"


def read_jsonl(text: str, file: str, *, limit: int | None = None) -> Table:
    """Read JSON lines: one object per line, blank lines ignored.

    Raises:
        InputError: listing every line that is not valid JSON or not an object.
    """
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    loads = json.loads
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(_not_json(exc), file=file, line=number))
        except RecursionError:
            problems.append(Problem(_too_deep(), file=file, line=number))
        else:
            if isinstance(record, dict):
                records.append(record)
                lines.append(number)
            else:
                problems.append(
                    Problem(
                        Message(
                            "expected a JSON object {{...}}, found {found}", found=_kind(record)
                        ),
                        file=file,
                        line=number,
                    )
                )
        if len(problems) >= _MAX_PROBLEMS or (limit is not None and len(records) >= limit):
            break
    if problems:
        raise InputError(problems, file=file)
    if not records:
        raise InputError(Problem(Message("the file has no JSON records"), file=file))
    try:
        return _to_table(records, lines, "line", limit)
    except RecursionError:  # json.dumps of a nested value just under the reader's limit
        raise InputError(Problem(_too_deep(), file=file)) from None


def _to_table(records: list[dict], rows: list[int], unit: str, limit: int | None) -> Table:
    if limit is not None:
        records, rows = records[:limit], rows[:limit]
    columns: dict[str, None] = {}
    for record in records:
        if len(record) != len(columns) or any(k not in columns for k in record):
            columns.update(dict.fromkeys(map(str, record)))
    names = list(columns)
    data = {name: [value_text(r.get(name)) for r in records] for name in names}
    return Table(names, data, rows, unit=unit)
