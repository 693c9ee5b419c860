"""A judge's verdicts on one comparison seen in both orders (A/B and B/A), made one.

A judge sees each comparison twice, the answers swapped, so that a preference for the side
an answer is shown on cannot pass for a preference for a model. The outcomes must be named
so that the order is moot (``a`` is the comparison's first model whichever side it was
shown on, or the winning model's name). Two that agree are the verdict; two that disagree
count as a tie; a comparison seen in one order only (the other failed) keeps that verdict
and counts in no consistency rate. The one rule for the report, the run's summary and the
alternative annotator test.
"""

from __future__ import annotations

import pandas as pd

TIE = "tie"


def combine_orders(frame: pd.DataFrame, keys: list[str], column: str = "outcome") -> pd.DataFrame:
    """One row per ``keys``: ``column`` combined, ``orders`` (how many were seen) and
    ``agree`` (True / False; None when seen in one order), in the order of the keys."""
    if frame.empty:
        return pd.DataFrame(columns=[*keys, column, "orders", "agree"])
    grouped = frame.groupby(keys, sort=True, dropna=False)[column]
    out = grouped.agg(first="first", distinct="nunique", orders="size").reset_index()
    same = out["distinct"] == 1
    out[column] = out["first"].where(same, TIE)
    out["agree"] = same.astype(object).where(out["orders"] >= 2, None)
    return out[[*keys, column, "orders", "agree"]]
