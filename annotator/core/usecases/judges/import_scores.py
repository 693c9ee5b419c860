"""Use case: an LLM judge's scores made elsewhere, in the long form of ``ratings import``.

One row per score: item id (optional model column), judge, dimension, score, optional
reason. The judge is named by a ``judge`` (or ``rater``) column, or by the caller when the
file has none; both given and different is refused. The rows are read with the ratings
import's own checks (the project's item ids, dimension names in English or Chinese, scores
from 1 to 5, a score given twice), every problem is reported with its row and column, and
one transaction writes everything into the judges' tables, never into ``ratings``. A judge
may not bear a human rater's name: a judge is not a person. The same file again changes
nothing (new / changed / unchanged are counted).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.domain.errors import AnnotatorError, InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.formats.items.drafts import where as where_text
from annotator.core.formats.items.importer import _load
from annotator.core.formats.paths import shown
from annotator.core.storage import Database, ItemsRepo, MetaRepo, RatersRepo, RubricRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.storage.rater_names import rater_key
from annotator.core.usecases.long_form import match_columns, read_dimension, read_score
from annotator.core.usecases.ratings_import import HEADERS as RATING_HEADERS
from annotator.core.usecases.ratings_import import _Items, _resolve

HEADERS = {
    **RATING_HEADERS,
    # a judge column first: a file may name both the judge and the rater it stands in for
    "rater": ("judge", "judge_name", "rater", "annotator", "评审", "裁判", "评分人", "评分员"),
    "reason": ("reason", "rationale", "explanation", "理由", "原因", "评语"),
}
REQUIRED = ("item", "dimension", "score")


@dataclass
class JudgesImportReport:
    file: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reasons: int = 0
    judges: list[str] = field(default_factory=list)
    # a spelling in the file -> the judge it was taken as (case, width, spaces differ)
    same_as: dict[str, str] = field(default_factory=dict)
    signature: dict = field(default_factory=dict)
    backup: str | None = None

    def to_dict(self) -> dict:
        return dict(vars(self))


def _columns(columns: list[str], file: str, judge: str | None) -> dict[str, str]:
    found = match_columns(columns, HEADERS)
    missing = [r for r in REQUIRED if r not in found]
    if "rater" not in found and not judge:
        missing.append("judge")
    if missing:
        raise InputError(
            Problem(
                Message(
                    "missing column(s) {missing}; found {found}. A judge's scores have "
                    "item_id, judge (or rater; or name the judge with --judge), dimension, "
                    "score and optionally model and reason",
                    missing=", ".join(missing),
                    found=", ".join(columns),
                ),
                file=file,
                row=1,
            )
        )
    return found


def refuse_package(db: Database) -> None:
    """Judges are the lead's: a rater package never holds one."""
    if MetaRepo(db.conn).get("kind") == "package":
        raise AnnotatorError(
            Message("{path} is a rater package; import a judge into the project file", path=db.path)
        )


class _Names:
    """A judge's name as the project spells it, and the human raters' names it may not use."""

    def __init__(self, db: Database):
        self.stored = {rater_key(j["name"]): j["name"] for j in JudgesRepo(db.conn).judges()}
        self.humans = {rater_key(n): n for n in RatersRepo(db.conn).names()}
        self.first: dict[str, str] = {}

    def take(self, given: str, same_as: dict[str, str]) -> str:
        key = rater_key(given)
        name = self.stored.get(key) or self.first.setdefault(key, given)
        if name != given:
            same_as[given] = name
        return name

    def human(self, name: str) -> str | None:
        return self.humans.get(rater_key(name))


def _human_problem(name: str, human: str, file: str, **where) -> Problem:
    return Problem(
        Message(
            'the judge "{judge}" has the name of the rater "{rater}"; a judge is not a '
            "person: give it another name (for example the model's name)",
            judge=name,
            rater=human,
        ),
        file=file,
        **where,
    )


def import_scores(db: Database, path: Path, *, judge: str | None = None) -> JudgesImportReport:
    """Check every row, then write the judge's scores (and reasons) in one transaction.

    Raises:
        InputError: every bad row, with its row (or line) and column; a judge named twice
            and differently; a judge with a human rater's name.
        AnnotatorError: a rater package.
    """
    refuse_package(db)
    file = shown(path)
    loaded = _load(Path(path))
    table = loaded.table
    judge = (judge or "").strip() or None
    cols = _columns(table.columns, file, judge)
    unit = "line" if table.unit == "line" else "row"
    resolver = DimensionResolver(RubricRepo(db.conn).load())
    index, names = _Items(ItemsRepo(db.conn)), _Names(db)
    get = {role: table.data[col] for role, col in cols.items()}
    problems: list[Problem] = []
    parsed: list[tuple[int, str, str, int, str]] = []
    where: dict[tuple[int, str, str], list[int]] = {}
    report = JudgesImportReport(file=file)
    refused_names: set[str] = set()
    if judge and names.human(judge):
        problems.append(_human_problem(judge, names.human(judge), file))
        refused_names.add(rater_key(judge))
    for n, at in enumerate(table.rows):

        def problem(message: Message, role: str, at: int = at) -> None:
            problems.append(Problem(message, file=file, column=cols[role], **{unit: at}))

        name = _judge_of(get, n, judge, problem)
        if name is None:
            continue
        if names.human(name) and rater_key(name) not in refused_names:
            refused_names.add(rater_key(name))
            problems.append(
                _human_problem(name, names.human(name), file, column=cols["rater"], **{unit: at})
            )
        name = names.take(name, report.same_as)
        item_id = _resolve(index, get["item"][n].strip(), _cell(get, "model", n), problem)
        dimension = read_dimension(resolver, get["dimension"][n], problem)
        score = read_score(get["score"][n], problem)
        if item_id is None or dimension is None or score is None:
            continue
        reason = _cell(get, "reason", n) or _cell(get, "comment", n)
        where.setdefault((item_id, name, dimension), []).append(at)
        parsed.append((item_id, name, dimension, score, reason))
    problems += _repeated(where, index, unit, file)  # a judge's, in its own words
    if not parsed and not problems:
        problems.append(Problem(Message("the file has no scores"), file=file))
    if problems:
        raise InputError(problems[:1000], file=file)
    report.rows = len(parsed)
    report.signature = {"kind": "imported", "file": Path(file).name, "sha256": loaded.sha256}
    return _write(db, parsed, f"import:{Path(file).name}", report)


def _repeated(where: dict, index: _Items, unit: str, file: str) -> list[Problem]:
    """A judge's score given twice in one file: which one is meant cannot be known."""
    return [
        Problem(
            Message(
                'the score of the judge "{judge}" for "{dimension}" on sample "{sample}" of '
                'model "{model}" is given more than once ({where}); keep one',
                judge=judge,
                dimension=dimension,
                sample=index.sample[item_id],
                model=index.model[item_id],
                where=where_text(unit, rows),
            ),
            file=file,
        )
        for (item_id, judge, dimension), rows in where.items()
        if len(rows) > 1
    ][:200]


def _cell(get: dict, role: str, n: int) -> str:
    return get[role][n].strip() if role in get else ""


def _judge_of(get: dict, n: int, judge: str | None, problem) -> str | None:
    """The row's judge: its cell, or the one the caller named; None after a problem."""
    cell = _cell(get, "rater", n)
    if cell and judge and rater_key(cell) != rater_key(judge):
        problem(
            Message(
                'the row names the judge "{cell}" but the import was asked for the judge '
                '"{judge}"; leave out --judge or correct the row',
                cell=cell,
                judge=judge,
            ),
            "rater",
        )
        return None
    if not cell and not judge:
        problem(Message("the judge is empty"), "rater")
        return None
    return cell or judge


def _plan(db: Database, parsed, report: JudgesImportReport) -> list[tuple]:
    """Count new / changed / unchanged scores; the writes as (judge, item, dimension id,
    score, reason). Nothing is created (a new judge has no id yet: all its scores are new)."""
    repo = JudgesRepo(db.conn)
    dim_ids = RubricRepo(db.conn).ids()
    report.judges = list(dict.fromkeys(row[1] for row in parsed))
    ids = {name: repo.id_for(name) for name in report.judges}
    existing = {name: repo.existing_scores(i) if i else {} for name, i in ids.items()}
    report.new = report.changed = report.unchanged = report.reasons = 0
    writes = []
    for item_id, name, dimension, score, reason in parsed:
        old = existing[name].get((item_id, dim_ids[dimension]))
        report.reasons += bool(reason)
        if old is None:
            report.new += 1
        elif old == (score, reason):
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        writes.append((name, item_id, dim_ids[dimension], score, reason))
    return writes


def signed(repo: JudgesRepo, name: str, signature: dict) -> dict:
    """The judge's signature with this file's: an imported judge keeps the file of its
    scores and the file of its verdicts side by side; a run's signature gives way."""
    old = next((j["signature"] for j in repo.judges() if j["name"] == name), {})
    return (old if old.get("kind") == "imported" else {}) | signature


def _write(db: Database, parsed, origin: str, report: JudgesImportReport) -> JudgesImportReport:
    writes = _plan(db, parsed, report)
    if not writes:
        return report  # the same file again: no backup, no transaction, nothing touched
    needed = any(j["scores"] for j in JudgesRepo(db.conn).judges())
    guard = db.backup_guard("before-judges-import") if needed else nullcontext()
    with guard as backup, db.transaction():
        writes = _plan(db, parsed, report)  # again under the write lock
        repo = JudgesRepo(db.conn)
        ids = {}
        for name in dict.fromkeys(w[0] for w in writes):
            ids[name] = repo.id_for(name, create=True, signature=report.signature)
            repo.set_signature(ids[name], signed(repo, name, report.signature))
        repo.upsert_scores((ids[n], i, d, s, r, origin) for n, i, d, s, r in writes)
    report.backup = str(backup) if backup else None
    return report
