"""Turn a table with known roles into ``ItemDraft`` objects, column-wise (no per-row pandas)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from annotator.core.domain.errors import Notice, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.models import ItemDraft
from annotator.core.formats.items.llamafactory import extract_instruction
from annotator.core.formats.items.roles import UNBOUNDED_METRICS
from annotator.core.formats.items.tabular import Table
from annotator.core.i18n import tr

_MAX_PROBLEMS = 200
_EXAMPLES = 5
_MISSING = frozenset({"", "nan", "none", "null", "na", "n/a", "-", "—"})


@dataclass
class Built:
    """Drafts and what was found on the way; ``problems`` make the import fail."""

    items: list[ItemDraft]
    notices: list[Notice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[tuple[str, list[int]]] = field(default_factory=list)
    models_in_file: set[str] = field(default_factory=set)


def build(
    table: Table,
    roles: dict[str, str],
    metric_columns: dict[str, str],
    metadata_columns: list[str],
    *,
    file: str,
    model: str | None = None,
    templated: bool = False,
    skip_duplicates: bool = False,
) -> Built:
    """Build one draft per record.

    Args:
        templated: the instruction column holds chat-templated prompts (LLaMA-Factory).
        skip_duplicates: keep the first of each duplicate id instead of reporting a problem.
    """
    n, col, rows, unit = len(table), table.data, table.rows, table.unit
    out = Built(items=[])
    blank = [""] * n
    meta_lists = [col[c] for c in metadata_columns]
    meta_names = list(metadata_columns)
    instructions = col[roles["instruction"]] if "instruction" in roles else blank
    if templated and "instruction" in roles:
        raw, instructions, templates = instructions, [], []
        hint = None
        for prompt in raw:
            text, hint = extract_instruction(prompt, hint)
            instructions.append(text)
            templates.append(hint)
        meta_lists += [raw, templates]
        meta_names += ["prompt_raw", "template"]
        used = sorted(set(templates))
        out.notices.append(
            Notice(
                tr(
                    "prompts use the chat template(s): {templates}; the "
                    "last user turn is the instruction",
                    templates=", ".join(used),
                ),
                examples=used,
            )
        )
    if "input" in roles:
        instructions = [
            f"{a}\n{b}" if b.strip() else a
            for a, b in zip(instructions, col[roles["input"]], strict=True)
        ]
    references = col[roles["reference"]] if "reference" in roles else blank
    generated = col[roles["generated"]]

    if "id" in roles:
        ids = [s.strip() for s in col[roles["id"]]]
        empty_ids = [i for i, s in enumerate(ids) if not s][:_MAX_PROBLEMS]
        message = (
            Message("the sample id is empty; fill it in, or map no id column to number the records")
            if empty_ids
            else ""
        )
        for i in empty_ids:
            _add(
                out.problems,
                Problem(
                    message,
                    file=file,
                    **{unit_key(unit): rows[i]},
                    column=roles["id"],
                ),
            )
    else:
        ids = [str(i) for i in range(1, n + 1)]
    if "model" in roles:
        per_row = [s.strip() for s in col[roles["model"]]]
        out.models_in_file = {m for m in per_row if m}
        models = [m or model for m in per_row]
    else:
        models = [model] * n

    metrics = _metrics(table, metric_columns, file, out)
    metadata = (
        [dict(zip(meta_names, values)) for values in zip(*meta_lists)]  # noqa: B905
        if meta_lists
        else [{} for _ in range(n)]
    )
    keep = _duplicates(ids, models, rows, unit, roles.get("id"), file, out, skip_duplicates)
    items = [
        ItemDraft(*fields)
        for fields in zip(
            ids, instructions, references, generated, rows, models, metadata, metrics, strict=True
        )
    ]
    out.items = items if keep is None else [items[i] for i in keep]
    for name, values in (
        ("generated", generated),
        ("instruction", instructions),
        ("reference", references),
    ):
        _count_empty(name, values, ids, keep, out.notices)
    return out


def unit_key(unit: str) -> str:
    """Problem field for a table's position unit: JSON lines have lines, tables have rows."""
    return "line" if unit == "line" else "row"


def where(unit: str, numbers: list[int]) -> Message:
    """ "rows 5 and 9", "lines 3, 4 and 8", "records 2 and 7"."""
    text = [str(x) for x in numbers]
    if len(text) == 1:
        if unit == "line":
            return Message("line {line}", line=text[0])
        if unit == "record":
            return Message("record {record}", record=text[0])
        return Message("row {row}", row=text[0])
    listed = text[0]
    for number in text[1:-1]:
        listed = Message("{numbers}, {number}", numbers=listed, number=number)
    if unit == "line":
        return Message("lines {numbers} and {last}", numbers=listed, last=text[-1])
    if unit == "record":
        return Message("records {numbers} and {last}", numbers=listed, last=text[-1])
    return Message("rows {numbers} and {last}", numbers=listed, last=text[-1])


def _add(problems: list[Problem], problem: Problem) -> None:
    if len(problems) < _MAX_PROBLEMS:
        problems.append(problem)


def _floats(texts: list[str]) -> tuple[np.ndarray, list[int]]:
    """Numbers of a text column (NaN where empty/missing) and the positions of non-numbers."""
    try:
        return np.array(texts, dtype=np.float64), []  # fast path: every cell is a number
    except ValueError:
        pass
    values = np.full(len(texts), np.nan)
    bad = []
    for i, text in enumerate(texts):
        text = text.strip()
        if text.lower() in _MISSING:
            continue
        try:
            values[i] = float(text)
        except ValueError:
            bad.append(i)
    return values, bad


def _metrics(table: Table, metric_columns: dict[str, str], file: str, out: Built) -> list[dict]:
    """Parse metric columns as floats; a 0-100 column is divided by 100, with a notice."""
    n = len(table)
    if not metric_columns:
        return [{} for _ in range(n)]
    names, arrays = [], []
    letters = table.extra.get("letters", {})
    for column, metric in metric_columns.items():
        texts = table.data[column]
        values, bad = _floats(texts)
        for i in bad[:_MAX_PROBLEMS]:  # no more would be kept
            row = table.rows[i]
            cell = f"{table.sheet}!{letters[column]}{row}" if column in letters else None
            _add(
                out.problems,
                Problem(
                    Message(
                        'expected a number for the metric "{metric}", found "{value}"',
                        metric=metric,
                        value=texts[i],
                    ),
                    file=file,
                    column=column,
                    cell=cell,
                    **{unit_key(table.unit): row},
                ),
            )
        if metric not in UNBOUNDED_METRICS:
            for i in np.flatnonzero((values < 0) | (values > 100))[:_MAX_PROBLEMS]:
                _add(
                    out.problems,
                    Problem(
                        Message(
                            'the metric "{metric}" must lie between 0 and 1 (or 0 and 100), '
                            "found {value}",
                            metric=metric,
                            value=texts[i],
                        ),
                        file=file,
                        column=column,
                        **{unit_key(table.unit): table.rows[i]},
                    ),
                )
            if (values > 1).any():
                values = values / 100.0
                out.notices.append(
                    Notice(
                        tr(
                            'column "{column}" looks like a 0-100 scale (values '
                            "above 1); divided by 100",
                            column=column,
                        )
                    )
                )
        names.append(metric)
        arrays.append(values)
    table_of_values = np.column_stack(arrays)
    metrics = [dict(zip(names, row)) for row in table_of_values.tolist()]  # noqa: B905
    for i in np.flatnonzero(np.isnan(table_of_values).any(axis=1)):  # drop missing values
        metrics[i] = {k: v for k, v in metrics[i].items() if not math.isnan(v)}
    return metrics


def _duplicates(
    ids: list[str],
    models: list[str | None],
    rows: list[int],
    unit: str,
    id_column: str | None,
    file: str,
    out: Built,
    skip: bool,
) -> list[int] | None:
    """Find repeated (model, id) pairs; return the indices to keep when skipping, else None."""
    if len(set(zip(models, ids, strict=True))) == len(ids):
        return None  # the usual case, found without a Python loop
    first: dict[tuple[str | None, str], int] = {}
    repeats: dict[tuple[str | None, str], list[int]] = {}
    for i, key in enumerate(zip(models, ids, strict=True)):
        if key in first:
            repeats.setdefault(key, [first[key]]).append(i)
        else:
            first[key] = i
    if not repeats:
        return None
    for (mdl, sid), indices in repeats.items():
        if not sid:
            continue  # empty ids are already reported
        numbers = [rows[i] for i in indices]
        out.duplicates.append((sid, numbers))
        if not skip:
            if mdl and id_column:
                message = Message(
                    'duplicate id "{id}" for model "{model}" ({where})',
                    id=sid,
                    model=mdl,
                    where=where(unit, numbers),
                )
            else:
                message = Message(
                    'duplicate id "{id}" ({where})', id=sid, where=where(unit, numbers)
                )
            _add(
                out.problems,
                Problem(
                    message,
                    file=file,
                    column=id_column,
                ),
            )
    if not skip:
        return None
    dropped = {i for indices in repeats.values() for i in indices[1:]}
    out.notices.append(
        Notice(
            tr(
                "{count} record(s) with a repeated id were skipped; the first of each id was kept",
                count=len(dropped),
            ),
            count=len(dropped),
            examples=[d[0] for d in out.duplicates[:5]],
        )
    )
    return [i for i in range(len(ids)) if i not in dropped]


def _count_empty(
    name: str, values: list[str], ids: list[str], keep: list[int] | None, notices: list[Notice]
) -> None:
    if keep is None:
        empty = [ids[i] for i, v in enumerate(values) if not v or v.isspace()]
    else:
        empty = [ids[i] for i in keep if not values[i] or values[i].isspace()]
    if empty:
        notices.append(
            Notice(
                _empty_text(name, len(empty)),
                count=len(empty),
                examples=empty[:_EXAMPLES],
            )
        )


def _empty_text(name: str, count: int) -> str:
    if name == "instruction":
        return tr("{count} item(s) have an empty instruction text", count=count)
    if name == "reference":
        return tr("{count} item(s) have an empty reference text", count=count)
    return tr("{count} item(s) have an empty generated text", count=count)
