"""The fast part: per-pair match statistics shared by every BLEU and ROUGE variant.

Each text is tokenized once per tokenizer. Within a pair, each distinct token gets a
small code (0, 1, 2...), so a pair becomes two short strings whose characters are
token codes; rapidfuzz gives their longest common subsequence. N-gram matching is
then done for a whole chunk of pairs at once with numpy: an n-gram of a pair is the
integer ``pair index, code 1, ..., code n`` packed into 63 bits, and sorting the
hypothesis and reference n-grams gives clipped match counts (or, for rouge-chinese,
distinct counts) for every pair in a few vectorised passes. Pairs too big to pack
(more than 1,024 distinct tokens) go through a plain Python path.

Row layouts (all integers):

- counts mode (BLEU, rouge-score): ``[hyp_len, ref_len, match_1..match_N, lcs]`` where
  ``match_n`` is the clipped n-gram match count (sum over n-grams of the smaller count).
- unique mode (rouge-chinese, whose n-grams are sets):
  ``[hyp_len, ref_len, hyp_uniq_1..N, ref_uniq_1..N, overlap_1..N, lcs]``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from operator import add

import numpy as np
from rapidfuzz.distance import LCSseq

_MAX_PACKED_VOCAB = 1024  # distinct tokens of a pair that still pack into 63 bits
_CODE_CHARS = "".join(map(chr, range(0x10000)))  # codes of a pair's tokens, in order


def row_width(order: int, unique: bool) -> int:
    """Number of integers in one statistics row."""
    return 3 + (3 * order if unique else order)


class Encoder:
    """Tokenizes texts (cached) and encodes pairs as strings of per-pair token codes.

    Args:
        tokenizers: Tokenizer name -> function.
        pick: Chooses the tokenizer name for a (hypothesis, reference) pair.
    """

    def __init__(
        self, tokenizers: dict[str, Callable[[str], list[str]]], pick: Callable[[str, str], str]
    ) -> None:
        self._tokenizers = tokenizers
        self._pick = pick
        self._tokens: dict[tuple[str, str], list[str]] = {}

    def _tokenize(self, text: str, tok: str) -> list[str]:
        key = (text, tok)
        tokens = self._tokens.get(key)
        if tokens is None:
            tokens = self._tokens[key] = self._tokenizers[tok](text)
        return tokens

    def pair(self, hyp: str, ref: str) -> tuple[str, str, int]:
        """(hypothesis codes, reference codes, number of distinct tokens)."""
        tok = self._pick(hyp, ref)
        h = self._tokenize(hyp, tok)
        r = self._tokenize(ref, tok)
        vocab = dict.fromkeys(h + r)
        # zip stops at the shorter side: the first len(vocab) code characters
        pool = _CODE_CHARS if len(vocab) <= len(_CODE_CHARS) else map(chr, range(len(vocab)))
        codes = dict(zip(vocab, pool, strict=False))
        return "".join(map(codes.__getitem__, h)), "".join(map(codes.__getitem__, r)), len(codes)


def python_row(h: str, r: str, order: int, lcs: bool, unique: bool) -> list[int]:
    """Statistics row of one encoded pair, the straightforward way."""
    h_levels: list[Sequence[str]] = [h]
    r_levels: list[Sequence[str]] = [r]
    for n in range(2, order + 1):
        h_levels.append(list(map(add, h_levels[-1], h[n - 1 :])))
        r_levels.append(list(map(add, r_levels[-1], r[n - 1 :])))
    common = LCSseq.similarity(h, r) if lcs and h and r else 0
    if unique:
        hs = [set(level) for level in h_levels]
        rs = [set(level) for level in r_levels]
        overlap = [len(a & b) for a, b in zip(hs, rs, strict=True)]
        return [len(h), len(r), *map(len, hs), *map(len, rs), *overlap, common]
    matches = [
        sum((Counter(a) & Counter(b)).values()) for a, b in zip(h_levels, r_levels, strict=True)
    ]
    return [len(h), len(r), *matches, common]


def _codes(texts: list[str]) -> np.ndarray:
    joined = "".join(texts)
    return np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(
        np.int64
    )


def packed_rows(
    hyps: list[str], refs: list[str], order: int, lcs: bool, unique: bool
) -> np.ndarray:
    """Statistics rows of encoded pairs whose codes are all below ``_MAX_PACKED_VOCAB``."""
    n = len(hyps)
    if n == 0:
        return np.zeros((0, row_width(order, unique)), dtype=np.int64)
    common = np.fromiter(map(LCSseq.similarity, hyps, refs), np.int64, n) if lcs else None
    h_len = np.fromiter(map(len, hyps), np.int64, n)
    r_len = np.fromiter(map(len, refs), np.int64, n)
    return array_rows(_codes(hyps), h_len, _codes(refs), r_len, order, common, unique)


def packed_bits(h_tok: np.ndarray, r_tok: np.ndarray) -> int:
    """Bits of the largest token code of a chunk (at least 1)."""
    return max(int(max(h_tok.max(initial=0), r_tok.max(initial=0))).bit_length(), 1)


def array_rows(
    h_tok: np.ndarray,
    h_len: np.ndarray,
    r_tok: np.ndarray,
    r_len: np.ndarray,
    order: int,
    lcs: np.ndarray | None,
    unique: bool,
) -> np.ndarray:
    """Statistics rows from token codes: every text's codes one after the other.

    ``(pairs - 1).bit_length() + order * packed_bits(...)`` must stay within 63 bits;
    ``lcs`` holds the longest common subsequences when the rows need them.
    """
    n = len(h_len)
    rows = np.zeros((n, row_width(order, unique)), dtype=np.int64)
    if n == 0:
        return rows
    rows[:, 0], rows[:, 1] = h_len, r_len
    if lcs is not None:
        rows[:, -1] = lcs
    bits = packed_bits(h_tok, r_tok)
    pair_shift = order * bits
    sides = []
    for tok, lengths in ((h_tok, h_len), (r_tok, r_len)):
        pair_key = np.repeat(np.arange(n, dtype=np.int64), lengths) << pair_shift
        # tokens left in the text from each position: an n-gram fits when >= n
        left = np.repeat(lengths, lengths) - (
            np.arange(len(tok)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        )
        sides.append([tok, tok, pair_key, left])
    for k in range(1, order + 1):
        per_side = []
        for side in sides:
            unigram, gram, pair_key, left = side
            if k > 1:
                gram = side[1] = (gram[:-1] << bits) | unigram[k - 1 :]
            keep = left[: len(gram)] >= k
            keys = pair_key[: len(gram)][keep] | gram[keep]
            per_side.append(np.unique(keys, return_counts=not unique))
        if unique:
            (hu, ru) = per_side
            common = np.intersect1d(hu, ru, assume_unique=True)
            rows[:, 1 + k] = np.bincount(hu >> pair_shift, minlength=n)
            rows[:, 1 + order + k] = np.bincount(ru >> pair_shift, minlength=n)
            rows[:, 1 + 2 * order + k] = np.bincount(common >> pair_shift, minlength=n)
        else:
            (hu, hc), (ru, rc) = per_side
            common, hi, ri = np.intersect1d(hu, ru, assume_unique=True, return_indices=True)
            clipped = np.minimum(hc[hi], rc[ri])
            rows[:, 1 + k] = np.bincount(common >> pair_shift, weights=clipped, minlength=n)
    return rows


def chunk_rows(
    encoder: Encoder,
    hyps: Sequence[str],
    refs: Sequence[str],
    order: int,
    lcs: bool,
    unique: bool,
) -> np.ndarray:
    """Statistics rows (one per pair) for a chunk of (hypothesis, reference) texts."""
    order = max(order, 1)
    encoded = [encoder.pair(h, r) for h, r in zip(hyps, refs, strict=True)]
    big = [i for i, (_, _, v) in enumerate(encoded) if v > _MAX_PACKED_VOCAB]
    if not big:
        return packed_rows([e[0] for e in encoded], [e[1] for e in encoded], order, lcs, unique)
    small = [i for i, (_, _, v) in enumerate(encoded) if v <= _MAX_PACKED_VOCAB]
    rows = np.zeros((len(encoded), row_width(order, unique)), dtype=np.int64)
    packed = packed_rows(
        [encoded[i][0] for i in small], [encoded[i][1] for i in small], order, lcs, unique
    )
    rows[small] = packed
    for i in big:
        rows[i] = python_row(encoded[i][0], encoded[i][1], order, lcs, unique)
    return rows
