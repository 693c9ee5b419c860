"""Per-rater quality signals: each flag on planted data, nothing said on no evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import mannwhitneyu

from annotator.core.stats.rater_quality import Thresholds, drift_test, rater_quality

DIMS = ("a", "b", "c")


def _team(n_items=40, seed=0, raters=("r1", "r2", "r3", "r4")):
    """Honest raters: a latent quality per item and dimension plus small noise."""
    rng = np.random.default_rng(seed)
    q = rng.uniform(1.5, 4.5, size=(n_items, len(DIMS)))
    rows = []
    for r in raters:
        s = np.clip(np.round(q + rng.normal(0, 0.5, q.shape)), 1, 5).astype(int)
        rows += [(i + 1, r, d, s[i, k]) for i in range(n_items) for k, d in enumerate(DIMS)]
    return pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])


def _activity(scores, seconds):
    pairs = scores[["item_id", "rater"]].drop_duplicates()
    sec = pairs["rater"].map(seconds).astype(float)
    times = pairs["item_id"].map(lambda i: f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}.000Z")
    return pairs.assign(seconds=sec, rated_at=times)


def test_speeding_under_a_third_of_the_team_and_under_the_floor():
    scores = _team()
    activity = _activity(scores, {"r1": 30.0, "r2": 40.0, "r3": 35.0, "r4": 9.0})
    got = rater_quality(scores, activity)
    assert got.team_median_seconds == pytest.approx(np.median([30, 40, 35, 9]))
    assert got.get("r4").codes == ["speeding"]
    assert "9.0 s" in got.get("r4").flags[0].reason.text("en")
    assert all(got.get(r).codes == [] for r in ("r1", "r2", "r3"))
    # a team of fast raters: only the floor applies
    fast = _activity(scores, {"r1": 2.0, "r2": 2.5, "r3": 2.2, "r4": 4.0})
    got = rater_quality(scores, fast)
    assert [r.rater for r in got.raters if r.codes] == ["r1", "r2", "r3"]
    assert "under the floor of 3 s" in got.get("r1").flags[0].reason.text("en")


def test_unknown_times_are_left_out_and_too_few_give_no_flag():
    scores = _team()
    activity = _activity(scores, {"r1": 30.0, "r2": 40.0, "r3": 35.0, "r4": 0.0})
    # r4: four timed items of 1 s, the rest unknown (0)
    few = activity["rater"].eq("r4") & activity["item_id"].le(4)
    activity.loc[few, "seconds"] = 1.0
    got = rater_quality(scores, activity).get("r4")
    assert got.timed_items == 4 and got.median_seconds == 1.0
    assert got.codes == []
    nothing = rater_quality(scores, None).get("r1")
    assert nothing.median_seconds is None and nothing.codes == []


def test_straight_lining_needs_the_share_and_the_margin_over_the_team():
    scores = _team()
    flat = scores["rater"] == "r4"
    scores.loc[flat, "score"] = 4
    got = rater_quality(scores)
    assert got.get("r4").codes == ["straight_lining"]
    assert got.get("r4").straight_share == 1.0
    own = scores[scores.rater == "r1"].groupby("item_id")["score"].nunique()
    assert got.get("r1").straight_share == pytest.approx((own == 1).mean())
    assert all(not got.get(r).codes for r in ("r1", "r2", "r3"))
    # when every rater gives one score per item, nobody is singled out
    same = scores.copy()
    same["score"] = same.groupby(["rater", "item_id"])["score"].transform("first")
    assert rater_quality(same).flagged() == {}


def test_drift_matches_scipy_mannwhitneyu_in_rating_order():
    rng = np.random.default_rng(4)
    n = 45
    means = np.concatenate([rng.normal(3.8, 0.3, 15), rng.normal(3, 0.3, 15),
                            rng.normal(2.2, 0.3, 15)])  # fmt: skip
    order = rng.permutation(n)  # item ids are not the rating order
    ordered = pd.DataFrame({"item_id": order + 1, "mean": means,
                            "rated_at": [f"t{k:03d}" for k in range(n)]})  # fmt: skip
    got = drift_test(ordered, Thresholds())
    ref = mannwhitneyu(means[:15], means[30:], alternative="two-sided")
    assert got.p == pytest.approx(ref.pvalue, rel=1e-12)
    assert got.first == pytest.approx(means[:15].mean())
    assert got.last == pytest.approx(means[30:].mean())
    # the same items through rater_quality, whose order comes from rated_at
    scores = pd.DataFrame({"item_id": ordered["item_id"], "rater": "x", "dimension": "a",
                           "score": np.clip(np.round(means), 1, 5).astype(int)})  # fmt: skip
    activity = ordered[["item_id", "rated_at"]].assign(rater="x", seconds=0.0)
    sig = rater_quality(scores, activity).get("x")
    rounded = scores["score"].to_numpy(dtype=float)
    ref = mannwhitneyu(rounded[:15], rounded[30:], alternative="two-sided")
    assert sig.drift.p == pytest.approx(ref.pvalue, rel=1e-12)
    assert sig.codes == ["drift"]


def test_drift_is_not_tested_when_times_tie_across_a_cut():
    ordered = pd.DataFrame({"item_id": range(1, 31), "mean": np.r_[np.full(15, 5.0),
                            np.full(15, 1.0)], "rated_at": "same"})  # fmt: skip
    got = drift_test(ordered, Thresholds())
    assert got.p is None and not got.order_known
    short = drift_test(ordered.head(14).assign(rated_at=range(14)), Thresholds())
    assert short.p is None and short.order_known


def test_gold_accuracy_mae_missed_and_too_few():
    scores = _team(n_items=20)
    gold = pd.DataFrame({"item_id": range(1, 9), "dimension": "a", "expected": 3,
                         "tolerance": 1.0})  # fmt: skip
    r1 = scores["rater"].eq("r1") & scores["dimension"].eq("a")
    scores.loc[r1 & scores["item_id"].le(8), "score"] = [3, 4, 2, 5, 1, 5, 3, 3]
    got = rater_quality(scores, gold=gold).get("r1")
    errors = np.abs(np.array([3, 4, 2, 5, 1, 5, 3, 3]) - 3)
    assert got.gold.n == 8
    assert got.gold.accuracy == pytest.approx((errors <= 1).mean())
    assert got.gold.mae == pytest.approx(errors.mean())
    assert got.gold.missed == (4, 5, 6)
    assert got.codes == ["gold"]  # 5 of 8 = 62% < 70%
    few = rater_quality(scores, gold=gold.head(4)).get("r1")
    assert few.codes == [] and "too few" in few.notes[0].text("en")
    assert rater_quality(scores).get("r1").gold is None


def test_severity_needs_shared_ratings():
    scores = _team()
    lean = pd.DataFrame({"rater": ["r1", "r2", "r3"], "leniency": [0.9, -0.8, 2.0],
                         "shared_ratings": [50, 50, 9]})  # fmt: skip
    got = rater_quality(scores, leniency=lean)
    assert got.get("r1").codes == ["severity"]
    assert "0.90 points higher" in got.get("r1").flags[0].reason.text("en")
    assert "0.80 points lower" in got.get("r2").flags[0].reason.text("en")
    assert got.get("r3").codes == []  # on 9 shared ratings: no evidence


def test_to_dict_is_json():
    import json

    scores = _team()
    d = rater_quality(scores, _activity(scores, {"r1": 1.0, "r2": 30.0, "r3": 30.0,
                                                 "r4": 30.0})).get("r1").to_dict()  # fmt: skip
    json.dumps(d, allow_nan=False)
    assert d["flags"] == ["speeding"] and d["median_seconds"] == 1.0
    assert d["flag_reasons"][0].startswith("median 1.0 s")


def test_no_ratings_no_raters():
    empty = pd.DataFrame({"item_id": [], "rater": [], "dimension": [], "score": []})
    got = rater_quality(empty.astype({"item_id": "int64", "score": "int64"}))
    assert got.raters == () and got.team_median_seconds is None and got.flagged() == {}
