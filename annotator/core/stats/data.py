"""Check the long-form ratings once and encode them as integer arrays.

Every statistic in this package is computed from the arrays built here, so the
string columns are factorized exactly once (the slowest step at 1M+ ratings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message, Verbatim
from annotator.core.domain.models import SCORES

N_LEVELS = len(SCORES)
_SHOWN = 10  # examples quoted in an error message


@dataclass(frozen=True)
class Encoded:
    """Ratings as integer codes, aligned with the sorted item ids.

    ``counts[i, d, s]`` is how many raters gave score ``s + 1`` to item ``i`` on
    dimension ``d``; it is the value-count matrix of Krippendorff's alpha and
    gives every per-item mean, spread and agreement figure without a groupby.
    """

    item_ids: np.ndarray  # (I,) sorted
    models: np.ndarray  # (I,) object
    sample_ids: np.ndarray  # (I,) object
    dimensions: tuple[str, ...]
    weights: np.ndarray  # (D,) normalised to sum 1
    raters: tuple[str, ...]
    item_idx: np.ndarray  # (N,) per rating
    dim_idx: np.ndarray  # (N,)
    rater_idx: np.ndarray  # (N,)
    score: np.ndarray  # (N,) 1..5
    counts: np.ndarray  # (I, D, 5)
    wide: np.ndarray  # (I * D, R) int8: score of each rater on each unit, 0 = not rated


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Factorize a string column; object arrays hash much faster than StringArray."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = np.asarray(values.cat.categories, dtype=object)
        return np.asarray(values.cat.codes), cats
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    return codes, np.asarray(uniques, dtype=object)


def refused(message: Message) -> InputError:
    """The error for tables the statistics cannot use, its message translated when shown."""
    return InputError(Problem(message))


def _joined(parts: list[Message], sep: Message) -> Verbatim:
    """``parts`` with ``sep`` between them, each shown in the language of its reader."""
    template = "{sep}".join(f"{{part{n}}}" for n in range(len(parts)))
    return Verbatim(template, sep=sep, **{f"part{n}": part for n, part in enumerate(parts)})


def _require(df: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise refused(
            Message(
                "{table}: missing column(s) {missing}; expected {expected}",
                table=name,
                missing=", ".join(missing),
                expected=columns,
            )
        )


def normalise_weights(dimensions: Sequence[str], weights: Mapping[str, float] | None) -> np.ndarray:
    """Weights in rubric order, summing to 1 (equal when none are given)."""
    if not dimensions:
        raise refused(Message("the rubric has no dimensions"))
    w = np.array([float((weights or {}).get(d, 1.0)) for d in dimensions])
    if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
        raise refused(
            Message(
                "dimension weights must be >= 0 and not all 0, got {weights}",
                weights=dict(weights or {}),
            )
        )
    return w / w.sum()


def encode(
    ratings: pd.DataFrame,
    items: pd.DataFrame,
    dimensions: Sequence[str],
    weights: Mapping[str, float] | None = None,
) -> Encoded:
    """Validate ratings against the items and the rubric, and encode them.

    Raises:
        InputError: a column is missing, a score is not an integer 1-5, a rating
            names an unknown item or dimension, or a rater scored the same item
            and dimension twice.
    """
    _require(ratings, "ratings", ("item_id", "rater", "dimension", "score"))
    _require(items, "items", ("item_id", "model", "sample_id"))
    dims = tuple(dimensions)
    w = normalise_weights(dims, weights)

    order = np.argsort(items["item_id"].to_numpy(dtype=np.int64), kind="stable")
    item_ids = items["item_id"].to_numpy(dtype=np.int64)[order]
    if len(item_ids) > 1 and (np.diff(item_ids) == 0).any():
        dup = item_ids[1:][np.diff(item_ids) == 0][:_SHOWN]
        raise refused(Message("items: item_id listed more than once: {ids}", ids=dup.tolist()))
    models = items["model"].to_numpy(dtype=object)[order]
    sample_ids = items["sample_id"].astype(str).to_numpy(dtype=object)[order]

    problems: list[Problem] = []
    raw_score = pd.to_numeric(ratings["score"], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isin(raw_score, SCORES)
    if bad.any():
        rows = np.flatnonzero(bad)[:_SHOWN]
        for r in rows:
            problems.append(
                Problem(
                    Message(
                        "score must be an integer 1-5, got {value!r}",
                        value=ratings["score"].iloc[r],
                    ),
                    row=int(r),
                )
            )
    rid = ratings["item_id"].to_numpy(dtype=np.int64)
    item_idx = np.searchsorted(item_ids, rid)
    item_idx[item_idx >= len(item_ids)] = 0
    unknown = (item_ids[item_idx] != rid) if len(item_ids) else np.ones(len(rid), bool)
    if unknown.any():
        shown = np.unique(rid[unknown])[:_SHOWN].tolist()
        problems.append(Problem(Message("ratings for unknown item_id(s): {ids}", ids=shown)))
    dim_codes, dim_names = _codes(ratings["dimension"])
    lookup = np.array([dims.index(d) if d in dims else -1 for d in dim_names], dtype=np.int64)
    dim_idx = lookup[dim_codes] if len(dim_codes) else dim_codes.astype(np.int64)
    if (dim_idx < 0).any():
        extra = sorted({str(d) for d, k in zip(dim_names, lookup, strict=True) if k < 0})
        problems.append(
            Problem(
                Message(
                    "unknown dimension(s) {unknown}; the rubric has {dimensions}",
                    unknown=extra,
                    dimensions=list(dims),
                )
            )
        )
    if problems:
        raise InputError(problems)

    rater_codes, rater_names = _codes(ratings["rater"])
    # Stable rater order (alphabetical) so pairwise tables read the same every run.
    rank = np.argsort(np.argsort(rater_names.astype(str)))
    rater_idx = rank[rater_codes] if len(rater_codes) else rater_codes.astype(np.int64)
    raters = tuple(sorted(str(r) for r in rater_names))
    score = raw_score.astype(np.int64)

    n_items, n_dims = len(item_ids), len(dims)
    unit = item_idx * n_dims + dim_idx
    wide = np.zeros((n_items * n_dims, max(len(raters), 1)), dtype=np.int8)
    wide[unit, rater_idx] = score
    if np.count_nonzero(wide) != len(score):  # a cell was written twice
        _report_duplicates(unit, rater_idx, len(raters), item_ids, dims)
    flat = np.bincount(unit * N_LEVELS + score - 1, minlength=n_items * n_dims * N_LEVELS)
    counts = flat.reshape(n_items, n_dims, N_LEVELS).astype(np.int32)
    return Encoded(
        item_ids, models, sample_ids, dims, w, raters,
        item_idx, dim_idx, rater_idx, score, counts, wide,
    )  # fmt: skip


def _report_duplicates(
    unit: np.ndarray, rater: np.ndarray, n_raters: int, item_ids: np.ndarray, dims: tuple
) -> None:
    key = unit * max(n_raters, 1) + rater
    key.sort()
    same = np.flatnonzero(key[1:] == key[:-1])
    if same.size:
        k = key[same[:_SHOWN]] // max(n_raters, 1)
        sep = Message("; ")  # its own statement: the extractor skips a nested message
        where = [
            Message(
                "item {item} / {dimension}",
                item=item_ids[u // len(dims)],
                dimension=dims[u % len(dims)],
            )
            for u in k
        ]
        raise refused(
            Message(
                "a rater scored the same item and dimension more than once ({count} time(s)): "
                "{examples}",
                count=same.size,
                examples=_joined(where, sep),
            )
        )
