"""A model's verdict that knows how much evidence it rests on.

A gate on a mean (a metric, a dimension, the composite) is judged by the mean's bootstrap
interval under the default rule: it passes when the whole interval clears the threshold,
fails when the whole interval misses it, and is otherwise INCONCLUSIVE, with an estimate
of how many more complete samples would likely settle it (from the spread seen so far).
The item pass-rate gate does the same with a Wilson interval. Under the "point" rule the
mean alone decides (the plain recipe). A model with fewer complete samples than the
decision minimum NEEDS MORE DATA; a failed "no rater below" gate fails it whatever the rest.

Order of the verdicts: FAIL by a "no rater below" gate, NEEDS_MORE_DATA, FAIL, INCONCLUSIVE,
NEEDS_REVIEW (items still incomplete or disputed), PASS. Every reason is kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from annotator.core.domain.decision import POINT, DecisionRule, Verdict
from annotator.core.domain.gates import BROKEN, OPS, Gate, dimension_term, label, measure_term
from annotator.core.domain.message import Message
from annotator.core.stats import StatsReport
from annotator.core.stats.jsonsafe import clean
from annotator.core.stats.pairwise_against import against
from annotator.core.stats.settle import rate_samples_to_settle, samples_to_settle, wilson

PASSED, FAILED, OPEN, SKIPPED = "pass", "fail", "inconclusive", "not_applicable"


def fmt(value: float) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class GateOutcome:
    """One gate judged for one model: the value compared, its interval and sample count,
    the outcome, and (when inconclusive) about how many more samples would settle it."""

    key: str
    outcome: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    n: int = 0
    more_samples: int | None = None

    def to_dict(self) -> dict:
        return clean(asdict(self))


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
    n_complete: int = 0
    minimum: int = 1
    evidence: tuple[GateOutcome, ...] = ()
    pass_rate_ci: tuple[float | None, float | None] = (None, None)

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
        low, high = self.pass_rate_ci
        d["pass_rate_ci"] = {"low": low, "high": high, "method": "wilson"}
        d["evidence"] = [e.to_dict() for e in self.evidence]
        return clean(d)


# -- the arithmetic of evidence ----------------------------------------------------------------
def judge(gate: Gate, value: float, low: float | None, high: float | None, rule: str) -> str:
    """pass / fail / inconclusive: the interval rule when there is an interval, else the point."""
    op, threshold = OPS[gate.op], float(gate.threshold)
    if rule == POINT or low is None or high is None:
        return PASSED if op(value, threshold) else FAILED
    if op(low, threshold) and op(high, threshold):
        return PASSED
    if not op(low, threshold) and not op(high, threshold):
        return FAILED
    return OPEN


# -- judging one model -------------------------------------------------------------------------
def item_values(
    report: StatsReport, gate: Gate, names: Mapping[str, object]
) -> tuple[np.ndarray | None, Message | None]:
    """The per-item value a gate compares, or None and why the gate does not apply."""
    t = report.items
    if gate.kind in ("rate", "pair"):
        return None, None  # judged on the model as a whole, not on an item value
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


@dataclass
class _Judging:
    """What judging one model collects, gate by gate."""

    report: StatsReport
    summary: object
    names: Mapping[str, object]
    decision: DecisionRule
    counts: dict
    low_scores: list  # "no rater below" failures
    failures: list
    open: list
    skipped: list
    values: dict
    evidence: list
    kinds: dict = field(default_factory=lambda: {"open": [], "failures": []})
    pairwise: object = None  # the side-by-side report (stats.pairwise), if any
    baseline: str | None = None

    @property
    def confidence(self) -> float:
        return self.report.confidence

    def mine(self, values: np.ndarray, complete_only: bool) -> np.ndarray:
        t = self.report.items
        rows = t["model"].to_numpy() == self.summary.model
        if complete_only:
            rows &= t["complete"].to_numpy()
        out = values[rows]
        return out[np.isfinite(out)]


def _judge_min(j: _Judging, gate: Gate, values: np.ndarray) -> None:
    lows = j.mine(values, complete_only=False)
    with np.errstate(invalid="ignore"):
        n_low = int((~OPS[gate.op](lows, float(gate.threshold))).sum())
    j.values[gate.key] = float(n_low)
    j.evidence.append(GateOutcome(gate.key, FAILED if n_low else PASSED, float(n_low), n=len(lows)))
    if n_low:
        j.low_scores.append(
            Message(
                "{dimension}: {count} item(s) with a rater below {threshold:g}",
                dimension=dimension_term(gate.name, j.names),
                count=n_low,
                threshold=gate.threshold,
            )
        )


def _open_reason(common: dict, more: int | None, rated: bool) -> Message:
    if more is None:
        return Message(
            "{measure} {value} ({level:.0%} interval {low} to {high}, {n} samples) sits on"
            " {threshold}: more samples may not settle it",
            **common,
        )
    if not rated:  # an automatic metric: every sample has it, rated or not
        return Message(
            "{measure} {value} ({level:.0%} interval {low} to {high}, {n} samples) straddles"
            " {threshold}: about {more} more samples would likely settle it",
            more=more,
            **common,
        )
    return Message(
        "{measure} {value} ({level:.0%} interval {low} to {high}, {n} samples) straddles"
        " {threshold}: about {more} more complete samples would likely settle it",
        more=more,
        **common,
    )


def _fail_reason(common: dict, op: str, by_interval: bool) -> Message:
    if not by_interval:
        return Message("{measure} {value} {op} {threshold} ({n} samples)", op=op, **common)
    return Message(
        "{measure} {value} {op} {threshold}: the whole {level:.0%} interval {low} to"
        " {high} misses it ({n} samples)",
        op=op,
        **common,
    )


def _record(j: _Judging, gate: Gate, measure, value, low, high, n, variance, shown) -> None:
    """Judge a value with its interval and say why it failed or stays open (``variance``
    None: a pass rate, settled by its Wilson interval)."""
    threshold = float(gate.threshold)
    outcome = judge(gate, value, low, high, j.decision.rule)
    by_interval = j.decision.rule != POINT and low is not None and high is not None
    common = {
        "measure": measure,
        "value": shown(value),
        "threshold": shown(threshold),
        "n": n,
        "level": j.confidence,
    }
    if by_interval:
        common |= {"low": shown(low), "high": shown(high)}
    more = None
    if outcome == OPEN:
        if variance is None:
            more = rate_samples_to_settle(value, threshold, n, j.confidence)
        else:
            more = samples_to_settle(variance, value, threshold, n, j.confidence)
        j.open.append(_open_reason(common, more, gate.kind != "metric"))
        j.kinds["open"].append(gate.kind)
    elif outcome == FAILED:
        j.failures.append(_fail_reason(common, BROKEN[gate.op], by_interval))
        j.kinds["failures"].append(gate.kind)
    j.values[gate.key] = value
    j.evidence.append(GateOutcome(gate.key, outcome, value, low, high, n, more))


def _judge_mean(j: _Judging, gate: Gate, values: np.ndarray) -> None:
    source = j.summary.metrics if gate.kind == "metric" else j.summary.means
    mean = source.get(gate.name)
    if mean is None or mean.mean is None:
        j.values[gate.key] = None
        j.evidence.append(GateOutcome(gate.key, SKIPPED))
        j.skipped.append(
            Message(
                "{rule}: no {metric} values for this model",
                rule=gate.rule(j.names),
                metric=measure_term(gate, j.names),
            )
        )
        return
    mine = j.mine(values, complete_only=gate.kind == "human")
    variance = float(mine.var(ddof=1)) if mine.size > 1 else math.nan
    measure = Message("mean {measure}", measure=measure_term(gate, j.names))
    _record(j, gate, measure, mean.mean, mean.ci.low, mean.ci.high, mean.n, variance, fmt)


def _judge_rate(j: _Judging, gate: Gate) -> None:
    passed, failed = j.counts[Verdict.PASS], j.counts[Verdict.FAIL]
    n = passed + failed
    if not n:
        j.values[gate.key] = None
        j.evidence.append(GateOutcome(gate.key, SKIPPED))
        j.skipped.append(Message("{rule}: no item has a verdict yet", rule=gate.rule(j.names)))
        return
    rate = passed / n
    low, high = wilson(passed, n, j.confidence)
    _record(j, gate, Message("item pass rate"), rate, low, high, n, None, "{:.0%}".format)


def _judge_pair(j: _Judging, gate: Gate) -> None:
    """The candidate's side-by-side net score or win rate against the baseline."""
    model, baseline = j.summary.model, j.baseline
    found = (
        None
        if baseline in (None, model)
        else against(j.pairwise, model, baseline, gate.name, j.confidence)
    )
    if found is None:
        j.values[gate.key] = None
        j.evidence.append(GateOutcome(gate.key, SKIPPED))
        if baseline != model:
            j.skipped.append(Message("{rule}: not judged side by side against the baseline",
                                     rule=gate.rule(j.names)))  # fmt: skip
        return
    shown = "{:+.2f}".format if gate.name == "net" else "{:.2f}".format
    measure = measure_term(gate, j.names)
    _record(j, gate, measure, found.value, found.low, found.high, found.samples,
            found.variance, shown)  # fmt: skip


def _verdict(j: _Judging) -> tuple[Verdict, list[Message]]:
    """The verdict and its reasons, in the order the module docstring gives."""
    summary, review = j.summary, j.counts[Verdict.NEEDS_REVIEW]
    more_data = summary.n_complete < j.decision.minimum
    reasons = [*j.low_scores]
    if more_data:
        reasons.append(
            Message(
                "{complete} of {items} items complete; {needed} needed",
                complete=summary.n_complete,
                items=summary.n_items,
                needed=j.decision.minimum,
            )
        )
    if more_data:  # a mean of 4 samples proves nothing: only the metrics' gates are said
        j.failures = [
            m for m, k in zip(j.failures, j.kinds["failures"], strict=True) if k == "metric"
        ]
        j.open = [m for m, k in zip(j.open, j.kinds["open"], strict=True) if k == "metric"]
    reasons += j.failures + j.open
    if review and not more_data:
        reasons.append(Message("{count} item(s) need review", count=review))
    if j.low_scores:
        return Verdict.FAIL, reasons
    if more_data:
        return Verdict.NEEDS_MORE_DATA, reasons
    if j.failures:
        return Verdict.FAIL, reasons
    if j.open:
        return Verdict.INCONCLUSIVE, reasons
    return (Verdict.NEEDS_REVIEW if review else Verdict.PASS), reasons


def model_verdict(
    report: StatsReport,
    summary,
    gates: Sequence[Gate],
    items: pd.DataFrame,
    names: Mapping[str, object] | None = None,
    decision: DecisionRule | None = None,
    pairwise=None,
    baseline: str | None = None,
) -> ModelVerdict:
    """Judge one model's means (complete items) against the gates, with its evidence;
    ``pairwise`` and ``baseline``: for a side-by-side gate against the baseline."""
    decision = decision or DecisionRule()
    mine = items["verdict"].to_numpy()[items["model"].to_numpy() == summary.model]
    counts = {v: int((mine == v).sum()) for v in Verdict}
    j = _Judging(report, summary, names or {}, decision, counts, [], [], [], [], {}, [])
    j.pairwise, j.baseline = pairwise, baseline
    for g in gates:
        values, why = item_values(report, g, j.names)
        if g.kind == "rate":
            _judge_rate(j, g)
        elif g.kind == "pair":
            _judge_pair(j, g)
        elif values is None:
            j.skipped.append(why)
            j.evidence.append(GateOutcome(g.key, SKIPPED))
        elif g.kind == "min":
            _judge_min(j, g, values)
        else:
            _judge_mean(j, g, values)
    verdict, reasons = _verdict(j)
    return ModelVerdict(
        model=summary.model,
        verdict=verdict,
        reasons=tuple(m.text() for m in reasons),
        not_applicable=tuple(m.text() for m in j.skipped),
        values=j.values,
        n_items=summary.n_items,
        n_pass=counts[Verdict.PASS],
        n_fail=counts[Verdict.FAIL],
        n_review=counts[Verdict.NEEDS_REVIEW],
        reason_messages=tuple(reasons),
        not_applicable_messages=tuple(j.skipped),
        n_complete=summary.n_complete,
        minimum=decision.minimum,
        evidence=tuple(j.evidence),
        pass_rate_ci=wilson(
            counts[Verdict.PASS], counts[Verdict.PASS] + counts[Verdict.FAIL], report.confidence
        ),
    )
