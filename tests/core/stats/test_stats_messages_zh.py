"""Verdict reasons and gate errors in Chinese, with the rubric's Chinese dimension names."""

from __future__ import annotations

import pytest
from stats_helpers import scored_report

from annotator.core.domain.decision import DecisionRule
from annotator.core.domain.errors import InputError
from annotator.core.domain.gates import Gate
from annotator.core.domain.rubric import load_rubric
from annotator.core.i18n import use_language
from annotator.core.verdicts import evaluate

TWO = ("relevance", "compliance")


def _report(scores):
    return scored_report(scores, TWO)


SCORES = {
    1: {"relevance": (5,), "compliance": (5, 5)},  # one rating of relevance
    2: {"relevance": (3, 4), "compliance": (3, 4)},  # composite 3.50
    3: {"relevance": (5, 4), "compliance": (2, 3)},  # a compliance rater gave 2
}


def test_item_and_model_reasons_in_chinese_use_rubric_names():
    report = _report(SCORES)
    with use_language("zh_CN"):
        verdicts = evaluate(report, rubric=load_rubric(), decision=DecisionRule("point", 1))
    items = verdicts.items.set_index("item_id")
    assert items.loc[1, "reasons"] == "评分未完成：相关性 有 1 个评分，需要 2 个"
    assert items.loc[2, "reasons"] == "综合分 3.50 < 4.00"
    assert "；合规性：有评分人打了 2 分（< 3）" in items.loc[3, "reasons"]
    assert "BLEU >= 0.40：未导入 BLEU" in items.loc[1, "not_applicable"]
    model = verdicts.model("m")
    assert model.reasons == (
        "合规性：1 个条目有评分人打分低于 3",
        "综合分均值 3.50 < 4.00（2 个样本）",
        "1 个条目待复核",
    )
    assert verdicts.language == "zh_CN"


def test_english_reasons_keep_the_keys_even_with_a_rubric():
    report = _report(SCORES)
    verdicts = evaluate(report, rubric=load_rubric())
    items = verdicts.items.set_index("item_id")
    assert items.loc[1, "reasons"] == "incomplete: relevance has 1 of 2 ratings"
    assert "; compliance: a rater gave 2 (< 3)" in items.loc[3, "reasons"]
    assert "compliance: 1 item(s) with a rater below 3" in verdicts.model("m").reasons
    assert verdicts.language == "en"


def test_gate_errors_and_rules_in_chinese():
    with use_language("zh_CN"), pytest.raises(InputError, match="门槛“x”：阈值必须是数字"):
        Gate("x", "metric:bleu", ">=", "high")
    gate = Gate("compliance", "min:compliance", ">=", 3)
    with use_language("zh_CN"):
        assert gate.describe() == "compliance：所有评分人均不低于 3"
        assert gate.describe({"compliance": "合规性"}) == "合规性：所有评分人均不低于 3"
    assert gate.describe() == "compliance: no rater below 3"
