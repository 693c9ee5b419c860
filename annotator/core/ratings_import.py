"""Use case: ratings in long form (CSV or XLSX) from earlier spreadsheets or other tools.

One row per score: item id, rater, dimension, score, optional comment (and an
optional model column to tell apart items of different models with the same
sample id). All rows are checked before anything is written; one transaction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import InputError, Problem
from annotator.core.i18n import tr
from annotator.core.io.importer import _load
from annotator.core.rubric import DimensionResolver, parse_score
from annotator.core.storage import Database, ItemsRepo, RatersRepo, RatingsRepo, RubricRepo

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
}
REQUIRED = ("item", "rater", "dimension", "score")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return text.replace(" ", "_").replace("-", "_")


@dataclass
class RatingsImportReport:
    file: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    comments: int = 0
    raters: list[str] = field(default_factory=list)
    backup: str | None = None

    def to_dict(self) -> dict:
        return dict(vars(self))


def _columns(columns: list[str], file: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for role, names in HEADERS.items():
        wanted = {_norm(n) for n in names}
        for column in columns:
            if _norm(column) in wanted and role not in found:
                found[role] = column
    missing = [r for r in REQUIRED if r not in found]
    if missing:
        hints = "".join(
            tr("; {role} may be called {names}", role=r, names=" / ".join(HEADERS[r][:4]))
            for r in missing
        )
        raise InputError(
            Problem(
                tr(
                    "missing column(s) {missing}; found {found}{hints}",
                    missing=", ".join(missing),
                    found=", ".join(columns),
                    hints=hints,
                ),
                file=file,
                row=1,
            )
        )
    return found


def _item_index(items: ItemsRepo):
    table = items.lookup_table()
    by_uid = dict(zip(table["uid"], table["item_id"], strict=True))
    by_model_sample = {
        (m, s): i
        for m, s, i in zip(table["model"], table["sample_id"], table["item_id"], strict=True)
    }
    by_sample: dict[str, list[tuple[str, int]]] = {}
    for m, s, i in zip(table["model"], table["sample_id"], table["item_id"], strict=True):
        by_sample.setdefault(s, []).append((m, i))
    return by_uid, by_model_sample, by_sample


def import_ratings(db: Database, path: Path, *, origin: str | None = None) -> RatingsImportReport:
    """Check every row, then write all scores (and comments) in one transaction."""
    file = str(path)
    table = _load(Path(path)).table
    cols = _columns(table.columns, file)
    unit = "line" if table.unit == "line" else "row"
    resolver = DimensionResolver(RubricRepo(db.conn).load())
    by_uid, by_model_sample, by_sample = _item_index(ItemsRepo(db.conn))
    get = {role: table.data[col] for role, col in cols.items()}
    problems: list[Problem] = []
    parsed: list[tuple[int, str, str, int, str]] = []
    for n, where in enumerate(table.rows):

        def problem(message: str, role: str, where: int = where) -> None:
            problems.append(Problem(message, file=file, column=cols[role], **{unit: where}))

        ref = get["item"][n].strip()
        model = get["model"][n].strip() if "model" in get else ""
        item_id = by_uid.get(ref)
        if item_id is None and model:
            item_id = by_model_sample.get((model, ref))
        if item_id is None and not model:
            if "/" in ref:
                item_id = by_model_sample.get(tuple(ref.split("/", 1)))
            candidates = by_sample.get(ref, [])
            if item_id is None and len(candidates) == 1:
                item_id = candidates[0][1]
            elif item_id is None and len(candidates) > 1:
                models = ", ".join(sorted(m for m, _ in candidates))
                problem(
                    tr(
                        'item "{item}" exists for several models ({models}); add a model '
                        'column or write it as "{model}/{item}"',
                        item=ref,
                        models=models,
                        model=candidates[0][0],
                    ),
                    "item",
                )
                continue
        if item_id is None:
            problem(tr('unknown item "{item}": it is not in this project', item=ref), "item")
            continue
        rater = get["rater"][n].strip()
        if not rater:
            problem(tr("the rater is empty"), "rater")
            continue
        dimension = resolver.resolve(get["dimension"][n])
        if dimension is None:
            problem(
                tr(
                    'unknown dimension "{dimension}"; expected one of {expected}',
                    dimension=get["dimension"][n].strip(),
                    expected=resolver.expected(),
                ),
                "dimension",
            )
            continue
        score = parse_score(get["score"][n])
        if score is None:
            problem(
                tr(
                    'score "{score}" is not a score from 1 to 5',
                    score=get["score"][n].strip(),
                ),
                "score",
            )
            continue
        comment = get["comment"][n].strip() if "comment" in get else ""
        parsed.append((item_id, rater, dimension, score, comment))
    if not parsed and not problems:
        problems.append(Problem(tr("the file has no ratings"), file=file))
    if problems:
        raise InputError(problems, file=file)
    return _write(db, parsed, Path(path), origin or f"import:{Path(path).name}")


def _write(db: Database, parsed, path: Path, origin: str) -> RatingsImportReport:
    report = RatingsImportReport(file=str(path), rows=len(parsed))
    ratings, raters = RatingsRepo(db.conn), RatersRepo(db.conn)
    dim_ids = RubricRepo(db.conn).ids()
    if ratings.count():
        report.backup = str(db.backup("before-ratings-import"))
    with db.transaction():
        existing = ratings.existing_scores()
        rater_ids = {
            name: raters.id_for(name, create=True) for name in dict.fromkeys(r[1] for r in parsed)
        }
        report.raters = list(rater_ids)
        rows, seen = [], {}
        for item_id, rater, dimension, score, _ in parsed:
            key = (item_id, rater_ids[rater], dim_ids[dimension])
            seen[key] = score  # a later row for the same score wins, as in a spreadsheet
        for key, score in seen.items():
            old = existing.get(key)
            if old is None:
                report.new += 1
            elif old == score:
                report.unchanged += 1
            else:
                report.changed += 1
            rows.append((*key, score, origin))
        ratings.upsert_many(rows)
        for item_id, rater, _, _, comment in parsed:
            if comment:
                old_comment = ratings.own_annotation(item_id, rater_ids[rater])[0]
                if old_comment != comment:
                    ratings.set_annotation(item_id, rater_ids[rater], comment=comment)
                    report.comments += 1
    return report
