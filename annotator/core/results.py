"""``Evaluation``: the statistics and verdicts of a project at one moment, as a value.

Made by the evaluation use case (``core.evaluation.evaluate_project``) and read by the
formats (the Excel report, the JSON summary), the CLI and the GUI. It lives below the use
cases so that a format can name its type without importing a use case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from annotator.core.domain.decision import NONE, Baseline
from annotator.core.domain.message import Message, Verbatim
from annotator.core.stats import StatsReport
from annotator.core.stats.pairwise import PairwiseReport
from annotator.core.stats.rater_quality import RaterQualityReport
from annotator.core.verdicts import VerdictReport


@dataclass(frozen=True)
class Evaluation:
    """Statistics and verdicts of a project at one moment, with how each number was made.

    Everything is computed when the value is made (model comparisons included), so
    reading it never computes: a view may read it on the UI thread.
    """

    project: dict[str, str | None]
    stats: StatsReport
    verdicts: VerdictReport
    signatures: dict[str, str] = field(default_factory=dict)
    metric_runs: dict[str, dict] = field(default_factory=dict)
    adjudicated: pd.DataFrame = field(default_factory=pd.DataFrame)
    baseline: Baseline = Baseline(None, NONE)
    # Side-by-side judgments (issue 16): None when the project has none.
    pairwise: PairwiseReport | None = None
    # LLM judges (issue 17): None when the project has none; the promoted ones also count
    # as raters named "judge: NAME" in ``stats`` and ``pairwise``.
    judges: JudgesReport | None = None
    # The judge whose prediction-powered means the model gates on human means used, or
    # None (the human-only means).
    gates_from: str | None = None
    # Per-rater quality signals and rater-adjusted means (issue 18); None: not computed.
    rater_quality: RaterQualityReport | None = None

    def gates_from_text(self):
        """What the model gates on human means rested on, in words (None: the default)."""
        if self.gates_from is None:
            return None
        return Message(
            "The model gates on human means use the prediction-powered means of the judge "
            '"{judge}" (human and judge scores together, PPI++), as the lead chose; the '
            "human-only means are shown beside them.",
            judge=self.gates_from,
        )

    def comparison(self, candidate: str):
        """The candidate's ``ModelComparison`` with the baseline, or None."""
        return next((c for c in self.stats.comparisons if c.candidate == candidate), None)

    def to_dict(self, include_items: bool = False, include_lists: bool = True) -> dict:
        """JSON-friendly form (what ``annotator report --json`` prints); without
        ``include_lists`` the per-item lists of disagreements and mismatches are left out
        (their counts stay): what the text report and the summaries need."""
        stats = self.stats.to_dict(include_items=include_items, include_lists=include_lists)
        quality = self.rater_quality
        if quality is not None:
            stats["raters"] = quality.merged(stats["raters"])
        return {
            "project": self.project,
            "baseline": self.baseline.to_dict() | {"text": self.baseline.describe().text()},
            "comparisons": [c.to_dict() for c in self.stats.comparisons],
            "pairwise": self.pairwise.to_dict() if self.pairwise is not None else None,
            "stats": stats,
            "adjusted_means": quality.adjusted_dict() if quality is not None else [],
            "rater_quality": quality.summary() if quality is not None else None,
            "verdicts": self.verdicts.to_dict(
                include_items=include_items, include_lists=include_lists
            ),
            "judges": self.judges.to_dict() if self.judges is not None else [],
            "gates_from": {
                "judge": self.gates_from,
                "text": None if self.gates_from is None else self.gates_from_text().text(),
            },
            "signatures": self.signatures,
            "metric_runs": {
                k: {
                    "signatures": v.get("signatures"),
                    "corpus": v.get("corpus"),
                    "computed_at": v.get("computed_at"),
                }
                for k, v in self.metric_runs.items()
            },
        }


# -- LLM judges (issue 17) -------------------------------------------------------------------
@dataclass(frozen=True)
class JudgeAgreement:
    """One judge on one dimension (or ``"all"`` dimensions) against the humans: how close
    it is to the human mean, and the alternative annotator test (Calderon et al., 2025).

    ``passed`` is None when the test could not be run; ``reading`` then says what is
    missing (3 humans, 2 per item, 30 items per human)."""

    dimension: str
    n: int  # items with the judge's score and at least one human's
    spearman: float | None
    pearson: float | None
    mae: float | None
    bias: float | None  # judge - human mean
    kappa: float | None  # quadratic-weighted, against the rounded human median
    alpha_humans: float | None
    alpha_with_judge: float | None
    winning_rate: float | None  # omega
    advantage_probability: float | None  # rho
    epsilon: float
    passed: bool | None
    reading: Message

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "reading"} | {
            "reading": self.reading.text()
        }


@dataclass(frozen=True)
class JudgePairwise:
    """A judge's side-by-side verdicts: both orders combined (two that disagree are a
    tie), against the human majority of each comparison, and the alternative annotator
    test on accuracy."""

    n: int  # comparisons (and dimensions) with a human majority and the judge's verdict
    accuracy: float | None
    consistency: float | None  # share of comparisons seen in both orders that agree
    both_orders: int
    winning_rate: float | None
    advantage_probability: float | None
    epsilon: float
    passed: bool | None
    reading: Message

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "reading"} | {
            "reading": self.reading.text()
        }


@dataclass(frozen=True)
class JudgeMean:
    """A model's prediction-powered mean (PPI++) from the human and the judge's scores,
    with the human-only mean beside it."""

    model: str
    dimension: str  # a rubric key or "composite"
    mean: float | None
    ci: tuple[float | None, float | None]
    n_human: int
    n_judge: int
    human_mean: float | None
    human_ci: tuple[float | None, float | None]

    def to_dict(self) -> dict:
        def bounds(ci):
            return {"low": ci[0], "high": ci[1], "confidence": 0.95}

        return {
            "model": self.model,
            "dimension": self.dimension,
            "mean": self.mean,
            "ci": bounds(self.ci),
            "n_human": self.n_human,
            "n_judge": self.n_judge,
            "human_mean": self.human_mean,
            "human_ci": bounds(self.human_ci),
        }


@dataclass(frozen=True)
class JudgeResult:
    """Everything about one judge: how it was made, what it gave, how it compares."""

    name: str
    signature: dict
    promoted: bool
    scores: int
    items: int
    judgments: int
    failures: int
    dimensions: tuple[JudgeAgreement, ...] = ()
    pairwise: JudgePairwise | None = None
    means: tuple[JudgeMean, ...] = ()
    # how a reader calls each dimension key (a Term or a Message), for the words
    labels: dict = field(default_factory=dict, compare=False)

    def tests(self) -> list[tuple[str, bool | None]]:
        """(what was tested, passed) per rubric dimension and for side-by-side."""
        found = [(d.dimension, d.passed) for d in self.dimensions if d.dimension != "all"]
        if self.pairwise is not None:
            found.append(("side_by_side", self.pairwise.passed))
        return found

    def failed(self) -> list[str]:
        """What the judge has not passed (failed, or could not be tested)."""
        return [name for name, passed in self.tests() if passed is not True]

    def passed(self) -> list[str]:
        return [name for name, passed in self.tests() if passed is True]

    def _listed(self, keys: list[str]) -> Verbatim:
        parts = [self.labels.get(k, k) for k in keys]
        return Verbatim("{sep}".join(f"{{p{n}}}" for n in range(len(parts))), sep=Message(", "),
                        **{f"p{n}": part for n, part in enumerate(parts)})  # fmt: skip

    def promotion(self) -> Message | None:
        """In words, why the judge counts as a rater (None when it does not)."""
        if not self.promoted:
            return None
        if not self.failed():
            return Message(
                "the judge {judge} counts as a rater (promoted by the lead; it passed the "
                "alternative annotator test on {passed})",
                judge=self.name,
                passed=self._listed(self.passed()),
            )
        return Message(
            "the judge {judge} counts as a rater (promoted by the lead although it has not "
            "passed the alternative annotator test on {failed})",
            judge=self.name,
            failed=self._listed(self.failed()),
        )

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "signature": self.signature,
            "promoted": self.promoted,
            "counts": {
                "scores": self.scores,
                "items": self.items,
                "judgments": self.judgments,
                "failures": self.failures,
            },
            "dimensions": [d.to_dict() for d in self.dimensions],
            "side_by_side": self.pairwise.to_dict() if self.pairwise is not None else None,
            "ppi": [m.to_dict() for m in self.means],
            "promotion": None if not self.promoted else self.promotion().text(),
        }


@dataclass(frozen=True)
class JudgesReport:
    """Every judge of the project against its humans, at one moment."""

    epsilon: float
    judges: tuple[JudgeResult, ...] = ()

    def get(self, name: str) -> JudgeResult | None:
        return next((j for j in self.judges if j.name == name), None)

    def promoted(self) -> list[JudgeResult]:
        return [j for j in self.judges if j.promoted]

    def to_dict(self) -> list[dict]:
        return [j.to_dict() | {"epsilon": self.epsilon} for j in self.judges]
