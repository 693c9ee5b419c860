"""The overview's comparison rows: each candidate against the baseline, with its interval.

A difference alone invites reading noise as progress, so every cell carries the 95%
interval the statistics op computed, is coloured by its reading (better, no detectable
difference, worse) and says in its tooltip the test, the effect size and the pairs it
rests on. The page only reads ``ModelComparison.table``; nothing is computed here.
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import QTableWidgetItem

from annotator.core.domain.wording import difference_name
from annotator.core.i18n import tr
from annotator.gui.lead.common import number
from annotator.gui.lead.views.cells import cell


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _p(value) -> str:
    return "–" if _missing(value) else f"{value:.2g}"


def row_title(comparison) -> str:
    """ "Δ lora-v2 − base": the difference always reads candidate minus baseline."""
    return tr("Δ {b} − {a}", a=comparison.baseline, b=comparison.candidate)


def difference_text(row: dict) -> str:
    """ "+0.57" over "[+0.41, +0.73]", or the difference alone when it has no interval
    (two lines: the row stays as narrow as the means above it)."""
    text = number(row["diff"], signed=True)
    if _missing(row["ci_low"]) or _missing(row["ci_high"]):
        return text
    low, high = number(row["ci_low"], signed=True), number(row["ci_high"], signed=True)
    return f"{text}\n[{low}, {high}]"


def difference_tip(comparison, row: dict, confidence: float) -> str:
    """What the cell says in words: the reading, the interval, p, d_z and the pairs."""
    if _missing(row["diff"]):  # no pair: only why
        return tr("not compared: {why}", why=str(row["note"]) if row["note"] else "–")
    reading = difference_name(row["reading"]) or tr("not compared")
    lines = [
        tr(
            "{reading}: {b} − {a} = {diff} over {n} samples complete for both",
            reading=reading,
            a=comparison.baseline,
            b=comparison.candidate,
            diff=number(row["diff"], signed=True),
            n=int(row["n_pairs"] or 0),
        ),
        tr(
            "{conf:.0%} bootstrap interval {low} to {high} (resampling samples)",
            conf=confidence,
            low=number(row["ci_low"], signed=True),
            high=number(row["ci_high"], signed=True),
        ),
        tr(
            "Wilcoxon signed-rank p = {p}; effect size d_z = {d}",
            p=_p(row["p_value"]),
            d=number(None if _missing(row["effect_size"]) else row["effect_size"]),
        ),
        tr(
            "means on these pairs: {a} {ma}, {b} {mb}",
            a=comparison.baseline,
            b=comparison.candidate,
            ma=number(row["baseline_mean"]),
            mb=number(row["candidate_mean"]),
        ),
    ]
    if row["note"]:
        lines.append(str(row["note"]))
    return "\n".join(lines)


def difference_cell(comparison, measure: str, confidence: float) -> QTableWidgetItem | None:
    """The cell of ``measure`` in the candidate's row (None when it was not compared)."""
    row = comparison.row(measure)
    if row is None:
        return None
    tip = difference_tip(comparison, row, confidence)
    value = None if _missing(row["diff"]) else row["diff"]
    return cell(difference_text(row), value, tip, meaning=row["reading"] or None)


def pairs_cell(comparison) -> QTableWidgetItem | None:
    """The row's "complete" cell: the samples complete for both models (the composite's)."""
    row = comparison.row("composite")
    if row is None:
        return None
    pairs = int(row["n_pairs"] or 0)
    tip = tr(
        "{n} samples complete for both {a} and {b}: the pairs every difference rests on",
        n=pairs,
        a=comparison.baseline,
        b=comparison.candidate,
    )
    return cell(tr("{n} pairs", n=pairs), pairs, tip)
