"""Metric base class, signature and the statistics request every metric makes.

In the spirit of sacrebleu's ``metrics/base.py``: a metric never sees texts. It says
which statistics it needs (:class:`StatsKey` and :meth:`Metric.needs`), the suite
computes one statistics row per pair and tokenizer (``kernel.py``), and the metric
turns a row into a sentence value (:meth:`Metric.sentence`) and summed rows into a
corpus value (:meth:`Metric.corpus`). Metrics are small picklable objects so that
worker processes can score their own chunks.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator import __version__


@dataclass(frozen=True)
class StatsKey:
    """Which statistics rows a metric reads: metrics with equal keys share them.

    Attributes:
        tokenizer: Tokenizer name (``auto`` resolves per pair).
        unique: Distinct n-gram counts (rouge-chinese) instead of clipped counts.
    """

    tokenizer: str
    unique: bool = False


@dataclass(frozen=True)
class Signature:
    """Reproducibility signature, e.g. ``bleu|order:2|tok:auto|...|annotator:0.1.0``."""

    metric: str
    fields: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        parts = [self.metric, *(f"{k}:{v}" for k, v in self.fields)]
        return "|".join([*parts, f"annotator:{__version__}"])

    @classmethod
    def parse(cls, text: str) -> Signature:
        """Inverse of ``str()``; the ``annotator`` version field is dropped."""
        head, *rest = text.split("|")
        pairs = tuple(tuple(p.split(":", 1)) for p in rest if not p.startswith("annotator:"))
        return cls(head, pairs)  # type: ignore[arg-type]


class Metric(ABC):
    """One automatic metric.

    Subclasses set :attr:`name`, :attr:`key` and implement the hooks below.
    """

    #: Key of the values in results, e.g. ``"bleu"`` or ``"rouge-l"``.
    name: str
    #: The statistics this metric reads.
    key: StatsKey

    @abstractmethod
    def needs(self) -> tuple[int, bool]:
        """(highest n-gram order, whether the LCS is needed)."""

    @abstractmethod
    def sentence(self, row: Sequence[int], order: int) -> float:
        """Value for one pair from its statistics row (``order`` = the row's order)."""

    def sentences(self, rows: np.ndarray, order: int) -> np.ndarray:
        """Values of many pairs at once; override with a vectorised version if exact."""
        return np.array([self.sentence(row, order) for row in rows.tolist()], np.float64)

    @abstractmethod
    def corpus(self, rows: np.ndarray, order: int) -> float:
        """Corpus value from the statistics rows (one per pair) of a group."""

    @abstractmethod
    def signature(self) -> Signature:
        """The signature of this configuration."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.signature()}>"


def mean_or_zero(values: np.ndarray) -> float:
    """Mean of ``values``; 0.0 for an empty group instead of NaN."""
    return float(np.mean(values)) if len(values) else 0.0
