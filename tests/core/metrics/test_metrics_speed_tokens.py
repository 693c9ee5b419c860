"""The array tokenizer (fastpath) and its rows against sacrebleu, rouge-score and the Python path.

Hostile text: emoji and joiners, lone surrogates, very long single tokens, empty and
blank texts, mixed scripts, more distinct tokens than pack into 63 bits.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from rouge_score.rouge_scorer import RougeScorer
from sacrebleu.metrics import BLEU as SacreBLEU

from annotator.core.metrics import BLEU, MetricSuite, Rouge, fastpath, suite
from annotator.core.metrics import tokenizers as T
from annotator.core.metrics.fastrows import rows_for
from annotator.core.metrics.kernel import Encoder, chunk_rows

TOL = 1e-9
_HOSTILE = [
    "",
    " ",
    "\u3000\t\n",
    "模型" * 3,
    "a" * 5000,  # one very long token
    "模" + "x" * 3000 + "型",
    "😀👍🏽👨\u200d👩\u200d👧🇨🇳❤️",
    "\ud800\udfff模型\udc00",  # lone surrogates
    "GPU 和 LoRA 微调 abc123 模型",
    "价格 $5 100% #1 (好) [坏] {中}",
    "数据集 3.5 版本, 2024-01-02 发布.",  # . , - : the Python path
    "𠀀𠀁丽 CJK 扩展 B",
    "\u2001全\u2028角\u3000空格\u200b零宽",
    "english only text without chinese",
    "mixed English 与中文 text 混合",
]


def _hostile_pairs(seed: int, n: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        ref = "".join(rng.choice(_HOSTILE) for _ in range(rng.randint(0, 3)))
        hyp = rng.choice([ref, ref[::-1], "".join(rng.sample(ref, len(ref))), rng.choice(_HOSTILE)])
        pairs.append((ref, hyp))
    return pairs


def test_whitespace_is_what_str_split_drops():
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(fastpath.WHITESPACE) == spaces


@pytest.mark.parametrize(
    ("name", "func"),
    [("zh", T.tokenize_zh), ("char", T.tokenize_char), ("char-ws", T.tokenize_char_ws)],
)
def test_array_tokens_are_the_tokenizers_tokens(name, func):
    texts = [*_HOSTILE, *(t for pair in _hostile_pairs(1, 300) for t in pair)]
    tokens = fastpath.tokenize_chunk(texts, name, {})
    ends = np.cumsum(tokens.lengths)
    by_id: dict[int, str] = {}
    by_token: dict[str, int] = {}
    checked = 0
    for i, text in enumerate(texts):
        if not tokens.fast[i]:
            assert any(c in text for c in ".,-")  # only the 13a period and dash rules
            continue
        ids = tokens.ids[ends[i] - tokens.lengths[i] : ends[i]].tolist()
        expected = func(text)
        assert len(ids) == len(expected), text
        for token_id, token in zip(ids, expected, strict=True):
            assert by_id.setdefault(token_id, token) == token  # one string per id
            assert by_token.setdefault(token, token_id) == token_id  # one id per string
        checked += 1
    assert checked > 250
    assert tokens.cjk.tolist()[: len(_HOSTILE)] == [T.has_cjk(t) for t in _HOSTILE]


@pytest.mark.parametrize("tok", ["auto", "zh", "char", "char-ws"])
@pytest.mark.parametrize("unique", [False, True])
def test_array_rows_equal_the_python_rows(tok, unique):
    pairs = _hostile_pairs(2, 400)
    refs, hyps = [r for r, _ in pairs], [h for _, h in pairs]
    names = ("zh", "13a") if tok == "auto" else (tok,)
    pick = T.resolve_auto if tok == "auto" else suite._Fixed(tok)

    def encoder():
        return Encoder({n: T.get_tokenizer(n) for n in names}, pick)

    expected = chunk_rows(encoder(), hyps, refs, 4, True, unique)
    got = rows_for(tok, encoder(), hyps, refs, 4, True, unique)
    np.testing.assert_array_equal(got, expected)


def _sacre_zh(text: str) -> list[str]:
    from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

    return TokenizerZh()(text.rstrip()).split()


class _ZhTokens:
    def tokenize(self, text):
        return _sacre_zh(text)


def test_many_distinct_tokens_match_sacrebleu_and_rouge_score():
    # 300 pairs over 20,000 Han characters: more distinct tokens than 63 bits hold at
    # order 4 for the whole chunk, so it is halved until they fit
    rng = random.Random(3)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 20000)]
    refs = ["".join(rng.choices(han, k=rng.randint(1, 80))) for _ in range(300)]
    hyps = [r[: len(r) // 2] + "".join(rng.choices(han, k=10)) for r in refs]
    metrics = [
        BLEU(4, smooth="exp", effective_order=True, tokenize="zh"),
        Rouge("l", tokenize="zh"),
    ]
    got = MetricSuite(metrics).compute(refs, hyps, workers=1).values
    oracle = SacreBLEU(tokenize="zh", effective_order=True)
    scorer = RougeScorer(["rougeL"], tokenizer=_ZhTokens())
    bleu = [oracle.sentence_score(h, [r]).score / 100 for r, h in zip(refs, hyps, strict=True)]
    rouge = [scorer.score(r, h)["rougeL"].fmeasure for r, h in zip(refs, hyps, strict=True)]
    np.testing.assert_allclose(got["bleu"], bleu, rtol=0, atol=TOL)
    np.testing.assert_allclose(got["rouge-l"], rouge, rtol=0, atol=TOL)


def test_hostile_pairs_match_sacrebleu_and_rouge_score():
    pairs = [(r, h) for r, h in _hostile_pairs(4, 250) if "\ud800" not in r + h]
    refs, hyps = [r for r, _ in pairs], [h for _, h in pairs]
    bleu = BLEU(4, smooth="exp", effective_order=True, tokenize="zh")
    metrics = [bleu, *(Rouge(n, tokenize="zh") for n in (1, 2, "l"))]
    got = MetricSuite(metrics).compute(refs, hyps, workers=1).values
    oracle = SacreBLEU(tokenize="zh", effective_order=True)
    scorer = RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=_ZhTokens())
    for i, (ref, hyp) in enumerate(pairs):
        assert got["bleu"][i] == pytest.approx(
            oracle.sentence_score(hyp, [ref]).score / 100, abs=TOL
        )
        scores = scorer.score(ref, hyp)
        for n, key in (("1", "rouge1"), ("2", "rouge2"), ("l", "rougeL")):
            assert got[f"rouge-{n}"][i] == pytest.approx(scores[key].fmeasure, abs=TOL)
