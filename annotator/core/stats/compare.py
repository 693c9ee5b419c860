"""Side-by-side comparison of two models on prompts they share (paired by sample_id)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

from annotator.core.i18n import tr


@dataclass(frozen=True)
class ModelComparison:
    """Model B against model A on their shared prompts, one row per measure.

    ``table`` is what ``compare_models`` returns; it is computed once, with the rest
    of the report (off the UI thread), and only read afterwards.
    """

    model_a: str
    model_b: str
    table: pd.DataFrame


def baseline_pairs(models: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """The pairs a report compares: the first model (the baseline) against each other one."""
    return tuple((models[0], m) for m in models[1:])


def _side(table: pd.DataFrame, model: str, cols: list[str]) -> pd.DataFrame:
    """One model's measures indexed by sample_id (duplicates averaged)."""
    sub = table.loc[table["model"] == model, ["sample_id", *cols]]
    if sub["sample_id"].duplicated().any():
        return sub.groupby("sample_id").mean()
    return sub.set_index("sample_id")


def compare_models(
    table: pd.DataFrame,
    model_a: str,
    model_b: str,
    columns: dict[str, str],
) -> pd.DataFrame:
    """Per measure: means of A and B on matched prompts, B - A, and a Wilcoxon test.

    Args:
        table: the item table (columns ``model``, ``sample_id`` and the measures);
            human measures are NaN on incomplete items, so those pairs drop out.
        model_a: the baseline (e.g. before fine-tuning).
        model_b: the candidate (e.g. after fine-tuning).
        columns: measure label -> column of ``table``.

    Returns:
        One row per measure: ``measure, n_pairs, mean_a, mean_b, diff`` (mean of
        B - A), ``median_diff``, ``statistic``, ``p_value`` (two-sided
        Wilcoxon signed-rank; None with a ``note`` when it cannot be computed).
    """
    cols = list(dict.fromkeys(columns.values()))
    a, b = _side(table, model_a, cols), _side(table, model_b, cols)
    both = a.add_suffix("@a").join(b.add_suffix("@b"), how="inner")
    rows = []
    for label, col in columns.items():
        pairs = both[[f"{col}@a", f"{col}@b"]].to_numpy(dtype=np.float64)
        pairs = pairs[np.isfinite(pairs).all(axis=1)]
        n = len(pairs)
        row = {"measure": label, "n_pairs": n, "mean_a": None, "mean_b": None, "diff": None,
               "median_diff": None, "statistic": None, "p_value": None, "note": ""}  # fmt: skip
        if n == 0:
            row["note"] = tr("no prompt scored for both models")
            rows.append(row)
            continue
        diff = pairs[:, 1] - pairs[:, 0]
        row.update(
            mean_a=float(pairs[:, 0].mean()),
            mean_b=float(pairs[:, 1].mean()),
            diff=float(diff.mean()),
            median_diff=float(np.median(diff)),
        )
        if not np.any(diff != 0):
            row["note"] = tr("every pair is equal")
        elif np.count_nonzero(diff) < 2:
            row["note"] = tr("too few differing pairs for a test")
        else:
            res = wilcoxon(pairs[:, 1], pairs[:, 0], zero_method="wilcox")
            row.update(statistic=float(res.statistic), p_value=float(res.pvalue))
        rows.append(row)
    return pd.DataFrame(rows)
