"""Gates and verdicts: is each item, and each model, good enough to ship?

A ``Gate`` is one rule from the project settings (stored as a plain dict).
``evaluate`` applies the enabled gates to a ``StatsReport``: every item gets
PASS, FAIL (with every failed rule in words) or NEEDS_REVIEW (incomplete
ratings or an unresolved disagreement), and every model is judged on its means
plus its item pass rate.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from annotator.core.errors import InputError
from annotator.core.stats import StatsReport, mismatches
from annotator.core.stats.jsonsafe import clean, records


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    NEEDS_REVIEW = "NEEDS_REVIEW"


OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
_BROKEN = {">=": "<", ">": "<=", "<=": ">", "<": ">="}  # how a failed comparison reads
KINDS = ("metric", "human", "min")
_UPPER = ("bleu", "rouge", "chrf", "ter", "meteor", "bert")


def label(name: str) -> str:
    """How a metric or dimension is named in a reason: "BLEU", "ROUGE-L", "composite"."""
    return name.upper() if name.lower().startswith(_UPPER) else name


@dataclass(frozen=True)
class Gate:
    """One rule: ``target op threshold``.

    ``target`` is "metric:<column>" (mean of an automatic metric),
    "human:<dimension>" or "human:composite" (mean human score), or
    "min:<dimension>" (no single rater below the threshold). A ``hard`` gate
    fails an item even while its ratings are incomplete or disputed.
    ``source`` says where the rule comes from, for the report.
    """

    key: str
    target: str
    op: str
    threshold: float
    enabled: bool = True
    hard: bool = False
    source: str = ""

    def __post_init__(self) -> None:
        kind, _, name = self.target.partition(":")
        if kind not in KINDS or not name:
            raise InputError(f'gate "{self.key}": target must be metric:, human: or min:<name>,'
                             f" got {self.target!r}")  # fmt: skip
        if self.op not in OPS:
            raise InputError(f'gate "{self.key}": op must be one of {list(OPS)}, got {self.op!r}')
        try:
            ok = np.isfinite(float(self.threshold))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise InputError(
                f'gate "{self.key}": threshold must be a number, got {self.threshold!r}'
            )

    @property
    def kind(self) -> str:
        return self.target.partition(":")[0]

    @property
    def name(self) -> str:
        return self.target.partition(":")[2]

    def describe(self) -> str:
        """The rule in words, e.g. "BLEU >= 0.40" or "compliance: no rater below 3"."""
        if self.kind == "min":
            return f"{self.name}: no rater below {self.threshold:g}"
        return f"{label(self.name)} {self.op} {self.threshold:.2f}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Gate:
        """Rebuild a gate stored with ``to_dict``; InputError names what is wrong."""
        missing = {"key", "target", "op", "threshold"} - set(data)
        if missing:
            raise InputError(f"gate {dict(data)!r}: missing {sorted(missing)}")
        return cls(
            key=str(data["key"]),
            target=str(data["target"]),
            op=str(data["op"]),
            threshold=float(data["threshold"]),
            enabled=bool(data.get("enabled", True)),
            hard=bool(data.get("hard", False)),
            source=str(data.get("source", "")),
        )


DEFAULT_GATES: tuple[Gate, ...] = (
    Gate("bleu", "metric:bleu", ">=", 0.4, True, False, "seed: mean BLEU (default preset) >= 0.4"),
    Gate("composite", "human:composite", ">=", 4.0, True, False, "seed: composite >= 4.0"),
    Gate("compliance", "min:compliance", ">=", 3, True, True, "seed: no compliance score < 3"),
    Gate("rouge-l", "metric:rouge-l", ">=", 0.4, False, False, "seed: ROUGE-L F1 (off)"),
    Gate("perplexity", "metric:perplexity", "<=", 50, False, False,
         "seed: perplexity <= 50 (off; only if imported)"),
)  # fmt: skip


def gates_to_dicts(gates: Iterable[Gate]) -> list[dict]:
    return [g.to_dict() for g in gates]


def gates_from_dicts(data: Iterable[Mapping]) -> tuple[Gate, ...]:
    gates = tuple(Gate.from_dict(d) for d in data)
    keys = [g.key for g in gates]
    if len(set(keys)) != len(keys):
        raise InputError(f"gate keys must be unique, got {keys}")
    return gates


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


def _item_values(report: StatsReport, gate: Gate) -> tuple[np.ndarray | None, str]:
    """The per-item value a gate compares, or None and why the gate does not apply."""
    t = report.items
    if gate.kind == "metric":
        if gate.name not in report.metric_names:
            return None, f"{gate.describe()}: {label(gate.name)} not imported"
        return t[gate.name].to_numpy(dtype=np.float64), ""
    if gate.name != "composite" and gate.name not in report.dimensions:
        return None, f"{gate.describe()}: no dimension {gate.name!r} in the rubric"
    if gate.kind == "human":
        col = "composite" if gate.name == "composite" else f"{gate.name}_mean"
        return t[col].to_numpy(dtype=np.float64), ""
    if gate.name == "composite":
        return None, f"{gate.describe()}: min: needs a dimension, not the composite"
    # The lowest single score, unless a lead adjudicated this dimension.
    adjudicated = t[f"{gate.name}_adjudicated"].to_numpy()
    lowest = t[f"{gate.name}_min"].to_numpy(dtype=np.float64)
    return np.where(adjudicated, t[f"{gate.name}_mean"].to_numpy(dtype=np.float64), lowest), ""


def _add(acc: np.ndarray, rows: np.ndarray, keys: np.ndarray, make) -> None:
    """Append ``make(key)`` to the sentences of ``acc`` at ``rows``, "; "-separated.

    Each distinct key is formatted once and only the touched rows are joined:
    per-item f-strings over 100k items would dominate the run time.
    """
    if not rows.size:
        return
    distinct, inverse = np.unique(keys, return_inverse=True)
    texts = np.array([make(k) for k in distinct], dtype=object)[inverse]
    current = acc[rows]
    empty = current == ""
    current[empty] = texts[empty]
    current[~empty] = current[~empty] + "; " + texts[~empty]
    acc[rows] = current


def _merge(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Element-wise "a; b" of two object arrays of sentences ("" = nothing)."""
    out = first.copy()
    rows = np.flatnonzero(second != "")
    a, b = first[rows], second[rows]
    out[rows] = np.where(a == "", b, a + "; " + b)
    return out


def _review_reasons(report: StatsReport) -> np.ndarray:
    """Why each item needs review: missing ratings, open disagreements ("" if none)."""
    t = report.items
    n = len(t)
    out = np.full(n, "", dtype=object)
    need = report.min_raters
    for d in report.dimensions:
        adjudicated = t[f"{d}_adjudicated"].to_numpy()
        count = t[f"{d}_n"].to_numpy()
        rows = np.flatnonzero((count < need) & ~adjudicated)
        _add(out, rows, count[rows], lambda k, d=d: f"incomplete: {d} has {k} of {need} ratings")
        spread = (t[f"{d}_max"] - t[f"{d}_min"]).to_numpy(dtype=np.float64)
        rows = np.flatnonzero((spread >= 2) & ~adjudicated)
        _add(out, rows, spread[rows], lambda k, d=d: f"raters disagree on {d} by {k:.0f} points")
    return out


def item_verdicts(report: StatsReport, gates: Sequence[Gate]) -> pd.DataFrame:
    """One row per item: ``item_id, model, verdict, reasons, not_applicable``.

    FAIL when a hard gate fails (whatever the ratings' state); otherwise
    NEEDS_REVIEW when ratings are incomplete or raters disagree by 2+ points
    without adjudication; otherwise FAIL when any gate fails, else PASS.
    ``reasons`` and ``not_applicable`` are "; "-joined sentences.
    """
    n = len(report.items)
    review = _review_reasons(report)
    hard = np.zeros(n, bool)
    soft = np.zeros(n, bool)
    failed = np.full(n, "", dtype=object)
    skipped = np.full(n, "", dtype=object)
    for g in gates:
        values, why = _item_values(report, g)
        if values is None:
            _add(skipped, np.arange(n), np.zeros(n), lambda _, w=why: w)
            continue
        missing = ~np.isfinite(values)
        with np.errstate(invalid="ignore"):
            bad = ~OPS[g.op](values, float(g.threshold)) & ~missing
        (hard if g.hard else soft)[bad] = True
        rows = np.flatnonzero(bad)
        broken, limit = _BROKEN[g.op], _fmt(float(g.threshold))
        if g.kind == "min":

            def make(v, g=g, broken=broken):
                return f"{g.name}: a rater gave {v:g} ({broken} {g.threshold:g})"
        else:

            def make(v, g=g, broken=broken, limit=limit):
                return f"{label(g.name)} {_fmt(v)} {broken} {limit}"

        # Rounded first so that continuous metrics format a few hundred strings, not 100k.
        _add(failed, rows, np.round(values[rows], 2), make)
        if g.kind == "metric":  # human values are missing only on items already under review
            rows = np.flatnonzero(missing)
            text = f"{g.describe()}: no {label(g.name)} for this item"
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
    report: StatsReport, summary, gates: Sequence[Gate], items: pd.DataFrame
) -> ModelVerdict:
    """Judge one model's means (complete items) against the gates, with its item counts."""
    mine = items["verdict"].to_numpy()[items["model"].to_numpy() == summary.model]
    counts = {v: int((mine == v).sum()) for v in Verdict}
    reasons: list[str] = []
    skipped: list[str] = []
    values: dict[str, float | None] = {}
    for g in gates:
        item_vals, why = _item_values(report, g)
        if item_vals is None:
            skipped.append(why)
            continue
        if g.kind == "min":
            lows = item_vals[report.items["model"].to_numpy() == summary.model]
            with np.errstate(invalid="ignore"):
                n_low = int((~OPS[g.op](lows, float(g.threshold)) & np.isfinite(lows)).sum())
            values[g.key] = float(n_low)
            if n_low:
                reasons.append(f"{g.name}: {n_low} item(s) with a rater below {g.threshold:g}")
            continue
        source = summary.metrics if g.kind == "metric" else summary.means
        value = source[g.name].mean if g.name in source else None
        values[g.key] = value
        if value is None:
            skipped.append(f"{g.describe()}: no {label(g.name)} values for this model")
        elif not OPS[g.op](value, float(g.threshold)):
            reasons.append(
                f"mean {label(g.name)} {_fmt(value)} {_BROKEN[g.op]} {_fmt(float(g.threshold))}"
            )
    if reasons:
        verdict = Verdict.FAIL
    elif counts[Verdict.NEEDS_REVIEW] or summary.n_complete == 0:
        verdict = Verdict.NEEDS_REVIEW
        if counts[Verdict.NEEDS_REVIEW]:
            reasons.append(f"{counts[Verdict.NEEDS_REVIEW]} item(s) need review")
        if summary.n_complete == 0:
            reasons.append("no item has complete ratings")
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


def evaluate(report: StatsReport, gates: Sequence[Gate] = DEFAULT_GATES) -> VerdictReport:
    """Apply the enabled gates to every item and model of ``report``."""
    active = tuple(g for g in gates if g.enabled)
    items = item_verdicts(report, active)
    models = tuple(model_verdict(report, s, active, items) for s in report.models)
    cutoffs = {
        g.name: (g.op, float(g.threshold))
        for g in gates
        if g.kind == "metric" and g.name in report.metric_names
    }
    human = next((g for g in gates if g.target == "human:composite"), None)
    found = mismatches(report.items, cutoffs, float(human.threshold) if human else 4.0)
    return VerdictReport(tuple(gates), items, models, found)
