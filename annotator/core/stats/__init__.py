"""Statistics a lead can defend: item and model means, rater agreement, disagreements.

Pure computation over pandas/numpy inputs; ``compute`` is the entry point and
``annotator.core.verdicts`` applies gates to its result.
"""

from annotator.core.stats.agreement import AlphaResult, interpret
from annotator.core.stats.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, Interval
from annotator.core.stats.compare import ModelComparison, compare_models
from annotator.core.stats.diagnostics import NARROW, SURFACE, correlations, mismatches
from annotator.core.stats.raters import weighted_kappa
from annotator.core.stats.report import StatsReport, compute
from annotator.core.stats.summary import MeanCI, ModelSummary

__all__ = [
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "NARROW",
    "SURFACE",
    "AlphaResult",
    "Interval",
    "MeanCI",
    "ModelComparison",
    "ModelSummary",
    "StatsReport",
    "compare_models",
    "compute",
    "correlations",
    "interpret",
    "mismatches",
    "weighted_kappa",
]
