"""The long sheets: Items (one row per item) and Ratings (one row per score)."""

from __future__ import annotations

import math

import pandas as pd

from annotator.core.formats.xlsx_report.cells import column_letter, header, safe
from annotator.core.formats.xlsx_report.layout import (
    Numbers,
    fast_lines,
    lines_needed,
    print_setup,
    row_height,
    set_widths,
    width_units,
)
from annotator.core.formats.xlsx_report.rows_xml import Plain, Rounded, Wrapped, write_rows
from annotator.core.formats.xlsx_report.summary import color_rules
from annotator.core.i18n import display_width


def _column(frame: pd.DataFrame, name: str, n: int) -> list:
    if name not in frame:
        return [None] * n
    values = frame[name]
    return [
        None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in values.tolist()
    ]


def _finish(ws, labels: list[str], n_rows: int, widths: list[float]) -> list[float]:
    """Print settings, filter, frozen header and widths: each column at least as wide as
    its header needs on two lines, and the header row as tall as its longest label.
    Returns each column's width in terminal columns."""
    ws.freeze_panes = "B2"
    print_setup(ws)
    ws.auto_filter.ref = f"A1:{column_letter(len(labels))}{max(n_rows + 1, 2)}"
    columns = [
        max((w - 2) / 1.1, math.ceil(display_width(label) / 2), 4)
        for label, w in zip(labels, widths, strict=True)
    ]
    set_widths(ws, [width_units(c) for c in columns])
    lines = max([lines_needed(label, c) for label, c in zip(labels, columns, strict=True)] or [1])
    ws.row_dimensions[1].height = row_height(lines)
    return columns


def _heights(ws, widths: list[float], columns: list[int], rows: list[list]) -> None:
    """Rows as tall as their longest wrapped text (up to ``layout.MAX_LINES``)."""
    for k, texts in enumerate(zip(*rows, strict=True)):
        lines = max(fast_lines(t, widths[c]) for t, c in zip(texts, columns, strict=True))
        if lines > 1:
            ws.row_dimensions[2 + k].height = row_height(lines)


def write_items(ws, data, L, tick) -> None:
    ev = data.evaluation
    stats, verdicts = ev.stats, ev.verdicts
    lang = data.language
    dims = list(stats.dimensions)
    names = {d.key: d.name(lang) for d in data.rubric.dimensions}
    table = stats.items.merge(
        verdicts.items[["item_id", "verdict", "reasons"]], on="item_id", how="left"
    )
    texts = data.items.set_index("item_id")
    table = table.join(texts[["uid", "instruction", "reference", "generated"]], on="item_id")
    scores = data.ratings.pivot_table(
        index="item_id", columns=["rater", "dimension"], values="score", aggfunc="first"
    )
    rater_cols = [(r, d) for r in data.raters for d in dims if (r, d) in scores.columns]
    comments = data.comments  # item_id -> "rater: comment | ..."
    metrics = list(stats.metric_names)
    labels = [
        L("id"),
        L("model"),
        L("sample_id"),
        L("instruction"),
        L("reference"),
        L("generated"),
        *metrics,
        *[f"{names[d]} {L('mean')}" for d in dims],
        *[f"{r}: {names[d]}" for r, d in rater_cols],
        L("composite"),
        L("complete"),
        L("verdict"),
        L("reasons"),
        L("comments"),
    ]
    widths = [
        18,
        12,
        12,
        34,
        34,
        34,
        *[8] * len(metrics),
        *[8] * len(dims),
        *[7] * len(rater_cols),
        8,
        6,
        10,
        30,
        24,
    ]
    widths = _finish(ws, labels, len(table), widths)
    ws.append(header(ws, labels))

    n = len(table)
    ids = table["item_id"].tolist()
    rater_values = [
        scores[c].reindex(ids).tolist() if c in scores else [None] * n for c in rater_cols
    ]
    texts = [_column(table, c, n) for c in ("instruction", "reference", "generated")]
    reasons = _column(table, "reasons", n)
    notes = [comments.get(i, "") for i in ids]
    columns = [
        # every cell of a tall row top-aligned (wrapped styles are text cells: formula-safe)
        Wrapped(ws, _column(table, "uid", n)),
        Wrapped(ws, _column(table, "model", n)),
        Wrapped(ws, _column(table, "sample_id", n)),
        *[Wrapped(ws, col) for col in texts],
        *[Rounded(ws, _column(table, m, n), "metric") for m in metrics],
        *[Rounded(ws, _column(table, f"{d}_mean", n), "score") for d in dims],
        *[Rounded(ws, col, "count") for col in rater_values],
        Rounded(ws, _column(table, "composite", n), "score"),
        Wrapped(ws, ["✓" if v else None for v in _column(table, "complete", n)]),
        Wrapped(ws, [None if v is None else L.verdict(v) for v in _column(table, "verdict", n)]),
        Wrapped(ws, reasons),
        Wrapped(ws, notes),
    ]
    _heights(ws, widths, [3, 4, 5, len(labels) - 2, len(labels) - 1], [*texts, reasons, notes])
    write_rows(ws, columns, n, tick)
    verdict_col = column_letter(len(labels) - 2)
    color_rules(ws, f"{verdict_col}2:{verdict_col}{max(n + 1, 2)}", L)
    tick(n)


def write_ratings(ws, data, L, tick) -> None:
    lang = data.language
    names = {d.key: d.name(lang) for d in data.rubric.dimensions}
    frame = data.ratings.merge(
        data.items[["item_id", "uid", "model", "sample_id"]], on="item_id", how="left"
    )
    labels = [
        L("id"),
        L("model"),
        L("sample_id"),
        L("rater"),
        L("dimension"),
        L("score"),
        L("time"),
        L("origin"),
    ]
    _finish(ws, labels, len(frame), [18, 12, 12, 14, 14, 6, 22, 16])
    count = Numbers(ws, "count")
    ws.append(header(ws, labels))
    columns = [
        Plain(ws, frame["uid"].tolist()),  # hex: always harmless
        Plain(ws, frame["model"].tolist(), repeated=True),
        Plain(ws, frame["sample_id"].tolist(), repeated=True),
        Plain(ws, frame["rater"].astype(str).tolist(), repeated=True),
        Plain(ws, [names.get(d, d) for d in frame["dimension"].tolist()], repeated=True),
        Rounded(ws, frame["score"].tolist(), "count"),
        Plain(ws, frame["updated_at"].tolist()),  # our own timestamps
        Plain(ws, frame["origin"].tolist(), repeated=True),
    ]
    write_rows(ws, columns, len(frame), tick)
    adjudicated = data.evaluation.adjudicated
    if len(adjudicated):
        ws.append([])
        ws.append(header(ws, [L("adjudicated")]))
        ws.append(
            header(ws, [L("id"), L("dimension"), L("score"), L("rater"), L("note"), L("time")])
        )
        uid = dict(zip(data.items["item_id"], data.items["uid"], strict=True))
        for row in adjudicated.itertuples(index=False):
            ws.append(
                [
                    uid.get(row.item_id),
                    safe(ws, names.get(row.dimension, row.dimension)),
                    count(row.score),
                    safe(ws, row.by_whom),
                    safe(ws, row.note),
                    row.updated_at,
                ]
            )
