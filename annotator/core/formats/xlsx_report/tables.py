"""The long sheets: Items (one row per item) and Ratings (one row per score)."""

from __future__ import annotations

import pandas as pd

from annotator.core.formats.xlsx_report.cells import (
    WrappedText,
    column_letter,
    header,
    safe,
    safe_column,
)
from annotator.core.formats.xlsx_report.summary import color_rules

PROGRESS_EVERY = 2000


def _column(frame: pd.DataFrame, name: str, n: int) -> list:
    if name not in frame:
        return [None] * n
    values = frame[name]
    return [
        None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in values.tolist()
    ]


def _finish(ws, n_columns: int, n_rows: int, widths: list[float]) -> None:
    ws.freeze_panes = "B2"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{column_letter(n_columns)}{max(n_rows + 1, 2)}"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[column_letter(index)].width = width


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
        12,
        12,
        12,
        40,
        40,
        40,
        *[10] * len(metrics),
        *[10] * len(dims),
        *[9] * len(rater_cols),
        10,
        9,
        13,
        40,
        30,
    ]
    _finish(ws, len(labels), len(table), widths)
    ws.append(header(ws, labels))

    n = len(table)
    ids = table["item_id"].tolist()
    rater_values = [
        scores[c].reindex(ids).tolist() if c in scores else [None] * n for c in rater_cols
    ]
    wrap = WrappedText(ws)
    columns = [
        _column(table, "uid", n),  # hex: always harmless
        safe_column(ws, _column(table, "model", n), repeated=True),
        safe_column(ws, _column(table, "sample_id", n)),
        [wrap(v) for v in _column(table, "instruction", n)],
        [wrap(v) for v in _column(table, "reference", n)],
        [wrap(v) for v in _column(table, "generated", n)],
        *[[None if v is None else round(v, 4) for v in _column(table, m, n)] for m in metrics],
        *[
            [None if v is None else round(v, 2) for v in _column(table, f"{d}_mean", n)]
            for d in dims
        ],
        *[[None if pd.isna(v) else int(v) for v in col] for col in rater_values],
        [None if v is None else round(v, 3) for v in _column(table, "composite", n)],
        ["✓" if v else "" for v in _column(table, "complete", n)],
        [None if v is None else L.verdict(v) for v in _column(table, "verdict", n)],
        safe_column(ws, _column(table, "reasons", n)),
        safe_column(ws, [comments.get(i, "") for i in ids]),
    ]
    for k, row in enumerate(zip(*columns, strict=True)):
        ws.append(row)
        if k % PROGRESS_EVERY == 0:
            tick(k)
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
    _finish(ws, len(labels), len(frame), [12, 12, 12, 14, 16, 8, 24, 22])
    ws.append(header(ws, labels))
    columns = [
        frame["uid"].tolist(),  # hex: always harmless
        safe_column(ws, frame["model"].tolist(), repeated=True),
        safe_column(ws, frame["sample_id"].tolist(), repeated=True),
        safe_column(ws, frame["rater"].astype(str).tolist(), repeated=True),
        safe_column(ws, [names.get(d, d) for d in frame["dimension"].tolist()], repeated=True),
        frame["score"].astype(int).tolist(),
        frame["updated_at"].tolist(),  # our own timestamps
        safe_column(ws, frame["origin"].tolist(), repeated=True),
    ]
    for k, row in enumerate(zip(*columns, strict=True)):
        ws.append(row)
        if k % PROGRESS_EVERY == 0:
            tick(k)
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
                    int(row.score),
                    safe(ws, row.by_whom),
                    safe(ws, row.note),
                    row.updated_at,
                ]
            )
