"""BLEU parity with sacrebleu and NLTK (the oracles), sentence and corpus level."""

from __future__ import annotations

import numpy as np
import pytest
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu
from sacrebleu.metrics import BLEU as SacreBLEU

from annotator.core.metrics import BLEU, MetricSuite, get_preset
from annotator.core.metrics.tokenizers import resolve

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # NLTK's zero-overlap warning

TOL = 1e-9


def _ours(metric: BLEU, pairs):
    refs, hyps = zip(*pairs, strict=True)
    return MetricSuite([metric]).compute(refs, hyps, workers=1)


@pytest.mark.parametrize(
    ("order", "smooth", "value", "eff"),
    [
        (4, "exp", None, True),
        (4, "exp", None, False),
        (4, "floor", None, True),
        (4, "floor", 0.3, False),
        (4, "add-k", None, True),
        (3, "add-k", 2, False),
        (4, "none", None, True),
        (2, "none", None, False),
        (1, "exp", None, False),
    ],
)
def test_sentence_bleu_matches_sacrebleu(pairs, order, smooth, value, eff):
    _check_sentence_bleu(pairs[:300], order, smooth, value, eff, "zh")


@pytest.mark.parametrize("tok", ["13a", "char"])
@pytest.mark.parametrize(("smooth", "eff"), [("exp", True), ("none", False)])
def test_sentence_bleu_other_tokenizers_match_sacrebleu(pairs, tok, smooth, eff):
    _check_sentence_bleu(pairs[:300], 4, smooth, None, eff, tok)


def _check_sentence_bleu(sample, order, smooth, value, eff, tok):
    got = _ours(
        BLEU(order, tokenize=tok, smooth=smooth, smooth_value=value, effective_order=eff), sample
    )
    oracle = SacreBLEU(
        tokenize=tok,
        smooth_method=smooth,
        smooth_value=value,
        max_ngram_order=order,
        effective_order=eff,
    )
    expected = [oracle.sentence_score(h, [r]).score / 100 for r, h in sample]
    np.testing.assert_allclose(got.values["bleu"], expected, rtol=0, atol=TOL)


@pytest.mark.parametrize("tok", ["zh", "13a"])
def test_corpus_bleu_matches_sacrebleu(pairs, tok):
    refs, hyps = zip(*pairs[:600], strict=True)
    for smooth, eff in [("exp", True), ("floor", False)]:
        ours = MetricSuite([BLEU(4, tokenize=tok, smooth=smooth, effective_order=eff)])
        got = ours.corpus(refs, hyps)["bleu"]
        oracle = SacreBLEU(tokenize=tok, smooth_method=smooth, effective_order=eff)
        assert got == pytest.approx(
            oracle.corpus_score(list(hyps), [list(refs)]).score / 100, abs=TOL
        )


def test_sacrebleu_preset_is_sacrebleus_sentence_bleu_with_auto_tokenizer(pairs):
    pairs = pairs[:600]
    refs, hyps = zip(*pairs, strict=True)
    got = get_preset("sacrebleu").compute(refs, hyps, workers=1).values["bleu"]
    oracles = {t: SacreBLEU(tokenize=t, effective_order=True) for t in ("zh", "13a")}
    expected = [oracles[resolve("auto", h, r)].sentence_score(h, [r]).score / 100 for r, h in pairs]
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


@pytest.mark.parametrize(
    ("weights", "method"),
    [
        ((0.5, 0.5), "method0"),
        ((0.25, 0.25, 0.25, 0.25), "method0"),
        ((0.25, 0.25, 0.25, 0.25), "method1"),
        ((0.25, 0.25, 0.25, 0.25), "method2"),
        ((0.25, 0.25, 0.25, 0.25), "method3"),
        ((0.1, 0.2, 0.3, 0.4), "method1"),
        ((0.6, 0.4), "method3"),
        ((1.0,), "method0"),
    ],
)
def test_sentence_and_corpus_bleu_match_nltk(pairs, sacre_tokens, weights, method):
    sample = pairs[:400]
    smoothing = getattr(SmoothingFunction(), method)
    toks = [(sacre_tokens("zh", r), sacre_tokens("zh", h)) for r, h in sample]
    got = _ours(BLEU(weights=weights, tokenize="zh", smooth=method), sample)
    expected = [sentence_bleu([r], h, weights, smoothing_function=smoothing) for r, h in toks]
    np.testing.assert_allclose(got.values["bleu"], expected, rtol=0, atol=TOL)
    corpus = corpus_bleu([[r] for r, _ in toks], [h for _, h in toks], weights, smoothing)
    assert got.corpus()["bleu"] == pytest.approx(corpus, abs=TOL)


def test_default_bleu_is_nltk_bleu2_without_smoothing(pairs, sacre_tokens):
    refs, hyps = zip(*pairs, strict=True)
    got = get_preset("default").compute(refs, hyps, workers=1).values["bleu"]
    expected = []
    for r, h in pairs:
        tok = resolve("auto", h, r)
        ref, hyp = sacre_tokens(tok, r), sacre_tokens(tok, h)
        expected.append(sentence_bleu([ref], hyp, weights=(0.5, 0.5)))
    # NLTK gives ~1e-154 instead of 0 when no bigram matches (sys.float_info.min)
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
    assert np.count_nonzero(got > 0.4) > 0  # the gate threshold is reachable


def test_known_value_from_nltk_documentation():
    # NLTK's docstring example: sentence_bleu([reference1], hypothesis1) = 0.4118...
    hyp = (
        "It is a guide to action which ensures that the military always obeys the commands"
        " of the party"
    )
    ref = "It is a guide to action that ensures that the military will forever heed Party commands"
    got = _ours(BLEU(4, tokenize="none", smooth="method0"), [(ref, hyp)]).values["bleu"][0]
    assert got == pytest.approx(0.4118, abs=1e-4)


def test_signature_names_every_choice():
    sig = str(BLEU(order=2, smooth="none", tokenize="auto").signature())
    assert sig.startswith("bleu|order:2|weights:uniform|tok:auto|smooth:none|eff:no|annotator:")
    assert "smooth:floor[0.10]" in str(BLEU(smooth="floor").signature())
    assert "weights:0.1,0.9" in str(BLEU(weights=(0.1, 0.9), smooth="method1").signature())


@pytest.mark.parametrize(
    "kwargs",
    [{"order": 5}, {"smooth": "lucky"}, {"smooth": "method1", "effective_order": True}],
)
def test_bad_configuration_is_refused(kwargs):
    with pytest.raises(ValueError):
        BLEU(**kwargs)
