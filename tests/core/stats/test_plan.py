"""The plan (issue 15, point 4) against statsmodels' power solver and the formulas by hand."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.power import TTestPower

from annotator.core.domain.errors import InputError
from annotator.core.stats import compute
from annotator.core.stats.agreement import AlphaResult
from annotator.core.stats.bootstrap import Interval
from annotator.core.stats.plan import (
    ASSUMED_RELIABILITY,
    ASSUMED_SD,
    paired_samples_needed,
    plan,
    raters_needed,
    samples_for_half_width,
)

EFFECTS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 3.0)


def _statsmodels_n(effect: float, alpha: float, power: float) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n = TTestPower().solve_power(
            effect_size=effect, alpha=alpha, power=power, alternative="two-sided"
        )
    return math.ceil(float(np.squeeze(n)))


@pytest.mark.parametrize("effect", EFFECTS)
@pytest.mark.parametrize(("alpha", "power"), [(0.05, 0.8), (0.01, 0.9), (0.1, 0.5)])
def test_pairs_needed_agree_with_statsmodels(effect, alpha, power):
    sd = 0.7
    ours = paired_samples_needed(sd, effect * sd, power=power, alpha=alpha)
    assert abs(ours - _statsmodels_n(effect, alpha, power)) <= 1
    # and it is the smallest such n: statsmodels' power at n reaches the target, at n-1 not
    # (statsmodels, through scipy's nct.cdf, gives NaN at a few large effects: not compared)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        at_n = TTestPower().power(effect, ours, alpha, alternative="two-sided")
        below = TTestPower().power(effect, ours - 1, alpha, alternative="two-sided")
    assert np.isnan(at_n) or at_n >= power - 1e-9
    assert ours == 2 or np.isnan(below) or below < power
    assert np.isfinite(at_n) or effect >= 2  # the gaps are where power is near 1 only


def test_pairs_needed_nothing_to_plan():
    assert paired_samples_needed(0.0, 0.3) is None
    assert paired_samples_needed(float("nan"), 0.3) is None
    assert paired_samples_needed(1.0, 0.0) is None
    assert paired_samples_needed(1.0, -0.2) is None


def _hand_half_width(sd: float, n: int, confidence: float) -> float:
    return stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)


@pytest.mark.parametrize(
    ("sd", "half_width", "confidence"),
    [(1.0, 0.1, 0.95), (0.6, 0.25, 0.95), (0.8, 0.5, 0.9), (2.0, 3.0, 0.95), (0.3, 0.05, 0.99)],
)
def test_samples_for_half_width(sd, half_width, confidence):
    n = samples_for_half_width(sd, half_width, confidence)
    assert n >= 2
    assert _hand_half_width(sd, n, confidence) <= half_width
    if n > 2:
        assert _hand_half_width(sd, n - 1, confidence) > half_width
    # close to the normal formula for a large n
    z = stats.norm.ppf(0.5 + confidence / 2)
    assert n >= math.ceil((z * sd / half_width) ** 2)


def test_samples_for_half_width_floor():
    assert samples_for_half_width(0.0, 0.1) == 2
    assert samples_for_half_width(0.01, 10.0) == 2


@pytest.mark.parametrize("r", [0.05, 0.2, 0.3, 0.45, 0.5, 0.6, 0.79, 0.8, 0.95])
@pytest.mark.parametrize("target", [0.7, 0.8, 0.9])
def test_raters_by_spearman_brown(r, target):
    k = raters_needed(r, target)
    by_hand = max(1, math.ceil(round(target * (1 - r) / (r * (1 - target)), 9)))
    assert k == by_hand
    reliability = lambda m: m * r / (1 + (m - 1) * r)  # noqa: E731
    assert reliability(k) >= target - 1e-9
    if k > 1:
        assert reliability(k - 1) < target


def test_raters_known_values():
    assert raters_needed(0.5, 0.8) == 4  # 0.8 * 0.5 / (0.5 * 0.2), exactly 4
    assert raters_needed(1.0, 0.8) == 1
    assert raters_needed(0.0, 0.8) is None
    assert raters_needed(-0.1, 0.8) is None
    assert raters_needed(float("nan"), 0.8) is None


# -- plan on a hand-built item table -------------------------------------------------------

BASE = {"s1": 3.0, "s2": 3.5, "s3": 4.0, "s4": 2.5, "s5": 3.25}
LORA = {"s1": 3.75, "s2": 4.0, "s3": 4.25, "s4": 3.5, "s6": 4.5}


def _items() -> pd.DataFrame:
    rows = [("base", s, True, v, 2) for s, v in BASE.items()]
    rows += [("lora", s, True, v, 3) for s, v in LORA.items()]
    rows += [("lora", "s5", False, np.nan, 1)]  # incomplete: not a pair
    rows += [("lora", "s1", True, 4.25, 3)]  # a second item for s1: averaged with 3.75
    df = pd.DataFrame(rows, columns=["model", "sample_id", "complete", "composite", "relevance_n"])
    df.insert(0, "item_id", range(1, len(df) + 1))
    return df


def _alpha(dimension: str, value: float | None, pairable: int = 40) -> AlphaResult:
    return AlphaResult(dimension, "ordinal", value, Interval(None, None), pairable // 2, pairable)


def test_plan_on_hand_built_table():
    alphas = (_alpha("relevance", 0.4), _alpha("all", 0.25))
    p = plan(_items(), alphas, "base", ["lora"], delta=0.3, half_width=0.2)

    diffs = np.array([(3.75 + 4.25) / 2 - 3.0, 4.0 - 3.5, 4.25 - 4.0, 3.5 - 2.5])
    (cmp,) = p.comparisons
    assert cmp.samples_now == 4
    assert cmp.basis.value == pytest.approx(np.std(diffs, ddof=1))
    assert not cmp.basis.assumed
    effect = 0.3 / np.std(diffs, ddof=1)
    assert abs(cmp.samples_needed - _statsmodels_n(effect, 0.05, 0.8)) <= 1
    assert cmp.samples_more == cmp.samples_needed - 4

    base, lora = p.models
    assert (base.candidate, base.samples_now) == ("base", 5)
    assert base.basis.value == pytest.approx(np.std(list(BASE.values()), ddof=1))
    lora_values = [*LORA.values(), 4.25]
    assert (lora.candidate, lora.samples_now) == ("lora", 6)
    assert lora.basis.value == pytest.approx(np.std(lora_values, ddof=1))
    for need in (base, lora):
        n = need.samples_needed
        assert _hand_half_width(need.basis.value, n, 0.95) <= 0.2
        assert _hand_half_width(need.basis.value, n - 1, 0.95) > 0.2

    rel, overall = p.raters
    assert rel.raters_needed == math.ceil(0.8 * 0.6 / (0.4 * 0.2))
    raters_now = np.mean([2] * 5 + [3] * 6 + [1])
    assert rel.raters_now == pytest.approx(raters_now)
    assert rel.reliability_now == pytest.approx(raters_now * 0.4 / (1 + (raters_now - 1) * 0.4))
    assert overall.raters_needed == math.ceil(round(0.8 * 0.75 / (0.25 * 0.2), 9))  # 12


def test_plan_json_names_every_number():
    p = plan(_items(), (_alpha("relevance", 0.4),), "base", ["lora"], raters_per_item=2)
    d = json.loads(json.dumps(p.to_dict()))
    for key, value in {"delta": 0.3, "half_width": 0.1, "power": 0.8, "alpha": 0.05}.items():
        assert d[key] == value
    assert d["target_reliability"] == 0.8
    assert d["baseline"] == "base"
    (c,) = d["comparisons"]
    assert {"candidate", "baseline", "samples_needed", "samples_now", "samples_more"} <= set(c)
    assert c["basis"]["assumed"] is False and c["basis"]["n"] == 4 and "sd" in c["basis"]
    assert [m["model"] for m in d["models"]] == ["base", "lora"]
    (r,) = d["raters"]
    assert r["raters_needed"] == 6  # 0.8 * 0.6 / (0.4 * 0.2)
    assert r["raters_now"] == 2
    assert r["reliability_now"] == pytest.approx(2 * 0.4 / 1.4)
    assert r["basis"] == {"reliability_one": 0.4, "n": 40, "assumed": False, "note": None}


def test_plan_before_any_ratings_assumes_a_spread():
    items = pd.DataFrame(
        {
            "item_id": [1, 2, 3, 4],
            "model": ["base", "base", "lora", "lora"],
            "sample_id": ["a", "b", "a", "b"],
            "complete": [False] * 4,
            "composite": [np.nan] * 4,
            "relevance_n": [0] * 4,
        }
    )
    p = plan(items, (_alpha("relevance", None, 0), _alpha("all", None, 0)), "base", ["lora"])
    (c,) = p.comparisons
    assert c.basis.assumed and c.basis.value == ASSUMED_SD and c.samples_now == 0
    assert abs(c.samples_needed - _statsmodels_n(0.3 / ASSUMED_SD, 0.05, 0.8)) <= 1
    assert all(m.basis.assumed and m.basis.value == ASSUMED_SD for m in p.models)
    n = p.models[0].samples_needed
    assert _hand_half_width(ASSUMED_SD, n, 0.95) <= 0.1 < _hand_half_width(ASSUMED_SD, n - 1, 0.95)
    for r in p.raters:
        assert r.basis.assumed and r.basis.value == ASSUMED_RELIABILITY
        assert r.raters_needed == 4  # Spearman-Brown from 0.5 to 0.8
        assert r.raters_now is None and r.reliability_now is None
    d = p.to_dict(language="en")
    assert d["comparisons"][0]["basis"]["assumed"] is True
    assert "assumed" in d["comparisons"][0]["basis"]["note"]


def test_plan_says_why_a_number_is_missing():
    items = _items()
    items.loc[items["model"] == "lora", "composite"] = (
        items.loc[items["model"] == "lora", "sample_id"].map(BASE).fillna(3.0) + 0.5
    )  # every difference exactly 0.5
    p = plan(items, (_alpha("relevance", -0.05),), "base", ["lora"])
    (c,) = p.comparisons
    assert c.basis.value == 0 and c.samples_needed is None and c.samples_more is None
    assert c.reason is not None and c.reason.msgid.startswith("the paired differences")
    (r,) = p.raters
    assert r.raters_needed is None and r.reason is not None
    assert p.to_dict()["raters"][0]["reason"]


def test_plan_from_a_computed_report():
    """The real pipeline: compute's item table and alphas go straight into the plan."""
    rng = np.random.default_rng(3)
    dims = ("relevance", "fluency")
    rows, items = [], []
    for k in range(40):
        for m, model in enumerate(("base", "lora")):
            item = 2 * k + m + 1
            items.append((item, model, f"s{k}"))
            quality = 3 + 0.5 * m + rng.normal(0, 0.6)
            for rater in ("a", "b"):
                for d in dims:
                    score = int(np.clip(np.rint(quality + rng.normal(0, 0.5)), 1, 5))
                    rows.append((item, rater, d, score))
    ratings = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    items = pd.DataFrame(items, columns=["item_id", "model", "sample_id"])
    report = compute(ratings, items, dimensions=dims, resamples=0)
    p = plan(report.items, report.alpha, "base", ["lora"])
    assert p.comparisons[0].samples_now == 40
    assert [r.dimension for r in p.raters] == ["relevance", "fluency", "all"]
    assert all(r.raters_now == 2 for r in p.raters)
    for r in p.raters:
        a = report.alpha_for(r.dimension).alpha
        assert r.basis.value == pytest.approx(a)
        assert r.reliability_now == pytest.approx(2 * a / (1 + a))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"delta": 0}, "delta"),
        ({"delta": -0.3}, "delta"),
        ({"half_width": 0}, "half_width"),
        ({"half_width": -1}, "half_width"),
        ({"power": 0}, "power"),
        ({"power": 1}, "power"),
        ({"power": 1.5}, "power"),
        ({"alpha": 0}, "alpha"),
        ({"target": 1.0}, "target"),
        ({"raters_per_item": 0}, "raters_per_item"),
    ],
)
def test_bad_arguments_are_refused_by_name(kwargs, name):
    with pytest.raises(InputError) as err:
        plan(_items(), (), "base", ["lora"], **kwargs)
    assert name in str(err.value)


def test_formulas_refuse_bad_arguments():
    with pytest.raises(InputError, match="power"):
        paired_samples_needed(1.0, 0.3, power=1.2)
    with pytest.raises(InputError, match="half_width"):
        samples_for_half_width(1.0, 0.0)
    with pytest.raises(InputError, match="target"):
        raters_needed(0.5, target=0)
