"""ROUGE-1, ROUGE-2, ROUGE-L from match statistics.

Two definitions, each exactly as its library computes it:

- ``rouge-score`` (Google's package: ``_score_ngrams``, ``_score_lcs``, ``fmeasure``):
  clipped n-gram counts, precision over ``max(hyp n-grams, 1)``, F1 = 2PR/(P+R) or 0.
- ``rouge-chinese`` (what LLaMA-Factory uses): distinct n-grams (sets), words are the
  jieba words of the whole text after its sentence cutting, F = 2PR/(P+R+1e-8).

The corpus value of a ROUGE metric is the mean of its sentence values, as
rouge-score's aggregator and LLaMA-Factory report it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from annotator.core.metrics.base import Metric, Signature, StatsKey, mean_or_zero

STATS = ("precision", "recall", "f1")
_STAT_INDEX = {s: i for i, s in enumerate(STATS)}


def fmeasure(precision: float, recall: float) -> float:
    """rouge-score's F1: 0 when both are 0."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def rouge_chinese_f(precision: float, recall: float) -> float:
    """rouge-chinese's F: smoothed denominator."""
    return 2.0 * ((precision * recall) / (precision + recall + 1e-8))


class Rouge(Metric):
    """ROUGE-N (``n`` = 1..4) or ROUGE-L (``n`` = ``"l"``).

    Args:
        n: 1, 2, 3, 4 or ``"l"``.
        tokenize: Tokenizer name; ``impl="rouge-chinese"`` ignores it (jieba words).
        stat: ``precision``, ``recall`` or ``f1``.
        impl: ``rouge-score`` (default) or ``rouge-chinese``.
        name: Key of the values (default ``rouge-1``, ``rouge-2``, ``rouge-l`` plus
            ``-p``/``-r`` for precision and recall).
    """

    def __init__(
        self,
        n: int | str = 1,
        tokenize: str = "auto",
        stat: str = "f1",
        impl: str = "rouge-score",
        name: str | None = None,
    ) -> None:
        n = str(n).lower()
        if n not in ("1", "2", "3", "4", "l"):
            raise ValueError(f"ROUGE variant must be 1, 2, 3, 4 or l, not {n!r}")
        if stat not in _STAT_INDEX:
            raise ValueError(f"ROUGE statistic must be one of {', '.join(STATS)}, not {stat!r}")
        if impl not in ("rouge-score", "rouge-chinese"):
            raise ValueError(f"unknown ROUGE implementation {impl!r}")
        self.n = n
        self.stat = stat
        self.impl = impl
        self.tokenize = "lf-words" if impl == "rouge-chinese" else tokenize
        self.key = StatsKey(self.tokenize, unique=impl == "rouge-chinese")
        suffix = {"f1": "", "precision": "-p", "recall": "-r"}[stat]
        self.name = name or f"rouge-{n}{suffix}"

    def needs(self) -> tuple[int, bool]:
        if self.n == "l":
            return 1, True
        return int(self.n), False

    def prf(self, row: Sequence[int], order: int) -> tuple[float, float, float]:
        """(precision, recall, F) of one statistics row."""
        hyp_len, ref_len = row[0], row[1]
        chinese = self.impl == "rouge-chinese"
        if chinese and (hyp_len == 0 or ref_len == 0):
            return 0.0, 0.0, 0.0  # LLaMA-Factory's rule for a text with no words
        if self.n == "l":
            lcs = row[-1]
            if chinese:
                p, r = lcs / hyp_len, lcs / ref_len
                return p, r, rouge_chinese_f(p, r)
            if hyp_len == 0 or ref_len == 0:
                return 0.0, 0.0, 0.0
            p, r = lcs / hyp_len, lcs / ref_len
            return p, r, fmeasure(p, r)
        n = int(self.n)
        if chinese:
            hyp_count, ref_count = row[1 + n], row[1 + order + n]
            overlap = row[1 + 2 * order + n]
            p = overlap / hyp_count if hyp_count else 0.0
            r = overlap / ref_count if ref_count else 0.0
            return p, r, rouge_chinese_f(p, r)
        overlap = row[1 + n]
        p = overlap / max(hyp_len - n + 1, 1)
        r = overlap / max(ref_len - n + 1, 1)
        return p, r, fmeasure(p, r)

    def sentence(self, row: Sequence[int], order: int) -> float:
        return self.prf(row, order)[_STAT_INDEX[self.stat]]

    def sentences(self, rows: np.ndarray, order: int) -> np.ndarray:
        # The same IEEE operations in the same order as prf(): bit-identical results.
        if len(rows) == 0:
            return np.zeros(0, np.float64)
        hyp_len = rows[:, 0].astype(np.float64)
        ref_len = rows[:, 1].astype(np.float64)
        chinese = self.impl == "rouge-chinese"
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.n == "l":
                lcs = rows[:, -1].astype(np.float64)
                p, r = lcs / hyp_len, lcs / ref_len
            elif chinese:
                n = int(self.n)
                hyp_count = rows[:, 1 + n].astype(np.float64)
                ref_count = rows[:, 1 + order + n].astype(np.float64)
                overlap = rows[:, 1 + 2 * order + n].astype(np.float64)
                p = np.where(hyp_count > 0, overlap / hyp_count, 0.0)
                r = np.where(ref_count > 0, overlap / ref_count, 0.0)
            else:
                n = int(self.n)
                overlap = rows[:, 1 + n].astype(np.float64)
                p = overlap / np.maximum(hyp_len - n + 1, 1.0)
                r = overlap / np.maximum(ref_len - n + 1, 1.0)
            if chinese:
                f = 2.0 * ((p * r) / (p + r + 1e-8))
            else:
                f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
        values = {"precision": p, "recall": r, "f1": f}[self.stat]
        empty = (rows[:, 0] == 0) | (rows[:, 1] == 0)
        return np.where(empty, 0.0, values)

    def corpus(self, rows: np.ndarray, order: int) -> float:
        return mean_or_zero(self.sentences(rows, order))

    def signature(self) -> Signature:
        return Signature(
            f"rouge-{self.n}",
            (("tok", self.tokenize), ("stat", self.stat), ("impl", self.impl)),
        )
