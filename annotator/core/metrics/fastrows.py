"""Statistics rows of a chunk from array tokens (``fastpath``), the rest through ``kernel``.

The pairs whose tokens ``fastpath`` is sure of get chunk-wide dense codes (0, 1, 2...
over the chunk's distinct tokens) and go to ``kernel.array_rows`` in one piece; their
longest common subsequence comes from rapidfuzz on strings whose characters are those
codes. A chunk whose codes do not pack into 63 bits is halved until they do. The other
pairs (13a, ``.``/``,``/``-`` in Chinese text, jieba...) go through ``kernel.chunk_rows``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz.distance import LCSseq

from annotator.core.metrics import fastpath
from annotator.core.metrics.kernel import Encoder, array_rows, chunk_rows, python_row, row_width

_LAST_CODE_POINT = 0x10FFFF


def rows_for(
    tokenizer: str,
    encoder: Encoder,
    hyps: Sequence[str],
    refs: Sequence[str],
    order: int,
    lcs: bool,
    unique: bool,
) -> np.ndarray:
    """Statistics rows (one per pair) of a chunk; ``tokenizer`` is the statistics key's."""
    order = max(order, 1)
    hyps, refs = list(hyps), list(refs)
    n = len(hyps)
    if tokenizer not in fastpath.FAST_TOKENIZERS:
        return chunk_rows(encoder, hyps, refs, order, lcs, unique)
    words: dict[str, int] = {}
    th = fastpath.tokenize_chunk(hyps, tokenizer, words)
    tr = fastpath.tokenize_chunk(refs, tokenizer, words)
    fast = th.fast & tr.fast
    if tokenizer == "auto":
        fast &= th.cjk | tr.cjk  # a pair without CJK text is scored with 13a
    rows = np.zeros((n, row_width(order, unique)), dtype=np.int64)
    quick = np.flatnonzero(fast)
    if len(quick):
        h_ids, h_len = fastpath.select(th, quick)
        r_ids, r_len = fastpath.select(tr, quick)
        rows[quick] = _dense_rows(h_ids, h_len, r_ids, r_len, order, lcs, unique)
    slow = np.flatnonzero(~fast).tolist()
    if slow:
        sub_h, sub_r = [hyps[i] for i in slow], [refs[i] for i in slow]
        rows[slow] = chunk_rows(encoder, sub_h, sub_r, order, lcs, unique)
    return rows


def _dense(ids: np.ndarray) -> np.ndarray:
    """Codes 0, 1, 2... for the distinct values of ``ids`` (in the order of the values)."""
    if len(ids) == 0:
        return ids
    present = np.zeros(int(ids.max()) + 1, dtype=bool)
    present[ids] = True
    return (np.cumsum(present) - 1)[ids]


def _dense_rows(h_ids, h_len, r_ids, r_len, order, lcs, unique) -> np.ndarray:
    codes = _dense(np.concatenate((h_ids, r_ids)))
    h_tok, r_tok = codes[: len(h_ids)], codes[len(h_ids) :]
    n = len(h_len)
    top = int(codes.max(initial=0))
    fits = (n - 1).bit_length() + order * max(top.bit_length(), 1) <= 63
    if not fits or top > _LAST_CODE_POINT:
        return _halves(h_tok, h_len, r_tok, r_len, order, lcs, unique)
    common = _lcs(h_tok, h_len, r_tok, r_len) if lcs else None
    return array_rows(h_tok, h_len, r_tok, r_len, order, common, unique)


def _halves(h_tok, h_len, r_tok, r_len, order, lcs, unique) -> np.ndarray:
    n = len(h_len)
    if n == 1:  # one pair with too many distinct tokens to pack: the plain Python path
        h, r = _strings(h_tok, h_len), _strings(r_tok, r_len)
        return np.array([python_row(h[0], r[0], order, lcs, unique)], dtype=np.int64)
    mid = n // 2
    h_cut, r_cut = int(h_len[:mid].sum()), int(r_len[:mid].sum())
    first = _dense_rows(h_tok[:h_cut], h_len[:mid], r_tok[:r_cut], r_len[:mid], order, lcs, unique)
    second = _dense_rows(h_tok[h_cut:], h_len[mid:], r_tok[r_cut:], r_len[mid:], order, lcs, unique)
    return np.concatenate((first, second))


def _strings(codes: np.ndarray, lengths: np.ndarray) -> list[str]:
    """Each text's codes as one string (a character per code)."""
    joined = codes.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    ends = np.cumsum(lengths).tolist()
    begins = [0, *ends[:-1]]
    return [joined[b:e] for b, e in zip(begins, ends, strict=True)]


def _lcs(h_tok, h_len, r_tok, r_len) -> np.ndarray:
    hs, rs = _strings(h_tok, h_len), _strings(r_tok, r_len)
    return np.fromiter(map(LCSseq.similarity, hs, rs), np.int64, len(hs))
