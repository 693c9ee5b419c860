"""BLEU from match statistics: sacrebleu's formula and NLTK's, sentence and corpus level.

Two families of smoothing, each computed exactly the way its library does it:

- sacrebleu (``none``, ``exp``, ``floor``, ``add-k``; optional effective order):
  ``BLEU.compute_bleu`` — precisions over the raw n-gram totals.
- NLTK (``method0`` .. ``method3``; optional weights): ``corpus_bleu`` — every sentence
  counts at least 1 in each precision denominator, and ``method0`` keeps NLTK's
  ``sys.float_info.min`` for a zero precision (a value near 1e-154 rather than 0).

Values are on a 0-1 scale (sacrebleu's 0-100 divided by 100).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

import numpy as np

from annotator.core.metrics.base import Metric, Signature, StatsKey
from annotator.core.metrics.bleu_vec import nltk_sentences, sacrebleu_sentences

SACREBLEU_SMOOTHING = {"none": None, "exp": None, "floor": 0.1, "add-k": 1.0}
NLTK_SMOOTHING = ("method0", "method1", "method2", "method3")
_NLTK_EPSILON = 0.1  # SmoothingFunction().epsilon


def _my_log(x: float) -> float:
    # sacrebleu.utils.my_log: a floored log so that a zero precision gives BLEU 0
    return -9999999999.0 if x == 0.0 else math.log(x)


def sacrebleu_score(
    correct: Sequence[float],
    total: Sequence[float],
    sys_len: int,
    ref_len: int,
    smooth: str = "none",
    smooth_value: float | None = None,
    effective_order: bool = False,
    weights: Sequence[float] | None = None,
) -> float:
    """BLEU (0-1) as sacrebleu's ``compute_bleu`` from summed statistics.

    Args:
        correct: Clipped n-gram matches per order.
        total: Hypothesis n-grams per order.
        sys_len: Hypothesis length in tokens.
        ref_len: Reference length in tokens.
        smooth: ``none``, ``exp``, ``floor`` or ``add-k``.
        smooth_value: Value for ``floor`` / ``add-k`` (None: sacrebleu's default).
        effective_order: Ignore orders with no hypothesis n-grams.
        weights: Per-order weights; None is sacrebleu's uniform geometric mean.
    """
    order = len(correct)
    if smooth_value is None:
        smooth_value = SACREBLEU_SMOOTHING[smooth]
    bp = 1.0
    if sys_len < ref_len:
        bp = math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0
    if not any(correct):
        return 0.0
    correct = list(correct)
    total = list(total)
    precisions = [0.0] * order
    smooth_mteval = 1.0
    eff_order = order
    for n in range(1, order + 1):
        if smooth == "add-k" and n > 1:
            correct[n - 1] += smooth_value
            total[n - 1] += smooth_value
        if total[n - 1] == 0:
            break
        if effective_order:
            eff_order = n
        if correct[n - 1] == 0:
            if smooth == "exp":
                smooth_mteval *= 2
                precisions[n - 1] = 100.0 / (smooth_mteval * total[n - 1])
            elif smooth == "floor":
                precisions[n - 1] = 100.0 * smooth_value / total[n - 1]
        else:
            precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1]
    if weights is None:
        score = bp * math.exp(sum([_my_log(p) for p in precisions[:eff_order]]) / eff_order)
        return score / 100.0
    logs = [w * _my_log(p / 100.0) for w, p in zip(weights, precisions, strict=True)]
    return bp * math.exp(math.fsum(logs))


def nltk_score(
    numerators: Sequence[int],
    denominators: Sequence[int],
    hyp_len: int,
    ref_len: int,
    smooth: str,
    weights: Sequence[float],
) -> float:
    """BLEU as NLTK's ``corpus_bleu`` (single reference) from summed statistics.

    ``denominators`` must already hold NLTK's ``max(1, ngrams)`` per sentence, summed.
    """
    if numerators[0] == 0:
        return 0.0
    if hyp_len > ref_len:
        bp = 1.0
    elif hyp_len == 0:
        bp = 0.0
    else:
        bp = math.exp(1 - ref_len / hyp_len)
    p_n: list[float] = []
    k = 1
    for i, (num, den) in enumerate(zip(numerators, denominators, strict=True)):
        if smooth == "method2" and i > 0:
            p_n.append((num + 1) / (den + 1))
        elif num != 0:
            p_n.append(num / den)
        elif smooth == "method0":
            p_n.append(sys.float_info.min)
        elif smooth == "method1":
            p_n.append((num + _NLTK_EPSILON) / den)
        elif smooth == "method3":
            p_n.append(1 / (2**k * den))
            k += 1
        else:  # method2, order 1 with no match cannot happen (numerators[0] > 0)
            p_n.append(0.0)
    s = math.fsum(w * math.log(p) for w, p in zip(weights, p_n, strict=True) if p > 0)
    return bp * math.exp(s)


class BLEU(Metric):
    """Sentence- and corpus-level BLEU.

    Args:
        order: Highest n-gram order (1-4); ignored when ``weights`` are given.
        weights: NLTK-style per-order weights, e.g. ``(0.5, 0.5)``; None = uniform.
        tokenize: Tokenizer name (see ``tokenizers.TOKENIZERS``).
        smooth: ``none``/``exp``/``floor``/``add-k`` (sacrebleu) or ``method0``..``method3``
            (NLTK).
        smooth_value: For ``floor`` and ``add-k``.
        effective_order: sacrebleu's ``use_effective_order`` (sacrebleu smoothing only).
        name: Key of the values (default ``bleu``).

    Raises:
        ValueError: for an impossible combination.
    """

    def __init__(
        self,
        order: int = 4,
        weights: Sequence[float] | None = None,
        tokenize: str = "auto",
        smooth: str = "exp",
        smooth_value: float | None = None,
        effective_order: bool = False,
        name: str = "bleu",
    ) -> None:
        if weights is not None:
            weights = tuple(float(w) for w in weights)
            order = len(weights)
            if len(set(weights)) == 1 and math.isclose(sum(weights), 1.0):
                weights = None  # uniform: use the library's own uniform formula
        if not 1 <= order <= 4:
            raise ValueError(f"BLEU order must be 1 to 4, not {order}")
        if smooth not in SACREBLEU_SMOOTHING and smooth not in NLTK_SMOOTHING:
            known = ", ".join([*SACREBLEU_SMOOTHING, *NLTK_SMOOTHING])
            raise ValueError(f"unknown BLEU smoothing {smooth!r}; expected one of {known}")
        self.nltk = smooth in NLTK_SMOOTHING
        if effective_order and (self.nltk or weights is not None):
            raise ValueError("effective order needs sacrebleu smoothing and uniform weights")
        self.name = name
        self.order = order
        self.weights = weights
        self.smooth = smooth
        self.smooth_value = smooth_value
        self.effective_order = effective_order
        self.tokenize = tokenize
        self.key = StatsKey(tokenize)

    def needs(self) -> tuple[int, bool]:
        return self.order, False

    def _weights(self) -> Sequence[float]:
        return self.weights if self.weights is not None else (1.0 / self.order,) * self.order

    def _score(self, correct, hyp_totals, denominators, hyp_len, ref_len) -> float:
        if self.nltk:
            return nltk_score(correct, denominators, hyp_len, ref_len, self.smooth, self._weights())
        return sacrebleu_score(
            correct,
            hyp_totals,
            hyp_len,
            ref_len,
            self.smooth,
            self.smooth_value,
            self.effective_order,
            self.weights,
        )

    def sentence(self, row: Sequence[int], order: int) -> float:
        # sacrebleu's percent arithmetic can give 100.00000000000004 for a perfect match
        return min(self._sentence(row), 1.0)

    def sentences(self, rows: np.ndarray, order: int) -> np.ndarray:
        hyp_len, ref_len = rows[:, 0], rows[:, 1]
        correct = rows[:, 2 : 2 + self.order]
        if self.nltk:
            values = nltk_sentences(correct, hyp_len, ref_len, self.smooth, self._weights())
        else:
            value = self.smooth_value
            if value is None:
                value = SACREBLEU_SMOOTHING[self.smooth]
            values = sacrebleu_sentences(
                correct, hyp_len, ref_len, self.smooth, value, self.effective_order, self.weights
            )
        return np.minimum(values, 1.0)

    def _sentence(self, row: Sequence[int]) -> float:
        hyp_len, ref_len = row[0], row[1]
        correct = row[2 : 2 + self.order]
        totals = [max(hyp_len - n + 1, 0) for n in range(1, self.order + 1)]
        return self._score(correct, totals, [max(t, 1) for t in totals], hyp_len, ref_len)

    def corpus(self, rows: np.ndarray, order: int) -> float:
        if len(rows) == 0:
            return 0.0
        hyp = rows[:, 0].astype(np.int64)
        ns = range(1, self.order + 1)
        totals = [int(np.maximum(hyp - n + 1, 0).sum()) for n in ns]
        denominators = [int(np.maximum(hyp - n + 1, 1).sum()) for n in ns]
        correct = [int(c) for c in rows[:, 2 : 2 + self.order].sum(axis=0)]
        hyp_len, ref_len = int(hyp.sum()), int(rows[:, 1].sum())
        return min(1.0, self._score(correct, totals, denominators, hyp_len, ref_len))

    def signature(self) -> Signature:
        smooth = self.smooth
        default = SACREBLEU_SMOOTHING.get(smooth)
        if default is not None:
            value = self.smooth_value if self.smooth_value is not None else default
            smooth += f"[{value:.2f}]"
        weights = "uniform" if self.weights is None else ",".join(f"{w:g}" for w in self.weights)
        return Signature(
            self.name if self.name.startswith("bleu") else f"bleu:{self.name}",
            (
                ("order", str(self.order)),
                ("weights", weights),
                ("tok", self.tokenize),
                ("smooth", smooth),
                ("eff", "yes" if self.effective_order else "no"),
            ),
        )
