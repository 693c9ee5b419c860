"""Verdicts: is each item, and each model, good enough to ship?

``evaluate`` applies the enabled gates (``core.gates``) to a ``StatsReport``: every
item gets PASS, FAIL (with every failed rule in words) or NEEDS_REVIEW (incomplete
ratings or an unresolved disagreement), and every model is judged on its means, their
intervals and its item pass rate, knowing how many samples they rest on
(``core.evidence``).

Reasons are messages (``domain.message.Message``) kept with the verdicts; the text
columns are one rendering (in ``evaluate``'s language) and ``VerdictReport.in_language``
renders another without judging again, so the report (project's language) and the app
(interface's) read the same reasons. In Chinese a dimension is called by its rubric name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from annotator.core.domain.decision import DecisionRule, Verdict
from annotator.core.domain.gates import (
    BROKEN,
    DEFAULT_GATES,
    OPS,
    Gate,
    dimension_term,
    gates_to_dicts,
    label,
    measure_term,
    reason_terms,
)
from annotator.core.domain.message import Message, Renderer, Verbatim
from annotator.core.evidence import ModelVerdict, fmt, item_values, model_verdict

__all__ = ["ModelVerdict", "Verdict", "VerdictReport", "evaluate", "item_verdicts"]
from annotator.core.i18n import current_language, normalize
from annotator.core.stats import StatsReport, mismatches
from annotator.core.stats.jsonsafe import clean, records

if TYPE_CHECKING:
    from annotator.core.domain.models import Rubric


@dataclass(frozen=True)
class VerdictReport:
    """Verdicts for every item and model, with the gates used and diagnostics.

    ``table`` holds item_id, model and verdict; ``items`` adds the reasons and skipped gates
    as text in ``language``, written when first asked for (100,000 items' reasons are a
    tenth of a report that prints only the models)."""

    gates: tuple[Gate, ...]
    table: pd.DataFrame  # item_id, model, verdict
    models: tuple[ModelVerdict, ...]
    mismatches: pd.DataFrame = field(default_factory=pd.DataFrame)
    language: str = "en"  # the language the text columns of ``items`` are written in
    # Per item (aligned with ``items``), the reasons and skipped gates as message tuples.
    reason_messages: np.ndarray | None = None
    not_applicable_messages: np.ndarray | None = None
    decision: DecisionRule = field(default_factory=DecisionRule)
    confidence: float = 0.95

    @cached_property
    def items(self) -> pd.DataFrame:
        """item_id, model, verdict, reasons, not_applicable (texts in ``language``)."""
        items = self.table.copy()
        empty = np.full(len(items), "", dtype=object)
        for column, messages in (
            ("reasons", self.reason_messages),
            ("not_applicable", self.not_applicable_messages),
        ):
            items[column] = empty if messages is None else _texts(messages, self.language)
        return items

    def in_language(self, language: str | None) -> VerdictReport:
        """The same verdicts with every reason written in ``language``; nothing is judged
        again (the messages made by ``evaluate`` are rendered, each distinct one once)."""
        language = normalize(language)
        if language == self.language or self.reason_messages is None:
            return self
        models = tuple(m.in_language(language) for m in self.models)
        return replace(self, models=models, language=language)

    def model(self, name: str) -> ModelVerdict:
        for m in self.models:
            if m.model == name:
                return m
        raise KeyError(name)

    def to_dict(self, include_items: bool = True, include_lists: bool = True) -> dict:
        """Plain dict; ``include_lists=False`` leaves out the metric/human mismatches (one
        row per item; their number stays)."""
        out = clean(
            {
                "gates": gates_to_dicts(self.gates),
                "decision": self.decision.to_dict(self.confidence),
                "models": [m.to_dict() for m in self.models],
            }
        )
        out["mismatch_count"] = len(self.mismatches)
        if include_lists:
            out["mismatches"] = records(self.mismatches)  # JSON-safe already, walked once
        if include_items:
            out["items"] = records(self.items)
        return out


def _texts(messages: np.ndarray, language: str) -> np.ndarray:
    """Each item's tuple of messages as one "; "-joined text in ``language``."""
    return np.array(Renderer(language).texts(messages), dtype=object)


def _empty(n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out.fill(())  # each item's reasons: a tuple of messages
    return out


def _add(acc: np.ndarray, rows: np.ndarray, keys: np.ndarray, make) -> None:
    """Append the message ``make(key)`` to the reasons of ``acc`` at ``rows``; each distinct
    key makes one message, shared by its rows and later written once (``Renderer``)."""
    if not rows.size:
        return
    distinct, inverse = np.unique(keys, return_inverse=True)
    made = [make(k) for k in distinct]
    for row, k in zip(rows.tolist(), inverse.tolist(), strict=True):
        acc[row] = (*acc[row], made[k])


def _review_reasons(report: StatsReport, names: Mapping[str, object]) -> np.ndarray:
    """Why each item needs review: missing ratings, open disagreements (() if none)."""
    t = report.items
    n = len(t)
    out = _empty(n)
    need = report.min_raters
    for d in report.dimensions:
        shown = dimension_term(d, names)
        adjudicated = t[f"{d}_adjudicated"].to_numpy()
        count = t[f"{d}_n"].to_numpy()
        rows = np.flatnonzero((count < need) & ~adjudicated)

        def incomplete(k, shown=shown):
            return Message(
                "incomplete: {dimension} has {count} of {needed} ratings",
                dimension=shown,
                count=k,
                needed=need,
            )

        _add(out, rows, count[rows], incomplete)
        spread = (t[f"{d}_max"] - t[f"{d}_min"]).to_numpy(dtype=np.float64)
        rows = np.flatnonzero((spread >= 2) & ~adjudicated)

        def disagree(k, shown=shown):
            return Message(
                "raters disagree on {dimension} by {points:.0f} points", dimension=shown, points=k
            )

        _add(out, rows, spread[rows], disagree)
    return out


def item_verdicts(
    report: StatsReport, gates: Sequence[Gate], names: Mapping[str, object] | None = None
) -> pd.DataFrame:
    """One row per item: ``item_id, model, verdict, reasons, not_applicable`` (tuples of
    messages, which ``evaluate`` keeps and writes as text).

    FAIL when a hard gate fails (whatever the ratings' state); otherwise
    NEEDS_REVIEW when ratings are incomplete or raters disagree by 2+ points
    without adjudication; otherwise FAIL when any gate fails, else PASS.
    ``names`` (see ``reason_terms``) gives the dimensions' names in Chinese.
    """
    names = names or {}
    n = len(report.items)
    review = _review_reasons(report, names)
    hard = np.zeros(n, bool)
    soft = np.zeros(n, bool)
    failed = _empty(n)
    skipped = _empty(n)
    for g in gates:
        values, why = item_values(report, g, names)
        if g.kind in ("rate", "pair"):  # judged on a model as a whole, not per item
            continue
        if values is None:
            _add(skipped, np.arange(n), np.zeros(n), lambda _, w=why: w)
            continue
        missing = ~np.isfinite(values)
        with np.errstate(invalid="ignore"):
            bad = ~OPS[g.op](values, float(g.threshold)) & ~missing
        (hard if g.hard else soft)[bad] = True
        rows = np.flatnonzero(bad)
        broken, limit = BROKEN[g.op], fmt(float(g.threshold))
        if g.kind == "min":
            shown = dimension_term(g.name, names)

            def make(v, g=g, broken=broken, shown=shown):
                return Message(
                    "{dimension}: a rater gave {score:g} ({op} {threshold:g})",
                    dimension=shown,
                    score=v,
                    op=broken,
                    threshold=g.threshold,
                )
        else:
            shown = measure_term(g, names)

            def make(v, broken=broken, limit=limit, shown=shown):
                return Verbatim(
                    "{measure} {value} {op} {threshold}",
                    measure=shown,
                    value=fmt(v),
                    op=broken,
                    threshold=limit,
                )

        # Rounded first so that continuous metrics format a few hundred strings, not 100k.
        _add(failed, rows, np.round(values[rows], 2), make)
        if g.kind == "metric":  # human values are missing only on items already under review
            rows = np.flatnonzero(missing)
            text = Message(
                "{rule}: no {metric} for this item", rule=g.rule(names), metric=label(g.name)
            )
            _add(skipped, rows, np.zeros(rows.size), lambda _, t=text: t)
    needs = np.frompyfunc(len, 1, 1)(review).astype(bool)
    verdict = np.where(
        hard, Verdict.FAIL, np.where(needs, Verdict.NEEDS_REVIEW, np.where(soft, Verdict.FAIL,
                                                                          Verdict.PASS))
    )  # fmt: skip
    return pd.DataFrame(
        {
            "item_id": report.items["item_id"].to_numpy(),
            "model": report.items["model"].to_numpy(),
            "verdict": verdict.astype(object),
            "reasons": failed + review,  # element-wise: the item's failures, then review
            "not_applicable": skipped,
        }
    )


def evaluate(
    report: StatsReport,
    gates: Sequence[Gate] = DEFAULT_GATES,
    *,
    rubric: Rubric | None = None,
    decision: DecisionRule | None = None,
    pairwise=None,
    baseline: str | None = None,
    gate_means: Mapping[str, Mapping[str, object]] | None = None,
) -> VerdictReport:
    """Apply the enabled gates to every item and model of ``report``.

    Reasons are kept as messages, written in the current language (``in_language`` for
    another); with ``rubric``, Chinese reasons name the dimensions by their rubric names.
    ``decision``: the interval or point rule and the minimum of complete samples (see
    ``core.evidence``); the project's defaults when None. ``pairwise`` (a side-by-side
    report) and ``baseline`` judge a candidate's side-by-side gate against the baseline.
    ``gate_means``: per model, the means (``MeanCI`` by dimension and "composite") that the
    model gates on human means use instead of the human-only ones (a judge's
    prediction-powered means, when the lead chose them); item verdicts never change.
    """
    names = reason_terms(rubric)
    decision = decision or DecisionRule()
    active = tuple(g for g in gates if g.enabled)
    items = item_verdicts(report, active, names)
    gate_means = gate_means or {}
    models = tuple(
        model_verdict(
            report, _with_means(s, gate_means.get(s.model)), active, items, names, decision,
            pairwise, baseline,
        )
        for s in report.models
    )  # fmt: skip
    cutoffs = {
        g.name: (g.op, float(g.threshold))
        for g in gates
        if g.kind == "metric" and g.name in report.metric_names
    }
    human = next((g for g in gates if g.target == "human:composite"), None)
    found = mismatches(report.items, cutoffs, float(human.threshold) if human else 4.0)
    reasons, skipped = items["reasons"].to_numpy(), items["not_applicable"].to_numpy()
    return VerdictReport(
        tuple(gates), items[["item_id", "model", "verdict"]], models, found, current_language(),
        reasons, skipped, decision, report.confidence,
    )  # fmt: skip


def _with_means(summary, means: Mapping[str, object] | None):
    """The model's summary with ``means`` in place of its human-only means."""
    if not means:
        return summary
    return replace(summary, means={**summary.means, **means})
