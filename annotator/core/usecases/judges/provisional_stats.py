"""PROVISIONAL: the alternative annotator test until ``annotator.core.stats.alt_test``
lands (helper "judge-stats"); then ``stats_adapter`` calls that and this module goes. Pure.

- ``alt_test``: the alternative annotator test (Calderon, Reichart and Dror, 2025): per
  left-out human, the judge's and that human's alignment with the other humans (negative
  RMSE for scores, accuracy for choices), a one-sided t-test with margin epsilon, the
  Benjamini-Yekutieli correction at q = 0.05; omega (winning rate), rho (advantage
  probability); passed when omega >= 0.5.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from annotator.core.domain.message import Message

MIN_HUMANS, MIN_PER_ITEM, MIN_ITEMS, Q = 3, 2, 30, 0.05


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
