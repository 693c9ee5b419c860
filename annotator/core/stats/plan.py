"""How many samples and raters an evaluation still needs, from the ratings so far.

(a) Paired samples a two-sided paired t-test needs to detect a composite difference of
``delta`` between a candidate and the baseline (noncentral t, exact); (b) complete samples
for a model's composite interval to be within +/- ``half_width`` (t interval); (c) raters
per item for a target reliability of item means (Spearman-Brown, from Krippendorff's alpha
of the single ratings: the reliability of one rater). Each number says what it rests on:
an observed spread and its n, or before two values exist an assumed one (``assumed``).
Pure numbers; reasons are ``Message`` values, shown in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.domain.message import Message
from annotator.core.stats.data import refused


def _stats():
    """scipy.stats, loaded when a plan is made (not with every report)."""
    from scipy import stats

    return stats


ASSUMED_SD = 1.0  # one point on the 1-5 scale: composite and paired difference alike
ASSUMED_RELIABILITY = 0.5  # of one rater, before agreement can be computed
_EPS = 1e-9  # k = 4.0000000001 from rounding still means 4 raters
_MOST = 10**12  # beyond this many samples a plan says "none" instead of searching on


def _number(value: object) -> float:
    """``value`` as a float, NaN when it is not a number (so every range check fails)."""
    try:
        return math.nan if isinstance(value, bool) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _positive(name: str, value: object) -> None:
    number = _number(value)
    if not (math.isfinite(number) and number > 0):
        raise refused(Message("{name} must be greater than 0, got {value}", name=name, value=value))


def _fraction(name: str, value: object) -> None:
    if not 0 < _number(value) < 1:
        raise refused(
            Message(
                "{name} must be between 0 and 1 (exclusive), got {value}", name=name, value=value
            )
        )


def paired_power(n: int, effect: float, alpha: float = 0.05) -> float:
    """Power of a two-sided one-sample (paired) t-test with ``n`` pairs, effect = delta/sd.

    Both rejection tails are counted, as statsmodels' ``TTestPower`` does. The lower tail
    P(T < -c) is taken as P(T' > c) with the noncentrality negated: scipy's ``nct.cdf``
    returns NaN far in that tail (scipy 1.17, df 5, nc 7.3), which made power non-monotone.
    """
    df, nc = n - 1, effect * math.sqrt(n)
    if not nc < 1e10:  # a difference so large against its spread: always detected (scipy NaN)
        return 1.0
    crit = _stats().t.ppf(1 - alpha / 2, df)
    upper = float(_stats().nct.sf(crit, df, nc))
    if not math.isfinite(upper):
        upper = 1.0 - float(_stats().nct.cdf(crit, df, nc))
    lower = float(_stats().nct.sf(crit, df, -nc))
    return upper + (lower if math.isfinite(lower) else 0.0)


def _smallest(ok, start: float) -> int | None:
    """Smallest n >= 2 with ``ok(n)`` for a monotone ``ok``: doubling, then bisection."""
    if not start < _MOST:
        return None
    low, high = 1, max(2, math.ceil(start))  # ok(low) is False by convention (n = 1 has no spread)
    while not ok(high):
        if high > _MOST:  # more samples than anyone can rate: say so, do not search on
            return None
        low, high = high, high * 2
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if ok(mid) else (mid, high)
    return high


def paired_samples_needed(
    sd_diff: float, delta: float, power: float = 0.8, alpha: float = 0.05
) -> int | None:
    """Pairs a two-sided paired t-test needs to detect a mean difference ``delta``: the
    smallest n >= 2 whose power (noncentral t, n - 1 df) reaches ``power``. None when there
    is nothing to plan (``delta <= 0``, no spread, over ``_MOST``); ``InputError`` for a
    ``power`` or ``alpha`` outside (0, 1)."""
    _fraction("power", power)
    _fraction("alpha", alpha)
    if not (math.isfinite(delta) and delta > 0) or not (math.isfinite(sd_diff) and sd_diff > 0):
        return None
    effect = delta / sd_diff
    z = _stats().norm.ppf(1 - alpha / 2) + _stats().norm.ppf(power)
    with np.errstate(over="ignore"):  # a tiny delta: too many samples to search
        start = (z / effect) ** 2  # the normal approximation, a little low
    return _smallest(lambda n: paired_power(n, effect, alpha) >= power, start)


def t_half_width(sd: float, n: int, confidence: float = 0.95) -> float:
    """Half-width of the t interval of a mean of ``n`` values with spread ``sd``."""
    return float(_stats().t.ppf(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n))


def samples_for_half_width(sd: float, half_width: float, confidence: float = 0.95) -> int | None:
    """Samples for the interval of a mean to be within +/- ``half_width`` (at least 2; None
    over ``_MOST``). The t quantile grows as n shrinks, so n is searched: the smallest n with
    ``t(n - 1) * sd / sqrt(n) <= half_width``. ``InputError`` for ``half_width`` <= 0, ``sd``
    negative or NaN, ``confidence`` outside (0, 1)."""
    _positive("half_width", half_width)
    _fraction("confidence", confidence)
    if not (math.isfinite(sd) and sd >= 0):
        raise refused(Message("sd must be 0 or more, got {value}", value=sd))
    if sd == 0:
        return 2
    z = _stats().norm.ppf(0.5 + confidence / 2)
    with np.errstate(over="ignore"):
        start = (z * sd / half_width) ** 2
    return _smallest(lambda n: t_half_width(sd, n, confidence) <= half_width, start)


def spearman_brown(reliability_one: float, k: float) -> float:
    """Reliability of the mean of ``k`` raters whose single ratings have ``reliability_one``."""
    return k * reliability_one / (1 + (k - 1) * reliability_one)


def raters_needed(reliability_one: float, target: float = 0.8) -> int | None:
    """Raters per item for item means to reach ``target`` reliability (Spearman-Brown).

    ``k = R (1 - r) / (r (1 - R))``, rounded up, at least 1. ``reliability_one`` is the
    reliability of a single rating: Krippendorff's alpha of the single ratings. None when
    it is 0 or less (or NaN): no number of raters makes noise reliable.

    Raises:
        InputError: ``target`` outside (0, 1).
    """
    _fraction("target", target)
    r = reliability_one
    if not (math.isfinite(r) and r > 0):
        return None
    if r >= 1:
        return 1
    return max(1, math.ceil(target * (1 - r) / (r * (1 - target)) - _EPS))


def _text(message: Message | None, language: str | None) -> str | None:
    return message.text(language) if message is not None else None


@dataclass(frozen=True)
class Basis:
    """What a number was computed from: ``quantity`` (``sd`` or ``reliability_one``)
    observed on ``n`` values, or assumed (``assumed``) because fewer than two exist."""

    quantity: str
    value: float
    n: int
    assumed: bool
    note: Message | None = None

    def to_dict(self, language: str | None = None) -> dict:
        return {self.quantity: self.value, "n": self.n, "assumed": self.assumed} | {
            "note": _text(self.note, language)
        }


@dataclass(frozen=True)
class SampleNeed:
    """Samples needed for one comparison (``candidate`` against ``baseline``) or one model
    (``candidate`` is the model, ``baseline`` None), against those there are now."""

    candidate: str
    baseline: str | None
    samples_needed: int | None
    samples_now: int
    basis: Basis
    reason: Message | None = None

    @property
    def samples_more(self) -> int | None:
        needed = self.samples_needed
        return None if needed is None else max(0, needed - self.samples_now)

    def to_dict(self, language: str | None = None) -> dict:
        head = (
            {"candidate": self.candidate, "baseline": self.baseline}
            if self.baseline is not None
            else {"model": self.candidate}
        )
        return head | {
            "samples_needed": self.samples_needed,
            "samples_now": self.samples_now,
            "samples_more": self.samples_more,
            "basis": self.basis.to_dict(language),
            "reason": _text(self.reason, language),
        }


@dataclass(frozen=True)
class RaterNeed:
    """Raters per item for one dimension (or "all"), and the reliability today."""

    dimension: str
    raters_needed: int | None
    raters_now: float | None
    reliability_now: float | None
    basis: Basis
    reason: Message | None = None

    def to_dict(self, language: str | None = None) -> dict:
        return {
            "dimension": self.dimension,
            "raters_needed": self.raters_needed,
            "raters_now": self.raters_now,
            "reliability_now": self.reliability_now,
            "basis": self.basis.to_dict(language),
            "reason": _text(self.reason, language),
        }


@dataclass(frozen=True)
class Plan:
    """The samples and raters still needed, with the inputs they were planned for."""

    delta: float
    half_width: float
    power: float
    alpha: float
    confidence: float
    target_reliability: float
    baseline: str | None
    comparisons: tuple[SampleNeed, ...]
    models: tuple[SampleNeed, ...]
    raters: tuple[RaterNeed, ...]

    def to_dict(self, language: str | None = None) -> dict:
        """Plain JSON values; reasons and notes as text in ``language`` (current when None)."""
        inputs = ("delta", "half_width", "power", "alpha", "confidence", "target_reliability")
        return {k: getattr(self, k) for k in (*inputs, "baseline")} | {
            "comparisons": [c.to_dict(language) for c in self.comparisons],
            "models": [m.to_dict(language) for m in self.models],
            "raters": [r.to_dict(language) for r in self.raters],
        }


_NO_PAIRS = Message(
    "fewer than 2 complete pairs so far: assumed sd of the differences {sd}", sd=ASSUMED_SD
)
_NO_ITEMS = Message(
    "fewer than 2 complete items so far: assumed sd of the composite {sd}", sd=ASSUMED_SD
)
_NO_SPREAD = Message("the paired differences do not vary (sd 0): a t-test cannot be planned")
_TOO_MANY = Message("more than 10^12 samples: no evaluation can rate enough for this target")
_NO_AGREEMENT = Message(
    "agreement cannot be computed yet: assumed reliability of one rater {value}",
    value=ASSUMED_RELIABILITY,
)


def _sd_basis(values: np.ndarray, note: Message) -> Basis:
    """The observed sd (ddof 1) of ``values``, or the assumed one below two values."""
    values = values[np.isfinite(values)]
    if values.size < 2:
        return Basis("sd", ASSUMED_SD, int(values.size), True, note)
    return Basis("sd", float(np.std(values, ddof=1)), int(values.size), False)


def _complete(items: pd.DataFrame, model: str) -> pd.DataFrame:
    """One model's complete items with a composite."""
    mine = items[(items["model"] == model) & items["complete"].astype(bool)]
    return mine[np.isfinite(mine["composite"].to_numpy(dtype=np.float64))]


def paired_differences(items: pd.DataFrame, baseline: str, candidate: str) -> np.ndarray:
    """Per-sample composite ``candidate - baseline`` on samples complete for both (a
    sample rated twice for one model counts once, its composites averaged)."""
    base, cand = (_complete(items, m).groupby("sample_id")["composite"].mean()
                  for m in (baseline, candidate))  # fmt: skip
    both = cand.index.intersection(base.index)
    return (cand[both] - base[both]).to_numpy(dtype=np.float64)


def _comparison(items, baseline, candidate, delta, power, alpha) -> SampleNeed:
    diffs = paired_differences(items, baseline, candidate)
    basis = _sd_basis(diffs, _NO_PAIRS)
    needed = paired_samples_needed(basis.value, delta, power, alpha)
    reason = None if needed is not None else _TOO_MANY if basis.value > 0 else _NO_SPREAD
    return SampleNeed(candidate, baseline, needed, int(diffs.size), basis, reason)


def _precision(items, model, half_width, confidence) -> SampleNeed:
    values = _complete(items, model)["composite"].to_numpy(dtype=np.float64)
    basis = _sd_basis(values, _NO_ITEMS)
    needed = samples_for_half_width(basis.value, half_width, confidence)
    reason = _TOO_MANY if needed is None else None
    return SampleNeed(model, None, needed, int(values.size), basis, reason)


def _raters_now(items: pd.DataFrame, dimension: str, dimensions: Sequence[str]) -> float | None:
    """Mean ratings per rated item on ``dimension`` (every dimension for "all")."""
    cols = [f"{d}_n" for d in dimensions] if dimension == "all" else [f"{dimension}_n"]
    cols = [c for c in cols if c in items.columns]
    counts = items[cols].to_numpy(dtype=np.float64).ravel()
    counts = counts[counts > 0]
    return float(counts.mean()) if counts.size else None


def _reliability(result, raters_now: float | None, target: float) -> RaterNeed:
    """One alpha (an ``AlphaResult``) turned into raters needed and today's reliability."""
    alpha = result.alpha
    pairable = int(getattr(result, "pairable_values", 0) or 0)
    if alpha is None or not math.isfinite(alpha) or pairable < 2:
        basis = Basis("reliability_one", ASSUMED_RELIABILITY, pairable, True, _NO_AGREEMENT)
    else:
        basis = Basis("reliability_one", float(alpha), pairable, False)
    needed = raters_needed(basis.value, target)
    reason = None
    if needed is None:
        reason = Message(
            "the raters agree no better than chance (alpha {alpha:.2f}): more raters per item"
            " cannot make the item means reliable; clarify the guidelines first",
            alpha=basis.value,
        )
    known = raters_now is not None and basis.value > 0
    now = spearman_brown(basis.value, raters_now) if known else None
    return RaterNeed(result.dimension, needed, raters_now, now, basis, reason)


def _check(delta, half_width, power, alpha, target, confidence, raters_per_item) -> None:
    for name, value in (("delta", delta), ("half_width", half_width)):
        _positive(name, value)
    for name, value in (("power", power), ("alpha", alpha), ("target", target),
                        ("confidence", confidence)):  # fmt: skip
        _fraction(name, value)
    if raters_per_item is not None:
        _positive("raters_per_item", raters_per_item)


def plan(
    items: pd.DataFrame,
    alphas: Iterable,
    baseline: str | None,
    candidates: Sequence[str],
    *,
    delta: float = 0.3,
    half_width: float = 0.1,
    power: float = 0.8,
    alpha: float = 0.05,
    target: float = 0.8,
    raters_per_item: float | None = None,
    confidence: float = 0.95,
) -> Plan:
    """The plan of a project from its item table (``StatsReport.items``) and its alphas.

    Args:
        items: one row per item: ``model, sample_id, complete, composite`` and ``<dim>_n``.
        alphas: ``AlphaResult`` per dimension and "all" (``StatsReport.alpha``).
        baseline: the model each candidate is compared with; None: no comparisons.
        candidates: the models compared with the baseline.
        delta: the composite difference to detect (points, > 0).
        half_width: the wanted half-width of each model's composite interval (> 0).
        power, alpha: of the two-sided paired t-test.
        target: the reliability wanted of item means.
        raters_per_item: raters per item today; by default the mean number of ratings an
            item has on each dimension.
        confidence: of the model interval.

    Raises:
        InputError: an argument out of its range, named in the message.
    """
    _check(delta, half_width, power, alpha, target, confidence, raters_per_item)
    comparisons = ()
    if baseline is not None:
        comparisons = tuple(
            _comparison(items, baseline, c, delta, power, alpha) for c in candidates
        )
    models = tuple(
        _precision(items, m, half_width, confidence) for m in dict.fromkeys(items["model"])
    )
    alphas = tuple(alphas)
    dims = [a.dimension for a in alphas if a.dimension != "all"]
    raters = tuple(
        _reliability(a, raters_per_item or _raters_now(items, a.dimension, dims), target)
        for a in alphas
    )
    numbers = (delta, half_width, power, alpha, confidence, target)
    return Plan(*map(float, numbers), baseline, comparisons, models, raters)
