"""Use case: the judges a lead has, the test's margin, and promoting a judge to a rater.

A promoted judge counts with the humans (``evaluation`` adds its scores as the rater
"judge: NAME"). Only a judge that passed the alternative annotator test on the current
data on every dimension it was tested on may be promoted; ``force`` overrides that, and
the report then says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage import Database, MetaRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.usecases.judges.import_scores import refuse_package
from annotator.core.usecases.ratings_import import _joined

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


def list_judges(db: Database) -> list[dict]:
    """Every judge: id, name, signature, promoted, scores, items, judgments, failures."""
    repo = JudgesRepo(db.conn)
    return [j | {"items": len(repo.scored_items(j["id"]))} for j in repo.judges()]


@dataclass
class PromoteReport:
    judge: str
    promoted: bool
    changed: bool
    forced: bool = False
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    message: Message | None = None

    def to_dict(self) -> dict:
        data = dict(vars(self))
        data["message"] = self.message.text() if self.message is not None else None
        return data


def _judge_id(db: Database, name: str) -> tuple[int, str]:
    for judge in JudgesRepo(db.conn).judges():
        if judge["name"] == name or judge["name"].casefold() == name.strip().casefold():
            return judge["id"], judge["name"]
    names = ", ".join(j["name"] for j in JudgesRepo(db.conn).judges()) or "-"
    raise AnnotatorError(
        Message('no judge "{name}" in this project; its judges: {names}', name=name, names=names)
    )


def promote(db: Database, name: str, *, on: bool = True, force: bool = False) -> PromoteReport:
    """Promote a judge (``on``) or stop it counting as a rater.

    Raises:
        AnnotatorError: an unknown judge; a judge that has not passed the test on the
            current data (naming what it failed and why), unless ``force``.
    """
    refuse_package(db)
    judge_id, name = _judge_id(db, name)
    report = PromoteReport(name, on, changed=False)
    if on:
        from annotator.core.usecases.judges.report import judges_report

        result = judges_report(db, only=name).get(name)
        report.passed, report.failed = result.passed(), result.failed()
        if report.failed and not force:
            raise AnnotatorError(
                Message(
                    "the judge {judge} cannot count as a rater: it has not passed the "
                    "alternative annotator test on {failed} ({why}); promote it anyway "
                    "with --force",
                    judge=name,
                    failed=", ".join(report.failed),
                    why=_why(result),
                )
            )
        report.forced = bool(report.failed)
    current = next(j["promoted"] for j in JudgesRepo(db.conn).judges() if j["id"] == judge_id)
    if current != on:
        with db.transaction():
            JudgesRepo(db.conn).set_promoted(judge_id, on)
        report.changed = True
    report.message = _said(report)
    return report


def _why(result):
    """Each failed test's reading, each shown in the language of the sentence."""
    readings = {d.dimension: d.reading for d in result.dimensions}
    if result.pairwise is not None:
        readings["side_by_side"] = result.pairwise.reading
    return _joined([readings[d] for d in result.failed() if d in readings], "; ")


def _said(report: PromoteReport) -> Message:
    if not report.promoted:
        return Message("the judge {judge} no longer counts as a rater", judge=report.judge)
    if report.forced:
        return Message(
            "the judge {judge} counts as a rater, promoted by the lead although it has not "
            "passed the alternative annotator test on {failed}",
            judge=report.judge,
            failed=", ".join(report.failed),
        )
    return Message(
        "the judge {judge} counts as a rater (it passed the alternative annotator test on "
        "{passed})",
        judge=report.judge,
        passed=", ".join(report.passed),
    )
