"""Per-item means and spread over raters, composite score, completeness, disagreements."""

from __future__ import annotations

import numpy as np
import pandas as pd

from annotator.core.domain.message import Message
from annotator.core.stats.data import N_LEVELS, Encoded, refused

_LEVELS = np.arange(1, N_LEVELS + 1, dtype=np.float64)


def _adjudication(enc: Encoded, adjudicated: pd.DataFrame | None) -> np.ndarray:
    """(I, D) float array: the adjudicated score, NaN where none was given."""
    out = np.full((len(enc.item_ids), len(enc.dimensions)), np.nan)
    if adjudicated is None or adjudicated.empty:
        return out
    missing = {"item_id", "dimension", "score"} - set(adjudicated.columns)
    if missing:
        raise refused(
            Message("adjudicated scores: missing column(s) {missing}", missing=sorted(missing))
        )
    ids = adjudicated["item_id"].to_numpy(dtype=np.int64)
    pos = np.clip(np.searchsorted(enc.item_ids, ids), 0, max(len(enc.item_ids) - 1, 0))
    dim_pos = {d: k for k, d in enumerate(enc.dimensions)}
    dims = np.array([dim_pos.get(str(d), -1) for d in adjudicated["dimension"]], dtype=np.int64)
    score = pd.to_numeric(adjudicated["score"], errors="coerce").to_numpy(dtype=np.float64)
    bad = (enc.item_ids[pos] != ids) | (dims < 0) | ~((score >= 1) & (score <= 5))
    if bad.any():
        row = adjudicated.iloc[int(np.flatnonzero(bad)[0])]
        raise refused(
            Message(
                "adjudicated score for item {item} / {dimension} = {score!r}:"
                " the item and dimension must exist and the score must be 1-5",
                item=row["item_id"],
                dimension=row["dimension"],
                score=row["score"],
            )
        )
    out[pos, dims] = score
    return out


def item_table(
    enc: Encoded,
    min_raters: int = 2,
    adjudicated: pd.DataFrame | None = None,
    disagreement: int = 2,
) -> pd.DataFrame:
    """One row per item: mean, std, min, max, n of each dimension, composite, flags.

    ``{dim}_mean`` is the raters' mean, replaced by the adjudicated score when
    there is one (``{dim}_adjudicated`` is then True). A dimension counts as
    covered when it has ``min_raters`` ratings or an adjudicated score; the item
    is ``complete`` when every dimension is covered. ``composite`` is the
    weighted mean of the dimension means and is NaN for incomplete items, so it
    can never leak into a model mean. ``disagreement`` is True when raters
    differ by ``disagreement`` points or more on a dimension not adjudicated.
    """
    c = enc.counts.astype(np.float64)  # (I, D, 5)
    n = c.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (c @ _LEVELS) / n
        sq = (c @ (_LEVELS**2)) - n * mean**2
        std = np.sqrt(np.clip(sq, 0, None) / (n - 1))  # sample std, as pandas/Excel STDEV
    std[n < 2] = np.nan
    present = enc.counts > 0
    lo = np.where(present.any(axis=2), present.argmax(axis=2) + 1, 0).astype(np.float64)
    hi = np.where(present.any(axis=2), N_LEVELS - present[:, :, ::-1].argmax(axis=2), 0)
    lo[n == 0] = np.nan
    hi = hi.astype(np.float64)
    hi[n == 0] = np.nan
    rng = hi - lo

    adj = _adjudication(enc, adjudicated)
    has_adj = ~np.isnan(adj)
    final = np.where(has_adj, adj, mean)
    covered = (n >= min_raters) | has_adj
    complete = covered.all(axis=1)
    composite = final @ enc.weights
    composite[~complete] = np.nan
    open_dis = (rng >= disagreement) & ~has_adj

    cols: dict[str, object] = {
        "item_id": enc.item_ids,
        "model": enc.models,
        "sample_id": enc.sample_ids,
        "n_raters": _raters_per_item(enc),
        "complete": complete,
        "composite": composite,
        "disagreement": open_dis.any(axis=1),
    }
    for k, d in enumerate(enc.dimensions):
        cols[f"{d}_mean"] = final[:, k]
        cols[f"{d}_raw_mean"] = mean[:, k]
        cols[f"{d}_std"] = std[:, k]
        cols[f"{d}_min"] = lo[:, k]
        cols[f"{d}_max"] = hi[:, k]
        cols[f"{d}_n"] = n[:, k].astype(np.int64)
        cols[f"{d}_adjudicated"] = has_adj[:, k]
    return pd.DataFrame(cols)


def _raters_per_item(enc: Encoded) -> np.ndarray:
    """Distinct raters who scored at least one dimension of each item."""
    rated = enc.wide.reshape(len(enc.item_ids), len(enc.dimensions), enc.wide.shape[1]) > 0
    return rated.any(axis=1).sum(axis=1)


def disagreements(table: pd.DataFrame, dimensions: tuple[str, ...], threshold: int = 2):
    """Items where raters differ by ``threshold``+ points on any dimension, worst first.

    Sorted by the largest range (max - min) descending, then by how many
    dimensions are in disagreement, then by item id. Adjudicated dimensions are
    listed with ``resolved`` = True when all their disagreements were adjudicated.
    """
    ranges = np.stack([table[f"{d}_max"] - table[f"{d}_min"] for d in dimensions], axis=1)
    ranges = np.nan_to_num(ranges, nan=0.0)
    adj = np.stack([table[f"{d}_adjudicated"].to_numpy() for d in dimensions], axis=1)
    hit = ranges >= threshold
    rows = np.flatnonzero(hit.any(axis=1))
    out = pd.DataFrame(
        {
            "item_id": table["item_id"].to_numpy()[rows],
            "model": table["model"].to_numpy()[rows],
            "max_range": ranges[rows].max(axis=1).astype(np.int64),
            "n_dimensions": hit[rows].sum(axis=1).astype(np.int64),
            "dimensions": _names(hit[rows], dimensions),
            "resolved": (~(hit[rows] & ~adj[rows])).all(axis=1),
        }
    )
    return out.sort_values(
        ["max_range", "n_dimensions", "item_id"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def _names(hit: np.ndarray, dimensions: tuple[str, ...]) -> np.ndarray:
    """Comma-joined dimension names per row, via a lookup on the row's bit pattern."""
    if len(dimensions) > 16:  # lookup table would be too large; rare rubrics only
        return np.array([", ".join(np.array(dimensions)[h]) for h in hit], dtype=object)
    bits = hit.astype(np.int64) @ (1 << np.arange(len(dimensions), dtype=np.int64))
    table = np.array(
        [", ".join(d for k, d in enumerate(dimensions) if code >> k & 1) for code in
         range(1 << len(dimensions))],
        dtype=object,
    )  # fmt: skip
    return table[bits]
