"""The alternative annotator test against the paper's algorithm, typed again here.

The reference below follows Calderon, Reichart and Dror (2025), Algorithm 1, with plain
dicts and loops: drop instances with fewer than 2 humans (or without the judge), skip
humans with fewer than 30 instances, W = 1[S >= S'] both ways, a one-sided t-test of
d = W_h - W_f against epsilon, Benjamini-Yekutieli written from its formula.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ttest_1samp

from annotator.core.stats.alt_test import (
    alt_test,
    alt_test_judgments,
    benjamini_yekutieli,
)

COLS = ["item_id", "rater", "dimension", "score"]
DIMS = ("fluency", "accuracy")
HUMANS = ("ann", "bob", "cai", "dee", "eve")


# --- the reference, from the paper -------------------------------------------------------


def ref_by(p_values, q):
    m = len(p_values)
    c_m = sum(1.0 / k for k in range(1, m + 1))
    ranked = sorted(range(m), key=lambda i: (math.isnan(p_values[i]), p_values[i]))
    last = -1
    for k, i in enumerate(ranked, start=1):
        if p_values[i] <= k * q / (m * c_m):
            last = k
    return {ranked[k] for k in range(last)} if last > 0 else set()


def ref_neg_rmse(x, others):
    return -math.sqrt(sum((x - o) ** 2 for o in others) / len(others))


def ref_accuracy(x, others):
    return sum(x == o for o in others) / len(others)


def ref_alt_test(humans, llm, score, epsilon, q=0.05):
    """humans: {rater: {instance: value}}; llm: {instance: value}."""
    raters_of = {}
    for h, anns in humans.items():
        for i in anns:
            raters_of.setdefault(i, []).append(h)
    keep = {i for i, hs in raters_of.items() if len(hs) >= 2 and i in llm}
    p_values, advantages, tested = [], [], []
    for h in sorted(humans):
        instances = [i for i in humans[h] if i in keep]
        if len(instances) < 30:
            continue
        w_f, w_h = [], []
        for i in instances:
            others = [humans[o][i] for o in raters_of[i] if o != h]
            s_h, s_f = score(humans[h][i], others), score(llm[i], others)
            w_f.append(1 if s_f >= s_h else 0)
            w_h.append(1 if s_h >= s_f else 0)
        d = [a - b for a, b in zip(w_h, w_f, strict=True)]
        p_values.append(float(ttest_1samp(d, epsilon, alternative="less").pvalue))
        advantages.append(sum(w_f) / len(w_f))
        tested.append(h)
    rejected = ref_by(p_values, q)
    return {
        "humans": tested,
        "p_values": p_values,
        "rejected": [k in rejected for k in range(len(tested))],
        "winning_rate": len(rejected) / len(tested),
        "advantage_probability": sum(advantages) / len(advantages),
    }


# --- data ----------------------------------------------------------------------------------


def _simulate(seed, judge_noise, items=70, humans=HUMANS):
    rng = np.random.default_rng(seed)
    human, judge = [], []
    for k in range(items):
        for dim in DIMS:
            truth = int(rng.integers(2, 5))
            for rater in rng.choice(
                humans, size=rng.integers(min(3, len(humans)), len(humans) + 1), replace=False
            ):
                off = rng.choice([-1, 0, 0, 1])
                human.append((f"i{k}", rater, dim, int(np.clip(truth + off, 1, 5))))
            if judge_noise is None:
                score = int(rng.integers(1, 6))
            else:
                score = int(np.clip(round(truth + rng.normal(0, judge_noise)), 1, 5))
            judge.append((f"i{k}", "gpt", dim, score))
    return pd.DataFrame(human, columns=COLS), pd.DataFrame(judge, columns=COLS)


def _dicts(human, judge, dimension):
    def unit(row):
        return (row.item_id, row.dimension)

    h = human if dimension == "" else human[human["dimension"] == dimension]
    j = judge if dimension == "" else judge[judge["dimension"] == dimension]
    humans = {}
    for row in h.itertuples(index=False):
        humans.setdefault(row.rater, {})[unit(row)] = row.score
    return humans, {unit(row): row.score for row in j.itertuples(index=False)}


def _check_against_reference(result, reference):
    assert list(result.humans) == reference["humans"]
    expected_p = [1.0 if math.isnan(p) else p for p in reference["p_values"]]
    np.testing.assert_allclose(result.p_values, expected_p, rtol=1e-12, atol=1e-15)
    assert list(result.rejected) == reference["rejected"]
    assert result.winning_rate == pytest.approx(reference["winning_rate"], abs=1e-12)
    assert result.advantage_probability == pytest.approx(
        reference["advantage_probability"], abs=1e-12
    )


@pytest.mark.parametrize(("seed", "noise", "passes"), [(1, 0.0, True), (2, None, False)])
def test_scores_against_the_paper(seed, noise, passes):
    human, judge = _simulate(seed, noise)
    results = alt_test(human, judge, dimensions=DIMS, epsilon=0.2)
    assert [r.dimension for r in results] == [*DIMS, ""]
    for r in results:
        humans, llm = _dicts(human, judge, r.dimension)
        _check_against_reference(r, ref_alt_test(humans, llm, ref_neg_rmse, 0.2))
        assert r.passed is passes and r.missing is None
        assert r.passed == (r.winning_rate >= 0.5)
        word = "can" if passes else "cannot"
        assert r.reading().text("en").startswith(f"the judge {word} replace a rater on ")
        data = json.loads(json.dumps(r.to_dict(), allow_nan=False))
        assert data["passed"] is passes and len(data["p_values"]) == len(HUMANS)
    text = results[0].reading("Fluency").text("en")
    assert text == (
        f"the judge {word} replace a rater on Fluency "
        f"(omega = {results[0].winning_rate:.2f}, epsilon = 0.2)"
    )


@pytest.mark.parametrize("epsilon", [0.1, 0.15, 0.3])
def test_epsilon_moves_the_verdict_as_the_reference(epsilon):
    human, judge = _simulate(3, 0.9)
    for r in alt_test(human, judge, dimensions=DIMS, epsilon=epsilon):
        humans, llm = _dicts(human, judge, r.dimension)
        _check_against_reference(r, ref_alt_test(humans, llm, ref_neg_rmse, epsilon))
        assert r.epsilon == epsilon


def test_by_against_the_formula():
    rng = np.random.default_rng(9)
    for _ in range(200):
        p = rng.uniform(0, 0.05, rng.integers(1, 12)) ** rng.uniform(0.5, 2)
        rejected = benjamini_yekutieli(p, 0.05)
        assert set(np.flatnonzero(rejected)) == ref_by(list(p), 0.05)


def test_two_humans_is_missing():
    human, judge = _simulate(4, 0.0, humans=("ann", "bob"))
    r = alt_test(human, judge, dimensions=DIMS)[0]
    assert r.passed is None and r.winning_rate is None
    assert r.missing.text("en") == (
        "it needs at least 3 human raters who scored what the judge scored; there are 2"
    )
    assert "cannot be run on fluency" in r.reading().text("en")
    assert json.dumps(r.to_dict(), allow_nan=False)


def test_a_human_with_too_few_items():
    human, judge = _simulate(5, 0.0, humans=("ann", "bob", "cai"))
    few = human[(human["rater"] != "cai") | (human["item_id"].isin([f"i{k}" for k in range(20)]))]
    r = alt_test(few, judge, dimensions=DIMS)[0]
    assert r.passed is None
    words = r.missing.text("en")
    assert "30 or more items" in words and "cai (" in words and "ann" not in words
    # With four humans the short one is left out and the test runs on the other three
    human, judge = _simulate(5, 0.0, humans=("ann", "bob", "cai", "dee"))
    few = human[(human["rater"] != "dee") | (human["item_id"].isin([f"i{k}" for k in range(10)]))]
    r = alt_test(few, judge, dimensions=DIMS)[0]
    assert r.humans == ("ann", "bob", "cai") and r.passed is not None
    assert "dee (" in r.note.text("en")
    humans, llm = _dicts(few, judge, "fluency")
    _check_against_reference(r, ref_alt_test(humans, llm, ref_neg_rmse, 0.2))


def _rated_by_all(n_items, humans=("ann", "bob", "cai")):
    """Every human and the judge score every item on one dimension."""
    rng = np.random.default_rng(n_items)
    rows = [
        (f"i{k}", h, "fluency", int(rng.integers(1, 6))) for k in range(n_items) for h in humans
    ]
    judge = [(f"i{k}", "gpt", "fluency", int(rng.integers(1, 6))) for k in range(n_items)]
    return pd.DataFrame(rows, columns=COLS), pd.DataFrame(judge, columns=COLS)


def test_29_items_is_missing_and_30_runs():
    human, judge = _rated_by_all(29)
    r = alt_test(human, judge, dimensions=["fluency"])[0]
    assert r.passed is None and r.winning_rate is None and r.humans == ()
    assert r.missing.text("en") == (
        "it needs at least 3 human raters with 30 or more items also scored by the judge "
        "and by another rater; 0 have that, too few: ann (29), bob (29), cai (29)"
    )
    assert json.dumps(r.to_dict("zh_CN"), ensure_ascii=False, allow_nan=False)
    human, judge = _rated_by_all(30)
    r = alt_test(human, judge, dimensions=["fluency"])[0]
    assert r.missing is None and r.items_per_human == (30, 30, 30)
    humans, llm = _dicts(human, judge, "fluency")
    _check_against_reference(r, ref_alt_test(humans, llm, ref_neg_rmse, 0.2))


def test_items_with_one_human_do_not_count():
    """A unit scored by one human only has no "others": it is dropped, as in the paper."""
    human, judge = _rated_by_all(40)
    alone = human["item_id"].isin([f"i{k}" for k in range(11)]) & (human["rater"] != "ann")
    r = alt_test(human[~alone], judge, dimensions=["fluency"])[0]
    assert r.passed is None  # ann scored 40 items, but only 29 with another human
    assert r.missing.text("en").endswith("0 have that, too few: ann (29), bob (29), cai (29)")
    r = alt_test(human[~alone], judge, dimensions=["fluency"], min_items=29)[0]
    assert r.items_per_human == (29, 29, 29) and r.passed is not None


# --- side by side --------------------------------------------------------------------------


def _judgments(seed, judge_noise, comparisons=60):
    """Humans and a judge on (sample, m1 vs m2); the judge sees both orders."""
    rng = np.random.default_rng(seed)
    human, judge = [], []
    for k in range(comparisons):
        for dim in ("", "clarity"):
            truth = rng.choice(["a", "b", "tie"], p=[0.45, 0.45, 0.1])
            for rater in rng.choice(HUMANS, size=rng.integers(3, 6), replace=False):
                said = truth if rng.random() < 0.7 else rng.choice(["a", "b", "tie"])
                human.append((f"s{k}", rater, dim, "m1", "m2", "m1", said))
            for left in ("m1", "m2"):
                noisy = judge_noise is None or rng.random() < judge_noise
                said = rng.choice(["a", "b"]) if noisy else truth
                # listed with the models the other way round: the outcome follows them
                flipped = {"a": "b", "b": "a"}.get(said, said)
                judge.append((f"s{k}", "gpt", dim, "m2", "m1", left, flipped))
    cols = ["sample_id", "rater", "dimension", "model_a", "model_b", "left", "outcome"]
    return pd.DataFrame(human, columns=cols), pd.DataFrame(judge, columns=cols)


def _choice_dicts(human, judge, dimension):
    def winner(row):
        return {"a": row.model_a, "b": row.model_b}.get(row.outcome, row.outcome)

    def key(row):
        return (row.sample_id, *sorted((row.model_a, row.model_b)), row.dimension)

    humans, seen = {}, {}
    for row in human[human["dimension"] == dimension].itertuples(index=False):
        humans.setdefault(row.rater, {})[key(row)] = winner(row)
    for row in judge[judge["dimension"] == dimension].itertuples(index=False):
        seen.setdefault(key(row), []).append(winner(row))
    llm = {k: v[0] if len(set(v)) == 1 else "tie" for k, v in seen.items()}
    return humans, llm


@pytest.mark.parametrize(("seed", "noise", "passes"), [(6, 0.0, True), (7, None, False)])
def test_side_by_side_against_the_paper(seed, noise, passes):
    human, judge = _judgments(seed, noise)
    results = alt_test_judgments(human, judge, epsilon=0.2)
    assert [r.dimension for r in results] == ["", "clarity"]
    for r in results:
        humans, llm = _choice_dicts(human, judge, r.dimension)
        _check_against_reference(r, ref_alt_test(humans, llm, ref_accuracy, 0.2))
        assert r.kind == "choice" and r.passed is passes
    assert "replace a rater on overall (" in results[0].reading().text("en")
    assert json.dumps([r.to_dict("zh_CN") for r in results], ensure_ascii=False, allow_nan=False)
