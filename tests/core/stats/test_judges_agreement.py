"""A judge against the humans, checked against scipy, scikit-learn and krippendorff."""

from __future__ import annotations

import json
import math

import krippendorff
import numpy as np
import pandas as pd
import pytest
from scipy.stats import pearsonr, spearmanr

from annotator.core.stats.judges import OVERALL, judge_agreement, quadratic_kappa

sklearn_metrics = pytest.importorskip("sklearn.metrics")

COLS = ["item_id", "rater", "dimension", "score"]
DIMS = ("fluency", "accuracy")
HUMANS = ("ann", "bob", "cai", "dee")


def _simulate(seed: int = 3, items: int = 80, noise: float = 0.8):
    rng = np.random.default_rng(seed)
    human, judge = [], []
    for k in range(items):
        for dim in DIMS:
            truth = rng.integers(1, 6)
            raters = rng.choice(HUMANS, size=rng.integers(1, 4), replace=False)
            for rater in raters:
                human.append((f"i{k}", rater, dim, int(np.clip(truth + rng.integers(-1, 2), 1, 5))))
            if k % 10 != 9:  # the judge skipped some items
                score = int(np.clip(round(truth + rng.normal(0, noise)), 1, 5))
                judge.append((f"i{k}", "gpt", dim, score))
    judge.append(("only-judge", "gpt", "fluency", 3))  # no human: never used
    return pd.DataFrame(human, columns=COLS), pd.DataFrame(judge, columns=COLS)


def _reference(human: pd.DataFrame, judge: pd.DataFrame, dims) -> dict:
    """Written from the definitions, with plain loops over units."""
    units = sorted(
        {(i, d) for i, d in zip(judge["item_id"], judge["dimension"], strict=True) if d in dims}
    )
    rows = {}
    for i, r, d, s in human.itertuples(index=False):
        rows.setdefault((i, d), {})[r] = s
    units = [u for u in units if u in rows]
    j = {(i, d): s for i, _, d, s in judge.itertuples(index=False)}
    x = np.array([j[u] for u in units], float)
    mean = np.array([np.mean(list(rows[u].values())) for u in units])
    median = np.array([math.floor(np.median(list(rows[u].values())) + 0.5) for u in units])
    matrix = np.full((len(HUMANS) + 1, len(units)), np.nan)
    for col, u in enumerate(units):
        for row, rater in enumerate(HUMANS):
            if rater in rows[u]:
                matrix[row, col] = rows[u][rater]
        matrix[-1, col] = j[u]
    kw = {"value_domain": [1, 2, 3, 4, 5], "level_of_measurement": "ordinal"}
    return {
        "n": len(units),
        "spearman": spearmanr(x, mean).statistic,
        "pearson": pearsonr(x, mean).statistic,
        "mae": np.mean(np.abs(x - mean)),
        "bias": np.mean(x - mean),
        "kappa": sklearn_metrics.cohen_kappa_score(
            x.astype(int), median, weights="quadratic", labels=[1, 2, 3, 4, 5]
        ),
        "alpha_humans": krippendorff.alpha(reliability_data=matrix[:-1], **kw),
        "alpha_with_judge": krippendorff.alpha(reliability_data=matrix, **kw),
    }


def test_against_the_references():
    human, judge = _simulate()
    result = judge_agreement(human, judge, dimensions=DIMS)
    assert [r.dimension for r in result] == [*DIMS, OVERALL]
    for r in result:
        ref = _reference(human, judge, DIMS if r.dimension == OVERALL else (r.dimension,))
        assert r.n == ref["n"]
        for key in ("spearman", "pearson", "mae", "bias", "kappa"):
            assert getattr(r, key) == pytest.approx(ref[key], abs=1e-9), key
        for key in ("alpha_humans", "alpha_with_judge"):
            assert getattr(r, key) == pytest.approx(ref[key], abs=1e-9), key
        assert json.loads(json.dumps(r.to_dict(), allow_nan=False))["n"] == ref["n"]


def test_a_biased_judge():
    human, judge = _simulate(seed=4, noise=0.1)
    harsh = judge.assign(score=(judge["score"] - 1).clip(lower=1))
    fair = {r.dimension: r for r in judge_agreement(human, judge, dimensions=DIMS)}
    low = {r.dimension: r for r in judge_agreement(human, harsh, dimensions=DIMS)}
    assert low[OVERALL].bias < fair[OVERALL].bias - 0.5
    assert low[OVERALL].alpha_with_judge < fair[OVERALL].alpha_with_judge


@pytest.mark.parametrize("seed", range(5))
def test_kappa_matches_sklearn(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 6, 50)
    b = np.clip(a + rng.integers(-2, 3, 50), 1, 5)
    ref = sklearn_metrics.cohen_kappa_score(a, b, weights="quadratic", labels=[1, 2, 3, 4, 5])
    assert quadratic_kappa(a, b) == pytest.approx(ref, abs=1e-12)


def test_undefined_numbers_are_none():
    human = pd.DataFrame([("a", "x", "f", 3), ("a", "y", "f", 3), ("b", "x", "f", 3)], columns=COLS)
    judge = pd.DataFrame([("a", "j", "f", 3), ("b", "j", "f", 3)], columns=COLS)
    (r, overall) = judge_agreement(human, judge, dimensions=["f"])
    assert r.n == 2 and r.spearman is None and r.pearson is None and r.kappa is None
    assert r.mae == 0.0 and r.alpha_humans is None
    empty = judge_agreement(human, judge.iloc[:0], dimensions=["f"])[0]
    assert empty.n == 0 and empty.mae is None
    assert json.dumps([x.to_dict() for x in (r, overall, empty)], allow_nan=False)
