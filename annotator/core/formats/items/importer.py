"""``read_items`` and ``preview``: a file in, item drafts and what to tell the user out."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.domain.errors import InputError, Notice, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.models import ItemDraft
from annotator.core.formats.items.drafts import build
from annotator.core.formats.items.jsonfiles import read_json
from annotator.core.formats.items.llamafactory import is_llamafactory
from annotator.core.formats.items.recognise import refuse_unreadable
from annotator.core.formats.items.roles import Roles, detect_roles, missing_problems
from annotator.core.formats.items.sniff import sniff
from annotator.core.formats.items.tabular import (
    Table,
    check_cell_lengths,
    joined_file_rows,
    read_delimited,
)
from annotator.core.formats.items.xlsx_items import read_xlsx
from annotator.core.i18n import tr

Progress = Callable[[int, int], None]
"""Called with ``(done, total)`` like the rest of the core; here total is 100 (percent)."""


class DuplicateIdError(InputError):
    """The file repeats sample ids; ``duplicates`` lists ``(sample_id, rows)``.

    Read again with ``skip_duplicates=True`` to keep the first record of each id.
    """

    def __init__(
        self,
        problems: list[Problem],
        duplicates: list[tuple[str, list[int]]],
        *,
        file: str | None = None,
    ):
        super().__init__(problems, file=file)
        self.duplicates = duplicates


@dataclass(frozen=True)
class ImportPlan:
    """Everything read from one file, ready to be written in one transaction.

    ``encoding`` is None for xlsx. ``roles`` maps role -> column; ``metric_columns``
    maps column -> canonical metric name. ``duplicates`` holds ``(sample_id, rows)``
    that were skipped (``skip_duplicates=True``).
    """

    path: Path
    format: str
    encoding: str | None
    roles: dict[str, str]
    columns: list[str]
    metadata_columns: list[str]
    metric_columns: dict[str, str]
    items: list[ItemDraft]
    notices: list[Notice]
    duplicates: list[tuple[str, list[int]]]
    models_in_file: set[str]
    file_sha256: str
    delimiter: str | None = None
    sheet: str | None = None
    records: int = 0  # data rows (records, lines) read from the file, before skipping


@dataclass(frozen=True)
class Preview:
    """The start of a file for an import wizard: what was detected and the first records.

    ``rows`` are the raw records (column -> text); ``items`` are the drafts those
    records would give (empty while a required role is ``missing``); ``problems``
    lists what would stop the import among these first records.
    """

    path: Path
    format: str
    encoding: str | None
    columns: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]
    roles: dict[str, str]
    missing: list[str]
    metric_columns: dict[str, str]
    metadata_columns: list[str]
    items: list[ItemDraft] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    delimiter: str | None = None
    sheet: str | None = None


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cycle collector: 100k drafts, their hashes and rows make no cycles, but
    building them would make it walk every live object ~100 times (reading and importing)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Loaded:
    table: Table
    format: str
    encoding: str | None
    delimiter: str | None
    sha256: str


def _load(path: Path, limit: int | None = None) -> _Loaded:
    file = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(Message("file not found"), file=file)) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            Problem(Message("cannot read the file: {reason}", reason=reason), file=file)
        ) from None
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(Problem(Message("the file is empty"), file=file))
    refuse_unreadable(data, path)  # our own rating sheets, packages, reports; a PDF
    kind = sniff(data, path)
    if kind.format == "xlsx":
        table = read_xlsx(io.BytesIO(data), file, limit=limit)
        _refuse_repeated_headers(table, file)
        return _Loaded(table, "xlsx", None, None, sha)
    assert kind.text is not None
    if kind.format in ("csv", "tsv"):
        # hand pandas the bytes we already have when they are UTF-8: no re-encode
        raw = {"utf-8": data, "utf-8-sig": data[3:]}.get(kind.encoding or "")
        table = read_delimited(kind.text, kind.delimiter or ",", file, limit=limit, raw=raw)
        check_cell_lengths(table, file)
        return _Loaded(table, kind.format, kind.encoding, kind.delimiter, sha)
    table, fmt = read_json(kind.text, file, limit=limit)  # falls back to JSON lines itself
    check_cell_lengths(table, file)
    if kind.format == "jsonl" and table.unit == "line":
        fmt = "jsonl"  # a one-line .jsonl file parses as a single JSON object
    return _Loaded(table, fmt, kind.encoding, None, sha)


def _refuse_repeated_headers(table: Table, file: str) -> None:
    """A sheet row equal to the header (two tables pasted one under the other) is no item."""
    problems = [
        Problem(
            Message(
                "this row repeats the header row: two tables were probably pasted one "
                "under the other; delete the repeated header"
            ),
            file=file,
            row=table.rows[i],
        )
        for i in joined_file_rows(table)[:100]
    ]
    if problems:
        raise InputError(problems, file=file)


def _roles(loaded: _Loaded, mapping: dict[str, str] | None, file: str) -> tuple[Roles, bool]:
    """Detect roles; LLaMA-Factory predictions get their fixed roles unless mapped otherwise."""
    columns = loaded.table.columns
    llamafactory = loaded.format in ("json", "jsonl") and is_llamafactory(columns)
    if llamafactory:
        fixed = {
            "instruction": "prompt" if "prompt" in columns else None,
            "reference": "label",
            "generated": "predict",
        }
        used = set((mapping or {}).values())
        fixed = {role: column for role, column in fixed.items() if column not in used}
        mapping = {**fixed, **(mapping or {})}
    return detect_roles(columns, mapping, file=file), llamafactory


def read_items(
    path: str | Path,
    *,
    model: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    skip_duplicates: bool = False,
) -> ImportPlan:
    """Read a CSV, TSV, XLSX, JSON, JSONL or LLaMA-Factory predictions file into item drafts.

    Args:
        path: the file; its format and encoding are found from its content.
        model: model name for records without a model column value.
        mapping: ``{role: column}`` overriding detected roles; None or "" unsets an
            optional role (e.g. ``{"id": None}`` numbers the records).
        progress: called with ``(done, total)``, total being 100.
        skip_duplicates: keep the first record of each repeated id instead of failing.

    Raises:
        DuplicateIdError: the only problems are repeated ids.
        InputError: every problem found (missing columns, bad JSON lines, non-numeric
            metrics, empty ids ...), each naming the file, row or line, and column.
    """
    path = Path(path)
    file = str(path)
    report = progress or (lambda done, total: None)
    report(0, 100)
    with no_gc():
        return _read_items(path, file, model, mapping, report, skip_duplicates)


def _read_items(
    path: Path,
    file: str,
    model: str | None,
    mapping: dict[str, str] | None,
    report: Progress,
    skip_duplicates: bool,
) -> ImportPlan:
    loaded = _load(path)
    report(50, 100)
    found, llamafactory = _roles(loaded, mapping, file)
    missing = [r for r in found.missing if not (llamafactory and r == "instruction")]
    if missing:
        raise InputError(
            missing_problems(missing, loaded.table.columns, file, sheet=loaded.table.sheet),
            file=file,
        )
    report(60, 100)
    built = build(
        loaded.table,
        found.roles,
        found.metric_columns,
        found.metadata_columns,
        file=file,
        model=model,
        templated=llamafactory and found.roles.get("instruction") == "prompt",
        skip_duplicates=skip_duplicates,
    )
    if built.problems:
        if len(built.problems) == len(built.duplicates) and not skip_duplicates:
            raise DuplicateIdError(built.problems, built.duplicates, file=file)
        raise InputError(built.problems, file=file)
    notices = found.notices + built.notices
    if loaded.format == "xlsx":  # a workbook's own size tag is not trusted: say what was read
        table = loaded.table
        notices.insert(
            0,
            Notice(
                tr(
                    'read {count} data row(s) of the sheet "{sheet}" (rows {first} to {last})',
                    count=len(table),
                    sheet=table.sheet,
                    first=table.rows[0],
                    last=table.rows[-1],
                ),
                count=len(table),
            ),
        )
    if llamafactory and "instruction" not in found.roles:
        notices.insert(
            0,
            Notice(
                tr(
                    'the predictions file has no "prompt" (older LLaMA-Factory): '
                    "the instructions are empty"
                )
            ),
        )
    report(100, 100)
    return ImportPlan(
        path=path,
        format="llamafactory" if llamafactory else loaded.format,
        encoding=loaded.encoding,
        roles=found.roles,
        columns=loaded.table.columns,
        metadata_columns=found.metadata_columns,
        metric_columns=found.metric_columns,
        items=built.items,
        notices=notices,
        duplicates=built.duplicates,
        models_in_file=built.models_in_file,
        file_sha256=loaded.sha256,
        delimiter=loaded.delimiter,
        sheet=loaded.table.sheet,
        records=len(loaded.table),
    )


def preview(path: str | Path, n: int = 20, *, mapping: dict[str, str] | None = None) -> Preview:
    """Detect format, encoding and roles and read the first ``n`` records, for a wizard.

    Missing roles and bad cells among those records are reported, not raised.

    Raises:
        InputError: the file cannot be read at all (empty, not a workbook, bad encoding, bad JSON).
    """
    path = Path(path)
    file = str(path)
    loaded = _load(path, limit=n)
    table = loaded.table
    found, llamafactory = _roles(loaded, mapping, file)
    missing = [r for r in found.missing if not (llamafactory and r == "instruction")]
    items, notices, problems = [], list(found.notices), []
    if missing:
        problems = missing_problems(missing, table.columns, file, sheet=table.sheet)
    else:
        built = build(
            table,
            found.roles,
            found.metric_columns,
            found.metadata_columns,
            file=file,
            templated=llamafactory and found.roles.get("instruction") == "prompt",
        )
        items, problems = built.items, built.problems
        notices += built.notices
    rows = [
        dict(zip(table.columns, values, strict=True))
        for values in zip(*(table.data[c] for c in table.columns), strict=True)
    ]
    return Preview(
        path=path,
        format="llamafactory" if llamafactory else loaded.format,
        encoding=loaded.encoding,
        columns=table.columns,
        rows=rows,
        row_numbers=table.rows,
        roles=found.roles,
        missing=missing,
        metric_columns=found.metric_columns,
        metadata_columns=found.metadata_columns,
        items=items,
        notices=notices,
        problems=problems,
        delimiter=loaded.delimiter,
        sheet=table.sheet,
    )
