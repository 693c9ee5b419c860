"""Our rank tests against scipy.stats on the inputs each branch takes: small and large,
with and without ties and zeros, continuous and on the 1-5 scale of item means."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special
from scipy.stats import mannwhitneyu, spearmanr
from scipy.stats import wilcoxon as scipy_wilcoxon

from annotator.core.stats import ranktests


def _diffs(rng, n, kind):
    if kind == "continuous":
        return rng.normal(0.2, 1.0, n)
    if kind == "scores":  # differences of means of three 1-5 scores: ties and zeros
        return (rng.integers(1, 6, (n, 3)).mean(1) - rng.integers(1, 6, (n, 3)).mean(1)).round(12)
    return np.round(rng.normal(0, 1, n), 1)  # ties, few zeros


@pytest.mark.parametrize("kind", ["continuous", "scores", "rounded"])
@pytest.mark.parametrize("n", [2, 5, 9, 13, 14, 30, 50, 51, 200, 5000])
def test_wilcoxon_equals_scipy(n, kind):
    rng = np.random.default_rng(n * 7 + len(kind))
    for _ in range(5):
        d = _diffs(rng, n, kind)
        if np.count_nonzero(d) < 2:
            continue
        expected = scipy_wilcoxon(d, zero_method="wilcox")
        stat, p = ranktests.wilcoxon(d)
        assert stat == pytest.approx(float(expected.statistic), rel=1e-12)
        assert p == pytest.approx(float(expected.pvalue), rel=1e-9, abs=1e-300)


def test_wilcoxon_far_in_the_tail_and_all_one_side():
    d = np.arange(1, 41, dtype=float)  # every pair favours the candidate: exact, tiny p
    assert ranktests.wilcoxon(d)[1] == pytest.approx(scipy_wilcoxon(d).pvalue, rel=1e-9)
    d = np.linspace(0.1, 3, 400)  # the normal approximation far out
    assert ranktests.wilcoxon(d)[1] == pytest.approx(scipy_wilcoxon(d).pvalue, rel=1e-6)


@pytest.mark.parametrize("n1,n2", [(3, 4), (5, 5), (8, 9), (9, 9), (20, 31), (400, 380)])
@pytest.mark.parametrize("tied", [False, True])
def test_mannwhitney_equals_scipy(n1, n2, tied):
    rng = np.random.default_rng(n1 * 100 + n2 + tied)
    for _ in range(5):
        x, y = rng.normal(0, 1, n1), rng.normal(0.3, 1, n2)
        if tied:
            x, y = np.round(x * 2) / 2, np.round(y * 2) / 2
        expected = mannwhitneyu(x, y, alternative="two-sided").pvalue
        assert ranktests.mannwhitney(x, y) == pytest.approx(float(expected), rel=1e-9)


@pytest.mark.parametrize("n1,n2", [(9, 9), (5, 20), (30, 30)])
def test_mannwhitney_of_samples_with_one_value_equals_scipy(n1, n2):
    """A rater who gave every item the same mean: no spread at all (scipy says p = 1)."""
    x, y = np.full(n1, 4.0), np.full(n2, 4.0)
    expected = mannwhitneyu(x, y, alternative="two-sided").pvalue
    assert ranktests.mannwhitney(x, y) == pytest.approx(float(expected))
    x, y = np.full(n1, 4.0), np.r_[np.full(n2 - 1, 4.0), 5.0]
    expected = mannwhitneyu(x, y, alternative="two-sided").pvalue
    assert ranktests.mannwhitney(x, y) == pytest.approx(float(expected), rel=1e-9)


@pytest.mark.parametrize("n", [3, 4, 10, 57, 1000, 100_000])
def test_spearman_equals_scipy(n):
    rng = np.random.default_rng(n)
    for noise in (0.1, 1.0, 10.0):
        x = rng.normal(size=n)
        y = np.round(x + rng.normal(scale=noise, size=n), 1)  # ties on one side
        expected = spearmanr(x, y)
        rho, p = ranktests.spearman(x, y)
        assert rho == pytest.approx(float(expected.statistic), rel=1e-10, abs=1e-12)
        assert p == pytest.approx(float(expected.pvalue), rel=1e-8, abs=1e-300)


def test_spearman_of_a_perfect_order():
    x = np.arange(10.0)
    for y in (x**3, -x):
        expected = spearmanr(x, y)
        rho, p = ranktests.spearman(x, y)
        assert rho == pytest.approx(float(expected.statistic), rel=1e-12)
        assert p == pytest.approx(float(expected.pvalue), abs=1e-12)


@pytest.mark.parametrize("df", [1, 2, 3, 7.5, 30, 1000, 1e6])
def test_student_t_tail_equals_scipy(df):
    for t in (0.0, 0.01, 0.5, 1.0, 2.0, 3.5, 8.0, 40.0):
        expected = 2 * special.stdtr(df, -t)
        # lgamma(a + 1/2) - lgamma(a) cancels digits when a = df/2 is huge: 9 digits kept
        assert ranktests.student_t_two_sided(t, df) == pytest.approx(
            float(expected), rel=1e-9 if df < 1e5 else 5e-9, abs=1e-300
        )


def test_rank_average_equals_scipy_rankdata():
    from scipy.stats import rankdata

    values = np.array([3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 7.0])
    ranks, sizes = ranktests.rank_average(values)
    np.testing.assert_array_equal(ranks, rankdata(values))
    assert sorted(sizes.tolist()) == [1, 1, 2, 3]


@pytest.mark.parametrize(
    "d",
    [np.ones(20), np.r_[np.ones(10), -np.ones(10)], np.r_[np.zeros(30), np.ones(3), -np.ones(2)]],
    ids=["all-one", "balanced", "mostly-zero"],
)
def test_wilcoxon_when_every_difference_has_one_size(d):
    expected = scipy_wilcoxon(d, zero_method="wilcox")
    stat, p = ranktests.wilcoxon(d)
    assert stat == float(expected.statistic)
    assert p == pytest.approx(float(expected.pvalue), rel=1e-9)
