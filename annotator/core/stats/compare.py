"""Paired comparison of a candidate model with the baseline on the samples both answered.

Differences always read candidate - baseline. For each measure (every dimension, the
composite, every automatic metric) on the samples both models answered and that are
complete for both: the number of pairs, the mean paired difference with a bootstrap
interval that resamples samples, the Wilcoxon signed-rank p-value, Cohen's d_z (mean
difference over the standard deviation of the differences) and a reading by the interval:
better, no detectable difference, or worse.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.domain.message import Message
from annotator.core.stats.bootstrap import CONFIDENCE, DEFAULT_RESAMPLES, mean_ci, rng_for
from annotator.core.stats.jsonsafe import records
from annotator.core.stats.ranktests import wilcoxon

BETTER, SAME, WORSE = "better", "no_difference", "worse"
COLUMNS = [
    "measure", "kind", "n_pairs", "baseline_mean", "candidate_mean", "diff", "ci_low",
    "ci_high", "median_diff", "statistic", "p_value", "effect_size", "reading", "note",
]  # fmt: skip


@dataclass(frozen=True)
class ModelComparison:
    """A candidate against the baseline, one row per measure (``COLUMNS``).

    ``table`` is computed once, with the rest of the report (off the UI thread), and only
    read afterwards. ``note`` holds a ``Message`` (why a test or an interval is missing).
    """

    baseline: str
    candidate: str
    table: pd.DataFrame

    def row(self, measure: str) -> dict | None:
        """One measure's row as a dict, or None when it was not compared."""
        hit = self.table.loc[self.table["measure"] == measure]
        return None if hit.empty else hit.iloc[0].to_dict()

    def to_dict(self, language: str | None = None) -> dict:
        table = self.table.copy()
        table["note"] = [n.text(language) if isinstance(n, Message) else n for n in table["note"]]
        return {"baseline": self.baseline, "candidate": self.candidate, "measures": records(table)}


def _side(table: pd.DataFrame, model: str, cols: list[str]) -> pd.DataFrame:
    """One model's measures indexed by sample_id (duplicates averaged)."""
    sub = table.loc[table["model"] == model, ["sample_id", *cols]]
    if sub["sample_id"].duplicated().any():
        return sub.groupby("sample_id").mean()
    return sub.set_index("sample_id")


def reading(low: float | None, high: float | None, lower_is_better: bool = False) -> str:
    """better / no_difference / worse by where the interval of candidate - baseline lies."""
    if low is None or high is None:
        return ""
    if low > 0:
        return WORSE if lower_is_better else BETTER
    if high < 0:
        return BETTER if lower_is_better else WORSE
    return SAME


def _tested(diff: np.ndarray) -> tuple[float | None, float | None, Message | str]:
    """Wilcoxon signed-rank statistic and two-sided p, or why there is no test.

    Differences are rounded to 12 decimals first: 0.29 - 0.2899999999 is a tie of two equal
    metric gaps, and float noise would hide ties (and zeros) from the test's tie handling."""
    diff = np.round(diff, 12)
    if not np.any(diff != 0):
        return None, None, Message("every pair is equal")
    if np.count_nonzero(diff) < 2:
        return None, None, Message("too few differing pairs for a test")
    statistic, p = wilcoxon(diff)
    return statistic, p, ""


def paired_row(
    label: str,
    pairs: np.ndarray,
    rng: np.random.Generator,
    *,
    kind: str = "metric",
    lower_is_better: bool = False,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = CONFIDENCE,
) -> dict:
    """One measure compared: ``pairs`` is (n, 2), baseline then candidate, all finite."""
    row = dict.fromkeys(COLUMNS)
    row.update(measure=label, kind=kind, n_pairs=len(pairs), reading="", note="")
    if not len(pairs):
        row["note"] = Message("no sample scored for both models")
        return row
    diff = pairs[:, 1] - pairs[:, 0]
    ci = mean_ci(diff, rng, resamples, confidence)
    sd = float(diff.std(ddof=1)) if len(diff) > 1 else 0.0
    row.update(
        baseline_mean=float(pairs[:, 0].mean()),
        candidate_mean=float(pairs[:, 1].mean()),
        diff=float(diff.mean()),
        ci_low=ci.low,
        ci_high=ci.high,
        median_diff=float(np.median(diff)),
        effect_size=float(diff.mean() / sd) if sd > 0 else None,
        reading=reading(ci.low, ci.high, lower_is_better),
    )
    row["statistic"], row["p_value"], row["note"] = _tested(diff)
    if ci.low is None and not row["note"]:
        row["note"] = Message("too few pairs for an interval")
    return row


def compare_models(
    table: pd.DataFrame,
    baseline: str,
    candidate: str,
    columns: Mapping[str, str],
    *,
    kinds: Mapping[str, str] | None = None,
    lower_better: Collection[str] = (),
    seed: int = 0,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = CONFIDENCE,
) -> pd.DataFrame:
    """Per measure, the candidate against the baseline on the samples both answered.

    Args:
        table: the item table (columns ``model``, ``sample_id`` and the measures); human
            measures are NaN on incomplete items, so those pairs drop out.
        baseline: the model before fine-tuning.
        candidate: the model compared with it.
        columns: measure label -> column of ``table``.
        kinds: measure label -> "dimension", "composite" or "metric" (default "metric").
        lower_better: measures where a lower value is better (perplexity): their reading
            turns around; the difference still reads candidate - baseline.
        seed, resamples, confidence: the bootstrap of each mean difference (one generator
            per measure and pair, so adding a measure never shifts another's interval).

    Returns:
        One row per measure with the ``COLUMNS``.
    """
    cols = list(dict.fromkeys(columns.values()))
    a, b = _side(table, baseline, cols), _side(table, candidate, cols)
    both = a.add_suffix("@a").join(b.add_suffix("@b"), how="inner")
    kinds = kinds or {}
    rows = []
    for label, col in columns.items():
        pairs = both[[f"{col}@a", f"{col}@b"]].to_numpy(dtype=np.float64)
        pairs = pairs[np.isfinite(pairs).all(axis=1)]
        rng = rng_for(seed, "paired", baseline, candidate, label)
        rows.append(
            paired_row(
                label,
                pairs,
                rng,
                kind=kinds.get(label, "metric"),
                lower_is_better=label in lower_better,
                resamples=resamples,
                confidence=confidence,
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS)
