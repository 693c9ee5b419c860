"""How a project decides: verdict codes, the decision rule, and which model is the baseline.

A lead's question is comparative (is the fine-tune better than the model before it?) and
about confidence (is the evidence enough?). The words for both live here, as values:

- ``Verdict``: the codes written in JSON and the project file (PASS, FAIL, INCONCLUSIVE,
  NEEDS_MORE_DATA, NEEDS_REVIEW); ``domain.wording`` says them in the reader's language.
- ``DecisionRule``: a gate on a mean is judged by its 95% interval (the default) or by its
  point estimate (the plain recipe), and a model needs a minimum of complete samples.
- ``Baseline``: the model candidates are compared with, and how it was chosen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    INCONCLUSIVE = "INCONCLUSIVE"
    NEEDS_MORE_DATA = "NEEDS_MORE_DATA"
    NEEDS_REVIEW = "NEEDS_REVIEW"


# -- the decision rule -------------------------------------------------------------------------
INTERVAL, POINT = "interval", "point"
RULES = (INTERVAL, POINT)
DEFAULT_MINIMUM = 30
RULE_KEY, MINIMUM_KEY = "decision_rule", "decision_minimum"  # project settings


@dataclass(frozen=True)
class DecisionRule:
    """``rule``: "interval" (a gate on a mean passes when its interval clears the threshold,
    fails when it misses it, and is otherwise inconclusive) or "point" (the mean alone
    decides). ``minimum``: complete samples a model needs before it is judged at all."""

    rule: str = INTERVAL
    minimum: int = DEFAULT_MINIMUM

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise AnnotatorError(
                Message(
                    'decision rule must be "interval" or "point", got {value!r}', value=self.rule
                )
            )
        if not isinstance(self.minimum, int) or self.minimum < 1:
            raise AnnotatorError(
                Message(
                    "the decision minimum must be a whole number of samples, at least 1, got"
                    " {value!r}",
                    value=self.minimum,
                )
            )

    @classmethod
    def from_settings(cls, settings: Mapping[str, str | None]) -> DecisionRule:
        """The rule stored in the project settings (the defaults where none is stored)."""
        rule = settings.get(RULE_KEY) or INTERVAL
        raw = settings.get(MINIMUM_KEY)
        try:
            minimum = int(raw) if raw not in (None, "") else DEFAULT_MINIMUM
        except ValueError:
            minimum = -1  # refused below, naming the stored value
        return cls(rule, minimum)

    def settings(self) -> dict[str, str]:
        return {RULE_KEY: self.rule, MINIMUM_KEY: str(self.minimum)}

    def to_dict(self, confidence: float = 0.95) -> dict:
        return {"rule": self.rule, "minimum": self.minimum, "confidence": confidence}

    def describe(self, confidence: float = 0.95) -> Message:
        """The rule in force, in words (the report says which rule decided)."""
        if self.rule == POINT:
            return Message(
                "Decision rule: point estimate (a gate on a mean passes when the mean meets"
                " its threshold); a model needs {minimum} complete samples.",
                minimum=self.minimum,
            )
        return Message(
            "Decision rule: {level:.0%} interval (a gate on a mean passes when the whole"
            " interval clears its threshold, fails when the whole interval misses it, and is"
            " inconclusive otherwise); a model needs {minimum} complete samples.",
            level=confidence,
            minimum=self.minimum,
        )


# -- the baseline ------------------------------------------------------------------------------
BASELINE_KEY = "baseline"  # project setting: the model the lead named
NAMED, BY_NAME, FIRST, NONE = "named", "name", "first", "none"
# Words that name a model before fine-tuning. Latin words match a whole token of the name
# ("Qwen2.5-7B-Base", "base_model"), Chinese ones anywhere in it ("基座模型").
_LATIN = frozenset({"base", "baseline", "original", "pretrained", "before", "pretrain"})
_CJK = ("基座", "基线", "原始")
_TOKEN = re.compile(r"[a-z]+")


def looks_like_baseline(name: str) -> bool:
    """Whether a model's name says it is the model before fine-tuning (case-insensitive)."""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    if any(word in text for word in _CJK):
        return True
    joined = text.replace("-", "").replace("_", "")  # "pre-trained" is "pretrained"
    tokens = set(_TOKEN.findall(text)) | set(_TOKEN.findall(joined))
    return bool(tokens & _LATIN)


@dataclass(frozen=True)
class Baseline:
    """The model every candidate is compared with, and how it was chosen: ``named`` by the
    lead, by its ``name``, the ``first`` imported, or ``none`` (no model yet). ``named_missing``
    is a stored name that is no longer a model of the project (then another was chosen)."""

    model: str | None
    how: str
    named_missing: str | None = None

    def to_dict(self) -> dict:
        return {"model": self.model, "chosen": self.how, "named_missing": self.named_missing}

    def describe(self) -> Message:
        """Which model is the baseline and why, in words."""
        if self.model is None:
            return Message("no baseline: the project has no model yet")
        why = {
            NAMED: Message("named by the lead"),
            BY_NAME: Message("its name says it is the model before fine-tuning"),
            FIRST: Message("the first model imported; name one with annotator models --baseline"),
        }[self.how]
        return Message("baseline: {model} ({why})", model=self.model, why=why)


def choose_baseline(models: Sequence[str], named: str | None) -> Baseline:
    """The baseline among ``models`` (in import order): the named one, else the first whose
    name looks like a baseline, else the first imported."""
    if not models:
        return Baseline(None, NONE)
    missing = named if named and named not in models else None
    if named and not missing:
        return Baseline(named, NAMED)
    by_name = next((m for m in models if looks_like_baseline(m)), None)
    if by_name is not None:
        return Baseline(by_name, BY_NAME, missing)
    return Baseline(models[0], FIRST, missing)


def candidates(models: Sequence[str], baseline: Baseline) -> tuple[tuple[str, str], ...]:
    """(baseline, candidate) for every other model, in import order."""
    return tuple((baseline.model, m) for m in models if m != baseline.model)
