"""Automatic metrics (BLEU, ROUGE) that are right for Chinese and fast.

Typical use::

    from annotator.core.metrics import get_preset, list_presets

    suite = get_preset("default")          # "default", "sacrebleu", "llamafactory"
    result = suite.compute(references, hypotheses, workers=None,
                           progress=lambda done, total: ..., cancel=lambda: False)
    result.values["bleu"]                  # numpy float64 array, one 0-1 value per pair
    result.signatures["bleu"]              # "bleu|order:2|weights:uniform|tok:auto|..."
    result.warnings                        # {"empty generated text": 3, ...}
    result.corpus()                        # {"bleu": 0.41, "rouge-1": ...} corpus level
    result.corpus(mask_of_one_model)       # corpus level of one group
    suite.corpus(references, hypotheses)   # same as compute(...).corpus()

Custom suites: ``MetricSuite([BLEU(order=4, smooth="floor"), Rouge("l", stat="recall")])``.
Every value is on a 0-1 scale; empty texts give 0 and a counted warning. Values match
sacrebleu, NLTK, rouge-score and rouge-chinese (see ``tests/core/metrics``).
``llamafactory_printed(values)`` turns 0-1 values into LLaMA-Factory's printed number.
"""

from annotator.core.metrics.base import Metric, Signature, StatsKey
from annotator.core.metrics.bleu import BLEU
from annotator.core.metrics.presets import (
    get_preset,
    list_presets,
    llamafactory_printed,
    register_preset,
)
from annotator.core.metrics.rouge import Rouge
from annotator.core.metrics.suite import (
    EMPTY_HYPOTHESIS,
    EMPTY_REFERENCE,
    MetricResult,
    MetricsCancelled,
    MetricSuite,
)
from annotator.core.metrics.tokenizers import TOKENIZERS, has_cjk, tokenize

__all__ = [
    "BLEU",
    "EMPTY_HYPOTHESIS",
    "EMPTY_REFERENCE",
    "TOKENIZERS",
    "Metric",
    "MetricResult",
    "MetricSuite",
    "MetricsCancelled",
    "Rouge",
    "Signature",
    "StatsKey",
    "get_preset",
    "has_cjk",
    "list_presets",
    "llamafactory_printed",
    "register_preset",
    "tokenize",
]
