"""Per-model means over complete items with bootstrap CIs, and score distributions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from annotator.core.stats.bootstrap import Interval, mean_ci, rng_for
from annotator.core.stats.data import Encoded


@dataclass(frozen=True)
class MeanCI:
    """A mean over items, with its bootstrap CI and the number of items behind it."""

    mean: float | None
    ci: Interval
    n: int

    def to_dict(self) -> dict:
        return {"mean": self.mean, "ci": self.ci.to_dict(), "n": self.n}


@dataclass(frozen=True)
class ModelSummary:
    """What one model scored: human means (complete items only) and metric means.

    ``distribution[dim]`` counts the ratings 1..5 given on the model's complete
    items; ``metrics[name]`` is the mean over items that have the metric.
    """

    model: str
    n_items: int
    n_complete: int
    means: dict[str, MeanCI]  # each dimension and "composite"
    distribution: dict[str, tuple[int, ...]]
    metrics: dict[str, MeanCI] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "n_items": self.n_items,
            "n_complete": self.n_complete,
            "means": {k: v.to_dict() for k, v in self.means.items()},
            "distribution": {k: list(v) for k, v in self.distribution.items()},
            "metrics": {k: v.to_dict() for k, v in self.metrics.items()},
        }


def _mean_ci(values: np.ndarray, rng, resamples: int, confidence: float) -> MeanCI:
    values = values[np.isfinite(values)]
    mean = float(values.mean()) if values.size else None
    return MeanCI(mean, mean_ci(values, rng, resamples, confidence), int(values.size))


def model_summaries(
    enc: Encoded,
    table: pd.DataFrame,
    metric_names: tuple[str, ...],
    *,
    seed: int,
    resamples: int,
    confidence: float,
) -> tuple[ModelSummary, ...]:
    """One summary per model, in order of first appearance in the item table."""
    complete = table["complete"].to_numpy()
    models = table["model"].to_numpy(dtype=object)
    codes, names = pd.factorize(models)
    complete_counts = enc.counts[complete]
    complete_codes = codes[complete]
    out = []
    for m, name in enumerate(names):
        rows = codes == m
        ok = rows & complete
        means = {}
        for d in (*enc.dimensions, "composite"):
            col = "composite" if d == "composite" else f"{d}_mean"
            vals = table[col].to_numpy(dtype=np.float64)[ok]
            means[d] = _mean_ci(vals, rng_for(seed, name, d), resamples, confidence)
        mine = complete_counts[complete_codes == m]  # (n, D, 5)
        dist = {
            d: tuple(int(x) for x in mine[:, k, :].sum(axis=0))
            for k, d in enumerate(enc.dimensions)
        }
        metrics = {}
        for metric in metric_names:
            vals = table[metric].to_numpy(dtype=np.float64)[rows]
            metrics[metric] = _mean_ci(
                vals, rng_for(seed, name, "metric", metric), resamples, confidence
            )
        out.append(
            ModelSummary(
                model=str(name),
                n_items=int(rows.sum()),
                n_complete=int(ok.sum()),
                means=means,
                distribution=dist,
                metrics=metrics,
            )
        )
    return tuple(out)
