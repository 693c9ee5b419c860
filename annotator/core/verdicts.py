"""Verdicts: is each item, and each model, good enough to ship?

``evaluate`` applies the enabled gates (``core.gates``) to a ``StatsReport``: every
item gets PASS, FAIL (with every failed rule in words) or NEEDS_REVIEW (incomplete
ratings or an unresolved disagreement), and every model is judged on its means
plus its item pass rate.

Reasons are written in the current language (``i18n.tr``); in Chinese a
dimension is called by its rubric name when ``evaluate`` is given the rubric.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from annotator.core.gates import (
    BROKEN,
    DEFAULT_GATES,
    OPS,
    Gate,
    dimension_name,
    gates_to_dicts,
    label,
    measure_name,
    reason_names,
)
from annotator.core.i18n import current_language, tr
from annotator.core.stats import StatsReport, mismatches
from annotator.core.stats.jsonsafe import clean, records

if TYPE_CHECKING:
    from annotator.core.models import Rubric


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    NEEDS_REVIEW = "NEEDS_REVIEW"


@dataclass(frozen=True)
class ModelVerdict:
    """A model's means against the gates, and how its items fared."""

    model: str
    verdict: Verdict
    reasons: tuple[str, ...]
    not_applicable: tuple[str, ...]
    values: dict[str, float | None]  # gate key -> the value that was compared
    n_items: int
    n_pass: int
    n_fail: int
    n_review: int

    @property
    def pass_rate(self) -> float | None:
        """Share of items that passed, over items with a verdict other than review."""
        done = self.n_pass + self.n_fail
        return self.n_pass / done if done else None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["verdict"] = str(self.verdict)
        d["pass_rate"] = self.pass_rate
        return clean(d)


@dataclass(frozen=True)
class VerdictReport:
    """Verdicts for every item and model, with the gates used and diagnostics."""

    gates: tuple[Gate, ...]
    items: pd.DataFrame  # item_id, model, verdict, reasons, not_applicable
    models: tuple[ModelVerdict, ...]
    mismatches: pd.DataFrame = field(default_factory=pd.DataFrame)
    language: str = "en"  # the language the reasons are written in

    def model(self, name: str) -> ModelVerdict:
        for m in self.models:
            if m.model == name:
                return m
        raise KeyError(name)

    def to_dict(self, include_items: bool = True) -> dict:
        out = {
            "gates": gates_to_dicts(self.gates),
            "models": [m.to_dict() for m in self.models],
            "mismatches": records(self.mismatches),
        }
        if include_items:
            out["items"] = records(self.items)
        return clean(out)


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _item_values(
    report: StatsReport, gate: Gate, names: Mapping[str, str]
) -> tuple[np.ndarray | None, str]:
    """The per-item value a gate compares, or None and why the gate does not apply."""
    t = report.items
    if gate.kind == "metric":
        if gate.name not in report.metric_names:
            return None, tr(
                "{rule}: {metric} not imported", rule=gate.describe(names), metric=label(gate.name)
            )
        return t[gate.name].to_numpy(dtype=np.float64), ""
    if gate.name != "composite" and gate.name not in report.dimensions:
        return None, tr(
            "{rule}: no dimension {dimension!r} in the rubric",
            rule=gate.describe(names),
            dimension=gate.name,
        )
    if gate.kind == "human":
        col = "composite" if gate.name == "composite" else f"{gate.name}_mean"
        return t[col].to_numpy(dtype=np.float64), ""
    if gate.name == "composite":
        return None, tr(
            "{rule}: min: needs a dimension, not the composite", rule=gate.describe(names)
        )
    # The lowest single score, unless a lead adjudicated this dimension.
    adjudicated = t[f"{gate.name}_adjudicated"].to_numpy()
    lowest = t[f"{gate.name}_min"].to_numpy(dtype=np.float64)
    return np.where(adjudicated, t[f"{gate.name}_mean"].to_numpy(dtype=np.float64), lowest), ""


def _add(acc: np.ndarray, rows: np.ndarray, keys: np.ndarray, make) -> None:
    """Append ``make(key)`` to the sentences of ``acc`` at ``rows``, "; "-separated.

    Each distinct key is formatted (and translated) once and only the touched rows
    are joined: per-item f-strings over 100k items would dominate the run time.
    """
    if not rows.size:
        return
    distinct, inverse = np.unique(keys, return_inverse=True)
    texts = np.array([make(k) for k in distinct], dtype=object)[inverse]
    current = acc[rows]
    empty = current == ""
    current[empty] = texts[empty]
    current[~empty] = current[~empty] + tr("; ") + texts[~empty]
    acc[rows] = current


def _merge(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Element-wise "a; b" of two object arrays of sentences ("" = nothing)."""
    out = first.copy()
    rows = np.flatnonzero(second != "")
    a, b = first[rows], second[rows]
    out[rows] = np.where(a == "", b, a + tr("; ") + b)
    return out


def _review_reasons(report: StatsReport, names: Mapping[str, str]) -> np.ndarray:
    """Why each item needs review: missing ratings, open disagreements ("" if none)."""
    t = report.items
    n = len(t)
    out = np.full(n, "", dtype=object)
    need = report.min_raters
    for d in report.dimensions:
        shown = dimension_name(d, names)
        adjudicated = t[f"{d}_adjudicated"].to_numpy()
        count = t[f"{d}_n"].to_numpy()
        rows = np.flatnonzero((count < need) & ~adjudicated)

        def incomplete(k, shown=shown):
            return tr(
                "incomplete: {dimension} has {count} of {needed} ratings",
                dimension=shown,
                count=k,
                needed=need,
            )

        _add(out, rows, count[rows], incomplete)
        spread = (t[f"{d}_max"] - t[f"{d}_min"]).to_numpy(dtype=np.float64)
        rows = np.flatnonzero((spread >= 2) & ~adjudicated)

        def disagree(k, shown=shown):
            return tr(
                "raters disagree on {dimension} by {points:.0f} points", dimension=shown, points=k
            )

        _add(out, rows, spread[rows], disagree)
    return out


def item_verdicts(
    report: StatsReport, gates: Sequence[Gate], names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per item: ``item_id, model, verdict, reasons, not_applicable``.

    FAIL when a hard gate fails (whatever the ratings' state); otherwise
    NEEDS_REVIEW when ratings are incomplete or raters disagree by 2+ points
    without adjudication; otherwise FAIL when any gate fails, else PASS.
    ``reasons`` and ``not_applicable`` are "; "-joined sentences; ``names`` (see
    ``reason_names``) gives the dimensions' names in Chinese.
    """
    names = names or {}
    n = len(report.items)
    review = _review_reasons(report, names)
    hard = np.zeros(n, bool)
    soft = np.zeros(n, bool)
    failed = np.full(n, "", dtype=object)
    skipped = np.full(n, "", dtype=object)
    for g in gates:
        values, why = _item_values(report, g, names)
        if values is None:
            _add(skipped, np.arange(n), np.zeros(n), lambda _, w=why: w)
            continue
        missing = ~np.isfinite(values)
        with np.errstate(invalid="ignore"):
            bad = ~OPS[g.op](values, float(g.threshold)) & ~missing
        (hard if g.hard else soft)[bad] = True
        rows = np.flatnonzero(bad)
        broken, limit = BROKEN[g.op], _fmt(float(g.threshold))
        if g.kind == "min":
            shown = dimension_name(g.name, names)

            def make(v, g=g, broken=broken, shown=shown):
                return tr(
                    "{dimension}: a rater gave {score:g} ({op} {threshold:g})",
                    dimension=shown,
                    score=v,
                    op=broken,
                    threshold=g.threshold,
                )
        else:
            shown = measure_name(g, names)

            def make(v, broken=broken, limit=limit, shown=shown):
                return f"{shown} {_fmt(v)} {broken} {limit}"

        # Rounded first so that continuous metrics format a few hundred strings, not 100k.
        _add(failed, rows, np.round(values[rows], 2), make)
        if g.kind == "metric":  # human values are missing only on items already under review
            rows = np.flatnonzero(missing)
            text = tr(
                "{rule}: no {metric} for this item", rule=g.describe(names), metric=label(g.name)
            )
            _add(skipped, rows, np.zeros(rows.size), lambda _, t=text: t)
    needs = review != ""
    verdict = np.where(
        hard, Verdict.FAIL, np.where(needs, Verdict.NEEDS_REVIEW, np.where(soft, Verdict.FAIL,
                                                                          Verdict.PASS))
    )  # fmt: skip
    return pd.DataFrame(
        {
            "item_id": report.items["item_id"].to_numpy(),
            "model": report.items["model"].to_numpy(),
            "verdict": verdict.astype(object),
            "reasons": _merge(failed, review),
            "not_applicable": skipped,
        }
    )


def model_verdict(
    report: StatsReport,
    summary,
    gates: Sequence[Gate],
    items: pd.DataFrame,
    names: Mapping[str, str] | None = None,
) -> ModelVerdict:
    """Judge one model's means (complete items) against the gates, with its item counts."""
    names = names or {}
    mine = items["verdict"].to_numpy()[items["model"].to_numpy() == summary.model]
    counts = {v: int((mine == v).sum()) for v in Verdict}
    reasons: list[str] = []
    skipped: list[str] = []
    values: dict[str, float | None] = {}
    for g in gates:
        item_vals, why = _item_values(report, g, names)
        if item_vals is None:
            skipped.append(why)
            continue
        if g.kind == "min":
            lows = item_vals[report.items["model"].to_numpy() == summary.model]
            with np.errstate(invalid="ignore"):
                n_low = int((~OPS[g.op](lows, float(g.threshold)) & np.isfinite(lows)).sum())
            values[g.key] = float(n_low)
            if n_low:
                reasons.append(
                    tr(
                        "{dimension}: {count} item(s) with a rater below {threshold:g}",
                        dimension=dimension_name(g.name, names),
                        count=n_low,
                        threshold=g.threshold,
                    )
                )
            continue
        source = summary.metrics if g.kind == "metric" else summary.means
        value = source[g.name].mean if g.name in source else None
        values[g.key] = value
        if value is None:
            skipped.append(
                tr(
                    "{rule}: no {metric} values for this model",
                    rule=g.describe(names),
                    metric=measure_name(g, names),
                )
            )
        elif not OPS[g.op](value, float(g.threshold)):
            reasons.append(
                tr(
                    "mean {measure} {value} {op} {threshold}",
                    measure=measure_name(g, names),
                    value=_fmt(value),
                    op=BROKEN[g.op],
                    threshold=_fmt(float(g.threshold)),
                )
            )
    if reasons:
        verdict = Verdict.FAIL
    elif counts[Verdict.NEEDS_REVIEW] or summary.n_complete == 0:
        verdict = Verdict.NEEDS_REVIEW
        if counts[Verdict.NEEDS_REVIEW]:
            reasons.append(tr("{count} item(s) need review", count=counts[Verdict.NEEDS_REVIEW]))
        if summary.n_complete == 0:
            reasons.append(tr("no item has complete ratings"))
    else:
        verdict = Verdict.PASS
    return ModelVerdict(
        model=summary.model,
        verdict=verdict,
        reasons=tuple(reasons),
        not_applicable=tuple(skipped),
        values=values,
        n_items=summary.n_items,
        n_pass=counts[Verdict.PASS],
        n_fail=counts[Verdict.FAIL],
        n_review=counts[Verdict.NEEDS_REVIEW],
    )


def evaluate(
    report: StatsReport, gates: Sequence[Gate] = DEFAULT_GATES, *, rubric: Rubric | None = None
) -> VerdictReport:
    """Apply the enabled gates to every item and model of ``report``.

    Reasons are written in the current language; with ``rubric``, Chinese reasons
    call the dimensions by their rubric names.
    """
    names = reason_names(rubric)
    active = tuple(g for g in gates if g.enabled)
    items = item_verdicts(report, active, names)
    models = tuple(model_verdict(report, s, active, items, names) for s in report.models)
    cutoffs = {
        g.name: (g.op, float(g.threshold))
        for g in gates
        if g.kind == "metric" and g.name in report.metric_names
    }
    human = next((g for g in gates if g.target == "human:composite"), None)
    found = mismatches(report.items, cutoffs, float(human.threshold) if human else 4.0)
    return VerdictReport(tuple(gates), items, models, found, current_language())
