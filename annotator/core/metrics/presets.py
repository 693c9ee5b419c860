"""Named metric suites.

- ``default``: the gate metric ``bleu`` (BLEU-2, weights 0.5/0.5, no smoothing, ``auto``
  tokens: NLTK ``sentence_bleu(ref, hyp, weights=(0.5, 0.5))`` on the same tokens, the
  recipe the 0.4 pass threshold comes from) and ROUGE-1/2/L F1 (rouge-score) on ``auto``.
- ``sacrebleu``: sacrebleu's ``BLEU(tokenize=zh|13a, effective_order=True)``: order 4,
  ``exp`` smoothing.
- ``llamafactory``: LLaMA-Factory's ``ComputeSimilarity``: ``bleu-4`` = NLTK BLEU-4 with
  ``method3`` on characters, ROUGE-1/2/L F of rouge-chinese on jieba words. Use
  :func:`llamafactory_printed` to get the numbers it prints (x100, rounded, mean).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from annotator.core.metrics.bleu import BLEU
from annotator.core.metrics.rouge import Rouge
from annotator.core.metrics.suite import MetricSuite


def _default() -> MetricSuite:
    return MetricSuite(
        [
            BLEU(order=2, smooth="none", tokenize="auto"),
            Rouge(1, tokenize="auto"),
            Rouge(2, tokenize="auto"),
            Rouge("l", tokenize="auto"),
        ],
        name="default",
    )


def _sacrebleu() -> MetricSuite:
    return MetricSuite(
        [BLEU(order=4, smooth="exp", effective_order=True, tokenize="auto")],
        name="sacrebleu",
    )


def _llamafactory() -> MetricSuite:
    return MetricSuite(
        [
            Rouge(1, impl="rouge-chinese"),
            Rouge(2, impl="rouge-chinese"),
            Rouge("l", impl="rouge-chinese"),
            BLEU(order=4, smooth="method3", tokenize="char-ws", name="bleu-4"),
        ],
        name="llamafactory",
    )


_PRESETS: dict[str, Callable[[], MetricSuite]] = {
    "default": _default,
    "sacrebleu": _sacrebleu,
    "llamafactory": _llamafactory,
}


def register_preset(name: str, factory: Callable[[], MetricSuite]) -> None:
    """Add (or replace) a preset built by ``factory``."""
    _PRESETS[name] = factory


def list_presets() -> list[str]:
    """Names of the registered presets."""
    return list(_PRESETS)


def get_preset(name: str = "default") -> MetricSuite:
    """A new suite for preset ``name``.

    Raises:
        ValueError: for an unknown preset.
    """
    try:
        factory = _PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown metric preset {name!r}; expected one of {', '.join(_PRESETS)}"
        ) from None
    return factory()


def llamafactory_printed(values: Iterable[float]) -> float:
    """The number LLaMA-Factory prints (``predict_bleu-4``, ``predict_rouge-l``...).

    It stores ``round(value * 100, 4)`` per sample and prints the mean; 0.0 when empty.
    """
    rounded = [round(float(v) * 100, 4) for v in values]
    return float(np.mean(rounded)) if rounded else 0.0
