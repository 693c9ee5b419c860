"""Where automatic metrics and human judgement disagree, and how well they correlate."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from annotator.core.stats.ranktests import spearman

SURFACE = "surface match: looks like the reference, reads badly"
NARROW = "good answer, narrow reference"
_OPS = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
}


def correlations(table: pd.DataFrame, metric_names: tuple[str, ...]) -> pd.DataFrame:
    """Spearman correlation of each metric with the human composite (complete items).

    Returns one row per metric: ``metric, n, rho, p_value``; rho and p are None
    with fewer than 3 items or when either side is constant.
    """
    rows = []
    composite = table["composite"].to_numpy(dtype=np.float64)
    for m in metric_names:
        x = table[m].to_numpy(dtype=np.float64)
        ok = np.isfinite(x) & np.isfinite(composite)
        rho = p = None
        n = int(ok.sum())
        if n >= 3 and np.ptp(x[ok]) > 0 and np.ptp(composite[ok]) > 0:
            rho, p = spearman(x[ok], composite[ok])
        rows.append({"metric": m, "n": n, "rho": rho, "p_value": p})
    return pd.DataFrame(rows, columns=["metric", "n", "rho", "p_value"])


def mismatches(
    table: pd.DataFrame,
    metric_cutoffs: Mapping[str, tuple[str, float]],
    human_cutoff: float,
) -> pd.DataFrame:
    """Items where a metric passes its cut-off but the composite does not, or vice versa.

    Args:
        table: the item table (``composite`` and metric columns).
        metric_cutoffs: metric column -> (op, threshold) meaning "good", e.g.
            ``{"bleu": (">=", 0.4), "perplexity": ("<=", 50)}``.
        human_cutoff: composite at or above which the humans call the answer good.

    Returns:
        ``item_id, model, metric, value, composite, kind`` where kind is
        "surface match: ..." (metric good, humans low) or "good answer, narrow
        reference" (humans good, metric low); complete items only. Sorted by the
        gap between the two judgements, largest first.
    """
    composite = table["composite"].to_numpy(dtype=np.float64)
    human_ok = composite >= human_cutoff
    parts = []
    for metric, (op, threshold) in metric_cutoffs.items():
        if metric not in table:
            continue
        x = table[metric].to_numpy(dtype=np.float64)
        ok = np.isfinite(x) & np.isfinite(composite)
        good = _OPS[op](x, threshold)
        for mask, kind in ((ok & good & ~human_ok, SURFACE), (ok & ~good & human_ok, NARROW)):
            rows = np.flatnonzero(mask)
            parts.append(
                pd.DataFrame(
                    {
                        "item_id": table["item_id"].to_numpy()[rows],
                        "model": table["model"].to_numpy()[rows],
                        "metric": metric,
                        "value": x[rows],
                        "composite": composite[rows],
                        "kind": kind,
                        "_gap": np.abs(composite[rows] - human_cutoff),
                    }
                )
            )
    if not parts:
        return pd.DataFrame(columns=["item_id", "model", "metric", "value", "composite", "kind"])
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["_gap", "item_id"], ascending=[False, True], kind="stable")
    return out.drop(columns="_gap").reset_index(drop=True)
