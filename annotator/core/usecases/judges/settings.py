"""Use case: the settings of the judges' test in the project (``meta``): epsilon, the
cost-benefit margin of the alternative annotator test (0.2 expert raters, the default;
0.15 skilled; 0.1 crowd), and the source of the gate's human means."""

from __future__ import annotations

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage import Database, MetaRepo
from annotator.core.storage.judges import JudgesRepo
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


HUMANS = "humans"


def gate_source(db: Database) -> str | None:
    """The judge whose prediction-powered means the model gates on human means use, or
    None (the human-only means, the default; a judge since deleted reads as None)."""
    name = MetaRepo(db.conn).get(GATE_SOURCE_KEY) or None
    known = {j["name"] for j in JudgesRepo(db.conn).judges()}
    return name if name in known else None


def judge_settings(db: Database) -> dict:
    """``epsilon``, its ``level`` (expert / skilled / crowd) and ``gate_source``: the judge
    whose prediction-powered means the gates use, or "humans"."""
    epsilon = epsilon_of(db)
    level = next(word for word, value in EPSILONS.items() if value == epsilon)
    return {"epsilon": epsilon, "level": level, "gate_source": gate_source(db) or HUMANS}


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


def configure(
    db: Database, *, epsilon: float | str | None = None, gates_from: str | None = None
) -> dict:
    """Set epsilon (see ``parse_epsilon``) and the gates' source (``gates_from``: a judge's
    name, or "humans"); both checked before either is written. Returns the settings."""
    value = parse_epsilon(epsilon) if epsilon is not None else None
    source = _gate_judge(db, gates_from) if gates_from is not None else None
    if value is None and gates_from is None:
        return judge_settings(db)
    refuse_package(db)
    with db.transaction():
        meta = MetaRepo(db.conn)
        if value is not None:
            meta.set(EPSILON_KEY, repr(value))
        if gates_from is not None:
            meta.set(GATE_SOURCE_KEY, source or "")
    return judge_settings(db)


def _gate_judge(db: Database, given: str) -> str | None:
    """The judge named (matched as ``--use`` matches), None for "humans"; a judge that
    scored no item cannot give means."""
    text = given.strip()
    if text.casefold() in (HUMANS, "human", "人工"):
        return None
    judges = JudgesRepo(db.conn).judges()
    found = next((j for j in judges if j["name"] == given), None) or next(
        (j for j in judges if j["name"].casefold() == text.casefold()), None
    )
    if found is None:
        names = ", ".join(j["name"] for j in judges) or "-"
        raise AnnotatorError(
            Message(
                'no judge "{name}" in this project; its judges: {names}', name=given, names=names
            )
        )
    if not found["scores"]:
        raise AnnotatorError(
            Message(
                'the judge "{name}" has scored no item, so it gives no prediction-powered '
                "means; run or import its scores first",
                name=found["name"],
            )
        )
    return found["name"]
