"""Use case: a standardised Excel rating sheet for a rater who does not use the app.

One row per assigned item in the rater's own keyed order (the one the app would
show), identified by its blind id, texts locked, score and comment cells unlocked
with a 1-5 drop-down. The sheet protection has no password: it prevents accidents,
not intent (Review > Unprotect Sheet lifts it); the importer checks the seal and the
texts against the project anyway. The rater's existing scores and comments are
filled in so work can continue. Nothing in the file (ids, order, document
properties) lets a reader recover an item's model, sample id or import order.

A rater with side-by-side comparisons also gets a ``side_by_side`` worksheet
(``sheets_pairs``): one row per comparison, answer A on the left as assigned, a
drop-down of the scale's words; the meta sheet seals the comparisons with their sides.

The file is written under a temporary name next to the target and renamed at the
end: a failed or killed create never leaves a half-written sheet at ``out``.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from annotator.core.domain.errors import (
    AnnotatorError,
    TargetExistsError,
    environment_kind,
    name_too_long_message,
)
from annotator.core.domain.message import Message
from annotator.core.domain.models import SCORES, Rubric
from annotator.core.formats import sheet_format as fmt
from annotator.core.formats.paths import check_target_name, refuse_project_files
from annotator.core.formats.xlsx_write import PART_SUFFIX, as_os_error, part_name, save_workbook
from annotator.core.i18n import display_width
from annotator.core.storage import Database, MetaRepo, RatersRepo, RubricRepo, utcnow
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team.packages import handout_work
from annotator.core.usecases.team.seal import blind_id, project_secret, rater_order, seal
from annotator.core.usecases.team.sheets_pairs import (
    PAIR_LAYOUT,
    PAIR_ROW,
    sheet_subject,
    write_pairs_sheet,
)

WIDTHS = {"A": 12, "B": 42, "C": 42, "D": 56}  # characters; fits a 1366-pixel laptop screen
SCORE_WIDTH, COMMENT_WIDTH = 12, 30
LINE_POINTS, MAX_ROW_POINTS = 15, 240
STALE_PART_S = 600  # a leftover of a killed create older than this is removed


@dataclass
class SheetReport:
    path: str
    rater: str
    sheet_id: str
    items: int
    prefilled_scores: int
    comparisons: int = 0
    prefilled_judgments: int = 0

    def to_dict(self) -> dict:
        return dict(vars(self))


def _lines(text: str, width: int) -> int:
    return sum(max(1, math.ceil(display_width(line) / width)) for line in text.split("\n"))


def create_sheet(
    db: Database,
    rater: str,
    out: str | Path,
    *,
    overwrite: bool = False,
    round_name: str | None = None,
) -> SheetReport:
    """Write ``rater``'s rating sheet (xlsx) to ``out``; refuses to overwrite unless asked.

    ``round_name`` (calibration or main) holds only that round (None: everything assigned).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    rater = rater.strip()
    if not rater:
        raise AnnotatorError(Message("a sheet needs the name of its rater"))
    out = Path(out)
    check_target_name(out)  # too long, or through a file: said before any work
    refuse_project_files(out, db.path)  # never the lead's project, its -wal or a backup
    if out.is_dir():
        raise AnnotatorError(
            Message(
                "{file} is a folder; give the sheet a file name, e.g. {example}",
                file=out,
                example=out / f"{rater}.xlsx",
            )
        )
    if out.exists() and not overwrite:
        raise TargetExistsError(out)
    meta = MetaRepo(db.conn)
    language = meta.get("language") or "zh_CN"
    lang = fmt.lang_of(language)
    rubric: Rubric = RubricRepo(db.conn).load()
    team = TeamRepo(db.conn)
    secret = project_secret(db)
    scored, pairs = handout_work(db, rater, round_name)
    order = rater_order(secret, rater, scored)
    texts = {row[0]: row for row in team.item_texts(order)}
    rater_id = RatersRepo(db.conn).id_for(rater)
    own = {(i, d): s for i, d, s, _ in team.rater_scores(rater_id)} if rater_id else {}
    comments = {n[0]: n[1] for n in team.rater_notes(rater_id)} if rater_id else {}

    wb = Workbook()
    ws = wb.active
    ws.title = fmt.RATINGS
    head = fmt.in_language(fmt.HEADERS, language)
    dims = rubric.dimensions
    comment_col = fmt.FIRST_SCORE_COLUMN + len(dims)
    for col, title in enumerate([*head[:4], *(d.name(lang) for d in dims), head[4]], start=1):
        fmt.set_text(ws.cell(row=1, column=col), title)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap_top = Alignment(wrap_text=True, vertical="top")
    open_cell, centre = Protection(locked=False), Alignment(horizontal="center", vertical="top")
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, wrap_top
    prefilled = 0
    layout = fmt.layout_json(
        [(get_column_letter(fmt.FIRST_SCORE_COLUMN + n), d.key) for n, d in enumerate(dims)],
        get_column_letter(comment_col),
    )
    item_rows: list[tuple[str, str]] = []
    for row, item_id in enumerate(order, start=2):
        _, uid, ins, ref, gen, h = texts[item_id]
        blind = blind_id(secret, uid)
        shown = (blind, fmt.displayed(ins), fmt.displayed(ref), fmt.displayed(gen))
        for col, value in enumerate(shown, start=1):
            cell = ws.cell(row=row, column=col)
            fmt.set_text(cell, value)  # a text starting with "=" stays text, never a formula
            cell.alignment = wrap_top
        for n, d in enumerate(dims):
            cell = ws.cell(
                row=row, column=fmt.FIRST_SCORE_COLUMN + n, value=own.get((item_id, d.key))
            )
            prefilled += cell.value is not None
            cell.protection, cell.alignment = open_cell, centre
        cell = ws.cell(row=row, column=comment_col)
        fmt.set_text(cell, comments.get(item_id) or None)
        cell.protection, cell.alignment = open_cell, wrap_top
        lines = max(_lines(t, WIDTHS[c]) for c, t in zip("BCD", shown[1:], strict=True))
        ws.row_dimensions[row].height = min(MAX_ROW_POINTS, LINE_POINTS * max(lines, 2))
        item_rows.append((blind, h))

    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    for n in range(len(dims)):
        ws.column_dimensions[get_column_letter(fmt.FIRST_SCORE_COLUMN + n)].width = SCORE_WIDTH
    ws.column_dimensions[get_column_letter(comment_col)].width = COMMENT_WIDTH
    ws.row_dimensions[1].height = 2 * LINE_POINTS
    ws.freeze_panes = "B2"
    if order and dims:
        error_title, error, prompt_title, prompt = fmt.in_language(fmt.VALIDATION, language)
        dv = DataValidation(
            type="list",
            formula1='"1,2,3,4,5"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=error_title,
            error=error,
            promptTitle=prompt_title,
            prompt=prompt,
        )
        last = get_column_letter(comment_col - 1)
        dv.add(f"{get_column_letter(fmt.FIRST_SCORE_COLUMN)}2:{last}{len(order) + 1}")
        ws.add_data_validation(dv)
    _protect(ws)
    _rubric_sheet(wb.create_sheet(fmt.RUBRIC), rubric, language, bold, fill, wrap_top)
    side = write_pairs_sheet(wb, db, rater_id, pairs, language, secret)

    sheet_id = str(uuid.uuid4())
    ms = wb.create_sheet(fmt.META)
    _meta_sheet(ms, meta, rater, sheet_id, lang, layout, item_rows, secret, side)
    _plain_properties(wb)
    wb.active = 1 if side is not None and not order else 0  # the rater's work first

    def record() -> None:  # inside the transaction that renames the sheet into place
        rater_id = RatersRepo(db.conn).id_for(rater, create=True)
        team.add_handout(sheet_id, fmt.SEAL_KIND, rater_id, utcnow(), len(order), prefilled)

    with db.transaction():
        _save_atomically(wb, out, record)
    return SheetReport(
        path=str(out),
        rater=rater,
        sheet_id=sheet_id,
        items=len(order),
        prefilled_scores=prefilled,
        comparisons=len(pairs),
        prefilled_judgments=side.prefilled if side else 0,
    )


def _meta_sheet(ms, meta, rater, sheet_id, lang, layout, item_rows, secret: bytes, side) -> None:
    """The very hidden meta sheet: who and what the sheet is for, and its seal."""
    subject = fmt.seal_subject(sheet_id, layout, item_rows)
    if side is not None:  # the comparisons, their sides and columns are sealed too
        subject = sheet_subject(subject, side.layout, side.rows)
    stamp = seal(secret, fmt.SEAL_KIND, subject, rater, [b for b, _ in item_rows])
    rows = [
        ("format", fmt.FORMAT),
        ("version", fmt.VERSION),
        ("project_uuid", meta.get("uuid") or ""),
        ("project_name", meta.get("name") or ""),
        ("rater", rater),
        ("sheet_id", sheet_id),
        ("created_at", utcnow()),
        ("language", lang),
        ("layout", layout),
        ("seal", stamp),
        *((fmt.ITEM_ROW, b, h) for b, h in item_rows),
        *(((PAIR_LAYOUT, side.layout), *((PAIR_ROW, *r) for r in side.rows)) if side else ()),
    ]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            fmt.set_text(ms.cell(row=r, column=c), value)
    ms.sheet_state = "veryHidden"
    ms.protection.sheet = True


def _plain_properties(wb) -> None:
    """Document properties that say nothing about the project, its models or its people."""
    props = wb.properties
    props.creator = "annotator"
    props.lastModifiedBy = None
    props.title = props.subject = props.description = props.keywords = None
    props.category = props.identifier = None


def _save_atomically(wb, out: Path, record) -> None:
    """Save to a temporary file next to ``out``, ``record()`` the hand-out, rename over ``out``.

    Called inside the project's transaction: a failed rename records nothing.

    Raises:
        AnnotatorError: the folder cannot be written (full disk, read-only, missing).
    """
    _remove_stale_parts(out)
    part = part_name(out)
    try:
        with open(part, "xb") as fh:
            save_workbook(wb, fh, out)
            fh.flush()
            os.fsync(fh.fileno())
        record()
        os.replace(part, out)
    except BaseException as exc:
        _remove_quietly(part)
        error = as_os_error(exc) if isinstance(exc, Exception) else None
        if error is None:
            raise
        raise AnnotatorError(_write_error(out, error)) from exc


def _remove_quietly(part: Path) -> None:
    # it could not be created either (a folder that is a file): nothing to remove
    with contextlib.suppress(OSError):
        part.unlink(missing_ok=True)


def _write_error(out: Path, exc: OSError) -> str | Message:
    folder = out.parent.resolve() if out.parent.exists() else out.parent
    if environment_kind(exc) == "full":
        return Message(
            "cannot write {file}: the disk holding {folder} is full; free some space there "
            "(nothing was written) and try again",
            file=out.name,
            folder=folder,
        )
    if exc.errno == errno.ENAMETOOLONG:
        return name_too_long_message(out)
    if exc.errno == errno.ENOENT and not out.parent.exists():
        return Message(
            "cannot write {file}: the folder {folder} does not exist", file=out.name, folder=folder
        )
    return Message(
        "cannot write {file} in {folder} ({error}); nothing was written",
        file=out.name,
        folder=folder,
        error=exc.strerror or exc,
    )


def _remove_stale_parts(out: Path) -> None:
    """Remove what a killed create of the same sheet left behind (our own names only)."""
    try:
        leftovers = list(out.parent.glob(f".{out.name}.*{PART_SUFFIX}"))
    except OSError:
        return
    for part in leftovers:
        try:
            if time.time() - part.stat().st_mtime > STALE_PART_S:
                part.unlink()
        except OSError:
            pass  # another create's file, or already gone: not ours to insist on


def _protect(ws) -> None:
    ws.protection.sheet = True
    # Protection guards the texts; resizing rows and columns stays allowed for readability.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _rubric_sheet(rs, rubric: Rubric, language: str, bold, fill, wrap) -> None:
    lang = fmt.lang_of(language)
    rows = [fmt.in_language(fmt.RUBRIC_HEADERS, language)]
    for d in rubric.dimensions:
        rows.append((d.name(lang), d.description(lang), *(d.anchor(s, lang) for s in SCORES)))
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            fmt.set_text(rs.cell(row=r, column=c), value)  # "=..." rubric text stays text
    for cell in rs[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    for row in rs.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for col, width in zip("ABCDEFG", (16, 40, 28, 28, 28, 28, 28), strict=True):
        rs.column_dimensions[col].width = width
    for n in range(2, len(rubric.dimensions) + 2):
        rs.row_dimensions[n].height = 120
    rs.freeze_panes = "B2"
    _protect(rs)
