"""Krippendorff's alpha: published values, the package as oracle, bootstrap behaviour."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stats_helpers import DIMS, items_for, random_project, to_long

from annotator.core.stats import compute, interpret
from annotator.core.stats.agreement import alpha, pair_agreement

nan = np.nan
# Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C:
# 4 observers x 12 units, values 1-5, with missing data.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849}


@pytest.mark.parametrize("level", sorted(PUBLISHED))
def test_published_worked_example(level):
    ratings = to_long(KRIPPENDORFF_2011)
    report = compute(ratings, items_for(ratings), dimensions=["relevance"], level=level)
    result = report.alpha_for("relevance")
    assert round(result.alpha, 3) == PUBLISHED[level]
    assert report.alpha_for("all").alpha == pytest.approx(result.alpha)
    # Unit 12 has a single value: it is not pairable; the 11 others carry 40 values.
    assert (result.units, result.pairable_values) == (11, 40)


def _reliability(ratings: pd.DataFrame, dim: str | None) -> np.ndarray:
    """Raters x units matrix for the package; units are (item, dimension)."""
    sub = ratings if dim is None else ratings[ratings["dimension"] == dim]
    wide = sub.pivot_table(
        index="rater", columns=["item_id", "dimension"], values="score", aggfunc="first"
    )
    return wide.to_numpy(dtype=float)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_package_on_random_data_with_missing_values(level, seed):
    ratings, items = random_project(n_items=80, missing=0.3, seed=seed)
    report = compute(ratings, items, dimensions=DIMS, level=level, resamples=0)
    for dim in (*DIMS, None):
        expected = krippendorff.alpha(
            reliability_data=_reliability(ratings, dim),
            value_domain=[1, 2, 3, 4, 5],
            level_of_measurement=level,
        )
        got = report.alpha_for(dim or "all").alpha
        assert got == pytest.approx(expected, abs=1e-10)


def test_bootstrap_ci_contains_estimate_and_is_reproducible():
    ratings, items = random_project(n_items=120, seed=5)
    a = compute(ratings, items, dimensions=DIMS, seed=11, resamples=500)
    b = compute(ratings, items, dimensions=DIMS, seed=11, resamples=500)
    c = compute(ratings, items, dimensions=DIMS, seed=12, resamples=500)
    for dim in (*DIMS, "all"):
        ra, rb, rc = a.alpha_for(dim), b.alpha_for(dim), c.alpha_for(dim)
        assert ra.ci.low < ra.alpha < ra.ci.high
        assert (ra.ci.low, ra.ci.high) == (rb.ci.low, rb.ci.high)
        assert (ra.ci.low, ra.ci.high) != (rc.ci.low, rc.ci.high)


def test_bootstrap_ci_matches_naive_unit_resampling():
    """The pattern-multinomial bootstrap has the same distribution as resampling units."""
    rng = np.random.default_rng(3)
    counts = rng.multinomial(3, [0.1, 0.2, 0.4, 0.2, 0.1], size=400)
    counts[rng.random(400) < 0.3, 2] = 0  # some units with fewer raters
    fast = alpha(counts, "x", "ordinal", np.random.default_rng(1), resamples=2000)
    naive = []
    for _ in range(600):
        pick = counts[rng.integers(0, len(counts), len(counts))]
        pick = pick[pick.sum(axis=1) >= 2]
        naive.append(
            krippendorff.alpha(value_counts=pick, value_domain=np.arange(1, 6),
                               level_of_measurement="ordinal")
        )  # fmt: skip
    lo, hi = np.percentile(naive, [2.5, 97.5])
    width = hi - lo
    assert fast.ci.low == pytest.approx(lo, abs=0.15 * width)
    assert fast.ci.high == pytest.approx(hi, abs=0.15 * width)


def test_interpretation_thresholds():
    assert interpret(0.800) == "reliable"
    assert interpret(0.7999) == "tentative"
    assert interpret(0.667) == "tentative"
    assert interpret(0.6669) == "not reliable"
    assert interpret(None) == "not computable"


def test_all_raters_agree_on_one_value_is_not_computable():
    ratings = to_long([[3, 3, 3], [3, 3, 3]])
    report = compute(ratings, items_for(ratings), dimensions=["relevance"])
    assert report.alpha_for("relevance").alpha is None
    assert report.alpha_for("relevance").interpretation == "not computable"
    assert report.pair_agreement["relevance"]["exact"] == 1.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3),
        min_size=1,
        max_size=30,
    )
)
def test_pair_agreement_matches_brute_force(units):
    counts = np.array([[sum(1 for v in u if v == s) for s in range(1, 6)] for u in units])
    exact = near = pairs = 0
    for u in units:
        vals = [v for v in u if v is not None]
        for i in range(len(vals)):
            for j in range(i + 1, len(vals)):
                pairs += 1
                exact += vals[i] == vals[j]
                near += abs(vals[i] - vals[j]) <= 1
    got = pair_agreement(counts)
    assert got["pairs"] == pairs
    if pairs:
        assert got["exact"] == pytest.approx(exact / pairs)
        assert got["within_one"] == pytest.approx(near / pairs)
    else:
        assert got["exact"] is None
