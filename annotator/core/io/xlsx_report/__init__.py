"""The Excel report: Summary, Items, Ratings, Agreement, Disagreements and Charts sheets.

Written with openpyxl in write-only mode (streaming: 100,000 items fit), into a
temporary file that replaces the target only when complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from annotator.core.i18n import use_language
from annotator.core.io.xlsx_report.agreement import write_agreement, write_disagreements
from annotator.core.io.xlsx_report.charts import write_charts
from annotator.core.io.xlsx_report.labels import Labels
from annotator.core.io.xlsx_report.summary import write_summary
from annotator.core.io.xlsx_report.tables import write_items, write_ratings


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, already computed (see ``core.exporting``)."""

    evaluation: object  # core.evaluation.Evaluation
    rubric: object  # core.models.Rubric
    items: pd.DataFrame  # item_id, uid, sample_id, model, instruction, reference, generated
    ratings: pd.DataFrame  # item_id, rater, dimension, score, updated_at, origin
    comments: dict[int, str]  # item_id -> "rater: comment | ..."
    raters: list[str]
    language: str


def write_report(
    data: ReportData, path: Path, progress: Callable[[int, int], None] | None = None
) -> Path:
    """Write the workbook to ``path`` atomically; returns the path."""
    path = Path(path)
    L = Labels(data.language)
    n_items, n_ratings = len(data.items), len(data.ratings)
    total = n_items + n_ratings + 1

    def tick_from(offset: int) -> Callable[[int], None]:
        return lambda k: progress(min(offset + k, total), total) if progress else None

    wb = Workbook(write_only=True)
    try:
        with use_language(data.language):  # the report speaks the project's language
            write_summary(wb.create_sheet(L("summary")), data, L)
            write_items(wb.create_sheet(L("items")), data, L, tick_from(0))
            write_ratings(wb.create_sheet(L("ratings")), data, L, tick_from(n_items))
            write_agreement(wb.create_sheet(L("agreement")), data, L)
            write_disagreements(wb.create_sheet(L("disagreements")), data, L)
            write_charts(wb.create_sheet(L("charts")), data, L)
    except BaseException:
        _close_streams(wb)  # a cancelled export: end the half-written streams quietly
        raise
    fd, tmp = tempfile.mkstemp(suffix=".xlsx.part", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if progress:
        progress(total, total)
    return path


def _close_streams(wb: Workbook) -> None:
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):  # nothing of this workbook is kept anyway
            ws.close()
