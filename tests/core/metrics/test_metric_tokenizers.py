"""Our tokenizers give exactly sacrebleu's tokens (sacrebleu is the oracle)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.metrics import tokenizers as T

_TRICKY = [
    "",
    "   ",
    "Hello, world. It's 3.5 - 4 km!",
    "a..b 1,000.5, x-1 2-3 -4 end.",
    "&quot;quoted&quot; &amp; &lt;b&gt; <skipped> tail-\nnext\nline",
    "模型-\n微调。Qwen2.5-7B 的得分是 0.85，很好！",
    "“引号”与‘单引号’…… —— 《书名》",
    "emoji 😀👍🏽 mixed 中文 text → arrows ✓",
    "full-width ＡＢＣ１２３ and ideographic space\u3000here",
    "CJK ext B 𠀀𠀁 and compat 丽",
    "trailing spaces and dots . . .   ",
]


@pytest.mark.parametrize("name", ["zh", "13a", "char"])
def test_tricky_texts_match_sacrebleu(name, sacre_tokens):
    for text in _TRICKY:
        assert T.get_tokenizer(name)(text) == sacre_tokens(name, text), text


@pytest.mark.parametrize("name", ["zh", "13a", "char"])
def test_generated_texts_match_sacrebleu(name, pairs, sacre_tokens):
    ours = T.get_tokenizer(name)
    for ref, hyp in pairs:
        for text in (ref, hyp):
            assert ours(text) == sacre_tokens(name, text), repr(text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_text_matches_sacrebleu(text, sacre_tokens):
    assert T.tokenize_zh(text) == sacre_tokens("zh", text)
    assert T.tokenize_13a(text) == sacre_tokens("13a", text)


def test_zh_character_ranges_equal_sacrebleus_effective_ranges():
    # sacrebleu compares against bounds like '\u20000' (two characters), which makes
    # U+2001..U+2A6D "Chinese"; we reproduce what it does, code point by code point.
    from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

    theirs = TokenizerZh._is_chinese_char
    ours = {cp for lo, hi in T._ZH_CHAR_RANGES for cp in range(lo, hi + 1)}
    for cp in [*range(0x10000), *range(0x1F000, 0x1F700), *range(0x20000, 0x20100)]:
        assert (cp in ours) == theirs(chr(cp)), hex(cp)


def test_auto_picks_zh_when_either_side_is_chinese():
    assert T.resolve("auto", "hello", "你好") == "zh"
    assert T.resolve("auto", "你好", "hello") == "zh"
    assert T.resolve("auto", "hello", "world") == "13a"
    # curly quotes and arrows are "Chinese" to sacrebleu's zh but must not switch auto
    assert T.resolve("auto", "“quoted” → done", "ok") == "13a"
    assert T.resolve("char", "你好", "hello") == "char"


def test_char_ws_and_none():
    assert T.get_tokenizer("char-ws")("a b\t中") == ["a", " ", "b", "\t", "中"]
    assert T.get_tokenizer("none")(" a  b\nc ") == ["a", "b", "c"]


def test_jieba_words_without_whitespace():
    import jieba

    text = "我们评测微调后的模型。 Hello  world\n下一行"
    words = T.get_tokenizer("jieba")(text)
    assert words == [w for w in jieba.cut(text) if w.strip()]
    assert "模型" in words and all(w.strip() for w in words)


def test_unknown_tokenizer_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown tokenizer 'spm'"):
        T.get_tokenizer("spm")
