"""Gates: the pass/fail rules of a project, and how they read in words.

A ``Gate`` is one rule from the project settings (stored as a plain dict):
``target op threshold``. ``core.verdicts`` applies them. Light on imports, so the
command line can show and edit gates without loading the statistics.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from annotator.core.domain.errors import InputError
from annotator.core.domain.message import Message, Term, Verbatim, as_text
from annotator.core.i18n import current_language, tr

if TYPE_CHECKING:
    from annotator.core.domain.models import Rubric

OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
BROKEN = {">=": "<", ">": "<=", "<=": ">", "<": ">="}  # how a failed comparison reads
KINDS = ("metric", "human", "min", "rate", "pair")
RATE_TARGET = "rate:items"  # the share of a model's judged items that pass
_UPPER = ("bleu", "rouge", "chrf", "ter", "meteor", "bert")


def label(name: str) -> str:
    """How a metric or dimension is named in a reason: "BLEU", "ROUGE-L", "composite"."""
    return name.upper() if name.lower().startswith(_UPPER) else name


def reason_names(rubric: Rubric | None) -> dict[str, str]:
    """How reasons call each dimension: its rubric name in Chinese, its key otherwise.

    English reasons keep the keys ("compliance"), as the tables and the CLI do.
    """
    if rubric is None or current_language() != "zh_CN":
        return {}
    return {d.key: d.name_zh for d in rubric.dimensions if d.name_zh}


def reason_terms(rubric: Rubric | None) -> dict[str, Term]:
    """How reasons call each dimension, in any language: its key, and its rubric name for
    Chinese readers. Unlike ``reason_names`` it does not depend on the current language,
    so a reason made with it reads right in whichever language it is shown."""
    if rubric is None:
        return {}
    return {d.key: Term(d.key, d.name_zh or "") for d in rubric.dimensions}


def dimension_term(name: str, names: Mapping[str, object]) -> object:
    """A dimension (or the composite) as a deferred reason names it (a Term or Message)."""
    if name in names:
        return names[name]
    return Message("composite") if name == "composite" else name


def measure_term(gate: Gate, names: Mapping[str, object]) -> object:
    """What a gate compares, deferred: "BLEU", the composite, a dimension, the pass rate."""
    if gate.kind == "rate":
        return Message("item pass rate")
    if gate.kind == "pair":
        return (
            Message("side-by-side net score")
            if gate.name == "net"
            else Message("side-by-side win rate")
        )
    if gate.kind != "metric" and (gate.name in names or gate.name == "composite"):
        return dimension_term(gate.name, names)
    return label(gate.name)


def dimension_name(name: str, names: Mapping[str, object]) -> str:
    """A dimension (or the composite) as a reason names it, in the current language."""
    return as_text(dimension_term(name, names))


def measure_name(gate: Gate, names: Mapping[str, object]) -> str:
    """What a gate compares, as a reason names it: "BLEU", "composite", a dimension."""
    return as_text(measure_term(gate, names))


@dataclass(frozen=True)
class Gate:
    """One rule: ``target op threshold``.

    ``target`` is "metric:<column>" (mean of an automatic metric),
    "human:<dimension>" or "human:composite" (mean human score),
    "min:<dimension>" (no single rater below the threshold), or "rate:items" (the share
    of a model's judged items that pass, 0-1). A ``hard`` gate
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
            raise InputError(
                tr(
                    'gate "{key}": target must be metric:, human:, min:<name>, rate:items,'
                    " pair:net or pair:win_rate, got {target!r}",
                    key=self.key,
                    target=self.target,
                )
            )
        if self.op not in OPS:
            raise InputError(
                tr(
                    'gate "{key}": op must be one of {ops}, got {op!r}',
                    key=self.key,
                    ops=list(OPS),
                    op=self.op,
                )
            )
        try:
            ok = math.isfinite(float(self.threshold))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise InputError(
                tr(
                    'gate "{key}": threshold must be a number, got {threshold!r}',
                    key=self.key,
                    threshold=self.threshold,
                )
            )

    @property
    def kind(self) -> str:
        return self.target.partition(":")[0]

    @property
    def name(self) -> str:
        return self.target.partition(":")[2]

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The rule in words, e.g. "BLEU >= 0.40" or "compliance: no rater below 3".

        ``names`` (see ``reason_names``) gives the dimensions' names in Chinese.
        """
        return self.rule(names).text()

    def rule(self, names: Mapping[str, object] | None = None) -> Message:
        """The rule as a message, translated when shown (see ``describe``).

        ``names`` maps dimensions to their names: ``reason_terms`` for any language.
        """
        names = names or {}
        if self.kind == "min":
            return Message(
                "{dimension}: no rater below {threshold:g}",
                dimension=dimension_term(self.name, names),
                threshold=self.threshold,
            )
        if self.kind == "rate" and 0 <= self.threshold <= 1:
            return Verbatim(
                "{measure} {op} {threshold:.0%}",
                measure=measure_term(self, names),
                op=self.op,
                threshold=self.threshold,
            )
        return Verbatim(
            "{measure} {op} {threshold:.2f}",
            measure=measure_term(self, names),
            op=self.op,
            threshold=self.threshold,
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Gate:
        """Rebuild a gate stored with ``to_dict``; InputError names what is wrong."""
        missing = {"key", "target", "op", "threshold"} - set(data)
        if missing:
            raise InputError(
                tr("gate {gate!r}: missing {missing}", gate=dict(data), missing=sorted(missing))
            )
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
    Gate("pass-rate", RATE_TARGET, ">=", 0.8, False, False,
         "seed: share of items that pass >= 80% (off)"),
    Gate("gsb-net", "pair:net", ">=", 0.1, False, False,
         "seed: side-by-side net score against the baseline >= 0.1 (off)"),
)  # fmt: skip
# Metrics where a lower value is better: a comparison reads "better" when they go down.
LOWER_BETTER = ("perplexity", "ppl", "ter", "wer", "cer", "loss")


def lower_is_better(name: str, gates: Iterable[Gate] = ()) -> bool:
    """Whether a lower value of a metric is better: by its name, or a gate asking for <=/<."""
    if any(g.kind == "metric" and g.name == name and g.op in ("<", "<=") for g in gates):
        return True
    return name.lower().startswith(LOWER_BETTER)


def source_text(source: str) -> str:
    """Where a gate comes from, in the reader's language.

    The stored text is English (or whatever a lead typed); the built-in ones are shown
    translated, anything else as it was written.
    """
    known = {
        "seed: mean BLEU (default preset) >= 0.4": tr("seed: mean BLEU (default preset) >= 0.4"),
        "seed: composite >= 4.0": tr("seed: composite >= 4.0"),
        "seed: no compliance score < 3": tr("seed: no compliance score < 3"),
        "seed: ROUGE-L F1 (off)": tr("seed: ROUGE-L F1 (off)"),
        "seed: perplexity <= 50 (off; only if imported)": tr(
            "seed: perplexity <= 50 (off; only if imported)"
        ),
        "seed: share of items that pass >= 80% (off)": tr(
            "seed: share of items that pass >= 80% (off)"
        ),
        "seed: side-by-side net score against the baseline >= 0.1 (off)": tr(
            "seed: side-by-side net score against the baseline >= 0.1 (off)"
        ),
        "edited": tr("edited"),
        "added by the lead": tr("added by the lead"),
    }
    return known.get(source, source)


def gates_to_dicts(gates: Iterable[Gate]) -> list[dict]:
    return [g.to_dict() for g in gates]


def gates_from_dicts(data: Iterable[Mapping]) -> tuple[Gate, ...]:
    gates = tuple(Gate.from_dict(d) for d in data)
    keys = [g.key for g in gates]
    if len(set(keys)) != len(keys):
        raise InputError(tr("gate keys must be unique, got {keys}", keys=keys))
    return gates
