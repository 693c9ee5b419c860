"""A candidate's side-by-side result against the baseline, whichever way the pair was stored.

A comparison stores its models in one order (A, B). A gate asks about the candidate against
the baseline, so a pair stored as (baseline, candidate) is read turned around: the net score
changes sign and the win rate becomes 1 - win rate, their intervals likewise.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.stats.pairwise import PairwiseReport
from annotator.core.stats.pairwise_frame import OVERALL
from annotator.core.stats.settle import z_value

MEASURES = ("net", "win_rate")


@dataclass(frozen=True)
class Against:
    """One measure of the candidate against the baseline with its interval, the samples it
    rests on, and the per-sample variance its interval implies (for "how many more")."""

    value: float
    low: float | None
    high: float | None
    samples: int
    variance: float


def against(
    report: PairwiseReport | None,
    candidate: str,
    baseline: str,
    measure: str,
    confidence: float = 0.95,
) -> Against | None:
    """``measure`` ("net" or "win_rate") of the candidate's overall judgments against the
    baseline, or None when the two were not judged side by side."""
    if report is None or measure not in MEASURES:
        return None
    flipped = False
    try:
        pair = report.pair(candidate, baseline, OVERALL)
    except KeyError:
        try:
            pair, flipped = report.pair(baseline, candidate, OVERALL), True
        except KeyError:
            return None
    value = getattr(pair, measure)
    ci = getattr(pair, f"{measure}_ci")
    low, high = ci.low, ci.high
    if flipped:
        turn = (lambda x: -x) if measure == "net" else (lambda x: 1 - x)
        value = turn(value)
        low, high = (None, None) if low is None else (turn(high), turn(low))
    variance = float("nan")
    if low is not None and pair.samples:
        variance = ((high - low) / 2 / z_value(confidence)) ** 2 * pair.samples
    return Against(float(value), low, high, int(pair.samples), variance)
