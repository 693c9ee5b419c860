"""Tokens of a whole chunk of texts at once, as integer arrays (no Python object per token).

The texts of a chunk are joined and read as one array of code points; a lookup table
classifies every code point, and token boundaries, token ids and the ``auto`` choice
follow from a few numpy passes. A token's id is its code point when it is one
character; a longer token (a run of letters or digits inside Chinese text) gets an id
above the last code point from a dictionary of the few such runs.

Only the texts whose tokens are certain this way are done here; the others go to the
tokenizer functions of ``tokenizers.py``:

- ``zh`` (and ``auto`` when the pair holds CJK text): texts without ``.``, ``,`` or
  ``-``, whose 13a rules depend on the neighbouring characters. Each Chinese character
  (sacrebleu's effective ranges) and each 13a symbol is a token, whitespace separates,
  any other run of characters is one token.
- ``char``: every non-whitespace character; ``char-ws``: every character.
- ``auto`` pairs without CJK text (``13a``) and every other tokenizer: never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from annotator.core.metrics import tokenizers

FAST_TOKENIZERS = ("auto", "zh", "char", "char-ws")
_SPACE, _SINGLE, _WORD, _OTHER = 0, 1, 2, 3  # classes (low 2 bits of the table)
_CJK_BIT = 4  # what makes `auto` choose zh
_FIRST_WORD_ID = 0x110000  # ids of multi-character tokens start above every code point
# what str.split() and str.isspace() treat as whitespace (the tests check every code point)
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_CJK_RANGES = (
    (0x3000, 0x303F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3134F),
)


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """Class (and CJK bit) of every code point, for the zh tokenizer."""
    table = np.full(0x110000, _WORD, dtype=np.uint8)
    for lo, hi in tokenizers._ZH_CHAR_RANGES:
        table[lo : hi + 1] = _SINGLE
    table[[ord(c) for c in tokenizers._SYMBOLS]] = _SINGLE
    table[[ord(c) for c in ".,-"]] = _OTHER
    table[[ord(c) for c in WHITESPACE]] = _SPACE
    for lo, hi in _CJK_RANGES:
        table[lo : hi + 1] |= _CJK_BIT
    return table


@dataclass
class ChunkTokens:
    """Tokens of a chunk's texts: ``ids`` of all texts one after the other.

    Attributes:
        ids: (tokens,) int64 token ids.
        lengths: (texts,) tokens per text.
        fast: (texts,) whether the text's tokens are certain (else: tokenize in Python).
        cjk: (texts,) whether the text holds CJK text (what ``auto`` looks at).
    """

    ids: np.ndarray
    lengths: np.ndarray
    fast: np.ndarray
    cjk: np.ndarray


def code_points(texts: list[str]) -> tuple[np.ndarray, np.ndarray, str]:
    """(code points of all texts joined, code points per text, the joined text)."""
    joined = "".join(texts)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    return points.astype(np.int64), lengths, joined


def _per_text(flags: np.ndarray, text_of: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(text_of[flags], minlength=n) > 0


def tokenize_chunk(texts: list[str], tokenizer: str, words: dict[str, int]) -> ChunkTokens:
    """Tokens of ``texts`` for ``tokenizer`` (one of ``FAST_TOKENIZERS``; ``auto`` gives the
    zh tokens, whose use the caller decides per pair from ``cjk``).

    ``words`` maps each multi-character token to its id; pass the same dictionary for
    texts whose tokens are compared (a chunk's hypotheses and references).
    """
    points, lengths, joined = code_points(texts)
    n = len(texts)
    text_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    table = _table()[points] if len(points) else np.zeros(0, np.uint8)
    cjk = _per_text((table & _CJK_BIT) > 0, text_of, n)
    classes = table & 3
    if tokenizer in ("char", "char-ws"):
        keep = classes != _SPACE if tokenizer == "char" else np.ones(len(points), bool)
        counts = np.bincount(text_of[keep], minlength=n).astype(np.int64)
        return ChunkTokens(points[keep], counts, np.ones(n, bool), cjk)
    fast = ~_per_text(classes == _OTHER, text_of, n)
    word = classes == _WORD
    first = np.zeros(len(points), bool)
    first[starts[lengths > 0]] = True
    # a token starts at a non-space character that is a single, or a word character
    # whose left neighbour (in the same text) is not a word character
    prev_word = np.concatenate(([False], word[:-1])) & ~first
    begins = (classes == _SINGLE) | (word & ~prev_word)
    token_at = np.flatnonzero(begins)
    ids = points[token_at]
    # the length of each word run: the next position that is not a word character
    run_end = _run_ends(word, first)
    long_run = word[token_at] & (run_end[token_at] - token_at > 1)
    if long_run.any():
        where = np.flatnonzero(long_run)
        ids[where] = _word_ids(joined, token_at[where], run_end[token_at[where]], words)
    counts = np.bincount(text_of[token_at], minlength=n).astype(np.int64)
    return ChunkTokens(ids, counts, fast, cjk)


def _run_ends(word: np.ndarray, first: np.ndarray) -> np.ndarray:
    """For each position, the end (exclusive) of the word run it belongs to."""
    size = len(word)
    # a run ends before a position that is not a word character or starts a text
    stop = ~word | first
    stop_at = np.flatnonzero(np.concatenate((stop, [True])))
    nxt = np.searchsorted(stop_at, np.arange(size), side="right")
    ends = stop_at[np.minimum(nxt, len(stop_at) - 1)]
    return np.where(word, ends, np.arange(size) + 1)


def _word_ids(joined: str, begin: np.ndarray, end: np.ndarray, vocab: dict[str, int]) -> np.ndarray:
    """Ids of multi-character tokens: one per distinct string, above every code point."""
    strings = [joined[b:e] for b, e in zip(begin.tolist(), end.tolist(), strict=True)]
    ids = [vocab.setdefault(s, _FIRST_WORD_ID + len(vocab)) for s in strings]
    return np.asarray(ids, dtype=np.int64)


def select(tokens: ChunkTokens, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(token ids, lengths) of the texts at positions ``texts``, in that order."""
    ends = np.cumsum(tokens.lengths)
    lengths = tokens.lengths[texts]
    begin = np.repeat(ends[texts] - lengths, lengths)
    offset = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return tokens.ids[begin + offset], lengths
