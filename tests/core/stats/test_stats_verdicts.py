"""Gates, item and model verdicts, model comparison, diagnostics."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr, wilcoxon
from stats_helpers import DIMS, random_project, scored_report

from annotator.core.domain.decision import DecisionRule
from annotator.core.domain.errors import InputError
from annotator.core.domain.gates import DEFAULT_GATES, Gate, gates_from_dicts, gates_to_dicts
from annotator.core.stats import NARROW, SURFACE, compute
from annotator.core.verdicts import Verdict, evaluate

TWO = ("relevance", "compliance")


def _report(scores, bleu=None, adjudicated=None, **kw):
    return scored_report(scores, TWO, bleu=bleu, adjudicated=adjudicated, **kw)


def _verdicts(report, gates=DEFAULT_GATES):
    return evaluate(report, gates).items.set_index("item_id")


def test_item_verdicts_and_reasons_in_words():
    report = _report(
        {
            1: {"relevance": (5, 5), "compliance": (4, 4)},  # passes
            2: {"relevance": (3, 4), "compliance": (3, 4)},  # composite 3.50
            3: {"relevance": (5, 4), "compliance": (2, 3)},  # compliance: a rater gave 2
            4: {"relevance": (5, 5), "compliance": (5, 5)},  # BLEU too low
        },
        bleu={1: 0.55, 2: 0.45, 3: 0.5, 4: 0.31},
    )
    v = _verdicts(report)
    assert v.loc[1, "verdict"] == Verdict.PASS and v.loc[1, "reasons"] == ""
    assert v.loc[2, "verdict"] == Verdict.FAIL
    assert v.loc[2, "reasons"] == "composite 3.50 < 4.00"
    assert v.loc[3, "verdict"] == Verdict.FAIL
    assert "compliance: a rater gave 2 (< 3)" in v.loc[3, "reasons"]
    assert v.loc[4, "reasons"] == "BLEU 0.31 < 0.40"
    assert "perplexity" not in v.loc[1, "not_applicable"]  # disabled gates are silent


def test_incomplete_and_disputed_items_need_review_unless_adjudicated():
    scores = {
        1: {"relevance": (5,), "compliance": (5, 5)},  # one rating of relevance
        2: {"relevance": (2, 5), "compliance": (5, 5)},  # 3-point disagreement
        3: {"relevance": (4,), "compliance": (1,)},  # incomplete, but compliance 1: hard fail
    }
    v = _verdicts(_report(scores))
    assert v.loc[1, "verdict"] == Verdict.NEEDS_REVIEW
    assert v.loc[1, "reasons"] == "incomplete: relevance has 1 of 2 ratings"
    assert v.loc[2, "verdict"] == Verdict.NEEDS_REVIEW
    assert v.loc[2, "reasons"] == "raters disagree on relevance by 3 points"
    assert v.loc[3, "verdict"] == Verdict.FAIL
    assert v.loc[3, "reasons"].startswith("compliance: a rater gave 1 (< 3)")
    adj = pd.DataFrame({"item_id": [2], "dimension": ["relevance"], "score": [4]})
    v = _verdicts(_report(scores, adjudicated=adj))
    assert v.loc[2, "verdict"] == Verdict.PASS  # composite (4 + 5) / 2


def test_missing_metric_is_not_applicable_not_a_crash():
    report = _report(
        {1: {"relevance": (5, 5), "compliance": (5, 5)},
         2: {"relevance": (5, 5), "compliance": (5, 5)}},
        bleu={1: 0.9},
    )  # fmt: skip
    gates = [*DEFAULT_GATES[:3], Gate("ppl", "metric:perplexity", "<=", 50, enabled=True)]
    v = _verdicts(report, gates)
    assert v.loc[2, "verdict"] == Verdict.PASS
    assert "no BLEU for this item" in v.loc[2, "not_applicable"]
    assert "perplexity not imported" in v.loc[1, "not_applicable"]
    model = evaluate(report, gates).model("m")
    assert any("perplexity not imported" in s for s in model.not_applicable)


def test_model_verdict_means_and_pass_rate():
    report = _report(
        {1: {"relevance": (5, 5), "compliance": (4, 4)},
         2: {"relevance": (3, 3), "compliance": (3, 3)},
         3: {"relevance": (5, 4), "compliance": (5, 4)}},
        bleu={1: 0.5, 2: 0.2, 3: 0.6},
    )  # fmt: skip
    # Three samples are fewer than the decision minimum (30 by default): no verdict yet.
    waiting = evaluate(report).model("m")
    assert waiting.verdict == Verdict.NEEDS_MORE_DATA
    assert waiting.reasons == ("3 of 3 items complete; 30 needed",)
    plain = DecisionRule("point", minimum=1)  # the plain recipe, on three samples
    m = evaluate(report, decision=plain).model("m")
    assert (m.n_pass, m.n_fail, m.n_review) == (2, 1, 0)
    assert m.pass_rate == pytest.approx(2 / 3)
    assert m.values["composite"] == pytest.approx((4.5 + 3 + 4.5) / 3)
    assert m.values["bleu"] == pytest.approx(1.3 / 3)
    assert m.verdict == Verdict.PASS  # the means pass even though one item fails
    strict = [Gate("composite", "human:composite", ">=", 4.2)]
    m2 = evaluate(report, strict, decision=plain).model("m")
    assert m2.verdict == Verdict.FAIL and m2.reasons == ("mean composite 4.00 < 4.20 (3 samples)",)


def test_gates_round_trip_and_validation():
    data = gates_to_dicts(DEFAULT_GATES)
    json.dumps(data)
    assert gates_from_dicts(data) == DEFAULT_GATES
    on = {g.key: (g.enabled, g.hard) for g in DEFAULT_GATES}
    assert on["bleu"] == (True, False) and on["compliance"] == (True, True)
    assert on["rouge-l"][0] is False and on["perplexity"][0] is False
    with pytest.raises(InputError, match="target"):
        Gate.from_dict({"key": "x", "target": "bleu", "op": ">=", "threshold": 1})
    with pytest.raises(InputError, match="op"):
        Gate.from_dict({"key": "x", "target": "metric:bleu", "op": "=>", "threshold": 1})
    with pytest.raises(InputError, match="unique"):
        gates_from_dicts(data + data[:1])


def test_compare_models_paired_wilcoxon():
    ratings, items = random_project(n_items=120, missing=0.05, seed=6)
    lora = items.model == "lora"
    bump = ratings.item_id.isin(items.item_id[lora]) & (ratings.score < 5)
    ratings.loc[bump & (ratings.index % 2 == 0), "score"] += 1
    report = compute(ratings, items, dimensions=DIMS, resamples=0)
    table = report.compare("base", "lora").set_index("measure")
    t = report.items
    a = t[(t.model == "base") & t.complete].set_index("sample_id")["composite"]
    b = t[(t.model == "lora") & t.complete].set_index("sample_id")["composite"]
    both = pd.concat([a, b], axis=1, join="inner").dropna()
    row = table.loc["composite"]
    assert row.n_pairs == len(both)
    assert row["diff"] == pytest.approx((both.iloc[:, 1] - both.iloc[:, 0]).mean())
    # Composites are means of whole scores: equal differences are ties, whatever float
    # noise their sums carry (rounded to 9 decimals here, exact for any rubric's weights).
    exact = np.round((both.iloc[:, 1] - both.iloc[:, 0]).to_numpy(), 9)
    assert row.p_value == pytest.approx(wilcoxon(exact).pvalue)
    assert set(table.index) == {*DIMS, "composite"}


def test_diagnostics_mismatches_and_spearman():
    report = _report(
        {1: {"relevance": (2, 2), "compliance": (3, 3)},  # BLEU high, humans low
         2: {"relevance": (5, 5), "compliance": (5, 5)},  # humans high, BLEU low
         3: {"relevance": (5, 4), "compliance": (5, 5)},
         4: {"relevance": (3, 3), "compliance": (3, 4)}},
        bleu={1: 0.8, 2: 0.1, 3: 0.6, 4: 0.2},
    )  # fmt: skip
    found = evaluate(report).mismatches
    kinds = dict(zip(found.item_id, found.kind, strict=True))
    assert kinds == {1: SURFACE, 2: NARROW}
    corr = report.correlations.set_index("metric").loc["bleu"]
    expected = spearmanr([0.8, 0.1, 0.6, 0.2], [2.5, 5.0, 4.75, 3.25])
    assert corr.rho == pytest.approx(expected.statistic)
    assert corr.n == 4


def test_verdict_report_is_json_safe():
    ratings, items = random_project(n_items=40, missing=0.3, seed=2)
    report = compute(ratings, items, dimensions=DIMS, resamples=20)
    out = evaluate(report).to_dict()
    json.dumps(out, allow_nan=False)
    assert {m["verdict"] for m in out["models"]} <= {"PASS", "FAIL", "NEEDS_REVIEW"}
    assert np.all(np.isin([i["verdict"] for i in out["items"]], [v.value for v in Verdict]))
