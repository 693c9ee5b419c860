"""Use case: change the gate rules, switch gates on or off (or hard/soft), reset them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.gates import Gate
from annotator.core.domain.message import Message
from annotator.core.storage import Database


def edit_gates(
    db: Database,
    *,
    rules: Iterable[str] = (),
    enable: Iterable[str] = (),
    disable: Iterable[str] = (),
    hard: Iterable[str] = (),
    soft: Iterable[str] = (),
    reset: bool = False,
) -> tuple[Gate, ...]:
    """Apply the rules ("bleu >= 0.35") and switches, save the gates and return them.

    Raises:
        AnnotatorError: a rule that cannot be read, or a switch naming no gate (nothing is
            saved then).
    """
    from annotator.core.usecases.evaluation import load_gates, parse_rule, save_gates
    from annotator.core.verdicts import DEFAULT_GATES

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
    save_gates(db, tuple(gates))
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
