"""Use case: an LLM judge's side-by-side verdicts, in Chatbot Arena's battle format.

The human import's reader and checks (``formats.preferences``, ``preferences_import``), with
two differences: a judge sees each comparison in both orders, so a file may give one
verdict per order (``model_a`` the answer shown left) and only the same order twice is a
repeat; and the verdicts go to ``judge_judgments`` (one row per order, ``left_item`` the
row's ``model_a`` answer), never to the raters' ``judgments``. A comparison that does not
exist yet is created as the human import creates it. A judge may not bear a human rater's
name. All or nothing; the same file again changes nothing.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from annotator.core.domain.errors import InputError
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.domain.side_by_side import Choice, outcome_of
from annotator.core.formats.items.importer import _load
from annotator.core.formats.paths import shown
from annotator.core.formats.preferences import read_battles
from annotator.core.storage import Database, RubricRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.usecases.judges.import_scores import (
    _human_problem,
    _Names,
    refuse_package,
    signed,
)
from annotator.core.usecases.side_by_side.preferences_import import (
    MAX_PROBLEMS,
    PreferencesImportReport,
    _Items,
    _project_problems,
    _Row,
    candidate_item,
)


def import_judge_preferences(
    db: Database, path: Path, *, judge: str | None = None
) -> PreferencesImportReport:
    """Check every row, then write the judge's verdicts (and new comparisons) at once.

    Raises:
        InputError: every bad row, with its row (or line) and column (as the human
            import), a judge with a human rater's name, a row naming another judge than
            ``judge``.
        AnnotatorError: a rater package.
    """
    refuse_package(db)
    path = Path(path)
    judge = (judge or "").strip() or None
    found = read_battles(
        path, DimensionResolver(RubricRepo(db.conn).load()), orders=True, rater=judge
    )
    items, names = _Items(db), _Names(db)
    problems = found.problems + _project_problems(found, items)
    seen: set[str] = set()
    for b in found.battles:
        human = names.human(b.rater) if b.rater else None
        if human and human not in seen:
            seen.add(human)
            column = found.columns.get("rater")
            where = {"column": column, found.unit: b.at} if column else {}
            problems.append(_human_problem(b.rater, human, found.file, **where))
    if problems:
        problems.sort(key=lambda p: p.row or p.line or 0)
        raise InputError(problems[:MAX_PROBLEMS], file=found.file)
    report = PreferencesImportReport(file=found.file, same_as=found.same_as)
    rows = []
    for b in found.battles:
        name = names.take(b.rater, report.same_as)
        battle = replace(b, rater=name)
        rows.append(
            _Row(battle, items.item[(b.model_a, b.sample)], items.item[(b.model_b, b.sample)])
        )
    report.rows = len(rows)
    signature = {
        "kind": "imported",
        "verdicts_file": Path(found.file).name,
        "verdicts_sha256": _load(path).sha256,
    }
    return _write(db, rows, items, f"import:{Path(shown(path)).name}", report, signature)


def _plan(db: Database, rows: list[_Row], items: _Items, report: PreferencesImportReport):
    """Count new / changed / unchanged verdicts; nothing is created.

    Returns:
        The comparisons to create by their pair of items, and the verdicts to write
        (pair of items, judge, dimension, outcome, left item).
    """
    repo, judges = ComparisonsRepo(db.conn), JudgesRepo(db.conn)
    existing, sides = repo.existing(), repo.sides()
    report.raters = list(dict.fromkeys(r.battle.rater for r in rows))
    ids = {name: judges.id_for(name) for name in report.raters}
    judged = {name: judges.existing_judgments(i) if i else {} for name, i in ids.items()}
    report.new = report.changed = report.unchanged = 0
    created: dict[frozenset[int], tuple[str, str, int, int]] = {}
    orientation: dict[frozenset[str], tuple[str, str]] = {}
    writes = []
    for row in rows:
        b, key = row.battle, frozenset((row.left, row.right))
        cid = existing.get(key)
        item_a = candidate_item(db, items, row, sides.get(cid), orientation, created)
        outcome = outcome_of(Choice(b.side), row.left, item_a)
        old = judged[b.rater].get((cid, b.dimension, row.left)) if cid is not None else None
        if old is None:
            report.new += 1
        elif old[0] == outcome:
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        writes.append((key, b.rater, b.dimension, row.left, outcome))
    report.comparisons_created = len(created)
    return created, writes


def _write(db, rows, items, origin: str, report, signature: dict) -> PreferencesImportReport:
    created, writes = _plan(db, rows, items, report)
    if not writes:
        return report  # the same file again: no backup, no transaction, nothing touched
    needed = any(j["judgments"] for j in JudgesRepo(db.conn).judges())
    guard = db.backup_guard("before-judges-import") if needed else nullcontext()
    with guard as backup, db.transaction():
        created, writes = _plan(db, rows, items, report)  # again under the write lock
        repo, judges = ComparisonsRepo(db.conn), JudgesRepo(db.conn)
        repo.add(created.values())
        cids = repo.existing()
        ids = {}
        for name in dict.fromkeys(w[1] for w in writes):
            ids[name] = judges.id_for(name, create=True, signature=signature)
            judges.set_signature(ids[name], signed(judges, name, signature))
        judges.upsert_judgments(
            [(ids[name], cids[key], dim, left, outcome, "", origin)
             for key, name, dim, left, outcome in writes]
        )  # fmt: skip
    report.backup = str(backup) if backup else None
    return report
