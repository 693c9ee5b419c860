"""Prediction-powered means: a judge's scores on every item tighten the human mean.

PPI++ (Angelopoulos, Duchi and Zrnic, 2023, "PPI++: Efficient Prediction-Powered
Inference") estimates the mean human score from n items with a human score Y and the
judge's score Yhat, and N items with only the judge's score:

    theta(lam) = lam * mean(Yhat_unlabeled) + mean(Y - lam * Yhat)

an unbiased estimate for every lam, with the CLT interval
theta +- z * sqrt(var(lam * Yhat_unlabeled) / N + var(Y - lam * Yhat) / n). The power-tuned
lam minimises that variance (estimated around the plain PPI estimate, lam = 1) and is
clipped to [0, 1] as the ``ppi_python`` package does: lam = 0 is the human-only mean, so
a useless judge costs nothing; lam = 1 is plain PPI. Variances are the population ones
(ddof 0), as in ``ppi_python``; the human-only interval beside it is the same CLT interval
(``ppi_python``'s ``classical_mean_ci``), so the two read alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.stats.jsonsafe import clean

COMPOSITE = "composite"


@dataclass(frozen=True)
class PPIMean:
    """A PPI++ mean with its interval; None bounds when there are too few items."""

    mean: float | None
    ci_low: float | None
    ci_high: float | None
    lam: float | None
    n_labeled: int
    n_unlabeled: int

    def to_dict(self) -> dict:
        return clean(
            {
                "mean": self.mean,
                "ci": [self.ci_low, self.ci_high],
                "lam": self.lam,
                "n_labeled": self.n_labeled,
                "n_unlabeled": self.n_unlabeled,
            }
        )


def _z(alpha: float) -> float:
    from scipy.stats import norm  # loaded with a judge only

    return float(norm.ppf(1 - alpha / 2))


def tuned_lambda(y: np.ndarray, yhat: np.ndarray, yhat_unlabeled: np.ndarray) -> float:
    """The variance-minimising lam for a mean, clipped to [0, 1].

    lam = cov(Y, Yhat) / ((1 + n / N) * var(Yhat over all n + N items)), the covariance with
    ddof 0 on the labeled items and the variance with ddof 1 on all items, as ``ppi_python``.
    """
    n, big_n = len(y), len(yhat_unlabeled)
    if big_n == 0 or n == 0:
        return 0.0
    cov = float(np.mean((y - y.mean()) * (yhat - yhat.mean())))
    pooled = np.concatenate([yhat, yhat_unlabeled])
    var = float(np.var(pooled, ddof=1)) if len(pooled) > 1 else 0.0
    if var == 0:
        return 0.0
    return float(np.clip(cov / ((1 + n / big_n) * var), 0.0, 1.0))


def ppi_mean(
    y_labeled: Sequence[float] | np.ndarray,
    yhat_labeled: Sequence[float] | np.ndarray,
    yhat_unlabeled: Sequence[float] | np.ndarray,
    alpha: float = 0.05,
    lam: float | None = None,
) -> PPIMean:
    """The PPI++ mean of Y with a (1 - alpha) CLT interval.

    Args:
        y_labeled: the human score of each labeled item (e.g. the item's mean over raters).
        yhat_labeled: the judge's score on the same items, in the same order.
        yhat_unlabeled: the judge's score on the items without a human score.
        alpha: error level of the interval (0.05: a 95% interval).
        lam: the power-tuning weight; None tunes it from the data (clipped to [0, 1]).

    Returns:
        A ``PPIMean``; no mean with no labeled item, no interval with fewer than 2.
    """
    y = np.asarray(y_labeled, dtype=np.float64).ravel()
    yhat = np.asarray(yhat_labeled, dtype=np.float64).ravel()
    yhat_u = np.asarray(yhat_unlabeled, dtype=np.float64).ravel()
    if len(y) != len(yhat):
        raise ValueError(f"{len(y)} labels but {len(yhat)} predictions on them")
    n, big_n = len(y), len(yhat_u)
    if n == 0:
        return PPIMean(None, None, None, None, 0, big_n)
    if lam is None:
        lam = tuned_lambda(y, yhat, yhat_u)
    if big_n == 0:
        lam = 0.0  # nothing to borrow from: the human-only mean
    lam = float(lam)
    imputed = lam * yhat_u.mean() if big_n else 0.0
    theta = float(imputed + (y - lam * yhat).mean())
    if n < 2:
        return PPIMean(theta, None, None, lam, n, big_n)
    variance = (y - lam * yhat).var() / n
    if big_n:
        variance += (lam * yhat_u).var() / big_n
    half = _z(alpha) * math.sqrt(variance)
    return PPIMean(theta, theta - half, theta + half, lam, n, big_n)


def classical_mean(y: Sequence[float] | np.ndarray, alpha: float = 0.05) -> PPIMean:
    """The human-only mean with the CLT interval (ddof 0, as ``ppi_python``)."""
    return ppi_mean(y, y, [], alpha=alpha, lam=0.0)


@dataclass(frozen=True)
class ModelMean:
    """One model's mean on one dimension (or the composite): PPI++ and human-only."""

    model: str
    dimension: str
    ppi: PPIMean
    human: PPIMean
    n_human: int  # items with a human score (the human-only mean)
    n_judge: int  # items with the judge's score

    def to_dict(self) -> dict:
        return clean(
            {
                "model": self.model,
                "dimension": self.dimension,
                "mean": self.ppi.mean,
                "ci": [self.ppi.ci_low, self.ppi.ci_high],
                "lam": self.ppi.lam,
                "human_mean": self.human.mean,
                "human_ci": [self.human.ci_low, self.human.ci_high],
                "n_human": self.n_human,
                "n_judge": self.n_judge,
                "n_labeled": self.ppi.n_labeled,
                "n_unlabeled": self.ppi.n_unlabeled,
            }
        )


def per_item(
    scores: pd.DataFrame,
    dimension: str,
    dimensions: Sequence[str],
    weights: Mapping[str, float] | None = None,
) -> pd.Series:
    """Item -> its mean score on ``dimension`` (over raters).

    The composite is the weighted mean of the item's dimension means, only for items with
    every dimension (a weight missing from ``weights`` counts 1).
    """
    if not len(scores):
        return pd.Series(dtype=np.float64)
    wide = scores.pivot_table(index="item_id", columns="dimension", values="score", aggfunc="mean")
    if dimension != COMPOSITE:
        if dimension not in wide:
            return pd.Series(dtype=np.float64)
        return wide[dimension].dropna().astype(np.float64)
    if not dimensions or any(d not in wide for d in dimensions):
        return pd.Series(dtype=np.float64)
    w = np.array([float((weights or {}).get(d, 1.0)) for d in dimensions])
    full = wide[list(dimensions)].dropna()
    return pd.Series(full.to_numpy(np.float64) @ w / w.sum(), index=full.index)


def _model_mean(model, dimension, human, judge, dimensions, weights, alpha) -> ModelMean:
    y = per_item(human, dimension, dimensions, weights)
    yhat = per_item(judge, dimension, dimensions, weights)
    both = y.index.intersection(yhat.index)
    unlabeled = yhat.index.difference(y.index)
    ppi = ppi_mean(
        y.loc[both].to_numpy(), yhat.loc[both].to_numpy(), yhat.loc[unlabeled].to_numpy(), alpha
    )
    return ModelMean(model, dimension, ppi, classical_mean(y.to_numpy(), alpha), len(y), len(yhat))


def ppi_model_means(
    human: pd.DataFrame,
    judge: pd.DataFrame,
    items: pd.DataFrame,
    dimensions: Sequence[str],
    weights: Mapping[str, float] | None = None,
    alpha: float = 0.05,
) -> tuple[ModelMean, ...]:
    """Per model, per dimension and the composite: the PPI++ mean beside the human-only one.

    Args:
        human: human scores, long (item_id, rater, dimension, score).
        judge: one judge's scores, long (item_id, rater, dimension, score).
        items: item_id, model (and sample_id): which model answered each item.
        dimensions: the rubric's dimensions, in order; the composite follows them.
        weights: dimension -> weight of the composite (1 when missing).
        alpha: error level of both intervals.

    Labeled items have a human score (their mean over raters) and the judge's; unlabeled
    items have only the judge's. The human-only mean uses every item with a human score.
    """
    out = []
    for model, group in items.groupby("model", sort=False):
        ids = set(group["item_id"])
        h = human[human["item_id"].isin(ids)]
        j = judge[judge["item_id"].isin(ids)]
        for dimension in [*dimensions, COMPOSITE]:
            out.append(_model_mean(str(model), dimension, h, j, dimensions, weights, alpha))
    return tuple(out)
