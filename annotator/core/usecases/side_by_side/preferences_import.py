"""Use case: side-by-side judgments made elsewhere, in Chatbot Arena's battle format.

Each row names a sample, a rater, the model shown on the left (``model_a``), the other
model and the winner. The judgment goes to the comparison of those two models on that
sample, whichever way round the row names them; a comparison that does not exist yet is
created, oriented as ``create`` orients pairs (the baseline as b). The outcome is stored
by the comparison's model order, with the row's ``model_a`` answer as the one shown left.

As the ratings import: every row is checked before anything is written, every problem is
reported with its row (or line) and column, one transaction writes everything, and the
same file again changes nothing (new / changed / unchanged are counted, and a changed
winner is applied).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.domain.side_by_side import Choice, outcome_of
from annotator.core.formats.paths import shown
from annotator.core.formats.preferences import Battle, Battles, read_battles
from annotator.core.storage import Database, ItemsRepo, ModelsRepo, RatersRepo, RubricRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.usecases.evaluation import baseline
from annotator.core.usecases.side_by_side.create import _pairs, _refuse_package

MAX_PROBLEMS = 1000


@dataclass
class PreferencesImportReport:
    file: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    comparisons_created: int = 0
    raters: list[str] = field(default_factory=list)
    # a spelling in the file -> the rater it was taken as (case, width, spaces differ)
    same_as: dict[str, str] = field(default_factory=dict)
    backup: str | None = None

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass(frozen=True)
class _Row:
    """A battle found in the project: the two items, the left one first."""

    battle: Battle
    left: int
    right: int


class _Items:
    """(model, sample) -> item, and each item's public id."""

    def __init__(self, db: Database):
        table = ItemsRepo(db.conn).lookup_table()
        self.models = [m for m, count in ModelsRepo(db.conn).counts() if count]
        self.item: dict[tuple[str, str], int] = {}
        self.uid: dict[int, str] = {}
        for item_id, uid, sample, model in table.itertuples(index=False):
            self.item[(model, sample)] = item_id
            self.uid[item_id] = uid


def import_preferences(
    db: Database, path: Path, *, origin: str | None = None
) -> PreferencesImportReport:
    """Check every row, then write the judgments (and new comparisons) in one transaction.

    Raises:
        InputError: every bad row, with its row (or line) and column: an unknown model, a
            sample a model did not answer, a model against itself, an unknown winner or
            dimension, an empty cell, a judgment given twice (with both rows).
        AnnotatorError: a rater package (judgments are imported into the project).
    """
    _refuse_package(db)
    path = Path(path)
    found = read_battles(path, DimensionResolver(RubricRepo(db.conn).load()))
    items = _Items(db)
    problems = found.problems + _project_problems(found, items)
    if problems:
        problems.sort(key=lambda p: p.row or p.line or 0)
        raise InputError(problems[:MAX_PROBLEMS], file=found.file)
    rows = [
        _Row(b, items.item[(b.model_a, b.sample)], items.item[(b.model_b, b.sample)])
        for b in found.battles
    ]
    report = PreferencesImportReport(file=found.file, rows=len(rows), same_as=found.same_as)
    origin = origin or f"import:{Path(shown(path)).name}"
    return _write(db, rows, items, origin, report)


def _project_problems(found: Battles, items: _Items) -> list[Problem]:
    """The models and samples of each row, looked up in the project."""
    problems = []
    known = set(items.models)
    for b in found.battles:
        for role, model in (("model_a", b.model_a), ("model_b", b.model_b)):
            if not model:
                continue
            if model not in known:
                problems.append(
                    found.problem(
                        Message(
                            'unknown model "{model}": the project has {models}',
                            model=model,
                            models=", ".join(items.models) or "-",
                        ),
                        role,
                        b.at,
                    )
                )
            elif b.sample and (model, b.sample) not in items.item:
                problems.append(
                    found.problem(
                        Message(
                            'model "{model}" has no answer for sample "{sample}" in this project',
                            model=model,
                            sample=b.sample,
                        ),
                        "sample",
                        b.at,
                    )
                )
    return problems


def _orient(db: Database, items: _Items, x: str, y: str) -> tuple[str, str]:
    """(candidate, other) as ``create`` orients a pair: the baseline as b."""
    return _pairs(
        items.models, baseline(db).model, names=[x, y], vs_baseline=False, all_pairs=False
    )[0]


def _plan(db: Database, rows: list[_Row], items: _Items, report: PreferencesImportReport):
    """Count new / changed / unchanged judgments; nothing is created (a new rater or a new
    comparison has no id yet: all of their judgments are new).

    Returns:
        The comparisons to create (uid, sample, item a, item b) by their pair of items, and
        the judgments to write (pair of items, rater, dimension, outcome, left item).
    """
    repo, raters = ComparisonsRepo(db.conn), RatersRepo(db.conn)
    existing, sides, judged = repo.existing(), repo.sides(), repo.existing_judgments()
    rater_ids = {name: raters.id_for(name) for name in dict.fromkeys(r.battle.rater for r in rows)}
    report.raters = list(rater_ids)
    for given in [*report.same_as, *rater_ids]:  # the project's spelling of each rater
        stored = raters.display_name(report.same_as.get(given, given))
        if stored is not None and stored != given:
            report.same_as[given] = stored
    report.new = report.changed = report.unchanged = 0
    created: dict[frozenset[int], tuple[str, str, int, int]] = {}
    writes = []
    orientation: dict[frozenset[str], tuple[str, str]] = {}
    for row in rows:
        b, key = row.battle, frozenset((row.left, row.right))
        cid = existing.get(key)
        item_a = candidate_item(db, items, row, sides.get(cid), orientation, created)
        outcome = outcome_of(Choice(b.side), row.left, item_a)
        rid = rater_ids[b.rater]
        old = judged.get((cid, rid, b.dimension)) if cid is not None and rid is not None else None
        if old is None:
            report.new += 1
        elif old == (outcome, None, row.left):
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        writes.append((key, b.rater, b.dimension, outcome, row.left))
    report.comparisons_created = len(created)
    return created, writes


def candidate_item(db, items, row, side, orientation: dict, created: dict) -> int:
    """The item of the row's comparison that is its A (the candidate): the existing
    comparison's (``side``), else by the pair's orientation, recording the comparison to
    create in ``created`` (by its pair of items; ``orientation`` caches per pair of models)."""
    if side is not None:
        return side[0]
    b = row.battle
    models = frozenset((b.model_a, b.model_b))
    if models not in orientation:
        orientation[models] = _orient(db, items, b.model_a, b.model_b)
    item_a = row.left if orientation[models][0] == b.model_a else row.right
    item_b = row.right if item_a == row.left else row.left
    uid = f"{items.uid[item_a]}|{items.uid[item_b]}"
    created.setdefault(frozenset((row.left, row.right)), (uid, b.sample, item_a, item_b))
    return item_a


def _write(
    db: Database, rows: list[_Row], items: _Items, origin: str, report: PreferencesImportReport
) -> PreferencesImportReport:
    created, writes = _plan(db, rows, items, report)
    if not writes:
        return report  # the same file again: no backup, no transaction, nothing touched
    # A backup only when there are judgments to lose; a failed write removes it again.
    needed = bool(ComparisonsRepo(db.conn).existing_judgments())
    guard = db.backup_guard("before-preferences-import") if needed else nullcontext()
    with guard as backup, db.transaction():
        # Again under the write lock: another import or merge may have written since.
        created, writes = _plan(db, rows, items, report)
        repo, raters = ComparisonsRepo(db.conn), RatersRepo(db.conn)
        repo.add(created.values())
        ids = repo.existing()
        rater_ids = {name: raters.id_for(name, create=True) for name in report.raters}
        repo.upsert_judgments(
            [
                (ids[key], rater_ids[rater], dimension, outcome, None, left, origin)
                for key, rater, dimension, outcome, left in writes
            ]
        )
    report.backup = str(backup) if backup else None
    return report
