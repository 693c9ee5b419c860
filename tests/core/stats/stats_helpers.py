"""Small builders for long-form test data."""

from __future__ import annotations

import numpy as np
import pandas as pd

DIMS = ("relevance", "fluency", "style", "compliance")


def random_project(
    n_items: int = 60,
    raters: tuple[str, ...] = ("ann", "ben", "cai"),
    dims: tuple[str, ...] = DIMS,
    missing: float = 0.15,
    seed: int = 0,
    models: tuple[str, ...] = ("base", "lora"),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ratings correlated with a latent quality, some missing; items of several models."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n_items + 1)
    per_model = -(-n_items // len(models))
    items = pd.DataFrame(
        {
            "item_id": ids,
            "model": [models[(i - 1) // per_model] for i in ids],
            "sample_id": [f"s{(i - 1) % per_model}" for i in ids],
        }
    )
    quality = rng.normal(3.5, 1.0, n_items)
    rows = []
    for k, item in enumerate(ids):
        for r in raters:
            for d in dims:
                if rng.random() < missing:
                    continue
                score = int(np.clip(np.rint(quality[k] + rng.normal(0, 0.8)), 1, 5))
                rows.append((int(item), r, d, score))
    ratings = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    return ratings, items


def to_long(matrix: list[list[float]], dimension: str = "relevance") -> pd.DataFrame:
    """Observers x units matrix (NaN = missing) to long-form ratings, units numbered from 1."""
    rows = [
        (u + 1, f"obs{o + 1}", dimension, int(v))
        for o, row in enumerate(matrix)
        for u, v in enumerate(row)
        if v == v
    ]
    return pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])


def items_for(ratings: pd.DataFrame, model: str = "m") -> pd.DataFrame:
    ids = sorted(ratings["item_id"].unique())
    return pd.DataFrame({"item_id": ids, "model": model, "sample_id": [str(i) for i in ids]})


def scored_report(
    scores: dict[int, dict[str, tuple[int, ...]]],
    dimensions: tuple[str, ...],
    bleu: dict[int, float] | None = None,
    adjudicated: pd.DataFrame | None = None,
    **kw,
):
    """A StatsReport from ``scores``: item -> dimension -> one score per rater ("a", "b", ...)."""
    from annotator.core.stats import compute

    rows = [
        (item, "abc"[k], d, s)
        for item, dims in scores.items()
        for d, ss in dims.items()
        for k, s in enumerate(ss)
    ]
    ratings = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    ids = sorted(scores)
    items = pd.DataFrame(
        {"item_id": ids, "model": kw.pop("model", "m"), "sample_id": [f"s{i}" for i in ids]}
    )
    metrics = None
    if bleu is not None:
        metrics = pd.DataFrame({"item_id": list(bleu), "bleu": list(bleu.values())})
    return compute(
        ratings, items, metrics, dimensions=dimensions, adjudicated=adjudicated, resamples=0, **kw
    )
