"""Per-rater means and leniency, and pairwise weighted kappa between raters."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from annotator.core.stats.data import N_LEVELS, Encoded

_IDX = np.arange(N_LEVELS)
QUADRATIC = (_IDX[:, None] - _IDX[None, :]) ** 2 / (N_LEVELS - 1) ** 2


def weighted_kappa(confusion: np.ndarray, weights: np.ndarray = QUADRATIC) -> float | None:
    """Cohen's weighted kappa of a 5x5 confusion matrix (rows rater A, columns rater B).

    kappa = 1 - sum(w * O) / sum(w * E), with E the outer product of the
    marginals scaled to the same total. The scale is the fixed 1-5 rubric, so
    categories nobody used still keep their distance. None when undefined
    (no shared ratings, or both raters always gave one and the same score).
    """
    o = np.asarray(confusion, dtype=np.float64)
    n = o.sum()
    if n == 0:
        return None
    e = np.outer(o.sum(axis=1), o.sum(axis=0)) / n
    expected = (weights * e).sum()
    if expected == 0:
        return None
    return float(1 - (weights * o).sum() / expected)


def rater_table(enc: Encoded) -> pd.DataFrame:
    """One row per rater: items done, ratings, mean and leniency per dimension and overall.

    Leniency is the mean of (own score - mean of the other raters' scores on the
    same item and dimension), over the rater's ratings that someone else also
    scored: positive means the rater scores higher than colleagues.
    """
    n_r, n_d = len(enc.raters), len(enc.dimensions)
    unit = enc.item_idx * n_d + enc.dim_idx
    c = enc.counts.reshape(-1, N_LEVELS)
    unit_n = c.sum(axis=1)[unit]
    unit_sum = (c @ np.arange(1, N_LEVELS + 1))[unit]
    shared = unit_n > 1
    others = np.where(shared, (unit_sum - enc.score) / np.maximum(unit_n - 1, 1), 0.0)
    diff = np.where(shared, enc.score - others, 0.0)

    key = enc.rater_idx * n_d + enc.dim_idx
    size = n_r * n_d
    n = np.bincount(key, minlength=size).reshape(n_r, n_d)
    total = np.bincount(key, weights=enc.score, minlength=size).reshape(n_r, n_d)
    n_sh = np.bincount(key, weights=shared, minlength=size).reshape(n_r, n_d)
    d_sum = np.bincount(key, weights=diff, minlength=size).reshape(n_r, n_d)
    done = np.zeros((len(enc.item_ids), max(n_r, 1)), dtype=bool)
    done[enc.item_idx, enc.rater_idx] = True
    items_done = done.sum(axis=0)[:n_r]
    with np.errstate(invalid="ignore", divide="ignore"):
        cols: dict[str, object] = {
            "rater": list(enc.raters),
            "items_done": items_done,
            "ratings": n.sum(axis=1),
            "mean": total.sum(axis=1) / n.sum(axis=1),
            "leniency": d_sum.sum(axis=1) / n_sh.sum(axis=1),
            "shared_ratings": n_sh.sum(axis=1).astype(np.int64),
        }
        for k, d in enumerate(enc.dimensions):
            cols[f"{d}_mean"] = total[:, k] / n[:, k]
            cols[f"{d}_leniency"] = d_sum[:, k] / n_sh[:, k]
    return pd.DataFrame(cols)


def pairwise_kappa(enc: Encoded) -> pd.DataFrame:
    """Quadratic-weighted kappa and agreement for each pair of raters on shared units.

    One row per pair and per dimension, plus a row with dimension "all" pooling
    the pair's shared (item, dimension) ratings.
    """
    n_r, n_d = len(enc.raters), len(enc.dimensions)
    n_units = len(enc.item_ids) * n_d
    wide = enc.wide
    dim_of_unit = np.arange(n_units) % n_d
    rows = []
    for a, b in combinations(range(n_r), 2):
        both = (wide[:, a] > 0) & (wide[:, b] > 0)
        if not both.any():
            continue
        cell = (dim_of_unit[both] * N_LEVELS + wide[both, a] - 1) * N_LEVELS + wide[both, b] - 1
        conf = np.bincount(cell, minlength=n_d * N_LEVELS * N_LEVELS)
        conf = conf.reshape(n_d, N_LEVELS, N_LEVELS)
        per = [(d, conf[k]) for k, d in enumerate(enc.dimensions)] + [("all", conf.sum(axis=0))]
        for dim, m in per:
            n = int(m.sum())
            if n == 0:
                continue
            gap = np.abs(_IDX[:, None] - _IDX[None, :])
            rows.append(
                {
                    "rater_a": enc.raters[a],
                    "rater_b": enc.raters[b],
                    "dimension": dim,
                    "n": n,
                    "kappa": weighted_kappa(m),
                    "exact": float(np.trace(m) / n),
                    "within_one": float(m[gap <= 1].sum() / n),
                }
            )
    columns = ["rater_a", "rater_b", "dimension", "n", "kappa", "exact", "within_one"]
    return pd.DataFrame(rows, columns=columns)
