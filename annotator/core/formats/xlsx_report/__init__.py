"""The Excel report: Summary, Items, Ratings, Agreement, Disagreements and Charts sheets,
Side by side when the project has side-by-side judgments, Judges when it has an LLM
judge, and Raters (rater quality and the rater-adjusted means) when it has ratings.

Written with openpyxl in write-only mode (streaming: 100,000 items fit). The sheets'
streams and the workbook itself are written into hidden scratch files next to the target
(``scratch``), and the complete workbook replaces the target in one rename: a failed or
killed export never leaves a half-written report, nor harms the one it was replacing.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from annotator.core.domain.models import Rubric
from annotator.core.formats.xlsx_report.agreement import write_agreement, write_disagreements
from annotator.core.formats.xlsx_report.charts import write_charts
from annotator.core.formats.xlsx_report.judges import write_judges
from annotator.core.formats.xlsx_report.judges_words import HEADERS as JUDGE_WORDS
from annotator.core.formats.xlsx_report.labels import Labels
from annotator.core.formats.xlsx_report.rater_quality import write_rater_quality
from annotator.core.formats.xlsx_report.rater_quality_words import HEADERS as RATER_WORDS
from annotator.core.formats.xlsx_report.scratch import Scratch, clean_leftovers, create_sheet
from annotator.core.formats.xlsx_report.side_by_side import write_side_by_side
from annotator.core.formats.xlsx_report.summary import write_summary
from annotator.core.formats.xlsx_report.tables import write_items, write_ratings
from annotator.core.formats.xlsx_write import as_os_error
from annotator.core.i18n import use_language
from annotator.core.results import Evaluation

try:  # openpyxl streams through lxml when it is there; its write errors are not OSErrors
    from lxml.etree import SerialisationError

    _SERIALISATION_ERRORS: tuple[type[Exception], ...] = (SerialisationError,)
except ImportError:  # pragma: no cover - et_xmlfile raises OSError itself
    _SERIALISATION_ERRORS = ()


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, already computed (see ``core.exporting``)."""

    evaluation: Evaluation
    rubric: Rubric
    items: pd.DataFrame  # item_id, uid, sample_id, model, instruction, reference, generated
    ratings: pd.DataFrame  # item_id, rater, dimension, score, updated_at, origin
    comments: dict[int, str]  # item_id -> "rater: comment | ..."
    raters: list[str]
    language: str
    times: pd.DataFrame | None = None  # item_id, rater, seconds (the app's time per item)


def write_report(
    data: ReportData, path: Path, progress: Callable[[int, int], None] | None = None
) -> Path:
    """Write the workbook to ``path`` atomically; returns the path.

    Raises:
        OSError: the target's folder cannot be written (full, read-only, missing); the
            target is then as it was and no scratch file is left behind.
    """
    path = Path(path)
    clean_leftovers(path.parent)  # what earlier, killed exports left next to the target
    scratch = Scratch(path.parent)
    try:
        part = scratch.new(".xlsx.part")  # first: a folder we cannot write fails at once
        try:
            total = _write_workbook(data, scratch, part, progress)
        except _SERIALISATION_ERRORS as exc:
            raise as_os_error(exc) or OSError(errno.EIO, str(exc)) from exc
        os.replace(part, path)
    finally:
        scratch.discard()
    if progress:
        progress(total, total)
    return path


def _write_workbook(data: ReportData, scratch: Scratch, part: Path, progress) -> int:
    """Every sheet, streamed into ``scratch``, saved as ``part``; returns the progress total."""
    L = Labels(data.language)
    n_items, n_ratings = len(data.items), len(data.ratings)
    total = n_items + n_ratings + 1

    def tick_from(offset: int) -> Callable[[int], None]:
        return lambda k: progress(min(offset + k, total), total) if progress else None

    def sheet(key: str):
        return create_sheet(wb, L(key), scratch)

    wb = Workbook(write_only=True)
    try:
        with use_language(data.language):  # the report speaks the project's language
            write_summary(sheet("summary"), data, L)
            pairwise = data.evaluation.pairwise
            if pairwise is not None and pairwise.pairs:  # next to the summary: a decision
                write_side_by_side(sheet("side_by_side"), data, L)
            judges = data.evaluation.judges
            if judges is not None and judges.judges:  # can a judge replace a rater?
                name = JUDGE_WORDS["sheet"].text(L.language)
                write_judges(create_sheet(wb, name, scratch), data, L)
            quality = data.evaluation.rater_quality
            if quality is not None and quality.raters:  # who needs a look, and why
                name = RATER_WORDS["sheet"].text(L.language)
                write_rater_quality(create_sheet(wb, name, scratch), data, L)
            write_items(sheet("items"), data, L, tick_from(0))
            write_ratings(sheet("ratings"), data, L, tick_from(n_items))
            write_agreement(sheet("agreement"), data, L)
            write_disagreements(sheet("disagreements"), data, L)
            write_charts(sheet("charts"), data, L)
        wb.save(part)
    except BaseException:
        _close_streams(wb)  # a cancelled or failed export: end the half-written streams
        raise
    return total


def _close_streams(wb: Workbook) -> None:
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):  # nothing of this workbook is kept anyway
            ws.close()
