"""Use case: export the Excel report, the ratings as CSV, or the summary as JSON.

The report and the summary are written in the project's language (``use_language``),
whatever the caller's, verdict reasons included.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.evaluation import Evaluation, evaluate_project
from annotator.core.i18n import current_language, normalize, tr, use_language
from annotator.core.io.xlsx_report import ReportData, write_report
from annotator.core.io.xlsx_report.cells import FORMULA_START
from annotator.core.stats.jsonsafe import clean
from annotator.core.storage import Database, ItemsRepo, MetaRepo, RatersRepo, RatingsRepo
from annotator.core.storage.rubric_repo import RubricRepo
from annotator.core.verdicts import evaluate

Progress = Callable[[int, int], None]
RATINGS_CSV_COLUMNS = (
    "item_id",
    "uid",
    "model",
    "sample_id",
    "rater",
    "dimension",
    "score",
    "updated_at",
    "origin",
)


def _comments(db: Database) -> dict[int, str]:
    notes = RatingsRepo(db.conn).annotations_frame()
    out: dict[int, list[str]] = {}
    for row in notes.itertuples(index=False):
        parts = [p for p in (row.flag and f"[{row.flag}]", row.comment) if p]
        if parts:
            out.setdefault(row.item_id, []).append(f"{row.rater}: {' '.join(parts)}")
    return {k: " | ".join(v) for k, v in out.items()}


def project_language(db: Database) -> str:
    return MetaRepo(db.conn).get("language") or "zh_CN"


def in_current_language(db: Database, evaluation: Evaluation | None) -> Evaluation:
    """``evaluation`` with its verdict reasons in the current language (computed if None).

    An evaluation made in another language (the window's, while the report is written
    in the project's) keeps its statistics; only its verdicts are redone, which is cheap.
    """
    if evaluation is None:
        return evaluate_project(db)
    if evaluation.verdicts.language == current_language():
        return evaluation
    verdicts = evaluate(
        evaluation.stats, evaluation.verdicts.gates, rubric=RubricRepo(db.conn).load()
    )
    return replace(evaluation, verdicts=verdicts)


def report_data(db: Database, evaluation: Evaluation | None = None) -> ReportData:
    evaluation = in_current_language(db, evaluation)
    return ReportData(
        evaluation=evaluation,
        rubric=RubricRepo(db.conn).load(),
        items=ItemsRepo(db.conn).frame(texts=True),
        ratings=RatingsRepo(db.conn).frame(),
        comments=_comments(db),
        raters=RatersRepo(db.conn).names(),
        language=project_language(db),
    )


def export(
    db: Database,
    target: Path,
    *,
    progress: Progress | None = None,
    evaluation: Evaluation | None = None,
) -> Path:
    """Write ``target`` by its extension: .xlsx report, .csv ratings, .json summary.

    The report and the summary are in the project's language; errors about the
    target itself are in the caller's.
    """
    target = Path(target)
    if not target.parent.exists():
        raise AnnotatorError(tr("the folder {folder} does not exist", folder=target.parent))
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".json"):
        raise AnnotatorError(
            tr(
                "{file}: export writes .xlsx (the report), .csv (ratings in "
                "long form) or .json (the summary)",
                file=target.name,
            )
        )
    if suffix == ".csv":
        return _write_atomic(target, lambda fh: _ratings_csv(db, fh), newline="")
    with use_language(normalize(project_language(db))):
        if suffix == ".xlsx":
            return write_report(report_data(db, evaluation), target, progress)
        data = in_current_language(db, evaluation).to_dict(include_items=True)
        return _write_atomic(
            target, lambda fh: json.dump(clean(data), fh, ensure_ascii=False, indent=2)
        )


def _write_atomic(target: Path, write, newline: str | None = None) -> Path:
    fd, tmp = tempfile.mkstemp(suffix=".part", dir=target.parent)
    try:
        with os.fdopen(
            fd, "w", encoding="utf-8-sig" if target.suffix == ".csv" else "utf-8", newline=newline
        ) as fh:
            write(fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _csv_text(value):
    """Spreadsheet programs run cells that start with = + - @ as formulas: quote them."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _ratings_csv(db: Database, fh) -> None:
    ratings = RatingsRepo(db.conn).frame()
    items = ItemsRepo(db.conn).frame()[["item_id", "uid", "model", "sample_id"]]
    frame = ratings.merge(items, on="item_id", how="left")
    writer = csv.writer(fh)
    writer.writerow(RATINGS_CSV_COLUMNS)
    for row in frame[list(RATINGS_CSV_COLUMNS)].itertuples(index=False):
        writer.writerow([_csv_text(v) for v in row])
