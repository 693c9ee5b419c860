"""Statistics a lead can defend: item and model means, rater agreement, disagreements.

Pure computation over pandas/numpy inputs; ``compute`` is the entry point and
``annotator.core.verdicts`` applies gates to its result.
"""

from annotator.core.stats.agreement import AlphaResult, interpret
from annotator.core.stats.bootstrap import Interval
from annotator.core.stats.compare import compare_models
from annotator.core.stats.diagnostics import NARROW, SURFACE, correlations, mismatches
from annotator.core.stats.raters import weighted_kappa
from annotator.core.stats.report import StatsReport, compute
from annotator.core.stats.summary import MeanCI, ModelSummary

__all__ = [
    "NARROW",
    "SURFACE",
    "AlphaResult",
    "Interval",
    "MeanCI",
    "ModelSummary",
    "StatsReport",
    "compare_models",
    "compute",
    "correlations",
    "interpret",
    "mismatches",
    "weighted_kappa",
]
