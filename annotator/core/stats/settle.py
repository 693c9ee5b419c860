"""How far a mean or a pass rate is from being settled: Wilson intervals and sample counts.

Pure arithmetic for ``core.evidence``: a Wilson score interval for a proportion, and about
how many more samples would put an interval wholly on one side of a threshold.
"""

from __future__ import annotations

import math
from statistics import NormalDist


def z_value(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float | None, ...]:
    """Wilson score interval of a proportion (None, None) without trials."""
    if n <= 0:
        return None, None
    z = z_value(confidence)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def samples_to_settle(variance: float, value: float, threshold: float, n: int, confidence: float):
    """About how many more samples would make the interval clear or miss the threshold:
    the n at which z * sd / sqrt(n) equals the distance between the mean and the threshold,
    less the n there is. None when the mean sits on the threshold (no n settles it)."""
    gap = abs(value - threshold)
    if gap < 1e-12 or not math.isfinite(variance):
        return None
    needed = math.ceil(z_value(confidence) ** 2 * max(variance, 0.0) / gap**2)
    return max(needed - n, 1)


def rate_samples_to_settle(rate: float, threshold: float, n: int, confidence: float):
    """About how many more judged items would put a pass rate's Wilson interval wholly on
    one side of the threshold, if the rate stayed as it is. None when it sits on it."""
    if abs(rate - threshold) < 1e-12:
        return None

    def settled(m: int) -> bool:
        low, high = wilson(rate * m, m, confidence)
        return low > threshold or high < threshold

    high = max(n, 1)
    while not settled(high):
        high *= 2
        if high > 10**9:
            return None
    low = max(n, 1)
    while low < high:  # the smallest m that settles it
        mid = (low + high) // 2
        low, high = (low, mid) if settled(mid) else (mid + 1, high)
    return max(low - n, 1)
