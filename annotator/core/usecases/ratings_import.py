"""Use case: ratings in long form (CSV or XLSX) from earlier spreadsheets or other tools.

One row per score: item id, rater, dimension, score, optional comment (and an
optional model column to tell apart items of different models with the same
sample id). All rows are checked before anything is written; one transaction.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.formats.items.drafts import where as where_text
from annotator.core.formats.items.importer import _load
from annotator.core.formats.paths import shown
from annotator.core.storage import Database, ItemsRepo, RatersRepo, RatingsRepo, RubricRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.storage.rater_names import rater_key
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.long_form import find_columns, joined, read_dimension, read_score
from annotator.core.usecases.ratings_times import HEADERS as TIME_HEADERS
from annotator.core.usecases.ratings_times import ImportTimes

HEADERS = {
    "item": (
        "item_id",
        "item",
        "id",
        "sample_id",
        "sample",
        "uid",
        "条目",
        "样本",
        "样本id",
        "编号",
        "题目id",
    ),
    "rater": ("rater", "annotator", "rater_name", "judge", "评分人", "评分员", "标注员", "评审"),
    "dimension": ("dimension", "criterion", "criteria", "aspect", "维度", "评分维度", "指标"),
    "score": ("score", "rating", "value", "分数", "评分", "得分", "打分"),
    "comment": ("comment", "comments", "note", "notes", "备注", "评论", "意见"),
    "model": ("model", "system", "模型"),
    **TIME_HEADERS,  # optional: seconds per item (lead_time, 耗时) and rated_at
}
REQUIRED = ("item", "rater", "dimension", "score")


@dataclass
class RatingsImportReport:
    file: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    comments: int = 0
    seconds: int = 0  # items whose time per item the file set
    raters: list[str] = field(default_factory=list)
    # a spelling in the file -> the rater it was taken as (case, width, spaces differ)
    same_as: dict[str, str] = field(default_factory=dict)
    backup: str | None = None

    def to_dict(self) -> dict:
        return dict(vars(self))


def _columns(columns: list[str], file: str) -> dict[str, str]:
    return find_columns(columns, HEADERS, REQUIRED, file)


class _Items:
    """The project's real ids, to read a reference the way the project spells it."""

    def __init__(self, items: ItemsRepo):
        table = items.lookup_table()
        self.by_uid: dict[str, int] = {}
        self.by_model_sample: dict[tuple[str, str], int] = {}
        self.by_sample: dict[str, list[int]] = {}
        self.model: dict[int, str] = {}
        self.sample: dict[int, str] = {}
        self.uid: dict[int, str] = {}
        for item_id, uid, sample, model in zip(
            table["item_id"].tolist(),
            table["uid"].tolist(),
            table["sample_id"].tolist(),
            table["model"].tolist(),
            strict=True,
        ):
            self.by_uid[uid] = item_id
            self.by_model_sample[(model, sample)] = item_id
            self.by_sample.setdefault(sample, []).append(item_id)
            self.model[item_id], self.sample[item_id], self.uid[item_id] = model, sample, uid

    def candidates(self, ref: str, model: str = "") -> dict[int, str]:
        """Every item ``ref`` can mean: an exact sample id (of any model), a public id, or
        "model/sample" split at any "/" (model names hold "/" too, as in "Qwen/Qwen2.5").

        With ``model`` only that model's items count. Returns item id -> the reading.
        """
        found: dict[int, str] = {}
        for item_id in self.by_sample.get(ref, []):
            found.setdefault(item_id, "sample")
        if ref in self.by_uid:
            found.setdefault(self.by_uid[ref], "uid")
        start = ref.find("/")
        while start > 0:
            item_id = self.by_model_sample.get((ref[:start], ref[start + 1 :]))
            if item_id is not None:
                found.setdefault(item_id, "model/sample")
            start = ref.find("/", start + 1)
        if model:
            found = {i: how for i, how in found.items() if self.model[i] == model}
        return found

    def describe(self, item_id: int, how: str) -> Message:
        """One reading of an ambiguous reference, for the message."""
        if how == "uid":
            return Message(
                'the item with public id "{uid}" (model "{model}", sample "{sample}")',
                uid=self.uid[item_id],
                model=self.model[item_id],
                sample=self.sample[item_id],
            )
        return Message(
            'sample "{sample}" of model "{model}"',
            sample=self.sample[item_id],
            model=self.model[item_id],
        )


def _resolve(index: _Items, ref: str, model: str, problem) -> int | None:
    """The one item ``ref`` means, or None after reporting why there is not one."""
    found = index.candidates(ref, model)
    if len(found) == 1:
        return next(iter(found))
    if not found:
        problem(Message('unknown item "{item}": it is not in this project', item=ref), "item")
    elif set(found.values()) == {"sample"}:
        candidates = sorted(found, key=lambda i: index.model[i])
        problem(
            Message(
                'item "{item}" exists for several models ({models}); add a model '
                'column or write it as "{model}/{item}"',
                item=ref,
                models=", ".join(index.model[i] for i in candidates),
                model=index.model[candidates[0]],
            ),
            "item",
        )
    else:
        either = Message(" or ")  # its own statement: the extractor skips a nested message
        readings = [index.describe(i, how) for i, how in sorted(found.items())]
        problem(
            Message(
                'item "{item}" could mean {candidates}; add a model column to say which',
                item=ref,
                candidates=joined(readings, either),
            ),
            "item",
        )
    return None


def import_ratings(db: Database, path: Path, *, origin: str | None = None) -> RatingsImportReport:
    """Check every row, then write all scores (and comments) in one transaction.

    A row naming the same (item, rater, dimension) as another is refused with both row
    numbers; an item id is read against the project's real ids, and one that could mean
    two items is refused with the candidates. Nothing is written, not even a backup, when
    nothing would change.

    Raises:
        InputError: every bad row, with its row (or line) and column.
        ProjectLockedError: another program held the file for longer than the wait.
    """
    file = shown(path)  # stored and printed: a name that is not UTF-8 is escaped
    table = _load(Path(path)).table
    cols = _columns(table.columns, file)
    unit = "line" if table.unit == "line" else "row"
    resolver = DimensionResolver(RubricRepo(db.conn).load())
    index = _Items(ItemsRepo(db.conn))
    get = {role: table.data[col] for role, col in cols.items()}
    times = ImportTimes(get)
    problems: list[Problem] = []
    parsed: list[tuple[int, str, str, int, str]] = []
    where: dict[tuple[int, str, str], list[int]] = {}
    spellings: dict[str, str] = {}  # rater_key -> the file's first spelling
    same_as: dict[str, str] = {}
    judges = {rater_key(j["name"]): j["name"] for j in JudgesRepo(db.conn).judges()}
    for n, at in enumerate(table.rows):

        def problem(message: Message, role: str, at: int = at) -> None:
            problems.append(Problem(message, file=file, column=cols[role], **{unit: at}))

        ref = get["item"][n].strip()
        model = get["model"][n].strip() if "model" in get else ""
        item_id = _resolve(index, ref, model, problem)
        if item_id is None:
            continue
        rater = get["rater"][n].strip()
        if not rater:
            problem(Message("the rater is empty"), "rater")
            continue
        if rater_key(rater) in judges:
            problem(_judge_named(rater, judges[rater_key(rater)]), "rater")
            continue
        first = spellings.setdefault(rater_key(rater), rater)
        if first != rater:  # one rater, two spellings: a repeat across them is still found
            same_as[rater], rater = first, first
        dimension = read_dimension(resolver, get["dimension"][n], problem)
        if dimension is None:
            continue
        score = read_score(get["score"][n], problem)
        if score is None:
            continue
        comment = get["comment"][n].strip() if "comment" in get else ""
        if not times.read(n, at, (item_id, rater, dimension), problem):
            continue
        where.setdefault((item_id, rater, dimension), []).append(at)
        parsed.append((item_id, rater, dimension, score, comment))
    problems += _repeated(where, index, unit, file) + times.problems(index.sample, unit, file)
    if not parsed and not problems:
        problems.append(Problem(Message("the file has no ratings"), file=file))
    if problems:
        raise InputError(problems, file=file)
    return _write(db, parsed, Path(path), origin or f"import:{Path(file).name}", same_as, times)


def _judge_named(rater: str, judge: str) -> Message:
    return Message(
        'the rater "{rater}" has the name of the LLM judge "{judge}"; a judge\'s scores go in '
        "with annotator judges import, a person needs another name",
        rater=rater,
        judge=judge,
    )


def _repeated(where: dict, index: _Items, unit: str, file: str) -> list[Problem]:
    """A score given twice in one file: which one is meant cannot be known (the last one
    silently won)."""
    return [
        Problem(
            Message(
                'the score of rater "{rater}" for "{dimension}" on sample "{sample}" of model '
                '"{model}" is given more than once ({where}); keep one',
                rater=rater,
                dimension=dimension,
                sample=index.sample[item_id],
                model=index.model[item_id],
                where=where_text(unit, rows),
            ),
            file=file,
        )
        for (item_id, rater, dimension), rows in where.items()
        if len(rows) > 1
    ][:200]


def _comments(parsed) -> dict[tuple[int, str], str]:
    """(item, rater) -> comment: the distinct comments of its rows, in row order, one per
    line (a file may repeat one comment on every dimension's row, or give one each)."""
    found: dict[tuple[int, str], list[str]] = {}
    for item_id, rater, _, _, comment in parsed:
        if comment and comment not in found.setdefault((item_id, rater), []):
            found[(item_id, rater)].append(comment)
    return {key: "\n".join(texts) for key, texts in found.items() if texts}


def _plan(db: Database, parsed, comments, report: RatingsImportReport) -> tuple[list, list]:
    """Count new / changed / unchanged scores and the comments that differ; nothing is
    created (a new rater has no id yet: all of their scores are new)."""
    ratings, raters = RatingsRepo(db.conn), RatersRepo(db.conn)
    dim_ids = RubricRepo(db.conn).ids()
    existing = ratings.existing_scores()
    rater_ids = {name: raters.id_for(name) for name in dict.fromkeys(r[1] for r in parsed)}
    report.raters = list(rater_ids)
    for given in [*report.same_as, *rater_ids]:  # the project's spelling of each rater
        stored = raters.display_name(report.same_as.get(given, given))
        if stored is not None and stored != given:
            report.same_as[given] = stored
    report.new = report.changed = report.unchanged = 0
    scores = []
    for item_id, rater, dimension, score, _ in parsed:
        rid = rater_ids[rater]
        old = existing.get((item_id, rid, dim_ids[dimension])) if rid is not None else None
        if old is None:
            report.new += 1
        elif old == score:
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        scores.append((item_id, rater, dim_ids[dimension], score))
    notes = [
        (item_id, rater, comment)
        for (item_id, rater), comment in comments.items()
        if rater_ids[rater] is None
        or ratings.own_annotation(item_id, rater_ids[rater])[0] != comment
    ]
    report.comments = len(notes)
    return scores, notes


def _write(
    db: Database, parsed, path: Path, origin: str, same_as=None, times=None
) -> RatingsImportReport:
    report = RatingsImportReport(file=shown(path), rows=len(parsed), same_as=dict(same_as or {}))
    comments, times = _comments(parsed), times or ImportTimes({})
    scores, notes = _plan(db, parsed, comments, report)
    if not scores and not notes and not times.changed_seconds(db):
        return report  # the same file again: no backup, no transaction, nothing touched
    # A backup only when there are scores to lose; a failed write removes it again, so
    # failed attempts never push older backups out.
    needed = RatingsRepo(db.conn).count() > 0
    guard = db.backup_guard("before-ratings-import") if needed else nullcontext()
    with guard as backup, db.transaction():
        # Again under the write lock: another import or merge may have written since.
        scores, notes = _plan(db, parsed, comments, report)
        ratings, raters = RatingsRepo(db.conn), RatersRepo(db.conn)
        ids = {name: raters.id_for(name, create=True) for name in report.raters}
        keys = {d: k for k, d in RubricRepo(db.conn).ids().items()}
        plain, timed = times.split(((i, r, ids[r], d, s, origin) for i, r, d, s in scores), keys)
        ratings.upsert_many(plain)
        TeamRepo(db.conn).write_scores(timed)  # rated_at kept as the score's time
        for item_id, rater, comment in notes:
            ratings.set_annotation(item_id, ids[rater], comment=comment)
        seconds = times.changed_seconds(db)
        for item_id, rater, value in seconds:
            ratings.set_annotation(item_id, ids[rater], seconds=value)
        report.seconds = len(seconds)
    report.backup = str(backup) if backup else None
    return report
