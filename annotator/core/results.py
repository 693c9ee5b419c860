"""``Evaluation``: the statistics and verdicts of a project at one moment, as a value.

Made by the evaluation use case (``core.evaluation.evaluate_project``) and read by the
formats (the Excel report, the JSON summary), the CLI and the GUI. It lives below the use
cases so that a format can name its type without importing a use case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from annotator.core.domain.decision import NONE, Baseline
from annotator.core.stats import StatsReport
from annotator.core.stats.pairwise import PairwiseReport
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

    def comparison(self, candidate: str):
        """The candidate's ``ModelComparison`` with the baseline, or None."""
        return next((c for c in self.stats.comparisons if c.candidate == candidate), None)

    def to_dict(self, include_items: bool = False) -> dict:
        """JSON-friendly form (what ``annotator report --json`` prints)."""
        return {
            "project": self.project,
            "baseline": self.baseline.to_dict() | {"text": self.baseline.describe().text()},
            "comparisons": [c.to_dict() for c in self.stats.comparisons],
            "pairwise": self.pairwise.to_dict() if self.pairwise is not None else None,
            "stats": self.stats.to_dict(include_items=include_items),
            "verdicts": self.verdicts.to_dict(include_items=include_items),
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
