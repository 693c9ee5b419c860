"""Seeded (reference, hypothesis) pairs of every awkward kind, and the oracle helpers."""

from __future__ import annotations

import random

import pytest

_HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小"
    "模型微调评测数据集生成参考答案风格流畅相关合规𠀀𠀁丽"
)
_ZH_PUNCT = "，。！？、：；“”‘’（）《》—…·「」【】～"
_WORDS_TEXT = (
    "the a model answer is good bad fine-tuned LoRA Qwen Llama 3.5 1,000 2024-01-02 e.g. "
    "don't can't U.S. GPU's x86-64 <skipped> &amp; &quot;ok&quot; &lt;tag&gt; $5 100% #1"
)
_WORDS = _WORDS_TEXT.split(" ")
_PUNCT = list(".,-!?;:'\"()[]{}<>/\\@#$%^&*_+=|~`") + ["...", "..", "a..b", "1.5.", "-\n"]
_EMOJI = ["😀", "👍🏽", "👨‍👩‍👧", "🇨🇳", "❤️", "✓", "→", "“", "”", "…", "—", "\u200b"]
_SPACES = [" ", "  ", "\t", "\n", "\u3000", "\u00a0"]


def _piece(rng: random.Random, kind: str) -> str:
    if kind == "zh":
        return rng.choice(_HANZI) if rng.random() < 0.85 else rng.choice(_ZH_PUNCT)
    if kind == "en":
        return rng.choice(_WORDS) + (rng.choice(_SPACES) if rng.random() < 0.9 else "")
    if kind == "punct":
        return rng.choice(_PUNCT + _WORDS[:5] + [" "])
    if kind == "emoji":
        return rng.choice(_EMOJI + [" ", rng.choice(_HANZI), rng.choice(_WORDS)])
    # mixed
    return _piece(rng, rng.choice(["zh", "zh", "en", "punct", "emoji"]))


def _text(rng: random.Random, kind: str, length: int) -> str:
    return "".join(_piece(rng, kind) for _ in range(length))


def _edit(rng: random.Random, text: str, kind: str) -> str:
    """A hypothesis that shares much of the reference, as real outputs do."""
    parts = list(text)
    for _ in range(rng.randint(0, max(1, len(parts) // 3))):
        op = rng.random()
        pos = rng.randrange(len(parts) + 1)
        if op < 0.35 and parts:
            parts[min(pos, len(parts) - 1)] = _piece(rng, kind)
        elif op < 0.65 and parts:
            del parts[min(pos, len(parts) - 1)]
        else:
            parts.insert(pos, _piece(rng, kind))
    return "".join(parts)


def make_pairs(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` seeded (reference, hypothesis) pairs mixing every kind of text."""
    rng = random.Random(seed)
    pairs = []
    for i in range(n):
        kind = rng.choice(["zh", "zh", "en", "mixed", "punct", "emoji"])
        roll = rng.random()
        if roll < 0.04:
            length = rng.randint(150, 300)  # very long
        elif roll < 0.2:
            length = rng.randint(0, 3)  # very short, often empty
        else:
            length = rng.randint(4, 60)
        ref = _text(rng, kind, length)
        mode = rng.random()
        if mode < 0.6:
            hyp = _edit(rng, ref, kind)
        elif mode < 0.7:
            hyp = ref
        elif mode < 0.75:
            hyp = rng.choice(["", " ", "\n"])
        else:
            hyp = _text(rng, kind, rng.randint(0, 60))
        if i % 41 == 0:
            ref = rng.choice(["", "  ", "\t"])
        pairs.append((ref, hyp))
    return pairs


@pytest.fixture(scope="session")
def pairs() -> list[tuple[str, str]]:
    """1,200 seeded pairs: English, Chinese, mixed, punctuation, emoji, short, empty, long."""
    return make_pairs(1200)


@pytest.fixture(scope="session")
def sacre_tokens():
    """sacrebleu's own tokenization as its BLEU applies it: name -> text -> tokens."""
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    from sacrebleu.tokenizers.tokenizer_char import TokenizerChar
    from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

    tokenizers = {"zh": TokenizerZh(), "13a": Tokenizer13a(), "char": TokenizerChar()}

    def tokens(name: str, text: str) -> list[str]:
        return tokenizers[name](text.rstrip()).split()

    return tokens
