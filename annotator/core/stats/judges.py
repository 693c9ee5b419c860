"""How closely one judge follows the humans, per dimension and over all dimensions.

On the units (item, dimension) that the judge and at least one human scored: Spearman's
and Pearson's correlation of the judge's score with the units' human mean, the mean
absolute error and the mean bias (judge - human mean), the quadratic-weighted kappa of
the judge against the humans' median rounded half up (labels 1..5), and Krippendorff's
alpha of the humans alone and of the humans with the judge as one more rater, both on
the same units. "Over all dimensions" (dimension ``""``) pools every (item, dimension)
unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.stats.agreement import alpha
from annotator.core.stats.data import N_LEVELS
from annotator.core.stats.jsonsafe import clean

OVERALL = ""
LABELS = np.arange(1, N_LEVELS + 1)


@dataclass(frozen=True)
class JudgeAgreement:
    """One judge against the humans on one dimension (``""``: all dimensions pooled).

    ``n`` counts the units used; a number is None when it is not defined on them (a
    correlation with fewer than 3 units or a constant side, alpha with no variation).
    """

    dimension: str
    n: int
    spearman: float | None
    pearson: float | None
    mae: float | None
    bias: float | None
    kappa: float | None
    alpha_humans: float | None
    alpha_with_judge: float | None
    level: str = "ordinal"

    def to_dict(self) -> dict:
        return clean(
            {
                "dimension": self.dimension,
                "n": self.n,
                "spearman": self.spearman,
                "pearson": self.pearson,
                "mae": self.mae,
                "bias": self.bias,
                "kappa": self.kappa,
                "alpha_humans": self.alpha_humans,
                "alpha_with_judge": self.alpha_with_judge,
                "level": self.level,
            }
        )


def round_half_up(values: np.ndarray) -> np.ndarray:
    """3.5 -> 4, 2.5 -> 3 (numpy's ``round`` would give 2: half to even)."""
    return np.floor(np.asarray(values, dtype=np.float64) + 0.5).astype(np.int64)


def quadratic_kappa(a: np.ndarray, b: np.ndarray, labels: np.ndarray = LABELS) -> float | None:
    """Cohen's kappa of two raters with quadratic weights on the scale ``labels``.

    The same as scikit-learn's ``cohen_kappa_score(a, b, weights="quadratic",
    labels=labels)``; None when it is undefined (no pair, or no expected disagreement).
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    if not len(a):
        return None
    k = len(labels)
    index = {int(v): i for i, v in enumerate(labels)}
    observed = np.zeros((k, k))
    np.add.at(observed, ([index[int(v)] for v in a], [index[int(v)] for v in b]), 1)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    levels = np.arange(k)
    weights = (levels[:, None] - levels[None, :]) ** 2
    denominator = float((weights * expected).sum())
    if denominator == 0:
        return None
    return float(1 - (weights * observed).sum() / denominator)


def _scipy(name: str):
    """A function of scipy.stats, loaded when a judge is there to compare."""
    import scipy.stats

    return getattr(scipy.stats, name)


def _correlation(x: np.ndarray, y: np.ndarray, how) -> float | None:
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return float(how(x, y)[0])


def _alpha(units: pd.Series, scores: pd.Series, level: str) -> float | None:
    """Krippendorff's alpha of (unit, score) rows, through ``stats.agreement``."""
    counts = pd.crosstab(units, scores).reindex(columns=LABELS, fill_value=0)
    if not len(counts):
        return None
    return alpha(counts.to_numpy(np.int64), "judge", level).alpha


def _units(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Rows of one dimension (or all), with ``unit`` naming (item, dimension)."""
    if dimension != OVERALL:
        frame = frame[frame["dimension"] == dimension]
    unit = frame["item_id"].astype(str) + "\x1f" + frame["dimension"].astype(str)
    return frame.assign(unit=unit)


def agreement_on(
    human: pd.DataFrame, judge: pd.DataFrame, dimension: str, level: str = "ordinal"
) -> JudgeAgreement:
    """``JudgeAgreement`` of one dimension (``""`` for all); frames as ``judge_agreement``."""
    h, j = _units(human, dimension), _units(judge, dimension)
    score = j.groupby("unit")["score"].mean()
    h = h[h["unit"].isin(score.index)]
    by_unit = h.groupby("unit")["score"].agg(["mean", "median"])
    if not len(by_unit):
        return JudgeAgreement(dimension, 0, None, None, None, None, None, None, None, level)
    x = score.loc[by_unit.index].to_numpy(np.float64)
    y = by_unit["mean"].to_numpy(np.float64)
    judge_rows = pd.DataFrame({"unit": by_unit.index, "score": round_half_up(x)})
    both = pd.concat([h[["unit", "score"]], judge_rows], ignore_index=True)
    return JudgeAgreement(
        dimension=dimension,
        n=len(by_unit),
        spearman=_correlation(x, y, _scipy("spearmanr")),
        pearson=_correlation(x, y, _scipy("pearsonr")),
        mae=float(np.abs(x - y).mean()),
        bias=float((x - y).mean()),
        kappa=quadratic_kappa(round_half_up(x), round_half_up(by_unit["median"].to_numpy())),
        alpha_humans=_alpha(h["unit"], h["score"].astype(np.int64), level),
        alpha_with_judge=_alpha(both["unit"], both["score"].astype(np.int64), level),
        level=level,
    )


def judge_agreement(
    human: pd.DataFrame,
    judge: pd.DataFrame,
    *,
    dimensions: Sequence[str],
    level: str = "ordinal",
) -> tuple[JudgeAgreement, ...]:
    """One judge against the humans: each dimension in order, then all pooled (``""``).

    Args:
        human: the humans' scores, long (item_id, rater, dimension, score 1..5).
        judge: one judge's scores, the same columns (one score per item and dimension;
            a repeated one is averaged).
        dimensions: the dimensions to report, in order.
        level: Krippendorff's alpha level ("ordinal" as the human agreement).
    """
    return tuple(agreement_on(human, judge, d, level) for d in (*dimensions, OVERALL))
