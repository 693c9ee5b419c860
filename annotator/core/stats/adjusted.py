"""Rater-adjusted means: score = item effect + rater effect + error, by least squares.

A model's raw mean is pulled by whoever happened to rate it: a harsh rater who scored
most of one model's items lowers it. The additive model fits, per dimension, an effect
per item and one per rater (the rater effects sum to zero, so the item effects stay on
the 1-5 scale); a model's adjusted mean is the mean of its items' effects. When every
rater rates every item the adjusted mean equals the raw one.

The fit absorbs the item effects (each is its item's mean of score - rater effect) and
solves the small rater-by-rater system left, built with one pass over the ratings per
rater (no sparse matrix library: the report need not load scipy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.domain.message import Message, Verbatim

# A rater whose items share fewer than this many with another rater cannot be told
# apart from the items they rated.
MIN_SHARED_ITEMS = 5


@dataclass(frozen=True)
class AdjustedMean:
    """One model on one dimension (or ``"composite"``): the raw mean of its items' mean
    scores and the rater-adjusted mean beside it (None, with a ``note``, when the design
    is too sparse)."""

    model: str
    dimension: str
    raw: float | None
    adjusted: float | None
    n: int  # items of the model rated on this dimension
    note: Message | None = None

    def to_dict(self) -> dict:
        shift = None if self.adjusted is None or self.raw is None else self.adjusted - self.raw
        return {
            "model": self.model,
            "dimension": self.dimension,
            "raw": self.raw,
            "adjusted": self.adjusted,
            "adjustment": shift,
            "n": self.n,
            "note": None if self.note is None else self.note.text(),
        }


@dataclass(frozen=True)
class AdjustedMeans:
    """Every model's adjusted means, per dimension and composite."""

    means: tuple[AdjustedMean, ...] = ()
    min_shared: int = MIN_SHARED_ITEMS

    def get(self, model: str, dimension: str) -> AdjustedMean | None:
        return next((m for m in self.means if (m.model, m.dimension) == (model, dimension)), None)

    def to_dict(self) -> list[dict]:
        return [m.to_dict() for m in self.means]


def fit_additive(
    item: np.ndarray, rater: np.ndarray, score: np.ndarray, n_items: int, n_raters: int
) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares item and rater effects of ``score = a[item] + b[rater] + e``.

    ``item`` and ``rater`` are integer codes; the rater-item graph must be connected.
    The rater effects sum to zero. Returns (a, b).
    """
    y = np.asarray(score, dtype=np.float64)
    n_i = np.bincount(item, minlength=n_items).astype(np.float64)
    ybar = np.bincount(item, weights=y, minlength=n_items) / np.maximum(n_i, 1)
    m = np.bincount(rater, minlength=n_raters).astype(np.float64)
    rhs = np.bincount(rater, weights=y - ybar[item], minlength=n_raters)
    w = _shared_weights(item, rater, 1.0 / np.maximum(n_i, 1), n_items, n_raters)
    # C b = rhs has the constant vector as its null space; adding 1 1'/R fixes sum(b) = 0.
    c = np.diag(m) - w + 1.0 / n_raters
    b = np.linalg.solve(c, rhs)
    a = ybar - np.bincount(item, weights=b[rater], minlength=n_items) / np.maximum(n_i, 1)
    return a, b


def _shared_weights(item, rater, weight_of_item, n_items: int, n_raters: int) -> np.ndarray:
    """W[r, s] = the sum over items both r and s rated of the item's weight (each rating
    counted: a rater twice on an item counts twice), i.e. X' diag(weight) X for the
    item-by-rater incidence X."""
    w = np.zeros((n_raters, n_raters))
    per_rating = weight_of_item[item]
    for r in np.unique(rater):
        times = np.bincount(item[rater == r], minlength=n_items)  # r's ratings per item
        with_r = times[item]
        chosen = with_r > 0
        w[r] = np.bincount(rater[chosen], weights=(per_rating * with_r)[chosen], minlength=n_raters)
    return w


def _components(item: np.ndarray, rater: np.ndarray, n_raters: int) -> np.ndarray:
    """Each rater's group of raters linked by shared items, numbered by its first rater
    (a rater with no rating is a group of its own)."""
    parent = list(range(n_raters))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    key = np.sort(item.astype(np.int64) * n_raters + rater)  # by item, then rater
    it, ra = key // n_raters, key % n_raters
    same = it[1:] == it[:-1]
    edges = np.unique(ra[:-1][same] * n_raters + ra[1:][same])  # raters sharing an item
    for left, right in zip((edges // n_raters).tolist(), (edges % n_raters).tolist(), strict=True):
        a, b = root(left), root(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    roots = np.array([root(k) for k in range(n_raters)], dtype=np.int64)
    _, first, label = np.unique(roots, return_index=True, return_inverse=True)
    renumber = np.argsort(np.argsort(first))  # groups in the order of their first rater
    return renumber[label]


def _dense(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes renumbered 0..k-1 over the values present, and the original code of each."""
    present = np.bincount(codes, minlength=size) > 0
    new = np.cumsum(present) - 1
    return new[codes], np.flatnonzero(present)


def _design(item: np.ndarray, rater: np.ndarray, names: np.ndarray, n_items: int, min_shared):
    """(rater is trusted, why not all are) for one dimension's ratings.

    A rater sharing too few items is left out of the fit (their effect would be a guess
    that moves every other effect); of the others, the largest group of raters linked by
    shared items is fitted.
    """
    n_r = len(names)
    n_i = np.bincount(item, minlength=n_items)
    shared = np.bincount(rater, weights=(n_i[item] > 1), minlength=n_r).astype(np.int64)
    sparse_r = shared < min_shared
    keep = ~sparse_r[rater]
    label = _components(item[keep], rater[keep], n_r)
    size = np.bincount(label[rater[keep]], minlength=label.max() + 1)
    groups = int((size > 0).sum())
    trusted = (label == int(np.argmax(size))) & ~sparse_r if keep.any() else ~sparse_r
    why = []
    if n_r == 1:
        return trusted, [Message("{rater} is the only rater", rater=str(names[0]))]
    if groups > 1:
        why.append(Message("the raters form {groups} groups that share no items", groups=groups))
    for k in np.flatnonzero(sparse_r):
        why.append(
            Message(
                "rater {rater} shares only {count} item(s) with the other raters "
                "(at least {minimum} needed)",
                rater=str(names[k]),
                count=int(shared[k]),
                minimum=min_shared,
            )
        )
    return trusted, why


def _too_sparse(why: list[Message]) -> Message:
    template = "{sep}".join(f"{{p{n}}}" for n in range(len(why)))
    joined = Verbatim(template, sep=Message("; "), **{f"p{n}": w for n, w in enumerate(why)})
    return Message("too sparse to separate raters from items: {why}", why=joined)


def _dimension(item, rater, y, names, model_code, n_models, min_shared):
    """Per model code: (raw, adjusted, n, note) on one dimension's ratings (global codes)."""
    item, item_ids = _dense(item, len(model_code))
    rater, rater_ids = _dense(rater, len(names))
    names = names[rater_ids]
    n_items = len(item_ids)
    n_i = np.bincount(item, minlength=n_items)
    ybar = np.bincount(item, weights=y, minlength=n_items) / n_i
    trusted, why = _design(item, rater, names, n_items, min_shared)
    keep = trusted[rater]  # per rating
    ok_item = np.bincount(item, weights=keep, minlength=n_items) == n_i
    effect = np.zeros(n_items)
    fitted = trusted.sum() > 1 and ok_item.any()
    if fitted:
        sub_item, sub_ids = _dense(item[keep], n_items)
        sub_rater, sub_names = _dense(rater[keep], len(names))
        a, _ = fit_additive(sub_item, sub_rater, y[keep], len(sub_ids), len(sub_names))
        effect[sub_ids] = a
    model = model_code[item_ids]
    n = np.bincount(model, minlength=n_models)
    raw = np.bincount(model, weights=ybar, minlength=n_models)
    adj = np.bincount(model, weights=effect, minlength=n_models)
    bad = np.bincount(model, weights=~ok_item, minlength=n_models) > 0
    note = _too_sparse(why) if why else None
    return {
        m: (float(raw[m] / n[m]), None if bad[m] or not fitted else float(adj[m] / n[m]),
            int(n[m]), note if bad[m] or not fitted else None)
        for m in np.flatnonzero(n)
    }  # fmt: skip


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.codes, dtype=np.int64), np.asarray(
            values.cat.categories.astype(str), dtype=object
        )
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    return codes.astype(np.int64), np.asarray([str(u) for u in uniques], dtype=object)


def adjusted_means(
    scores: pd.DataFrame,
    items: pd.DataFrame,
    dimensions: Sequence[str],
    weights: Mapping[str, float] | None = None,
    *,
    min_shared: int = MIN_SHARED_ITEMS,
) -> AdjustedMeans:
    """Raw and rater-adjusted means of every model, per dimension and composite.

    Args:
        scores: ``item_id, rater, dimension, score``.
        items: ``item_id, model`` (every item of ``scores``).
        dimensions: the rubric's keys, in order.
        weights: the rubric's weights per key (equal when None); the composite is the
            weighted mean of the dimension means, raw and adjusted alike.
        min_shared: items a rater must share with the others for the model to separate
            that rater from their items.
    """
    dims = [str(d) for d in dimensions]
    w = np.array([float((weights or {}).get(d, 1.0)) for d in dims])
    w = w / w.sum() if w.sum() > 0 else np.full(len(dims), 1.0 / max(len(dims), 1))
    item, item_ids = pd.factorize(scores["item_id"].to_numpy(dtype=np.int64))
    models = items.drop_duplicates("item_id").set_index("item_id")["model"].astype(str)
    model_code, model_names = pd.factorize(models.reindex(item_ids).to_numpy(dtype=object))
    rater, names = _codes(scores["rater"])
    dim, dim_names = _codes(scores["dimension"])
    y = scores["score"].to_numpy(dtype=np.float64)
    per_dim: dict[str, dict] = {d: {} for d in dims}
    for k, name in enumerate(dim_names):
        at = dim == k
        if name in per_dim and at.any():
            per_dim[name] = _dimension(item[at], rater[at], y[at], names, model_code,
                                       len(model_names), min_shared)  # fmt: skip
    n_model = np.bincount(model_code, minlength=len(model_names))
    out: list[AdjustedMean] = []
    for m in sorted(range(len(model_names)), key=lambda m: str(model_names[m])):
        model = str(model_names[m])
        parts = [per_dim[d].get(m) for d in dims]
        out += [AdjustedMean(model, d, *p) for d, p in zip(dims, parts, strict=True) if p]
        if dims and all(p is not None for p in parts):
            raw = float(sum(wk * p[0] for wk, p in zip(w, parts, strict=True)))
            notes = [p[3] for p in parts if p[3] is not None]
            adj = None if notes else float(sum(wk * p[1] for wk, p in zip(w, parts, strict=True)))
            out.append(AdjustedMean(model, "composite", raw, adj, int(n_model[m]),
                                    notes[0] if notes else None))  # fmt: skip
    return AdjustedMeans(tuple(out), min_shared)
