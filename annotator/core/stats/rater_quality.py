"""Per-rater quality signals: time per item, gold accuracy, and flags said in words.

Pure functions: frames in, dataclasses out. Every threshold is a named constant and a
field of ``Thresholds``. A rater with too little evidence for a signal gets no flag for
it: nothing wrong is said about anyone on no evidence.

Flags (codes): ``speeding`` (median time per item under a third of the team's median, or
under a floor), ``straight_lining`` (the same score on every dimension for most items,
clearly more often than the team), ``drift`` (the mean score per item of the last third
of the rater's items, in rating order, differs from the first third: Mann-Whitney),
``gold`` (too few gold scores within tolerance), ``severity`` (leniency beyond a limit
against the other raters on shared items).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from annotator.core.domain.message import Message
from annotator.core.stats.adjusted import AdjustedMeans
from annotator.core.stats.jsonsafe import clean
from annotator.core.stats.ranktests import mannwhitney

SPEEDING_SHARE = 1 / 3  # of the team's median seconds per item
SPEEDING_FLOOR = 3.0  # seconds per item
MIN_TIMED_ITEMS = 5
STRAIGHT_SHARE = 0.8  # items with the same score on every dimension
STRAIGHT_MARGIN = 0.3  # above the team's median share
MIN_STRAIGHT_ITEMS = 10  # items with two or more dimensions scored
DRIFT_P = 0.01
MIN_DRIFT_ITEMS = 15  # five per third
GOLD_ACCURACY = 0.7
MIN_GOLD_SCORES = 5
SEVERITY = 0.75  # points of leniency, either way
MIN_SHARED_RATINGS = 10


@dataclass(frozen=True)
class Thresholds:
    speeding_share: float = SPEEDING_SHARE
    speeding_floor: float = SPEEDING_FLOOR
    min_timed_items: int = MIN_TIMED_ITEMS
    straight_share: float = STRAIGHT_SHARE
    straight_margin: float = STRAIGHT_MARGIN
    min_straight_items: int = MIN_STRAIGHT_ITEMS
    drift_p: float = DRIFT_P
    min_drift_items: int = MIN_DRIFT_ITEMS
    gold_accuracy: float = GOLD_ACCURACY
    min_gold_scores: int = MIN_GOLD_SCORES
    severity: float = SEVERITY
    min_shared_ratings: int = MIN_SHARED_RATINGS


@dataclass(frozen=True)
class Flag:
    code: str
    reason: Message


@dataclass(frozen=True)
class GoldResult:
    n: int  # the rater's scores on gold (item, dimension) pairs
    accuracy: float | None
    mae: float | None
    missed: tuple[int, ...]  # item ids with a score outside the tolerance


@dataclass(frozen=True)
class DriftResult:
    first: float | None  # mean score per item, first third in rating order
    last: float | None
    p: float | None  # None: not tested
    order_known: bool = True


@dataclass(frozen=True)
class RaterSignals:
    """One rater's quality signals and flags (each with its reason in words)."""

    rater: str
    items_done: int
    timed_items: int
    median_seconds: float | None
    straight_items: int  # items with two or more dimensions scored
    straight_share: float | None
    drift: DriftResult
    gold: GoldResult | None  # None: the project has no gold items
    leniency: float | None
    shared_ratings: int
    flags: tuple[Flag, ...] = ()
    notes: tuple[Message, ...] = ()
    score_counts: tuple[int, ...] = ()  # how many 1s .. 5s the rater gave, all dimensions

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.flags]

    def to_dict(self) -> dict:
        gold = self.gold
        return clean(
            {
                "median_seconds": self.median_seconds,
                "timed_items": self.timed_items,
                "gold_scores": None if gold is None else gold.n,
                "gold_accuracy": None if gold is None else gold.accuracy,
                "gold_mae": None if gold is None else gold.mae,
                "gold_missed": [] if gold is None else list(gold.missed),
                "leniency": self.leniency,
                "straight_share": self.straight_share,
                "drift_first": self.drift.first,
                "drift_last": self.drift.last,
                "drift_p": self.drift.p,
                "flags": self.codes,
                "flag_reasons": [f.reason.text() for f in self.flags],
                "quality_notes": [n.text() for n in self.notes],
                "score_counts": list(self.score_counts),
            }
        )


@dataclass(frozen=True)
class RaterQualityReport:
    """Every rater's signals, the team's references, and the rater-adjusted means."""

    raters: tuple[RaterSignals, ...] = ()
    team_median_seconds: float | None = None
    team_straight_share: float | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    adjusted: AdjustedMeans | None = None

    def get(self, rater: str) -> RaterSignals | None:
        return next((r for r in self.raters if r.rater == rater), None)

    def flagged(self) -> dict[str, list[str]]:
        return {r.rater: r.codes for r in self.raters if r.flags}

    def merged(self, entries: list[dict]) -> list[dict]:
        """The statistics' ``raters`` entries with each rater's signals added."""
        by_name = {r.rater: r.to_dict() for r in self.raters}
        return [e | by_name.get(str(e.get("rater")), {}) for e in entries]

    def summary(self) -> dict:
        """The team's references and the thresholds the flags used."""
        return clean(
            {
                "team_median_seconds": self.team_median_seconds,
                "team_straight_share": self.team_straight_share,
                "thresholds": dict(self.thresholds.__dict__),
            }
        )

    def adjusted_dict(self) -> list[dict]:
        return clean(self.adjusted.to_dict()) if self.adjusted is not None else []


def _per_item(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per (rater, item): dimensions scored, mean score, all scores equal."""
    g = scores.groupby(["rater", "item_id"], observed=True)["score"]
    out = g.agg(["count", "mean", "min", "max"]).reset_index()
    out["rater"] = out["rater"].astype(str)
    out["same"] = out["min"] == out["max"]
    return out


def _median_seconds(activity: pd.DataFrame | None) -> dict[str, tuple[int, float | None]]:
    if activity is None or not len(activity):
        return {}
    sec = pd.to_numeric(activity["seconds"], errors="coerce")
    timed = activity.assign(rater=activity["rater"].astype(str))[sec > 0]
    g = timed.groupby("rater")["seconds"].agg(["size", "median"])
    return {str(r): (int(row["size"]), float(row["median"])) for r, row in g.iterrows()}


def _gold(scores: pd.DataFrame, gold: pd.DataFrame) -> dict[str, GoldResult]:
    key = gold.assign(dimension=gold["dimension"].astype(str))
    tol = pd.to_numeric(key.get("tolerance", 1.0), errors="coerce")
    key = key.assign(tolerance=tol.fillna(1.0) if hasattr(tol, "fillna") else 1.0)
    s = scores[scores["item_id"].isin(key["item_id"])]
    s = s.assign(rater=s["rater"].astype(str), dimension=s["dimension"].astype(str))
    joined = s.merge(key[["item_id", "dimension", "expected", "tolerance"]], how="inner")
    joined["error"] = (joined["score"] - joined["expected"]).abs()
    joined["within"] = joined["error"] <= joined["tolerance"] + 1e-9
    out = {}
    for rater, part in joined.groupby("rater"):
        missed = tuple(sorted(int(i) for i in part.loc[~part["within"], "item_id"].unique()))
        out[str(rater)] = GoldResult(
            len(part), float(part["within"].mean()), float(part["error"].mean()), missed
        )
    return out


def _times(activity: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """Per rater: item_id, rated_at (none when the activity has no times)."""
    if activity is None or "rated_at" not in activity or not len(activity):
        return {}
    frame = activity[["item_id", "rater", "rated_at"]]
    return {str(r): part for r, part in frame.groupby("rater", observed=True)}


def _order(own: pd.DataFrame, times: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rater's items with their mean score, in rating order (None: order unknown)."""
    if times is None:
        return None
    rows = own.merge(times[["item_id", "rated_at"]], on="item_id", how="left")
    if rows["rated_at"].isna().any():
        return None
    order = np.lexsort((rows["item_id"].to_numpy(), rows["rated_at"].to_numpy()))
    return rows.iloc[order].reset_index(drop=True)


def drift_test(ordered: pd.DataFrame, t: Thresholds) -> DriftResult:
    """First against last third of the item means (already in rating order).

    The order is known only when no tie in time straddles either cut: thirds of ratings
    imported together at one moment would be an arbitrary split.
    """
    n = len(ordered)
    k = n // 3
    if n < t.min_drift_items or k == 0:
        return DriftResult(None, None, None)
    at = ordered["rated_at"].to_numpy()
    if not (at[k - 1] < at[k] and at[n - k - 1] < at[n - k]):
        return DriftResult(None, None, None, order_known=False)
    first = ordered["mean"].to_numpy()[:k]
    last = ordered["mean"].to_numpy()[n - k :]
    p = mannwhitney(first, last)
    return DriftResult(float(first.mean()), float(last.mean()), None if np.isnan(p) else p)


def _leniency(leniency: pd.DataFrame | None) -> dict[str, tuple[float | None, int]]:
    if leniency is None or not len(leniency):
        return {}
    out = {}
    for row in leniency.itertuples(index=False):
        value = getattr(row, "leniency", None)
        value = None if value is None or pd.isna(value) else float(value)
        out[str(row.rater)] = (value, int(getattr(row, "shared_ratings", 0) or 0))
    return out


def _speeding(s: RaterSignals, team: float | None, t: Thresholds) -> Flag | None:
    if s.median_seconds is None or s.timed_items < t.min_timed_items:
        return None
    if team and s.median_seconds < t.speeding_share * team:
        return Flag("speeding", Message(
            "median {seconds:.1f} s per item over {count} timed items, under a third of the "
            "team's median of {team:.1f} s", seconds=s.median_seconds, count=s.timed_items,
            team=team))  # fmt: skip
    if s.median_seconds < t.speeding_floor:
        return Flag("speeding", Message(
            "median {seconds:.1f} s per item over {count} timed items, under the floor of "
            "{floor:.0f} s", seconds=s.median_seconds, count=s.timed_items,
            floor=t.speeding_floor))  # fmt: skip
    return None


def _straight(s: RaterSignals, team: float | None, t: Thresholds) -> Flag | None:
    share = s.straight_share
    if share is None or s.straight_items < t.min_straight_items or share <= t.straight_share:
        return None
    if team is not None and share < team + t.straight_margin:
        return None  # the whole team does it: the rubric's dimensions go together
    return Flag("straight_lining", Message(
        "the same score on every dimension for {share:.0%} of {count} items (the team's "
        "median: {team:.0%})", share=share, count=s.straight_items,
        team=team or 0.0))  # fmt: skip


def _drift(s: RaterSignals, t: Thresholds) -> Flag | Message | None:
    d = s.drift
    if d.p is not None and d.p < t.drift_p:
        return Flag("drift", Message(
            "the mean score per item moved from {first:.2f} (first third of the items, in "
            "rating order) to {last:.2f} (last third); Mann-Whitney p = {p:.2g}",
            first=d.first, last=d.last, p=d.p))  # fmt: skip
    if not d.order_known:
        return Message("drift not tested: the rating order is not known (same times)")
    return None


def _gold_flag(s: RaterSignals, t: Thresholds) -> Flag | Message | None:
    g = s.gold
    if g is None:
        return None
    if g.n < t.min_gold_scores:
        return Message(
            "{count} gold score(s): too few to judge the gold accuracy (at least {minimum} "
            "needed)", count=g.n, minimum=t.min_gold_scores)  # fmt: skip
    if g.accuracy >= t.gold_accuracy:
        return None
    return Flag("gold", Message(
        "{accuracy:.0%} of {count} gold scores within tolerance (the minimum is "
        "{minimum:.0%}), mean absolute error {mae:.2f}; {missed} gold item(s) missed",
        accuracy=g.accuracy, count=g.n, minimum=t.gold_accuracy, mae=g.mae,
        missed=len(g.missed)))  # fmt: skip


def _severity(s: RaterSignals, t: Thresholds) -> Flag | None:
    lean = s.leniency
    if lean is None or s.shared_ratings < t.min_shared_ratings or abs(lean) <= t.severity:
        return None
    if lean > 0:
        reason = Message(
            "scores {points:.2f} points higher than the other raters on {count} shared "
            "ratings (the limit is {limit:.2f})", points=lean, count=s.shared_ratings,
            limit=t.severity)  # fmt: skip
    else:
        reason = Message(
            "scores {points:.2f} points lower than the other raters on {count} shared "
            "ratings (the limit is {limit:.2f})", points=-lean, count=s.shared_ratings,
            limit=t.severity)  # fmt: skip
    return Flag("severity", reason)


def _flags(s: RaterSignals, team_seconds, team_straight, t: Thresholds):
    """The rater's flags and notes, each reason in words with its numbers."""
    found = [
        _speeding(s, team_seconds, t),
        _straight(s, team_straight, t),
        _drift(s, t),
        _gold_flag(s, t),
        _severity(s, t),
    ]
    flags = tuple(f for f in found if isinstance(f, Flag))
    return flags, tuple(f for f in found if isinstance(f, Message))


def _team_median(values: list[float]) -> float | None:
    return float(np.median(values)) if values else None


def rater_quality(
    scores: pd.DataFrame,
    activity: pd.DataFrame | None = None,
    gold: pd.DataFrame | None = None,
    leniency: pd.DataFrame | None = None,
    thresholds: Thresholds | None = None,
    adjusted: AdjustedMeans | None = None,
) -> RaterQualityReport:
    """Every rater's signals and flags.

    Args:
        scores: ``item_id, rater, dimension, score``.
        activity: ``item_id, rater, seconds`` (0 or NaN: unknown) and optionally
            ``rated_at`` (sortable: ISO times), one row per item a rater worked on.
        gold: ``item_id, dimension, expected`` and optionally ``tolerance`` (default 1);
            None when the project has no gold items.
        leniency: ``rater, leniency, shared_ratings`` (``stats.raters.rater_table``).
        thresholds: the flags' thresholds (the module's constants by default).
        adjusted: the rater-adjusted means, carried in the report.
    """
    t = thresholds or Thresholds()
    per_item = _per_item(scores)
    seconds = _median_seconds(activity)
    golds = _gold(scores, gold) if gold is not None and len(gold) else None
    lenient = _leniency(leniency)
    times = _times(activity)
    counts = {
        str(r): tuple(int(c) for c in np.bincount(g.to_numpy(np.int64), minlength=6)[1:6])
        for r, g in scores.groupby("rater", sort=False)["score"]
    }
    base = []
    for rater, own in per_item.groupby("rater", sort=False):
        multi = own[own["count"] >= 2]
        timed, median = seconds.get(rater, (0, None))
        ordered = _order(own[["item_id", "mean"]], times.get(rater))
        drift = drift_test(ordered, t) if ordered is not None else DriftResult(None, None, None)
        lean, shared = lenient.get(rater, (None, 0))
        base.append(RaterSignals(
            rater, len(own), timed, median, len(multi),
            float(multi["same"].mean()) if len(multi) else None, drift,
            None if golds is None else golds.get(rater, GoldResult(0, None, None, ())),
            lean, shared, score_counts=counts.get(str(rater), ())))  # fmt: skip
    team_seconds = _team_median(
        [s.median_seconds for s in base if s.timed_items >= t.min_timed_items]
    )
    team_straight = _team_median(
        [s.straight_share for s in base if s.straight_items >= t.min_straight_items]
    )
    out = []
    for s in base:
        flags, notes = _flags(s, team_seconds, team_straight, t)
        out.append(RaterSignals(**{**s.__dict__, "flags": flags, "notes": notes}))
    return RaterQualityReport(tuple(out), team_seconds, team_straight, t, adjusted)
