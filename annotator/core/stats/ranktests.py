"""The three rank tests the report needs, without loading ``scipy.stats``.

Importing ``scipy.stats`` costs about a second of every report (its distributions build
their documentation on import), more than all the report's own arithmetic on 100,000
items. These are the same tests, computed the same way as scipy 1.17 computes them by
default, on numpy and the standard library: the Wilcoxon signed-rank test, the
Mann-Whitney U test and Spearman's rank correlation with its t-test p-value. The rare
small cases scipy settles by enumeration (a Wilcoxon test with ties on 13 pairs or fewer,
a Mann-Whitney test on two samples of 8 or fewer) are handed to scipy itself, loaded then.
``tests/core/stats/test_ranktests.py`` holds each against ``scipy.stats`` on many inputs.
"""

from __future__ import annotations

import math

import numpy as np

# scipy's choice of method: exact Wilcoxon up to 50 pairs, enumeration with ties up to 13
EXACT_WILCOXON_MAX = 50
PERMUTATION_WILCOXON_MAX = 13
EXACT_MWU_MAX = 8


def rank_average(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks 1..n with ties given their average rank, and the size of each tie group."""
    values = np.asarray(values, dtype=np.float64)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(values)])
    average = starts + (sizes + 1) / 2.0  # the mean of ranks start+1 .. start+size
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.repeat(average, sizes)
    return ranks, sizes


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def wilcoxon(diff: np.ndarray) -> tuple[float, float]:
    """Two-sided Wilcoxon signed-rank test of paired differences: (statistic, p).

    As ``scipy.stats.wilcoxon(diff, zero_method="wilcox")``: zeros are dropped, the
    statistic is min(R+, R-), and the p-value is exact up to 50 pairs without ties or
    zeros, otherwise the normal approximation with the tie correction and no continuity
    correction."""
    d = np.asarray(diff, dtype=np.float64)
    n_all = len(d)
    nonzero = d[d != 0]
    ranks, sizes = rank_average(np.abs(nonzero))
    r_plus = float(ranks[nonzero > 0].sum())
    r_minus = float(ranks[nonzero < 0].sum())
    statistic = min(r_plus, r_minus)
    ties = bool(np.any(sizes > 1))
    zeros = len(nonzero) < n_all
    if n_all <= EXACT_WILCOXON_MAX and not ties and not zeros:
        return statistic, _exact_signed_rank_p(r_plus, n_all)
    if n_all <= PERMUTATION_WILCOXON_MAX:  # scipy enumerates the signs: let it
        from scipy.stats import wilcoxon as reference

        res = reference(d, zero_method="wilcox")
        return float(res.statistic), float(res.pvalue)
    n = float(len(nonzero))
    mean = n * (n + 1.0) * 0.25
    var = (n * (n + 1.0) * (2.0 * n + 1.0) - float(np.sum(sizes**3 - sizes)) / 2.0) / 24.0
    if var <= 0:
        return statistic, math.nan
    z = (r_plus - mean) / math.sqrt(var)
    return statistic, min(1.0, 2.0 * normal_sf(abs(z)))


def _exact_signed_rank_p(r_plus: float, n: int) -> float:
    """Two-sided exact p of the signed-rank sum ``r_plus`` of n untied, non-zero pairs."""
    top = n * (n + 1) // 2
    counts = np.zeros(top + 1, dtype=np.float64)
    counts[0] = 1.0
    for k in range(1, n + 1):  # subsets of 1..k by their sum
        counts[k:] = counts[k:] + counts[:-k].copy()
    total = 2.0**n  # the counts are whole numbers below 2**53: their sums are exact
    low = counts[: int(math.ceil(r_plus)) + 1].sum() / total  # P(T <= r+)
    high = counts[int(math.floor(r_plus)) :].sum() / total  # P(T >= r+)
    return float(min(1.0, max(0.0, 2.0 * min(low, high))))


def mannwhitney(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided p of the Mann-Whitney U test, as ``scipy.stats.mannwhitneyu(x, y)``:
    the normal approximation with the tie correction and a continuity correction."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n1, n2 = len(x), len(y)
    ranks, sizes = rank_average(np.r_[x, y])
    ties = bool(np.any(sizes > 1))
    if not (n1 > EXACT_MWU_MAX and n2 > EXACT_MWU_MAX) and not ties:
        from scipy.stats import mannwhitneyu  # scipy's exact distribution of U

        return float(mannwhitneyu(x, y, alternative="two-sided").pvalue)
    u1 = float(ranks[:n1].sum()) - n1 * (n1 + 1) / 2.0
    u = max(u1, n1 * n2 - u1)
    n = n1 + n2
    tie_term = float(np.sum(sizes.astype(np.float64) ** 3 - sizes))
    s = math.sqrt(max(0.0, n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1)))))
    numerator = u - n1 * n2 / 2.0 - 0.5
    if s == 0:  # every value tied: as scipy, the numerator's sign over zero spread
        return math.nan if not numerator else (1.0 if numerator < 0 else 0.0)
    return min(1.0, max(0.0, 2.0 * normal_sf(numerator / s)))


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho and its two-sided p (a t-test on n - 2 degrees of freedom), as
    ``scipy.stats.spearmanr(x, y)``; both sides must vary."""
    rx, _ = rank_average(x)
    ry, _ = rank_average(y)
    rho = float(np.corrcoef(rx, ry)[0, 1])
    rho = max(-1.0, min(1.0, rho))
    df = len(rx) - 2
    if df <= 0:
        return rho, math.nan
    if abs(rho) == 1.0:
        return rho, 0.0
    t = rho * math.sqrt(df / ((1.0 - rho) * (1.0 + rho)))
    return rho, student_t_two_sided(t, df)


def student_t_two_sided(t: float, df: float) -> float:
    """P(|T| > |t|) for Student's t with ``df`` degrees of freedom."""
    t2 = t * t
    return min(1.0, regularized_beta(df / (df + t2), df / 2.0, 0.5, t2 / (df + t2)))


def regularized_beta(x: float, a: float, b: float, rest: float | None = None) -> float:
    """I_x(a, b), the regularized incomplete beta function (continued fraction, Lentz);
    ``rest`` is 1 - x when the caller knows it more precisely than the subtraction."""
    rest = 1.0 - x if rest is None else rest
    if x <= 0.0:
        return 0.0
    if rest <= 0.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
        + a * math.log(x) + b * math.log(rest)
    )  # fmt: skip
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(rest, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    tiny, eps = 1e-300, 1e-16
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            break
    return h
