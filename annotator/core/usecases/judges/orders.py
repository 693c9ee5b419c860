"""A judge's two verdicts on one comparison (A/B and B/A) made one, and how often they agree.

A judge sees each comparison in both orders, so a preference for the answer shown first
cannot pass for a preference for a model. The outcomes are stored in model order (``a`` is
the comparison's first model whichever side it was shown on); the two agree when they are
the same outcome (the rule is ``stats.judge_orders``). Pure: a frame in, frames out.
"""

from __future__ import annotations

import pandas as pd

from annotator.core.stats import judge_orders

KEYS = ["comparison_id", "judge", "dimension"]
COMBINED = [
    "comparison_id", "sample_id", "judge", "dimension", "model_a", "model_b", "outcome",
    "orders", "consistent",
]  # fmt: skip
CONSISTENCY = ["judge", "dimension", "pairs", "consistent", "rate"]


def combine_orders(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (comparison, judge, dimension) of ``JudgesRepo.judgments_frame`` rows.

    Returns the columns ``COMBINED``: ``outcome`` combined (``stats.judge_orders``),
    ``orders`` (1 or 2 orders seen), ``consistent`` (True / False; None when seen in one).
    """
    if frame.empty:
        return pd.DataFrame(columns=COMBINED)
    combined = judge_orders.combine_orders(frame, KEYS).rename(columns={"agree": "consistent"})
    about = frame.groupby(KEYS, sort=True, dropna=False)[["sample_id", "model_a", "model_b"]]
    return combined.merge(about.first().reset_index(), on=KEYS)[COMBINED]


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
