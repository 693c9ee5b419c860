"""Krippendorff's alpha per dimension and overall, with a fast unit bootstrap.

Units are (item, dimension). Each unit's contribution to the coincidence matrix
depends only on its value counts, and on a 1-5 scale with a few raters there
are only a few dozen distinct count patterns. Resampling units is therefore a
multinomial draw over patterns, and each resample's coincidence matrix is one
small matrix product. The point estimate is the same product with the observed
frequencies; every call checks this code against the ``krippendorff`` package
(on the distinct patterns), and the tests check it on whole data sets.
"""

from __future__ import annotations

from dataclasses import dataclass

import krippendorff
import numpy as np

from annotator.core.stats.bootstrap import CONFIDENCE, Interval, percentile, resample_counts
from annotator.core.stats.data import N_LEVELS

LEVELS = ("nominal", "ordinal", "interval", "ratio")
VALUES = np.arange(1, N_LEVELS + 1, dtype=np.float64)
_TOLERANCE = 1e-9


def interpret(alpha: float | None) -> str:
    """Krippendorff's (2004) reading of alpha for drawing conclusions."""
    if alpha is None or not np.isfinite(alpha):
        return "not computable"
    if alpha >= 0.800:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "not reliable"


@dataclass(frozen=True)
class AlphaResult:
    """Alpha for one dimension (or "all"), its CI and how much data it rests on."""

    dimension: str
    level: str
    alpha: float | None
    ci: Interval
    units: int  # units with at least two ratings (pairable)
    pairable_values: int

    @property
    def interpretation(self) -> str:
        return interpret(self.alpha)

    def to_dict(self) -> dict:
        return {
            "dimension": self.dimension,
            "level": self.level,
            "alpha": self.alpha,
            "interpretation": self.interpretation,
            "ci": self.ci.to_dict(),
            "units": self.units,
            "pairable_values": self.pairable_values,
        }


def _decode(code: np.ndarray, base: int) -> np.ndarray:
    """Value-count rows back from their base-``base`` codes."""
    return (code[:, None] // base ** np.arange(N_LEVELS, dtype=np.int64)) % base


def _grouped_patterns(counts: np.ndarray, groups: np.ndarray, n_groups: int) -> list:
    """Per group: distinct value-count rows of pairable units and their frequencies.

    Each row is coded as one integer (its counts are base-(max+1) digits), so
    grouping 400k units is a bincount, or a sort when the code space is large.
    """
    counts = counts.astype(np.int64)
    keep = counts.sum(axis=1) >= 2
    counts, groups = counts[keep], groups[keep]
    base = int(counts.max()) + 1 if counts.size else 2
    space = base**N_LEVELS
    key = groups * space + counts @ (base ** np.arange(N_LEVELS, dtype=np.int64))
    if space * n_groups <= 4_000_000:
        freq_all = np.bincount(key, minlength=space * n_groups)
        keys = np.flatnonzero(freq_all)
        freqs = freq_all[keys]
    else:
        keys, freqs = np.unique(key, return_counts=True)
    out = []
    for g in range(n_groups):
        sel = keys // space == g
        out.append((_decode(keys[sel] % space, base), freqs[sel]))
    return out


def patterns(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct value-count rows (K, 5) of pairable units (2+ ratings) and their counts."""
    counts = np.asarray(counts).reshape(-1, N_LEVELS)
    return _grouped_patterns(counts, np.zeros(len(counts), np.int64), 1)[0]


def _contributions(patterns: np.ndarray) -> np.ndarray:
    """(K, V*V) coincidence-matrix contribution of one unit with each pattern."""
    c = patterns.astype(np.float64)
    outer = c[:, :, None] * c[:, None, :]
    outer -= c[:, :, None] * np.eye(N_LEVELS)[None]
    return (outer / (c.sum(axis=1) - 1)[:, None, None]).reshape(len(c), -1)


def _distances(n_v: np.ndarray, level: str) -> np.ndarray:
    """(B, V, V) squared distances; the ordinal metric depends on the marginals."""
    v = VALUES
    if level == "nominal":
        d = 1.0 - np.eye(N_LEVELS)
    elif level == "interval":
        d = (v[:, None] - v[None, :]) ** 2
    elif level == "ratio":
        d = ((v[:, None] - v[None, :]) / (v[:, None] + v[None, :])) ** 2
    else:
        cum = np.cumsum(n_v, axis=1)
        i = np.arange(N_LEVELS)
        lo, hi = np.minimum.outer(i, i), np.maximum.outer(i, i)
        between = cum[:, hi] - cum[:, lo] + n_v[:, lo]
        return (between - (n_v[:, :, None] + n_v[:, None, :]) / 2) ** 2
    return np.broadcast_to(d, (len(n_v), N_LEVELS, N_LEVELS))


def alpha_from_coincidences(o: np.ndarray, level: str) -> np.ndarray:
    """Alpha for each of B coincidence matrices o (B, V, V); NaN where undefined."""
    n_v = o.sum(axis=1)
    n = n_v.sum(axis=1)
    d = _distances(n_v, level)
    observed = (o * d).sum(axis=(1, 2))
    expected = (n_v[:, :, None] * n_v[:, None, :] * d).sum(axis=(1, 2)) / (n - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(expected > 0, 1 - observed / expected, np.nan)


def _check_with_package(patterns: np.ndarray, contrib: np.ndarray, level: str) -> None:
    """Our coincidence code must give the package's alpha on the same units.

    Run on the distinct patterns (each once), it exercises exactly the code that
    the weighted point estimate and every bootstrap resample use, at the cost of
    a few dozen units instead of the whole project (the package needs ~1.7 us
    per unit, too slow to repeat on 400k units).
    """
    ours = alpha_from_coincidences(contrib.sum(axis=0).reshape(1, N_LEVELS, N_LEVELS), level)[0]
    if not np.isfinite(ours):
        return
    reference = krippendorff.alpha(
        value_counts=patterns, value_domain=VALUES, level_of_measurement=level
    )
    if abs(float(reference) - float(ours)) > _TOLERANCE:
        # A defect of this module, not of the data: no ratings make the two differ
        # (tests/core/stats/test_agreement_errors.py tries every level on random counts).
        # It stays an ArithmeticError so that the CLI and the app report it as a bug.
        raise ArithmeticError(f"alpha differs from the krippendorff package: {ours} vs {reference}")


def alpha(
    counts: np.ndarray,
    dimension: str,
    level: str = "ordinal",
    rng: np.random.Generator | None = None,
    resamples: int = 1000,
    confidence: float = CONFIDENCE,
) -> AlphaResult:
    """Krippendorff's alpha of units given as value counts (U, 5), with a bootstrap CI.

    Args:
        counts: per unit, how many raters gave each score 1..5. Units with fewer
            than two ratings carry no pairable values and are ignored.
        dimension: label reported with the result.
        level: "ordinal" (default), "interval", "nominal" or "ratio".
        rng: generator for the bootstrap; no CI when None or ``resamples`` is 0.
        resamples: bootstrap resamples of units.
        confidence: CI coverage.
    """
    kinds, freq = patterns(counts)
    return alpha_from_patterns(kinds, freq, dimension, level, rng, resamples, confidence)


def alpha_from_patterns(
    kinds: np.ndarray,
    freq: np.ndarray,
    dimension: str,
    level: str = "ordinal",
    rng: np.random.Generator | None = None,
    resamples: int = 1000,
    confidence: float = CONFIDENCE,
) -> AlphaResult:
    """``alpha`` from distinct value-count rows and how many units have each."""
    if level not in LEVELS:
        # A programming error: a level chosen by a person is refused with an InputError
        # by ``stats.report.compute`` (and offered only from LEVELS by the CLI and the app).
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    n_units = int(freq.sum())
    pairable = int((kinds.sum(axis=1) * freq).sum())
    no_ci = Interval(None, None, confidence, 0)
    if n_units == 0:
        return AlphaResult(dimension, level, None, no_ci, 0, 0)
    contrib = _contributions(kinds)
    o = (freq @ contrib).reshape(1, N_LEVELS, N_LEVELS)
    ours = float(alpha_from_coincidences(o, level)[0])
    if not np.isfinite(ours):  # every pairable value is the same: alpha is undefined
        return AlphaResult(dimension, level, None, no_ci, n_units, pairable)
    _check_with_package(kinds, contrib, level)
    ci = no_ci
    if rng is not None and resamples > 0:
        draws = resample_counts(freq.astype(np.float64), n_units, resamples, rng)
        boot = alpha_from_coincidences(
            (draws @ contrib).reshape(resamples, N_LEVELS, N_LEVELS), level
        )
        ci = percentile(boot, confidence, resamples)
    return AlphaResult(dimension, level, ours, ci, n_units, pairable)


def pair_agreement(kinds: np.ndarray, freq: np.ndarray | None = None) -> dict:
    """Share of rating pairs on the same unit that agree exactly / within one point.

    A unit with value counts c has sum c(c-1)/2 exact pairs and sum c_v * c_{v+1}
    pairs one point apart, out of m(m-1)/2 pairs. ``kinds`` are value-count
    rows, each standing for ``freq`` units (1 each when None).
    """
    c = np.asarray(kinds, dtype=np.int64).reshape(-1, N_LEVELS)
    f = np.ones(len(c), np.int64) if freq is None else np.asarray(freq, dtype=np.int64)
    m = c.sum(axis=1)
    pairs = int((m * (m - 1) // 2) @ f)
    exact = int(((c * (c - 1) // 2).sum(axis=1)) @ f)
    adjacent = int((c[:, 1:] * c[:, :-1]).sum(axis=1) @ f)
    return {
        "pairs": pairs,
        "exact": exact / pairs if pairs else None,
        "within_one": (exact + adjacent) / pairs if pairs else None,
    }


def by_dimension(
    counts: np.ndarray,
    dimensions: tuple[str, ...],
    level: str,
    rngs: dict[str, np.random.Generator],
    resamples: int,
    confidence: float = CONFIDENCE,
) -> tuple[tuple[AlphaResult, ...], dict[str, dict]]:
    """Alpha and pair agreement per dimension and for "all" from counts (I, D, 5).

    "all" pools every (item, dimension) unit; its patterns are the union of the
    dimensions' patterns, so the units are grouped once.
    """
    n_items, n_dims, _ = counts.shape
    groups = np.tile(np.arange(n_dims, dtype=np.int64), n_items)
    per = _grouped_patterns(counts.reshape(-1, N_LEVELS), groups, n_dims)
    if per and any(len(f) for _, f in per):
        stacked = np.concatenate([k for k, _ in per])
        code = stacked @ (64 ** np.arange(N_LEVELS, dtype=np.int64))
        _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        freq = np.bincount(inverse, weights=np.concatenate([f for _, f in per]))
        per.append((stacked[first], freq.astype(np.int64)))
    else:
        per.append((np.zeros((0, N_LEVELS), np.int64), np.zeros(0, np.int64)))
    alphas, pairs = [], {}
    for name, (kinds, freq) in zip((*dimensions, "all"), per, strict=True):
        alphas.append(
            alpha_from_patterns(kinds, freq, name, level, rngs.get(name), resamples, confidence)
        )
        pairs[name] = pair_agreement(kinds, freq)
    return tuple(alphas), pairs
