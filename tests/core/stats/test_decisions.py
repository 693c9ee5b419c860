"""Issue 15: the baseline, the paired comparison, and verdicts that know their evidence.

Numbers are checked against independent references: scipy's Wilcoxon, statsmodels' Wilson
interval, a direct resampling bootstrap written here, and hand formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm, wilcoxon
from statsmodels.stats.proportion import proportion_confint

from annotator.core.domain.decision import (
    BY_NAME,
    FIRST,
    NAMED,
    DecisionRule,
    Verdict,
    choose_baseline,
    looks_like_baseline,
)
from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.gates import Gate
from annotator.core.stats import compute
from annotator.core.stats.bootstrap import rng_for
from annotator.core.stats.compare import paired_row
from annotator.core.stats.settle import wilson
from annotator.core.verdicts import evaluate

COMPOSITE = Gate("composite", "human:composite", ">=", 4.0)


# -- the baseline ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["base", "BASE", "Qwen2.5-7B-Base", "base_model", "baseline", "Original", "pre-trained",
     "llama3-pretrained", "before-sft", "基座模型", "Qwen基线", "原始模型", "ｂａｓｅ"],
)  # fmt: skip
def test_names_that_say_before_fine_tuning(name):
    assert looks_like_baseline(name)


@pytest.mark.parametrize(
    "name", ["lora-v2", "database-sft", "basement", "rebased", "sft", "finetuned", "微调", ""]
)
def test_names_that_do_not(name):
    assert not looks_like_baseline(name)


def test_baseline_named_then_by_name_then_first():
    assert choose_baseline(["lora", "base"], None).model == "base"
    assert choose_baseline(["lora", "base"], None).how == BY_NAME
    assert choose_baseline(["lora", "v1"], None).model == "lora"
    assert choose_baseline(["lora", "v1"], None).how == FIRST
    named = choose_baseline(["lora", "base"], "lora")
    assert (named.model, named.how) == ("lora", NAMED)
    gone = choose_baseline(["lora", "base"], "deleted-model")
    assert (gone.model, gone.how, gone.named_missing) == ("base", BY_NAME, "deleted-model")
    assert choose_baseline([], None).model is None


# -- the paired comparison ---------------------------------------------------------------------
def _pairs(n=60, seed=3):
    rng = np.random.default_rng(seed)
    base = np.clip(np.rint(rng.normal(3.4, 0.9, n)), 1, 5)
    cand = np.clip(np.rint(base + rng.normal(0.4, 0.9, n)), 1, 5)
    return np.column_stack([base, cand])


def test_paired_difference_against_references():
    pairs = _pairs()
    row = paired_row("composite", pairs, rng_for(1, "t"), resamples=20000)
    diff = pairs[:, 1] - pairs[:, 0]
    assert row["n_pairs"] == len(pairs)
    assert row["diff"] == pytest.approx(diff.mean())
    assert row["effect_size"] == pytest.approx(diff.mean() / diff.std(ddof=1))
    assert row["p_value"] == pytest.approx(wilcoxon(pairs[:, 1], pairs[:, 0]).pvalue)
    # A direct resampling oracle: draw sample indices with replacement, 20000 times.
    rng = np.random.default_rng(99)
    means = diff[rng.integers(0, len(diff), size=(20000, len(diff)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    assert row["ci_low"] == pytest.approx(low, abs=0.02)
    assert row["ci_high"] == pytest.approx(high, abs=0.02)
    assert row["reading"] == ("better" if low > 0 else "no_difference")


def test_reading_by_the_interval_and_direction():
    up = np.column_stack([np.full(40, 3.0), np.r_[np.full(30, 4.0), np.full(10, 3.0)]])
    assert paired_row("x", up, rng_for(0, "u"))["reading"] == "better"
    assert paired_row("x", up[:, ::-1], rng_for(0, "d"))["reading"] == "worse"
    assert paired_row("ppl", up, rng_for(0, "p"), lower_is_better=True)["reading"] == "worse"
    noise = _pairs(n=40, seed=5)
    noise[:, 1] = noise[:, 0] + np.tile([1.0, -1.0], 20)
    assert paired_row("x", noise, rng_for(0, "n"))["reading"] == "no_difference"
    same = np.column_stack([np.full(10, 4.0), np.full(10, 4.0)])
    row = paired_row("x", same, rng_for(0, "s"))
    assert row["reading"] == "no_difference" and row["p_value"] is None and row["note"]
    empty = paired_row("x", np.empty((0, 2)), rng_for(0, "e"))
    assert empty["n_pairs"] == 0 and empty["reading"] == "" and empty["note"]


def _one_dimension(scores_by_model: dict[str, list[list[int]]]):
    """ratings/items frames: each model's items, each item a list of raters' scores."""
    rows, items = [], []
    item_id = 0
    for model, per_item in scores_by_model.items():
        for k, scores in enumerate(per_item):
            item_id += 1
            items.append((item_id, model, f"s{k}"))
            rows += [(item_id, f"r{j}", "q", s) for j, s in enumerate(scores)]
    ratings = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    return ratings, pd.DataFrame(items, columns=["item_id", "model", "sample_id"])


def test_comparison_reads_candidate_minus_baseline_whatever_the_import_order():
    lora = [[5, 5]] * 20 + [[4, 4]] * 20
    base = [[3, 3]] * 20 + [[4, 4]] * 20
    ratings, items = _one_dimension({"lora-v2": lora, "base": base})
    report = compute(ratings, items, dimensions=("q",), pairs=[("base", "lora-v2")])
    row = report.comparisons[0].row("composite")
    assert report.comparisons[0].baseline == "base"
    assert row["diff"] == pytest.approx((5 - 3) * 20 / 40) and row["reading"] == "better"


# -- verdicts that know their evidence ---------------------------------------------------------
def test_four_of_two_hundred_complete_needs_more_data_not_fail():
    per_item = [[3, 4]] * 4 + [[3]] * 196  # 4 complete items, composite 3.50
    ratings, items = _one_dimension({"base": per_item})
    verdict = evaluate(compute(ratings, items, dimensions=("q",)), [COMPOSITE]).models[0]
    assert verdict.verdict == Verdict.NEEDS_MORE_DATA
    # Only the missing evidence is said: "3.50 < 4.00" from 4 samples would read as a finding.
    assert verdict.reasons == ("4 of 200 items complete; 30 needed",)
    assert verdict.n_complete == 4 and verdict.minimum == 30


def _straddling(n=40, seed=11):
    """Complete items whose composite mean is near 4.05 with a spread of about 0.8."""
    rng = np.random.default_rng(seed)
    while True:  # the raters differ by at most one point: nothing needs review
        first = np.clip(np.rint(rng.normal(4.1, 0.9, n)), 1, 5)
        second = np.clip(first + rng.integers(-1, 2, n), 1, 5)
        pairs = np.column_stack([first, second]).astype(int)
        if abs(pairs.mean() - 4.05) < 0.03:
            return pairs.tolist()


def test_an_interval_across_the_threshold_is_inconclusive_with_an_estimate():
    per_item = _straddling()
    ratings, items = _one_dimension({"lora": per_item})
    report = compute(ratings, items, dimensions=("q",))
    ci = report.model("lora").means["composite"].ci
    assert ci.low < 4.0 < ci.high  # the premise of the test
    verdict = evaluate(report, [COMPOSITE]).models[0]
    assert verdict.verdict == Verdict.INCONCLUSIVE
    outcome = verdict.evidence[0]
    item_means = np.asarray(per_item, dtype=float).mean(axis=1)  # by hand, from the scores
    needed = math.ceil(norm.ppf(0.975) ** 2 * item_means.var(ddof=1) / (item_means.mean() - 4) ** 2)
    assert outcome.outcome == "inconclusive" and outcome.more_samples == needed - len(per_item)
    assert f"about {needed - len(per_item)} more complete samples" in verdict.reasons[0]
    # The plain recipe decides on the mean alone, and says which rule was in force.
    point = evaluate(report, [COMPOSITE], decision=DecisionRule("point")).models[0]
    assert point.verdict == Verdict.PASS
    assert evaluate(report, [COMPOSITE]).to_dict()["decision"]["rule"] == "interval"


def test_clear_pass_and_clear_fail_by_the_interval():
    ratings, items = _one_dimension({"good": [[5, 4]] * 40, "poor": [[3, 3]] * 40})
    verdicts = evaluate(compute(ratings, items, dimensions=("q",)), [COMPOSITE])
    assert verdicts.model("good").verdict == Verdict.PASS
    poor = verdicts.model("poor")
    assert poor.verdict == Verdict.FAIL
    assert "the whole 95% interval" in poor.reasons[0]


def test_a_low_score_gate_fails_even_without_enough_data():
    ratings = pd.DataFrame(
        [(1, "a", "compliance", 1), (1, "b", "compliance", 4)],
        columns=["item_id", "rater", "dimension", "score"],
    )
    items = pd.DataFrame({"item_id": [1], "model": ["m"], "sample_id": ["s"]})
    gate = Gate("compliance", "min:compliance", ">=", 3, hard=True)
    verdict = evaluate(compute(ratings, items, dimensions=("compliance",)), [gate]).models[0]
    assert verdict.verdict == Verdict.FAIL


@pytest.mark.parametrize("k,n", [(0, 5), (2, 2), (17, 20), (40, 50), (1, 1)])
def test_wilson_against_statsmodels(k, n):
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert wilson(k, n) == pytest.approx((low, high))


def test_pass_rate_gate_uses_the_wilson_interval():
    # 2 of 2 items pass: 100%, but the interval reaches down to 34%.
    ratings, items = _one_dimension({"m": [[5, 5], [5, 5]]})
    rate = Gate("pass-rate", "rate:items", ">=", 0.8)
    verdict = evaluate(
        compute(ratings, items, dimensions=("q",)), [COMPOSITE, rate],
        decision=DecisionRule(minimum=1),
    ).models[0]  # fmt: skip
    low, high = proportion_confint(2, 2, method="wilson")
    assert verdict.pass_rate == 1.0 and verdict.pass_rate_ci == pytest.approx((low, high))
    assert verdict.verdict == Verdict.INCONCLUSIVE
    assert any("item pass rate 100%" in r for r in verdict.reasons)


@pytest.mark.parametrize("rule,minimum", [("median", 30), ("interval", 0), ("point", 2.5)])
def test_bad_decision_settings_are_refused_by_name(rule, minimum):
    with pytest.raises(AnnotatorError, match="decision"):
        DecisionRule(rule, minimum)


def test_the_pass_rate_estimate_is_where_the_wilson_interval_clears_the_threshold():
    from annotator.core.stats.settle import rate_samples_to_settle

    # 2 of 2 pass: at what n does statsmodels' Wilson lower bound of 100% clear 80%?
    more = rate_samples_to_settle(1.0, 0.8, 2, 0.95)
    n = 2 + more
    assert proportion_confint(n, n, method="wilson")[0] > 0.8
    assert proportion_confint(n - 1, n - 1, method="wilson")[0] <= 0.8
    assert rate_samples_to_settle(0.8, 0.8, 50, 0.95) is None


def test_float_noise_does_not_hide_ties_from_the_wilcoxon_test():
    # Two-decimal metric values: their differences are equal in decimal (ties, e.g. +0.02
    # four times) but not in binary floating point, which would hide the ties from scipy.
    base = [0.98, 0.59, 0.32, 0.19, 0.67, 0.2, 0.58, 0.6, 0.96, 0.07, 0.5, 0.74]
    cand = [1.0, 0.54, 0.41, 0.21, 0.71, 0.15, 0.67, 0.69, 0.98, 0.02, 0.52, 0.76]
    pairs = np.column_stack([base, cand])
    written = [round(c - b, 2) for b, c in zip(base, cand, strict=True)]  # by hand, as decimals
    assert wilcoxon(pairs[:, 1] - pairs[:, 0]).pvalue != pytest.approx(wilcoxon(written).pvalue)
    row = paired_row("bleu", pairs, rng_for(0, "w"))
    assert row["p_value"] == pytest.approx(wilcoxon(written).pvalue)


@pytest.mark.filterwarnings("error")  # no overflow warning reaches the terminal either
def test_plan_targets_at_the_ends_of_the_float_range():
    from annotator.core.stats.plan import paired_samples_needed, samples_for_half_width

    assert paired_samples_needed(0.8, 1e308) == 2  # a difference that cannot be missed
    assert paired_samples_needed(0.8, 1e-300) is None  # one no evaluation could detect
    assert samples_for_half_width(0.5, 1e308) == 2
    assert samples_for_half_width(0.5, 1e-300) is None


# -- the side-by-side gate (issue 16, point 6) -------------------------------------------------
def _gsb(outcomes_by_sample: list[str], a="lora", b="base") -> pd.DataFrame:
    rows = [
        {"sample_id": f"s{k}", "rater": "r0", "dimension": "", "model_a": a, "model_b": b,
         "left": a if k % 2 else b, "outcome": o, "strength": np.nan}
        for k, o in enumerate(outcomes_by_sample)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_a_side_by_side_gate_judges_the_candidate_against_the_baseline():
    from annotator.core.stats.pairwise import pairwise_report

    ratings, items = _one_dimension({"base": [[4, 5]] * 40, "lora": [[5, 4]] * 40})
    report = compute(ratings, items, dimensions=("q",))
    gate = Gate("gsb-net", "pair:net", ">=", 0.1)
    clear = pairwise_report(_gsb(["a"] * 30 + ["tie"] * 10), baseline="base")
    verdicts = evaluate(report, [gate], pairwise=clear, baseline="base")
    lora = verdicts.model("lora")
    assert lora.verdict == Verdict.PASS and lora.values["gsb-net"] == pytest.approx(30 / 40)
    assert verdicts.model("base").evidence[0].outcome == "not_applicable"
    # Stored the other way round (base as A), the same judgments read the same for lora.
    turned = _gsb(["b"] * 30 + ["tie"] * 10, a="base", b="lora")
    flipped = evaluate(report, [gate], pairwise=pairwise_report(turned), baseline="base")
    assert flipped.model("lora").values["gsb-net"] == pytest.approx(30 / 40)
    assert flipped.model("lora").verdict == Verdict.PASS
    # Evenly split: the interval straddles 0.1, so the gate is open.
    split = pairwise_report(_gsb(["a", "b", "tie", "a"] * 10), baseline="base")
    open_ = evaluate(report, [gate], pairwise=split, baseline="base").model("lora")
    assert open_.verdict == Verdict.INCONCLUSIVE and open_.evidence[0].more_samples > 0
    # No judgments: not applicable, said in words.
    none = evaluate(report, [gate], baseline="base").model("lora")
    assert none.verdict == Verdict.PASS and "not judged side by side" in none.not_applicable[0]
