"""Sentence BLEU of many pairs at once: the formulas of ``bleu.py`` on numpy arrays.

Each function follows its scalar twin (``sacrebleu_score``, ``nltk_score``) step by
step; the tests hold both to sacrebleu and NLTK within 1e-9.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np

_NLTK_EPSILON = 0.1  # SmoothingFunction().epsilon
_FLOORED_LOG = -9999999999.0  # sacrebleu.utils.my_log(0)


def _brevity(hyp: np.ndarray, ref: np.ndarray) -> np.ndarray:
    # exp(1 - ref/hyp) when the hypothesis is shorter, 1 otherwise, 0 for an empty one
    with np.errstate(divide="ignore", invalid="ignore"):
        short = np.exp(1.0 - ref / np.where(hyp > 0, hyp, 1.0))
    return np.where(hyp >= ref, 1.0, np.where(hyp > 0, short, 0.0))


def _floored_log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.where(x == 0.0, _FLOORED_LOG, np.log(np.where(x == 0.0, 1.0, x)))


def sacrebleu_sentences(
    correct: np.ndarray,
    hyp_len: np.ndarray,
    ref_len: np.ndarray,
    smooth: str,
    smooth_value: float | None,
    effective_order: bool,
    weights: Sequence[float] | None,
) -> np.ndarray:
    """Rows of ``sacrebleu_score``: ``correct`` is (pairs, order) clipped matches."""
    pairs, order = correct.shape
    hyp = hyp_len.astype(np.float64)
    ns = np.arange(1, order + 1)
    total = np.maximum(hyp_len[:, None] - ns[None, :] + 1, 0).astype(np.float64)
    corr = correct.astype(np.float64)
    if smooth == "add-k":
        corr[:, 1:] += smooth_value
        total[:, 1:] += smooth_value
    # the scalar loop stops at the first order without hypothesis n-grams
    valid = np.cumprod(total > 0, axis=1).astype(bool)
    zero = (corr == 0) & valid
    safe_total = np.where(total > 0, total, 1.0)
    precision = np.where(corr > 0, 100.0 * corr / safe_total, 0.0)
    if smooth == "exp":
        doubled = np.cumsum(zero, axis=1)
        precision = np.where(zero, 100.0 / (2.0**doubled * safe_total), precision)
    elif smooth == "floor":
        precision = np.where(zero, 100.0 * smooth_value / safe_total, precision)
    precision = np.where(valid, precision, 0.0)
    bp = np.where(hyp < ref_len, _brevity(hyp, ref_len.astype(np.float64)), 1.0)
    if weights is None:
        eff = valid.sum(axis=1) if effective_order else np.full(pairs, order)
        used = ns[None, :] <= eff[:, None]
        logs = np.where(used, _floored_log(precision), 0.0).sum(axis=1)
        score = bp * np.exp(logs / np.maximum(eff, 1)) / 100.0
    else:
        w = np.asarray(weights, dtype=np.float64)
        score = bp * np.exp((w[None, :] * _floored_log(precision / 100.0)).sum(axis=1))
    return np.where(correct.any(axis=1), score, 0.0)


def nltk_sentences(
    correct: np.ndarray,
    hyp_len: np.ndarray,
    ref_len: np.ndarray,
    smooth: str,
    weights: Sequence[float],
) -> np.ndarray:
    """Rows of ``nltk_score`` for single sentences (denominators ``max(1, ngrams)``)."""
    order = correct.shape[1]
    ns = np.arange(1, order + 1)
    den = np.maximum(hyp_len[:, None] - ns[None, :] + 1, 1).astype(np.float64)
    num = correct.astype(np.float64)
    p = num / den
    zero = num == 0
    if smooth == "method0":
        p = np.where(zero, sys.float_info.min, p)
    elif smooth == "method1":
        p = np.where(zero, (num + _NLTK_EPSILON) / den, p)
    elif smooth == "method3":
        k = np.cumsum(zero, axis=1)
        p = np.where(zero, 1.0 / (2.0**k * den), p)
    if smooth == "method2":
        p[:, 1:] = (num[:, 1:] + 1.0) / (den[:, 1:] + 1.0)
    w = np.asarray(weights, dtype=np.float64)
    with np.errstate(divide="ignore"):
        logs = np.where(p > 0, w[None, :] * np.log(np.where(p > 0, p, 1.0)), 0.0)
    hyp = hyp_len.astype(np.float64)
    bp = np.where(hyp > ref_len, 1.0, _brevity(hyp, ref_len.astype(np.float64)))
    return np.where(num[:, 0] > 0, bp * np.exp(logs.sum(axis=1)), 0.0)
