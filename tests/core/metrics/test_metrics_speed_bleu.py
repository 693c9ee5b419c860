"""The vectorised sentence BLEU equals the scalar formula (itself held to sacrebleu/NLTK)."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.core.metrics import BLEU


def _rows(seed: int, n: int = 3000, order: int = 4) -> np.ndarray:
    rng = np.random.default_rng(seed)
    hyp = rng.integers(0, 12, n)
    ref = rng.integers(0, 12, n)
    rows = np.zeros((n, 3 + order), np.int64)
    rows[:, 0], rows[:, 1] = hyp, ref
    for k in range(order):
        grams = np.maximum(hyp - k, 0)
        # matches between 0 and the n-grams of both sides, often 0 (the smoothing cases)
        top = np.minimum(grams, np.maximum(ref - k, 0))
        rows[:, 2 + k] = np.where(rng.random(n) < 0.3, 0, rng.integers(0, top + 1))
    return rows


@pytest.mark.parametrize(
    "kwargs",
    [
        {"order": 4, "smooth": "exp", "effective_order": True},
        {"order": 4, "smooth": "exp"},
        {"order": 4, "smooth": "floor", "effective_order": True},
        {"order": 3, "smooth": "floor", "smooth_value": 0.3},
        {"order": 4, "smooth": "add-k", "effective_order": True},
        {"order": 3, "smooth": "add-k", "smooth_value": 2},
        {"order": 2, "smooth": "none"},
        {"order": 1, "smooth": "exp"},
        {"weights": (0.7, 0.3), "smooth": "none"},
        {"weights": (0.5, 0.5), "smooth": "method0"},
        {"weights": (0.25, 0.25, 0.25, 0.25), "smooth": "method1"},
        {"order": 4, "smooth": "method2"},
        {"order": 4, "smooth": "method3"},
        {"weights": (0.6, 0.4), "smooth": "method3"},
    ],
)
def test_vectorised_sentences_equal_the_scalar_formula(kwargs):
    metric = BLEU(tokenize="zh", **kwargs)
    rows = _rows(len(str(kwargs)))
    got = metric.sentences(rows, 4)
    expected = [metric.sentence(row, 4) for row in rows.tolist()]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert (got > 0).any() and (got == 0).any()  # both branches were exercised
