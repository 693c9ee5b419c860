"""ROUGE parity with rouge-score (the oracle) and properties of our ROUGE."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rouge_score.rouge_scorer import RougeScorer

from annotator.core.metrics import MetricSuite, Rouge, get_preset, tokenize
from annotator.core.metrics.tokenizers import resolve

TOL = 1e-9


class _Tokens:
    """rouge-score tokenizer object returning sacrebleu's tokens for a fixed tokenizer."""

    def __init__(self, name, sacre_tokens):
        self.name, self.sacre_tokens = name, sacre_tokens

    def tokenize(self, text):
        return self.sacre_tokens(self.name, text)


def _rouge_suite(tok: str) -> MetricSuite:
    return MetricSuite(
        [Rouge(n, tokenize=tok, stat=s) for n in (1, 2, "l") for s in ("precision", "recall", "f1")]
    )


@pytest.mark.parametrize("tok", ["zh", "13a", "char"])
def test_rouge_matches_rouge_score(pairs, sacre_tokens, tok):
    sample = pairs[:400]
    refs, hyps = zip(*sample, strict=True)
    got = _rouge_suite(tok).compute(refs, hyps, workers=1).values
    scorer = RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=_Tokens(tok, sacre_tokens))
    for i, (ref, hyp) in enumerate(sample):
        scores = scorer.score(ref, hyp)
        for n in ("1", "2", "l"):
            s = scores["rougeL" if n == "l" else f"rouge{n}"]
            assert got[f"rouge-{n}-p"][i] == pytest.approx(s.precision, abs=TOL)
            assert got[f"rouge-{n}-r"][i] == pytest.approx(s.recall, abs=TOL)
            assert got[f"rouge-{n}"][i] == pytest.approx(s.fmeasure, abs=TOL)


def test_default_preset_rouge_uses_auto_tokens(pairs, sacre_tokens):
    pairs = pairs[:600]
    refs, hyps = zip(*pairs, strict=True)
    got = get_preset("default").compute(refs, hyps, workers=1).values
    scorers = {
        t: RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=_Tokens(t, sacre_tokens))
        for t in ("zh", "13a")
    }
    for i, (ref, hyp) in enumerate(pairs):
        scores = scorers[resolve("auto", hyp, ref)].score(ref, hyp)
        assert got["rouge-1"][i] == pytest.approx(scores["rouge1"].fmeasure, abs=TOL)
        assert got["rouge-2"][i] == pytest.approx(scores["rouge2"].fmeasure, abs=TOL)
        assert got["rouge-l"][i] == pytest.approx(scores["rougeL"].fmeasure, abs=TOL)


def test_rouge_score_default_tokenizer_gives_zero_on_chinese_but_ours_does_not():
    # rouge-score's default tokenizer keeps only [a-z0-9]: Chinese text has no tokens,
    # so a perfect Chinese answer scores 0. This is why we tokenize ourselves.
    ref = "模型微调后的回答与参考答案非常接近。"
    hyp = "模型微调后的回答与参考答案很接近。"
    default = RougeScorer(["rouge1", "rougeL"]).score(ref, hyp)
    assert default["rouge1"].fmeasure == 0.0 and default["rougeL"].fmeasure == 0.0
    ours = get_preset("default").compute([ref], [hyp]).values
    assert ours["rouge-1"][0] > 0.8 and ours["rouge-l"][0] > 0.8


_texts = st.text(
    alphabet=st.sampled_from(list("模型微调评测数据，。 ab c.-1")), min_size=0, max_size=30
)


@settings(max_examples=150, deadline=None)
@given(a=_texts, b=_texts)
def test_properties(a, b):
    suite = get_preset("default")
    ab = suite.compute([a], [b]).values
    ba = suite.compute([b], [a]).values
    for values in ab.values():
        assert 0.0 <= values[0] <= 1.0 and not np.isnan(values[0])
    for n in ("rouge-1", "rouge-2", "rouge-l"):
        assert ab[n][0] == pytest.approx(ba[n][0], abs=1e-12)  # F1 is symmetric
    same = suite.compute([a], [a]).values
    if a.strip():
        assert same["rouge-1"][0] == pytest.approx(1.0)
        assert same["rouge-l"][0] == pytest.approx(1.0)
        if len(tokenize(a, "auto")) >= 2:  # BLEU-2 needs a bigram
            assert same["bleu"][0] == pytest.approx(1.0)
    else:
        assert all(v[0] == 0.0 for v in same.values())


def test_bad_rouge_configuration_is_refused():
    for kwargs in ({"n": 5}, {"stat": "accuracy"}, {"impl": "pyrouge"}):
        with pytest.raises(ValueError):
            Rouge(**kwargs)


def test_rouge_signature():
    sig = str(Rouge("l").signature())
    assert sig.startswith("rouge-l|tok:auto|stat:f1|impl:rouge-score|annotator:")
