"""``compute``: every statistic of a project in one call, as a JSON-friendly report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.domain.message import Message
from annotator.core.stats import agreement
from annotator.core.stats.bootstrap import CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, rng_for
from annotator.core.stats.compare import ModelComparison, compare_models
from annotator.core.stats.data import Encoded, encode, refused
from annotator.core.stats.diagnostics import correlations
from annotator.core.stats.items import disagreements, item_table
from annotator.core.stats.jsonsafe import clean, records
from annotator.core.stats.raters import pairwise_kappa, rater_table
from annotator.core.stats.summary import ModelSummary, model_summaries


@dataclass(frozen=True)
class StatsReport:
    """All statistics of one computation. DataFrames are tidy; ``to_dict`` is JSON-safe."""

    dimensions: tuple[str, ...]
    weights: dict[str, float]
    min_raters: int
    level: str
    seed: int
    resamples: int
    confidence: float
    metric_names: tuple[str, ...]
    items: pd.DataFrame
    models: tuple[ModelSummary, ...]
    raters: pd.DataFrame
    alpha: tuple[agreement.AlphaResult, ...]  # one per dimension, then "all"
    kappa: pd.DataFrame
    pair_agreement: dict[str, dict]
    disagreements: pd.DataFrame
    correlations: pd.DataFrame
    # Computed with everything else, inside the (background) computation: reading the
    # report, on whatever thread, never recomputes a Wilcoxon test.
    comparisons: tuple[ModelComparison, ...] = ()

    def model(self, name: str) -> ModelSummary:
        """The summary of one model; KeyError if it has no items."""
        for m in self.models:
            if m.model == name:
                return m
        raise KeyError(name)

    def alpha_for(self, dimension: str) -> agreement.AlphaResult:
        """Alpha of one dimension, or of every dimension together with "all"."""
        for a in self.alpha:
            if a.dimension == dimension:
                return a
        raise KeyError(dimension)

    def compare(self, baseline: str, candidate: str) -> pd.DataFrame:
        """The candidate against the baseline on shared samples: each dimension, composite,
        metric (``compare.COLUMNS``).

        Stored when the report was computed (``compute(..., pairs=...)``, by default the
        first model against each other one); see ``compare_models``. Human measures use
        complete items only.

        Raises:
            KeyError: the report holds no comparison of this pair.
        """
        for c in self.comparisons:
            if (c.baseline, c.candidate) == (baseline, candidate):
                return c.table
        raise KeyError((baseline, candidate))

    def to_dict(self, include_items: bool = True, include_lists: bool = True) -> dict:
        """Plain dict with no NaN (None instead); ``include_items`` adds the per-item rows,
        ``include_lists=False`` leaves out the disagreements (one row per disputed item;
        their number stays) for a reader who prints only the summary."""
        out = {
            "settings": {
                "dimensions": list(self.dimensions),
                "weights": self.weights,
                "min_raters": self.min_raters,
                "level": self.level,
                "seed": self.seed,
                "resamples": self.resamples,
                "confidence": self.confidence,
                "metrics": list(self.metric_names),
            },
            "models": [m.to_dict() for m in self.models],
            "raters": records(self.raters),
            "agreement": {
                "alpha": [a.to_dict() for a in self.alpha],
                "kappa": records(self.kappa),
                "pairs": self.pair_agreement,
            },
            "disagreement_count": len(self.disagreements),
            "correlations": records(self.correlations),
        }
        out = clean(out)
        if include_lists:  # JSON-safe already (records): not walked a second time
            out["disagreements"] = records(self.disagreements)
        if include_items:
            out["items"] = records(self.items)
        return out


def _attach_metrics(table: pd.DataFrame, enc: Encoded, metrics: pd.DataFrame | None):
    """Add one float column per metric to the item table (NaN where not imported)."""
    if metrics is None or metrics.empty or len(metrics.columns) <= 1:
        return table, ()
    if "item_id" not in metrics:
        raise refused(Message("metrics: missing column item_id"))
    names = tuple(str(c) for c in metrics.columns if c != "item_id")
    clash = [n for n in names if n in table.columns]
    if clash:
        raise refused(
            Message("metrics: column name(s) {names} clash with rating statistics", names=clash)
        )
    ids = metrics["item_id"].to_numpy(dtype=np.int64)
    if pd.Series(ids).duplicated().any():
        raise refused(Message("metrics: an item_id appears more than once"))
    pos = np.clip(np.searchsorted(enc.item_ids, ids), 0, max(len(enc.item_ids) - 1, 0))
    known = enc.item_ids[pos] == ids if len(enc.item_ids) else np.zeros(len(ids), bool)
    extra = {}
    for n in names:
        try:
            vals = pd.to_numeric(metrics[n], errors="raise").to_numpy(dtype=np.float64)
        except (ValueError, TypeError) as exc:
            raise refused(
                Message('metrics: column "{column}" must be numeric ({error})', column=n, error=exc)
            ) from None
        col = np.full(len(enc.item_ids), np.nan)
        col[pos[known]] = vals[known]
        extra[n] = col
    return pd.concat([table, pd.DataFrame(extra, index=table.index)], axis=1), names


def _comparisons(
    table: pd.DataFrame,
    dimensions: Sequence[str],
    metric_names: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    **bootstrap,
) -> tuple[ModelComparison, ...]:
    """Each (baseline, candidate) pair compared on every dimension, the composite and every
    metric; ``bootstrap``: ``lower_better``, ``seed``, ``resamples``, ``confidence``."""
    columns = {d: f"{d}_mean" for d in dimensions}
    columns["composite"] = "composite"
    columns.update({m: m for m in metric_names})
    kinds = {d: "dimension" for d in dimensions} | {"composite": "composite"}
    table = table.copy()
    incomplete = ~table["complete"].to_numpy()
    for d in dimensions:  # an incomplete item's dimension means are provisional
        table.loc[incomplete, f"{d}_mean"] = np.nan
    return tuple(
        ModelComparison(a, b, compare_models(table, a, b, columns, kinds=kinds, **bootstrap))
        for a, b in pairs
    )


def compute(
    ratings: pd.DataFrame,
    items: pd.DataFrame,
    metrics: pd.DataFrame | None = None,
    *,
    dimensions: Sequence[str],
    weights: Mapping[str, float] | None = None,
    min_raters: int = 2,
    level: str = "ordinal",
    adjudicated: pd.DataFrame | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = CONFIDENCE,
    pairs: Sequence[tuple[str, str]] | None = None,
    lower_better: Sequence[str] = (),
) -> StatsReport:
    """Compute per-item, per-model, per-rater and agreement statistics.

    Args:
        ratings: long form, columns ``item_id, rater, dimension, score`` (1-5).
        items: ``item_id, model, sample_id``.
        metrics: ``item_id`` plus one float column per automatic metric; optional.
        dimensions: rubric keys in order.
        weights: per-dimension weight of the composite; equal when None.
        min_raters: raters needed on every dimension for an item to be complete.
        level: level of measurement for Krippendorff's alpha.
        adjudicated: optional ``item_id, dimension, score`` replacing the raters'
            mean for that item and dimension (agreement still uses raw ratings).
        resamples: bootstrap resamples for every CI (0 = no CIs).
        seed: bootstrap seed; the same seed gives the same CIs.
        confidence: CI coverage.
        pairs: (baseline, candidate) model pairs to compare; by default the first
            model against each other one (the evaluation use case passes the project's
            baseline against each candidate).
        lower_better: metrics where lower is better (perplexity): a comparison's reading
            turns around for them.

    Raises:
        InputError: the inputs are malformed (see ``data.encode``).
    """
    if min_raters < 1:
        raise refused(Message("min_raters must be at least 1, got {value}", value=min_raters))
    if level not in agreement.LEVELS:
        raise refused(
            Message(
                "level must be one of {levels}, got {level!r}", levels=agreement.LEVELS, level=level
            )
        )
    enc = encode(ratings, items, dimensions, weights)
    table = item_table(enc, min_raters, adjudicated)
    table, metric_names = _attach_metrics(table, enc, metrics)

    rngs = {d: rng_for(seed, "alpha", level, d) for d in (*enc.dimensions, "all")}
    alphas, pairs_agreement = agreement.by_dimension(
        enc.counts, enc.dimensions, level, rngs, resamples, confidence
    )

    models = model_summaries(
        enc, table, metric_names, seed=seed, resamples=resamples, confidence=confidence
    )
    if pairs is None:
        pairs = tuple((models[0].model, m.model) for m in models[1:])
    return StatsReport(
        dimensions=enc.dimensions,
        weights={d: float(w) for d, w in zip(enc.dimensions, enc.weights, strict=True)},
        min_raters=min_raters,
        level=level,
        seed=seed,
        resamples=resamples,
        confidence=confidence,
        metric_names=metric_names,
        items=table,
        models=models,
        raters=rater_table(enc),
        alpha=tuple(alphas),
        kappa=pairwise_kappa(enc),
        pair_agreement=pairs_agreement,
        disagreements=disagreements(table, enc.dimensions),
        correlations=correlations(table, metric_names),
        comparisons=_comparisons(
            table,
            enc.dimensions,
            metric_names,
            pairs,
            lower_better=lower_better,
            seed=seed,
            resamples=resamples,
            confidence=confidence,
        ),  # fmt: skip
    )
