"""Use case: change the gate rules, switch gates on or off (or hard/soft), reset them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from annotator.core.domain.decision import DecisionRule
from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.gates import Gate
from annotator.core.domain.message import Message
from annotator.core.storage import Database, MetaRepo


def _decision(db: Database, rule: str | None, minimum: int | None, reset: bool) -> DecisionRule:
    """The decision rule after the change (checked; nothing saved here)."""
    from annotator.core.usecases.evaluation import load_decision

    current = DecisionRule() if reset else load_decision(db)
    return DecisionRule(rule or current.rule, current.minimum if minimum is None else minimum)


def edit_gates(
    db: Database,
    *,
    rules: Iterable[str] = (),
    enable: Iterable[str] = (),
    disable: Iterable[str] = (),
    hard: Iterable[str] = (),
    soft: Iterable[str] = (),
    reset: bool = False,
    decision: str | None = None,
    minimum: int | None = None,
) -> tuple[Gate, ...]:
    """Apply the rules ("bleu >= 0.35") and switches, and the decision rule ("interval" or
    "point") and minimum of complete samples; save them together and return the gates.

    Raises:
        AnnotatorError: a rule that cannot be read, or a switch naming no gate (nothing is
            saved then).
    """
    from annotator.core.usecases.evaluation import load_gates, parse_rule, save_gates
    from annotator.core.verdicts import DEFAULT_GATES

    decided = _decision(db, decision, minimum, reset)
    gates = list(DEFAULT_GATES if reset else load_gates(db))
    for rule in rules:
        gates = _with_rule(gates, parse_rule(rule, tuple(gates)))
    for keys, attr, value in (
        (enable, "enabled", True),
        (disable, "enabled", False),
        (hard, "hard", True),
        (soft, "hard", False),
    ):
        for key in keys:
            _check_key(gates, key)
            gates = [replace(g, **{attr: value}) if g.key == key else g for g in gates]
    with db.transaction():
        save_gates(db, tuple(gates))
        meta = MetaRepo(db.conn)
        for key, value in decided.settings().items():
            meta.set(key, value)
    return tuple(gates)


def _with_rule(gates: list[Gate], new: Gate) -> list[Gate]:
    """The gates with ``new`` replacing the gate of its key, or added when there is none."""
    if any(g.key == new.key for g in gates):
        return [new if g.key == new.key else g for g in gates]
    return [*gates, new]


def _check_key(gates: list[Gate], key: str) -> None:
    if key not in {g.key for g in gates}:
        raise AnnotatorError(
            Message(
                'no gate "{key}" (gates: {keys})', key=key, keys=", ".join(g.key for g in gates)
            )
        )
