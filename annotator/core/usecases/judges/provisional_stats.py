"""PROVISIONAL: the judges' statistics until ``annotator.core.stats`` has its own (helper
"judge-stats" writes ``stats/judges*.py``, ``stats/alt_test.py``, ``stats/ppi.py``); then
``stats_adapter`` calls those and this module goes. Pure functions on frames and arrays.

- ``agreement_numbers``: Spearman, Pearson, MAE, bias (judge - human mean), quadratic
  weighted kappa against the rounded human median, Krippendorff's alpha (ordinal) of the
  humans and of the humans with the judge, on the units the judge scored.
- ``alt_test``: the alternative annotator test (Calderon, Reichart and Dror, 2025): per
  left-out human, the judge's and that human's alignment with the other humans (negative
  RMSE for scores, accuracy for choices), a one-sided t-test with margin epsilon, the
  Benjamini-Yekutieli correction at q = 0.05; omega (winning rate), rho (advantage
  probability); passed when omega >= 0.5.
- ``ppi_mean``: PPI++ (Angelopoulos, Duchi and Zrnic, 2023) mean with the power-tuning
  lambda, a 95% normal interval, and the human-only mean and interval beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from annotator.core.domain.message import Message
from annotator.core.stats.agreement import alpha

MIN_HUMANS, MIN_PER_ITEM, MIN_ITEMS, Q = 3, 2, 30, 0.05
Z95 = 1.959963984540054


def _correlation(x: np.ndarray, y: np.ndarray, how) -> float | None:
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return float(how(x, y)[0])


def _kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Quadratic-weighted kappa of two raters on the scale 1..5."""
    if not len(a):
        return None
    observed = np.zeros((5, 5))
    np.add.at(observed, (a - 1, b - 1), 1)
    expected = np.outer(observed.sum(1), observed.sum(0)) / observed.sum()
    levels = np.arange(5)
    weights = (levels[:, None] - levels[None, :]) ** 2 / 16
    denominator = (weights * expected).sum()
    return None if denominator == 0 else float(1 - (weights * observed).sum() / denominator)


def _alpha(frame: pd.DataFrame) -> float | None:
    """Ordinal alpha of (unit, score) rows."""
    counts = pd.crosstab(frame["unit"], frame["score"]).reindex(columns=range(1, 6), fill_value=0)
    return alpha(counts.to_numpy(np.int64), "judge").alpha if len(counts) else None


def agreement_numbers(human: pd.DataFrame, judge: pd.DataFrame) -> dict:
    """human: unit, rater, score; judge: unit, score (one per unit)."""
    score = judge.groupby("unit")["score"].first()
    human = human[human["unit"].isin(score.index)]
    by_unit = human.groupby("unit")["score"].agg(["mean", "median"])
    units = by_unit.index
    x, y = score.loc[units].to_numpy(float), by_unit["mean"].to_numpy(float)
    median = np.floor(by_unit["median"].to_numpy(float) + 0.5).astype(int)
    with_judge = pd.concat([human[["unit", "score"]], score.loc[units].reset_index()])
    return {
        "n": int(len(units)),
        "spearman": _correlation(x, y, sps.spearmanr),
        "pearson": _correlation(x, y, sps.pearsonr),
        "mae": float(np.abs(x - y).mean()) if len(x) else None,
        "bias": float((x - y).mean()) if len(x) else None,
        "kappa": _kappa(x.astype(int), median),
        "alpha_humans": _alpha(human),
        "alpha_with_judge": _alpha(with_judge),
    }


def _by(n: int, p: np.ndarray) -> np.ndarray:
    """Benjamini-Yekutieli rejections at q = 0.05."""
    order = np.argsort(p)
    c = sum(1 / k for k in range(1, n + 1))
    below = p[order] <= np.arange(1, n + 1) * Q / (n * c)
    rejected = np.zeros(n, bool)
    if below.any():
        rejected[order[: np.flatnonzero(below).max() + 1]] = True
    return rejected


def _alignment(value, others: np.ndarray, kind: str) -> float:
    if kind == "choice":
        return float(np.mean(others == value))
    return -math.sqrt(float(np.mean((others.astype(float) - float(value)) ** 2)))


def _missing(words: Message) -> dict:
    return {"winning_rate": None, "advantage_probability": None, "passed": None,
            "missing": words, "humans": 0}  # fmt: skip


def alt_test(human: pd.DataFrame, judge: pd.DataFrame, *, epsilon: float, kind: str) -> dict:
    """human: unit, rater, score; judge: unit, score. ``kind`` "score" or "choice"."""
    verdict = judge.groupby("unit")["score"].first()
    human = human[human["unit"].isin(verdict.index)]
    per_unit = human.groupby("unit")["rater"].nunique()
    raters = sorted(human["rater"].astype(str).unique())
    if len(raters) < MIN_HUMANS:
        return _missing(
            Message("it needs at least 3 human raters ({count} here)", count=len(raters))
        )
    shared = human[human["unit"].map(per_unit) >= MIN_PER_ITEM]
    values = shared.groupby("unit")["score"].apply(lambda s: s.to_numpy())
    p_values, rho = [], []
    for rater in raters:
        mine = shared[shared["rater"].astype(str) == rater]
        if len(mine) < MIN_ITEMS:
            continue
        w_judge, w_human = [], []
        for unit, own in zip(mine["unit"], mine["score"], strict=True):
            others = list(values[unit])
            others.remove(own)
            s_j = _alignment(verdict[unit], np.asarray(others), kind)
            s_h = _alignment(own, np.asarray(others), kind)
            w_judge.append(s_j >= s_h)
            w_human.append(s_h >= s_j)
        d = np.asarray(w_human, float) - np.asarray(w_judge, float)
        if d.std() == 0:
            p = 0.0 if d.mean() < epsilon else 1.0
        else:
            p = float(sps.ttest_1samp(d, epsilon, alternative="less").pvalue)
        p_values.append(p)
        rho.append(float(np.mean(w_judge)))
    if len(p_values) < MIN_HUMANS:
        return _missing(
            Message(
                "it needs at least 3 human raters with 30 or more items each also scored "
                "by the judge and by another rater ({count} here)",
                count=len(p_values),
            )
        )
    rejected = _by(len(p_values), np.asarray(p_values))
    omega = float(rejected.mean())
    return {"winning_rate": omega, "advantage_probability": float(np.mean(rho)),
            "passed": omega >= 0.5, "missing": None, "humans": len(p_values)}  # fmt: skip


def ppi_mean(y: np.ndarray, yhat: np.ndarray, yhat_u: np.ndarray) -> dict:
    """PPI++ mean of ``y`` with the judge's ``yhat`` on the same items and ``yhat_u`` on
    the items without a human score; the human-only mean beside it."""
    n, big_n = len(y), len(yhat_u)
    out = {"n_human": n, "n_judge": n + big_n, "mean": None, "ci": (None, None),
           "human_mean": None, "human_ci": (None, None)}  # fmt: skip
    if n < 2:
        return out
    human_se = y.std() / math.sqrt(n)
    out["human_mean"] = float(y.mean())
    out["human_ci"] = (out["human_mean"] - Z95 * human_se, out["human_mean"] + Z95 * human_se)
    if big_n < 2:
        return out
    first = yhat_u.mean() + (y - yhat).mean()
    g, gh, ghu = y - first, yhat - first, yhat_u - first
    cov = 2 * np.mean((g - g.mean()) * (gh - gh.mean()))
    var = np.var(np.concatenate([gh, ghu]), ddof=1)
    lam = 0.0 if var == 0 else float(np.clip(cov / (2 * (1 + n / big_n) * var), 0, 1))
    theta = float(lam * yhat_u.mean() + (y - lam * yhat).mean())
    se = math.sqrt((lam * yhat_u).std() ** 2 / big_n + (y - lam * yhat).std() ** 2 / n)
    out["mean"], out["ci"] = theta, (theta - Z95 * se, theta + Z95 * se)
    return out
