"""Use case: the judges a lead has, the test's margin, and promoting a judge to a rater.

A promoted judge counts with the humans (``evaluation`` adds its scores as the rater
"judge: NAME"). Only a judge that passed the alternative annotator test on the current
data on every dimension it was tested on may be promoted; ``force`` overrides that, and
the report then says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.gates import reason_terms
from annotator.core.domain.message import Message
from annotator.core.storage import Database, RubricRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.usecases.judges.import_scores import refuse_package
from annotator.core.usecases.judges.report import judges_report
from annotator.core.usecases.judges.settings import configure, judge_settings
from annotator.core.usecases.long_form import joined as _joined

__all__ = ["configure", "judge_settings", "list_judges", "promote"]


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
        result = judges_report(db, only=name).get(name)
        report.passed, report.failed = result.passed(), result.failed()
        if report.failed and not force:
            raise AnnotatorError(
                Message(
                    "the judge {judge} cannot count as a rater: it has not passed the "
                    "alternative annotator test on {failed} ({why}); promote it anyway "
                    "with --force",
                    judge=name,
                    failed=_names(db, report.failed),
                    why=_why(result),
                )
            )
        report.forced = bool(report.failed)
    current = next(j["promoted"] for j in JudgesRepo(db.conn).judges() if j["id"] == judge_id)
    if current != on:
        with db.transaction():
            JudgesRepo(db.conn).set_promoted(judge_id, on)
        report.changed = True
    report.message = _said(report, db)
    return report


def _why(result):
    """Each failed test's reading, each shown in the language of the sentence."""
    readings = {d.dimension: d.reading for d in result.dimensions}
    if result.pairwise is not None:
        readings["side_by_side"] = result.pairwise.reading
    return _joined([readings[d] for d in result.failed() if d in readings], "; ")


def _names(db: Database, keys: list[str]):
    """Dimension keys as the reader calls them ("side_by_side": the verdicts)."""
    terms = reason_terms(RubricRepo(db.conn).load())
    terms["side_by_side"] = Message("side-by-side judgments")
    return _joined([terms.get(k, k) for k in keys], Message(", "))


def _said(report: PromoteReport, db: Database) -> Message:
    if not report.promoted:
        return Message("the judge {judge} no longer counts as a rater", judge=report.judge)
    if report.forced:
        return Message(
            "the judge {judge} counts as a rater, promoted by the lead although it has not "
            "passed the alternative annotator test on {failed}",
            judge=report.judge,
            failed=_names(db, report.failed),
        )
    return Message(
        "the judge {judge} counts as a rater (it passed the alternative annotator test on "
        "{passed})",
        judge=report.judge,
        passed=_names(db, report.passed),
    )
