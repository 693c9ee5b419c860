"""Tokenizers for the automatic metrics.

Every tokenizer turns one text into a list of token strings. ``zh``, ``13a`` and
``char`` give exactly the tokens of sacrebleu's tokenizers of the same name as
sacrebleu's BLEU applies them (``tokenizer(text.rstrip()).split()``); the tests use
sacrebleu as the oracle.

- ``zh``: each Chinese character is a token, runs of other characters as ``13a``.
- ``13a``: the mteval-v13a tokenizer (sacrebleu's default).
- ``char``: every non-whitespace character is a token.
- ``char-ws``: every character including spaces (``list(text)``, as LLaMA-Factory
  feeds NLTK's BLEU).
- ``jieba``: jieba word segmentation, whitespace tokens dropped.
- ``none``: whitespace split.
- ``auto``: not a tokenizer itself; :func:`resolve` picks ``zh`` for a pair when either
  side contains CJK text and ``13a`` otherwise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

TOKENIZERS = ("auto", "zh", "13a", "char", "char-ws", "jieba", "none")

# sacrebleu's zh tokenizer compares one character against range bounds written as
# '\u20000' (which Python reads as '\u2000' followed by '0'), so its real ranges differ
# from the ones its comments claim: U+2001-U+2A6D (punctuation, arrows, symbols,
# dingbats...) counts as Chinese and CJK Extension B does not. We copy the effective
# ranges, checked code point by code point against sacrebleu in the tests.
_ZH_CHAR_RANGES = (
    (0x2001, 0x2A6D),
    (0x2E80, 0x2FDF),
    (0x2FF0, 0x303F),
    (0x3100, 0x312F),
    (0x31A0, 0x31EF),
    (0x3200, 0x4DB5),
    (0x4E00, 0x9FBB),
    (0xF900, 0xFA2D),
    (0xFA30, 0xFA6A),
    (0xFA70, 0xFAD9),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)
# What makes `auto` choose `zh`: Han ideographs (all planes), CJK punctuation and
# full-width forms. Deliberately narrower than _ZH_CHAR_RANGES: an English text with curly
# quotes or an arrow must stay on 13a.
_CJK_TEXT = re.compile(
    "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)

# The mteval-v13a rules. The first one puts spaces around ASCII symbols; it is a pure
# per-character substitution, done with str.translate (re.sub with a template runs
# Python code for every match). Spaces are left alone: more spaces between the same
# characters change neither the later rules nor the final split.
_SYMBOLS = '{|}~[\\]^_`!"#$%&()*+:;<=>?@/'
_SPACE_SYMBOLS = {ord(c): f" {c} " for c in _SYMBOLS}
_SPACE_ZH = {cp: f" {chr(cp)} " for lo, hi in _ZH_CHAR_RANGES for cp in range(lo, hi + 1)}
_SPACE_ZH.update(_SPACE_SYMBOLS)
# The other rules, in this order (each sees the output of the previous one, and a
# match consumes the character before or after the period, so they cannot become
# lookarounds without changing results on runs like "a..").
_PERIOD_AFTER = re.compile(r"([^0-9])([\.,])")  # period/comma not after a digit
_PERIOD_BEFORE = re.compile(r"([\.,])([^0-9])")  # period/comma not before a digit
_DASH = re.compile(r"([0-9])(-)")  # dash after a digit


def _punctuation_split(line: str) -> list[str]:
    # `line` already has its symbols (and for zh its Chinese characters) spaced out.
    if "." in line or "," in line:
        line = _PERIOD_AFTER.sub(r"\1 \2 ", line)
        line = _PERIOD_BEFORE.sub(r" \1 \2", line)
    if "-" in line:
        line = _DASH.sub(r"\1 \2 ", line)
    return line.split()


def tokenize_13a(text: str) -> list[str]:
    """Tokens of sacrebleu's ``13a`` tokenizer (mteval-v13a) after BLEU's ``rstrip``."""
    line = text.rstrip().replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = (
            line.replace("&quot;", '"')
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
        )
    # the surrounding spaces matter: they let the period rules fire at the ends
    return _punctuation_split(f" {line} ".translate(_SPACE_SYMBOLS))


def tokenize_zh(text: str) -> list[str]:
    """Tokens of sacrebleu's ``zh`` tokenizer: Chinese characters alone, the rest as 13a."""
    return _punctuation_split(text.strip().translate(_SPACE_ZH))


def tokenize_char(text: str) -> list[str]:
    """Every non-whitespace character (sacrebleu's ``char``)."""
    return list("".join(text.split()))


def tokenize_char_ws(text: str) -> list[str]:
    """Every character, spaces included (``list(text)``)."""
    return list(text)


def tokenize_none(text: str) -> list[str]:
    """Whitespace split."""
    return text.split()


_jieba_cut: Callable[[str], object] | None = None


def jieba_cut(text: str) -> list[str]:
    """``list(jieba.cut(text))``, importing and initialising jieba on first use, quietly."""
    global _jieba_cut
    if _jieba_cut is None:
        # jieba takes about a second to import and prints to stderr while it loads its
        # dictionary; only pay for it when a jieba tokenizer is actually used.
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba_cut = jieba.cut
    return list(_jieba_cut(text))  # type: ignore[call-overload]


def tokenize_jieba(text: str) -> list[str]:
    """jieba words, without the whitespace tokens jieba keeps."""
    return [w for w in jieba_cut(text) if not w.isspace()]


# rouge-chinese's sentence cutting (Rouge.cut_sent), applied to the jieba-joined text
_SENTENCE_ENDS = (
    (re.compile(r"([。！？\?])([^”’])"), r"\1\n\2"),
    (re.compile(r"(\.{6})([^”’])"), r"\1\n\2"),
    (re.compile(r"(\…{2})([^”’])"), r"\1\n\2"),
    (re.compile(r"([。！？\?][”’])([^，。！？\?])"), r"\1\n\2"),
)


def tokenize_lf_words(text: str) -> list[str]:
    """The words rouge-chinese scores for LLaMA-Factory's ``" ".join(jieba.cut(text))``.

    The text is cut into sentences (rouge-chinese's rules), each sentence's whitespace
    is normalised, and the words of all sentences are concatenated. A sentence that is
    only whitespace contributes one empty word, as it does in rouge-chinese.
    """
    para = " ".join(jieba_cut(text))
    for pattern, repl in _SENTENCE_ENDS:
        para = pattern.sub(repl, para)
    sentences = [" ".join(s.split()) for s in para.rstrip().split("\n") if s]
    return [w for s in sentences for w in s.split(" ")]


_BY_NAME: dict[str, Callable[[str], list[str]]] = {
    "zh": tokenize_zh,
    "13a": tokenize_13a,
    "char": tokenize_char,
    "char-ws": tokenize_char_ws,
    "jieba": tokenize_jieba,
    "none": tokenize_none,
    "lf-words": tokenize_lf_words,
}


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains Chinese (Han, CJK punctuation or full-width) characters."""
    return _CJK_TEXT.search(text) is not None


def resolve(name: str, hypothesis: str, reference: str) -> str:
    """The concrete tokenizer for one pair: ``auto`` becomes ``zh`` or ``13a``."""
    return resolve_auto(hypothesis, reference) if name == "auto" else name


def resolve_auto(hypothesis: str, reference: str) -> str:
    """``zh`` when either side of the pair contains CJK text, else ``13a``."""
    return "zh" if has_cjk(hypothesis) or has_cjk(reference) else "13a"


def get_tokenizer(name: str) -> Callable[[str], list[str]]:
    """The tokenizer function called ``name`` (not ``auto``, which depends on the pair).

    Raises:
        ValueError: for an unknown name.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(n for n in TOKENIZERS if n != "auto")
        raise ValueError(f"unknown tokenizer {name!r}; expected one of {known}") from None


def tokenize(text: str, name: str) -> list[str]:
    """Tokens of ``text`` with tokenizer ``name`` (``auto`` decides on this text alone)."""
    return get_tokenizer(resolve(name, text, text))(text)
