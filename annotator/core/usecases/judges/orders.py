"""A judge's two verdicts on one comparison (A/B and B/A) made one, and how often they agree.

A judge sees each comparison in both orders, so a preference for the answer shown first
cannot pass for a preference for a model. The outcomes are stored in model order (``a`` is
the comparison's first model whichever side it was shown on); the two agree when they are
the same outcome. Agreeing, that is the verdict; disagreeing, the pair counts as a tie. A
comparison seen in one order only (the other failed) keeps that one verdict and counts in
no consistency rate. Pure: a frame in, frames out.
"""

from __future__ import annotations

import pandas as pd

KEYS = ["comparison_id", "judge", "dimension"]
COMBINED = [
    "comparison_id", "sample_id", "judge", "dimension", "model_a", "model_b", "outcome",
    "orders", "consistent",
]  # fmt: skip
CONSISTENCY = ["judge", "dimension", "pairs", "consistent", "rate"]


def combine(first: str, second: str | None) -> str:
    """The verdict of two outcomes of the same comparison: agreeing, it; else a tie."""
    if second is None or first == second:
        return first
    return "tie"


def combine_orders(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (comparison, judge, dimension) of ``JudgesRepo.judgments_frame`` rows.

    Returns the columns ``COMBINED``: ``outcome`` combined, ``orders`` (1 or 2 orders
    seen), ``consistent`` (True / False; None when seen in one order).
    """
    if frame.empty:
        return pd.DataFrame(columns=COMBINED)
    rows = []
    for key, group in frame.groupby(KEYS, sort=True, dropna=False):
        outcomes = group["outcome"].tolist()[:2]
        first = group.iloc[0]
        second = outcomes[1] if len(outcomes) > 1 else None
        rows.append(
            {
                **dict(zip(KEYS, key, strict=True)),
                "sample_id": first["sample_id"],
                "model_a": first["model_a"],
                "model_b": first["model_b"],
                "outcome": combine(outcomes[0], second),
                "orders": len(outcomes),
                "consistent": None if second is None else outcomes[0] == second,
            }
        )
    return pd.DataFrame(rows, columns=COMBINED)


def consistency(combined: pd.DataFrame) -> pd.DataFrame:
    """Per judge and dimension (``""`` overall): comparisons seen in both orders, how many
    got the same verdict both times, and that share (NaN with none)."""
    both = combined[combined["orders"] == 2]
    rows = []
    for judge, dimension in (
        combined[["judge", "dimension"]].drop_duplicates().itertuples(index=False)
    ):
        seen = both[(both["judge"] == judge) & (both["dimension"] == dimension)]
        agreed = int(seen["consistent"].astype(bool).sum())
        rows.append(
            {
                "judge": judge,
                "dimension": dimension,
                "pairs": len(seen),
                "consistent": agreed,
                "rate": agreed / len(seen) if len(seen) else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=CONSISTENCY)
