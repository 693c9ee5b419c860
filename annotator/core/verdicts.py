"""Verdicts: is each item, and each model, good enough to ship?

``evaluate`` applies the enabled gates (``core.gates``) to a ``StatsReport``: every
item gets PASS, FAIL (with every failed rule in words) or NEEDS_REVIEW (incomplete
ratings or an unresolved disagreement), and every model is judged on its means
plus its item pass rate.

Reasons are messages (``domain.message.Message``) kept with the verdicts; the text
columns are one rendering (in ``evaluate``'s language) and ``VerdictReport.in_language``
renders another without judging again, so the report (project's language) and the app
(interface's) read the same reasons. In Chinese a dimension is called by its rubric name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

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
from annotator.core.i18n import current_language, normalize
from annotator.core.stats import StatsReport, mismatches
from annotator.core.stats.jsonsafe import clean, records

if TYPE_CHECKING:
    from annotator.core.domain.models import Rubric


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    NEEDS_REVIEW = "NEEDS_REVIEW"


@dataclass(frozen=True)
class ModelVerdict:
    """A model's means against the gates, and how its items fared."""

    model: str
    verdict: Verdict
    reasons: tuple[str, ...]  # ``reason_messages`` as text, in the report's language
    not_applicable: tuple[str, ...]
    values: dict[str, float | None]  # gate key -> the value that was compared
    n_items: int
    n_pass: int
    n_fail: int
    n_review: int
    reason_messages: tuple[Message, ...] = ()
    not_applicable_messages: tuple[Message, ...] = ()

    def in_language(self, language: str) -> ModelVerdict:
        """The same verdict with its reasons written in ``language``."""
        return replace(
            self,
            reasons=tuple(m.text(language) for m in self.reason_messages),
            not_applicable=tuple(m.text(language) for m in self.not_applicable_messages),
        )

    @property
    def pass_rate(self) -> float | None:
        """Share of items that passed, over items with a verdict other than review."""
        done = self.n_pass + self.n_fail
        return self.n_pass / done if done else None

    def to_dict(self) -> dict:
        d = asdict(self)
        del d["reason_messages"], d["not_applicable_messages"]  # the text says them
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
    language: str = "en"  # the language the text columns of ``items`` are written in
    # Per item (aligned with ``items``), the reasons and skipped gates as message tuples.
    reason_messages: np.ndarray | None = None
    not_applicable_messages: np.ndarray | None = None

    def in_language(self, language: str | None) -> VerdictReport:
        """The same verdicts with every reason written in ``language``; nothing is judged
        again (the messages made by ``evaluate`` are rendered, each distinct one once)."""
        language = normalize(language)
        if language == self.language or self.reason_messages is None:
            return self
        items = self.items.copy()
        items["reasons"] = _texts(self.reason_messages, language)
        items["not_applicable"] = _texts(self.not_applicable_messages, language)
        models = tuple(m.in_language(language) for m in self.models)
        return replace(self, items=items, models=models, language=language)

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


def _texts(messages: np.ndarray, language: str) -> np.ndarray:
    """Each item's tuple of messages as one "; "-joined text in ``language``."""
    return np.array(Renderer(language).texts(messages), dtype=object)


def _empty(n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out.fill(())  # each item's reasons: a tuple of messages
    return out


def _item_values(
    report: StatsReport, gate: Gate, names: Mapping[str, object]
) -> tuple[np.ndarray | None, Message | None]:
    """The per-item value a gate compares, or None and why the gate does not apply."""
    t = report.items
    if gate.kind == "metric":
        if gate.name not in report.metric_names:
            return None, Message(
                "{rule}: {metric} not imported", rule=gate.rule(names), metric=label(gate.name)
            )
        return t[gate.name].to_numpy(dtype=np.float64), None
    if gate.name != "composite" and gate.name not in report.dimensions:
        return None, Message(
            "{rule}: no dimension {dimension!r} in the rubric",
            rule=gate.rule(names),
            dimension=gate.name,
        )
    if gate.kind == "human":
        col = "composite" if gate.name == "composite" else f"{gate.name}_mean"
        return t[col].to_numpy(dtype=np.float64), None
    if gate.name == "composite":
        return None, Message(
            "{rule}: min: needs a dimension, not the composite", rule=gate.rule(names)
        )
    # The lowest single score, unless a lead adjudicated this dimension.
    adjudicated = t[f"{gate.name}_adjudicated"].to_numpy()
    lowest = t[f"{gate.name}_min"].to_numpy(dtype=np.float64)
    return np.where(adjudicated, t[f"{gate.name}_mean"].to_numpy(dtype=np.float64), lowest), None


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
                    value=_fmt(v),
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


def model_verdict(
    report: StatsReport,
    summary,
    gates: Sequence[Gate],
    items: pd.DataFrame,
    names: Mapping[str, object] | None = None,
) -> ModelVerdict:
    """Judge one model's means (complete items) against the gates, with its item counts."""
    names = names or {}
    mine = items["verdict"].to_numpy()[items["model"].to_numpy() == summary.model]
    counts = {v: int((mine == v).sum()) for v in Verdict}
    reasons: list[Message] = []
    skipped: list[Message] = []
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
                    Message(
                        "{dimension}: {count} item(s) with a rater below {threshold:g}",
                        dimension=dimension_term(g.name, names),
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
                Message(
                    "{rule}: no {metric} values for this model",
                    rule=g.rule(names),
                    metric=measure_term(g, names),
                )
            )
        elif not OPS[g.op](value, float(g.threshold)):
            reasons.append(
                Message(
                    "mean {measure} {value} {op} {threshold}",
                    measure=measure_term(g, names),
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
            reasons.append(
                Message("{count} item(s) need review", count=counts[Verdict.NEEDS_REVIEW])
            )
        if summary.n_complete == 0:
            reasons.append(Message("no item has complete ratings"))
    else:
        verdict = Verdict.PASS
    return ModelVerdict(
        model=summary.model,
        verdict=verdict,
        reasons=tuple(m.text() for m in reasons),
        not_applicable=tuple(m.text() for m in skipped),
        values=values,
        n_items=summary.n_items,
        n_pass=counts[Verdict.PASS],
        n_fail=counts[Verdict.FAIL],
        n_review=counts[Verdict.NEEDS_REVIEW],
        reason_messages=tuple(reasons),
        not_applicable_messages=tuple(skipped),
    )


def evaluate(
    report: StatsReport, gates: Sequence[Gate] = DEFAULT_GATES, *, rubric: Rubric | None = None
) -> VerdictReport:
    """Apply the enabled gates to every item and model of ``report``.

    Reasons are kept as messages, written in the current language (``in_language`` for
    another); with ``rubric``, Chinese reasons name the dimensions by their rubric names.
    """
    names = reason_terms(rubric)
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
    language = current_language()
    reasons, skipped = items["reasons"].to_numpy(), items["not_applicable"].to_numpy()
    items["reasons"] = _texts(reasons, language)
    items["not_applicable"] = _texts(skipped, language)
    return VerdictReport(tuple(gates), items, models, found, language, reasons, skipped)
