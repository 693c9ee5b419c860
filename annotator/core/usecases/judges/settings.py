"""Use case: the settings of the judges' test in the project (``meta``): epsilon, the
cost-benefit margin of the alternative annotator test (0.2 expert raters, the default;
0.15 skilled; 0.1 crowd), and the source of the gate's human means."""

from __future__ import annotations

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage import Database, MetaRepo
from annotator.core.usecases.judges.import_scores import refuse_package

EPSILON_KEY = "judge_epsilon"
GATE_SOURCE_KEY = "judge_gate_source"
# The cost-benefit margins of Calderon, Reichart and Dror (2025), by who the raters are.
EPSILONS = {"expert": 0.2, "skilled": 0.15, "crowd": 0.1}
DEFAULT_EPSILON = 0.2


def epsilon_of(db: Database) -> float:
    """The project's epsilon (0.2 until set; a damaged value reads as the default)."""
    try:
        value = float(MetaRepo(db.conn).get(EPSILON_KEY) or DEFAULT_EPSILON)
    except ValueError:
        return DEFAULT_EPSILON
    return value if value in EPSILONS.values() else DEFAULT_EPSILON


def judge_settings(db: Database) -> dict:
    """``epsilon``, its ``level`` (expert / skilled / crowd) and the gate's source."""
    epsilon = epsilon_of(db)
    level = next(word for word, value in EPSILONS.items() if value == epsilon)
    source = MetaRepo(db.conn).get(GATE_SOURCE_KEY) or "humans"
    return {"epsilon": epsilon, "level": level, "gate_source": source}


def parse_epsilon(value: float | str) -> float:
    """0.2 / 0.15 / 0.1, or the words expert / skilled / crowd."""
    text = str(value).strip().lower()
    if text in EPSILONS:
        return EPSILONS[text]
    try:
        number = float(text)
    except ValueError:
        number = None
    if number not in EPSILONS.values():
        raise AnnotatorError(
            Message(
                '"{value}" is not a margin of the alternative annotator test; use 0.2 '
                "(expert raters), 0.15 (skilled) or 0.1 (crowd), or those words",
                value=value,
            )
        )
    return number


def configure(db: Database, *, epsilon: float | str | None = None) -> dict:
    """Set epsilon (see ``parse_epsilon``); returns the settings."""
    if epsilon is not None:
        value = parse_epsilon(epsilon)
        refuse_package(db)
        with db.transaction():
            MetaRepo(db.conn).set(EPSILON_KEY, repr(value))
    return judge_settings(db)
