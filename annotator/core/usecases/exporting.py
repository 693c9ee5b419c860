"""Use case: export the Excel report, the ratings as CSV, the summary as JSON, or the
side-by-side judgments (``preferences*.jsonl`` for LLaMA-Factory, ``battles*.jsonl`` in
Chatbot Arena's format: ``side_by_side.preferences_export``).

The report and the summary are written in the project's language (``use_language``),
whatever the caller's, verdict reasons included. Every export is written into a hidden
scratch file next to its target and renamed over it when complete: a failed or killed
export leaves neither a half-written file nor a damaged earlier one, and a target that
cannot be written (a folder, a missing or read-only folder, a full disk) is a message
naming it, never a traceback.
"""

from __future__ import annotations

import csv
import errno
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from annotator.core.domain.errors import AnnotatorError, environment_kind
from annotator.core.domain.message import Message
from annotator.core.formats.paths import check_target_name, refuse_project_files
from annotator.core.formats.xlsx_report import ReportData, write_report
from annotator.core.formats.xlsx_report.scratch import Scratch, clean_leftovers
from annotator.core.i18n import current_language, normalize, use_language
from annotator.core.stats.jsonsafe import clean
from annotator.core.storage import Database, ItemsRepo, MetaRepo, RatersRepo, RatingsRepo
from annotator.core.storage.rubric_repo import RubricRepo
from annotator.core.usecases.evaluation import Evaluation, evaluate_project
from annotator.core.usecases.side_by_side.preferences_export import (
    PairwiseExport,
    pairwise_kind,
    write_pairwise,
)

Progress = Callable[[int, int], None]
# A CSV cell starting with one of these is run (or mangled) by a spreadsheet program that
# opens the file: it is written with a leading apostrophe. A text that starts with an
# apostrophe gets one too, so a reader strips exactly one and always gets the value back.
CSV_QUOTED_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "'")
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


# The flag presets (stored in English, as FLAG_PRESETS) as shown in the report's language.
PRESET_FLAGS = {
    "unclear instruction": Message("unclear instruction"),
    "broken output": Message("broken output"),
}


def flag_text(flag: str) -> str:
    """A flag as the report shows it: a preset translated, a free-text reason as typed."""
    label = PRESET_FLAGS.get(flag)
    return flag if label is None else str(label)


def _comments(notes) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for row in notes.itertuples(index=False):
        parts = [p for p in (row.flag and f"[{flag_text(row.flag)}]", row.comment) if p]
        if parts:
            out.setdefault(row.item_id, []).append(f"{row.rater}: {' '.join(parts)}")
    return {k: " | ".join(v) for k, v in out.items()}


def project_language(db: Database) -> str:
    return MetaRepo(db.conn).get("language") or "zh_CN"


def in_current_language(db: Database, evaluation: Evaluation | None) -> Evaluation:
    """``evaluation`` with its verdict reasons in the current language (computed if None).

    An evaluation made in another language (the window's, while the report is written
    in the project's) keeps its statistics and its verdicts; its reasons, kept as
    messages, are only written again in this language.
    """
    if evaluation is None:
        return evaluate_project(db)
    if evaluation.verdicts.language == current_language():
        return evaluation
    return replace(evaluation, verdicts=evaluation.verdicts.in_language(current_language()))


def report_data(db: Database, evaluation: Evaluation | None = None) -> ReportData:
    evaluation = in_current_language(db, evaluation)
    notes = RatingsRepo(db.conn).annotations_frame()
    return ReportData(
        evaluation=evaluation,
        rubric=RubricRepo(db.conn).load(),
        items=ItemsRepo(db.conn).frame(texts=True),
        ratings=RatingsRepo(db.conn).frame(),
        comments=_comments(notes),
        raters=RatersRepo(db.conn).names(),
        language=project_language(db),
        times=notes[["item_id", "rater", "seconds"]],
    )


def export(
    db: Database,
    target: Path,
    *,
    progress: Progress | None = None,
    evaluation: Evaluation | None = None,
) -> Path:
    """Write ``target`` by its extension: .xlsx report, .csv ratings, .json summary; by
    its name for the judgments: preferences*.jsonl, battles*.jsonl (see ``export_pairwise``).

    The report and the summary are in the project's language; errors about the
    target itself are in the caller's.

    Raises:
        AnnotatorError: the extension is not one of those, the target is the project
            itself (or its -wal or a backup), or it cannot be written (named with the
            reason); the target is then as it was.
    """
    target = Path(target)
    return _guarded(db, target, lambda: _export(db, target, progress, evaluation))


def export_pairwise(db: Database, target: Path) -> PairwiseExport:
    """Write the side-by-side judgments: ``preferences*.jsonl`` (LLaMA-Factory's preference
    dataset and its dataset_info.json entry) or ``battles*.jsonl`` (Chatbot Arena battles);
    returns what was written and what was left out.

    Raises:
        AnnotatorError: as ``export``; also a name that is neither, and no judgments.
    """
    target = Path(target)
    return _guarded(db, target, lambda: write_pairwise(db, target), pairwise=True)


def _guarded(db: Database, target: Path, write, *, pairwise: bool = False):
    """Check the target, then ``write()``; the system's reasons become messages."""
    check_target_name(target)  # too long, or through a file
    refuse_project_files(target, db.path)  # a project named report.xlsx is not replaced
    try:
        _check_target(target)  # may raise OSError itself (a name too long for the system)
        if pairwise and pairwise_kind(target) is None:
            raise AnnotatorError(_jsonl_names(target))
        return write()
    except OSError as exc:
        raise AnnotatorError(write_error(target, exc)) from None


def _jsonl_names(target: Path) -> Message:
    return Message(
        "{file}: a .jsonl export is named preferences*.jsonl (the preference pairs for "
        "LLaMA-Factory, with dataset_info.json) or battles*.jsonl (every judgment in "
        "Chatbot Arena's battle format)",
        file=target.name,
    )


def _check_target(target: Path) -> None:
    suffix = target.suffix.lower()
    if target.is_dir():
        raise AnnotatorError(
            Message(
                "{path} is a folder; give the file to write, e.g. {example}",
                path=target,
                example=target / f"report{suffix or '.xlsx'}",
            )
        )
    if not target.parent.exists():
        raise AnnotatorError(Message("the folder {folder} does not exist", folder=target.parent))
    if not target.parent.is_dir():
        raise AnnotatorError(Message("{path} is not a folder", path=target.parent))
    if suffix == ".jsonl" and pairwise_kind(target) is None:
        raise AnnotatorError(_jsonl_names(target))
    if suffix not in (".xlsx", ".csv", ".json", ".jsonl"):
        raise AnnotatorError(
            Message(
                "{file}: export writes .xlsx (the report), .csv (ratings in long form), "
                ".json (the summary), preferences*.jsonl (preference pairs for "
                "LLaMA-Factory) or battles*.jsonl (side-by-side judgments as Chatbot Arena "
                "battles)",
                file=target.name,
            )
        )


def _export(db: Database, target: Path, progress, evaluation) -> Path:
    suffix = target.suffix.lower()
    if suffix == ".csv":
        return _write_atomic(target, lambda fh: _ratings_csv(db, fh), newline="")
    if suffix == ".jsonl":
        return write_pairwise(db, target).path
    with use_language(normalize(project_language(db))):
        if suffix == ".xlsx":
            return write_report(report_data(db, evaluation), target, progress)
        data = in_current_language(db, evaluation).to_dict(include_items=True)
        return _write_atomic(
            target, lambda fh: json.dump(clean(data), fh, ensure_ascii=False, indent=2)
        )


def write_error(target: Path, exc: OSError) -> Message:
    """What to tell a person whose export could not be written, by the system's reason."""
    folder = target.parent
    if environment_kind(exc) == "full":
        return Message(
            "cannot write {file}: the disk holding {folder} is full (or the file is over its "
            "size limit); nothing was written and an existing {name} is unchanged. "
            "Free some space, or export to another disk",
            file=target,
            folder=folder,
            name=target.name,
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Message(
            "cannot write {file}: the folder {folder} is read-only or you may not write "
            "there; export to a folder you can write to",
            file=target,
            folder=folder,
        )
    if exc.errno == errno.EISDIR:
        return Message(
            "{path} is a folder; give the file to write, e.g. {example}",
            path=target,
            example=target / f"report{target.suffix or '.xlsx'}",
        )
    return Message(
        "cannot write {file}: {reason}; nothing was written",
        file=target,
        reason=exc.strerror or str(exc),
    )


def _write_atomic(target: Path, write, newline: str | None = None) -> Path:
    clean_leftovers(target.parent)  # what earlier, killed exports left next to the target
    scratch = Scratch(target.parent)
    try:
        part = scratch.new(".part")
        encoding = "utf-8-sig" if target.suffix.lower() == ".csv" else "utf-8"
        with part.open("w", encoding=encoding, newline=newline) as fh:
            write(fh)
        os.replace(part, target)
    finally:
        scratch.discard()
    return target


def _csv_text(value):
    """Spreadsheet programs run cells that start with = + - @ as formulas: quote them."""
    if isinstance(value, str) and value.startswith(CSV_QUOTED_START):
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
