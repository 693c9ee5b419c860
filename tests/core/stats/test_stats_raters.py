"""Weighted kappa (scikit-learn as oracle), rater means and leniency (brute force)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from stats_helpers import DIMS, random_project

from annotator.core.stats import compute, weighted_kappa

LABELS = [1, 2, 3, 4, 5]


def _confusion(a, b) -> np.ndarray:
    m = np.zeros((5, 5))
    for x, y in zip(a, b, strict=True):
        m[x - 1, y - 1] += 1
    return m


@pytest.mark.parametrize("seed", range(8))
def test_weighted_kappa_matches_sklearn(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 6, 200)
    b = np.clip(a + rng.integers(-2, 3, 200), 1, 5)
    expected = cohen_kappa_score(a, b, labels=LABELS, weights="quadratic")
    assert weighted_kappa(_confusion(a, b)) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=60))
def test_weighted_kappa_property_against_sklearn(pairs):
    a, b = zip(*pairs, strict=True)
    got = weighted_kappa(_confusion(a, b))
    if len(set(a)) == 1 and len(set(b)) == 1 and a[0] == b[0]:
        assert got is None  # both raters constant and equal: kappa undefined
        return
    with np.errstate(all="ignore"):
        expected = cohen_kappa_score(a, b, labels=LABELS, weights="quadratic")
    if np.isnan(expected):
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-9)


def test_pairwise_kappa_on_shared_ratings_matches_sklearn():
    ratings, items = random_project(n_items=70, raters=("ann", "ben", "cai", "dee"), seed=4)
    table = compute(ratings, items, dimensions=DIMS, resamples=0).kappa
    assert len(table) == 6 * (len(DIMS) + 1)
    wide = ratings.pivot_table(
        index=["item_id", "dimension"], columns="rater", values="score", aggfunc="first"
    )
    for a, b in combinations(["ann", "ben", "cai", "dee"], 2):
        for dim in (*DIMS, "all"):
            sub = wide if dim == "all" else wide.xs(dim, level="dimension", drop_level=False)
            both = sub[[a, b]].dropna().astype(int)
            row = table[(table.rater_a == a) & (table.rater_b == b) & (table.dimension == dim)]
            assert int(row.n.iloc[0]) == len(both)
            expected = cohen_kappa_score(both[a], both[b], labels=LABELS, weights="quadratic")
            assert row.kappa.iloc[0] == pytest.approx(expected, abs=1e-12)
            assert row.exact.iloc[0] == pytest.approx((both[a] == both[b]).mean())
            assert row.within_one.iloc[0] == pytest.approx(((both[a] - both[b]).abs() <= 1).mean())


def test_rater_means_and_leniency_by_brute_force():
    ratings, items = random_project(n_items=40, seed=9)
    raters = compute(ratings, items, dimensions=DIMS, resamples=0).raters.set_index("rater")
    for name, mine in ratings.groupby("rater"):
        diffs = {d: [] for d in DIMS}
        for row in mine.itertuples():
            others = ratings[
                (ratings.item_id == row.item_id)
                & (ratings.dimension == row.dimension)
                & (ratings.rater != name)
            ]
            if len(others):
                diffs[row.dimension].append(row.score - others.score.mean())
        got = raters.loc[name]
        assert got["items_done"] == mine.item_id.nunique()
        assert got["ratings"] == len(mine)
        assert got["mean"] == pytest.approx(mine.score.mean())
        assert got["leniency"] == pytest.approx(np.mean(sum(diffs.values(), [])))
        for d in DIMS:
            assert got[f"{d}_mean"] == pytest.approx(mine[mine.dimension == d].score.mean())
            assert got[f"{d}_leniency"] == pytest.approx(np.mean(diffs[d]))


def test_a_harsh_rater_has_negative_leniency():
    rows = [(i, r, "relevance", s) for i in range(1, 11) for r, s in (("a", 4), ("b", 4), ("h", 2))]
    ratings = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    items = pd.DataFrame({"item_id": range(1, 11), "model": "m", "sample_id": "x"})
    raters = compute(ratings, items, dimensions=["relevance"], resamples=0).raters
    lenient = dict(zip(raters.rater, raters.leniency, strict=True))
    assert lenient == pytest.approx({"a": 1.0, "b": 1.0, "h": -2.0})
