"""Use case: import a filled-in rating sheet, checking every cell first.

A returned sheet is untrusted input. Refused as a whole (nothing written): a file
that is unsafe or not a rating sheet, one of another project, one made by an older
annotator (no seal), one whose hidden meta sheet no longer matches its seal (rater
renamed, columns or item list edited), an unassigned rater, or a column mix-up.
Refused cell by cell (``skip_invalid`` imports the valid cells and reports these as
skipped): a row whose id was not handed out in this sheet (another rater's item, an
added row), changed texts, and any score
cell that is not a whole number from 1 to 5 as a value (formulas, 4.5, dates,
yes/no, error values are refused with their cell). Rows the rater deleted are
simply not scored; items handed out in the sheet but no longer assigned to the rater
are imported with a notice (as packages are). The ``side_by_side`` worksheet is read
the same way (``sheets_pairs_read``) and its judgments merged with the scores, in one
transaction. Importing the same sheet twice changes nothing.

The sheet is streamed (openpyxl's read-only mode), bounded by the project's own
size: a stray cell far away costs nothing and a file made to exhaust memory is
refused before it is parsed.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.formats import sheet_format as fmt
from annotator.core.formats.xlsx_safety import load_workbook_safely
from annotator.core.i18n import tr
from annotator.core.storage import Database, RatersRepo, RubricRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team.merge import MergeReport, Note, Score, apply_work
from annotator.core.usecases.team.package_merge import check_rater_assigned
from annotator.core.usecases.team.seal import blind_id, project_secret
from annotator.core.usecases.team.sheet_meta import SheetMeta, rows, sealed_meta
from annotator.core.usecases.team.sheets_pairs_read import read_pairs_sheet


def _index(column: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(column)


def _cell_budget(db: Database) -> int:
    """The most cells a sheet of this project can hold, with a wide margin for strays."""
    items = len(TeamRepo(db.conn).uid_index()) + ComparisonsRepo(db.conn).count()
    columns = len(RubricRepo(db.conn).load().dimensions) + 8
    return 4 * (items + 10) * columns + 10_000


def import_sheet(db: Database, path: str | Path, *, skip_invalid: bool = False) -> MergeReport:
    """Validate a rating sheet cell by cell, then merge its scores and comments.

    Args:
        db: the project.
        path: the xlsx made by ``create_sheet`` and filled in by the rater.
        skip_invalid: import the valid cells and report the invalid ones instead of
            refusing the whole sheet.

    Raises:
        InputError: every problem, by sheet and cell (e.g. ``ratings!E17``).
    """
    file = str(path)
    wb = load_workbook_safely(
        path, read_only=True, max_cells=_cell_budget(db), max_cell_chars=fmt.EXCEL_CELL_LIMIT
    )
    try:
        meta = sealed_meta(db, wb, file)
        check_rater_assigned(db, meta.rater, file)
        scores, notes, problems, notices = _read_ratings(db, wb[fmt.RATINGS], meta, file)
        pairs, pair_problems, pair_notices = read_pairs_sheet(db, wb, meta, file)
        problems, notices = [*problems, *pair_problems], [*notices, *pair_notices]
    finally:
        wb.close()
    if problems and not skip_invalid:
        raise InputError(problems, file=file)
    report = MergeReport(
        file=file,
        kind="sheet",
        rater=meta.rater,
        package_id=meta.sheet_id,
        skipped=[str(p) for p in problems],
        notices=notices,
    )
    origin = f"sheet:{Path(path).name}"
    return apply_work(db, report, scores, notes, origin=origin, path=file, pairs=pairs)


def _check_headers(header: tuple, meta: SheetMeta, db: Database, file: str) -> None:
    """Refuse a sheet whose dimension columns were moved or renamed (never skippable)."""
    rubric = RubricRepo(db.conn).load()
    resolver = DimensionResolver(rubric)
    problems: list[Problem] = []
    for col, key in meta.dimensions:
        where = f"{fmt.RATINGS}!{col}1"
        value = header[_index(col) - 1].value
        if key not in rubric.keys:
            problems.append(
                Problem(
                    Message(
                        'dimension "{dimension}" is not in this project\'s rubric', dimension=key
                    ),
                    cell=where,
                    file=file,
                )
            )
        elif value is None or resolver.resolve(str(value)) != key:
            problems.append(
                Problem(
                    Message(
                        'the header "{header}" is not the dimension this column holds '
                        "({dimension}); do not move or rename columns",
                        header=fmt.shown(value),
                        dimension=rubric.get(key).name_en,
                    ),
                    cell=where,
                    file=file,
                )
            )
    if problems:  # a column mix-up makes every score suspect
        raise InputError(problems, file=file)


class _Items:
    """The project's side of a sheet: which blind id is which item, and who has what."""

    def __init__(self, db: Database, rater: str):
        team = TeamRepo(db.conn)
        secret = project_secret(db)  # exists: the seal was checked with it
        index = team.uid_index()
        self.by_blind = {blind_id(secret, uid): (uid, i, h) for uid, (i, h) in index.items()}
        self.texts = {row[0]: row[2:5] for row in team.item_texts([i for i, _ in index.values()])}
        rater_id = RatersRepo(db.conn).id_for(rater)
        self.assigned: set[int] | None = None
        self.unassigned = 0  # rows of items assigned to the rater then, no longer now
        if team.has_assignments():
            self.assigned = set(team.assigned_item_ids(rater_id)) if rater_id else set()


def _read_ratings(
    db: Database, ws, meta: SheetMeta, file: str
) -> tuple[list[Score], list[Note], list[Problem], list[str]]:
    """Scores and notes of every valid row, the problems of the others by cell, notices."""
    items = _Items(db, meta.rater)
    score_cols = [(_index(c) - 1, c, k) for c, k in meta.dimensions]
    comment_at = _index(meta.comment) - 1
    last = max([comment_at, *(i for i, _, _ in score_cols)]) + 1
    scores: list[Score] = []
    notes: list[Note] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for r, cells in rows(ws, max(last, len(fmt.TEXT_COLUMNS)), file):
        if r == 1:
            _check_headers(cells, meta, db, file)
            continue

        def problem(text: Message, col: str, r: int = r) -> None:
            problems.append(Problem(text, cell=f"{fmt.RATINGS}!{col}{r}", file=file))

        blind = fmt.shown(cells[0].value) if cells[0].value is not None else ""
        filled = [i for i, _, _ in score_cols] + [comment_at]
        if not blind:
            if any(fmt.shown(cells[i].value) for i in filled if cells[i].value is not None):
                problem(Message("the item id is empty"), "A")
            continue
        item_id = _row_item(blind, r, meta, items, seen, problem)
        if item_id is None or not _texts_ok(blind, cells, items.texts[item_id], problem):
            continue
        for i, col, key in score_cols:
            value, kind = cells[i].value, cells[i].data_type
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            score, why = fmt.score_of(value, kind)
            if score is None:
                problem(why, col)
            else:
                scores.append((item_id, key, score, None))
        note = _comment(cells[comment_at], meta.comment, problem)
        if note:
            notes.append((item_id, note, None, None, None))
    notices = []
    if items.unassigned:
        notices.append(
            tr(
                "{count} item(s) of the sheet are no longer assigned to {rater}; their scores "
                "were imported all the same (the items were handed out to them)",
                count=items.unassigned,
                rater=meta.rater,
            )
        )
    return scores, notes, problems, notices


def _row_item(blind: str, r: int, meta: SheetMeta, items: _Items, seen, problem) -> int | None:
    """The project item of a row's id, or None after reporting why it cannot be scored."""
    known = items.by_blind.get(blind)
    if blind not in meta.items:
        if known is None:
            problem(Message('item "{uid}" is not in this project', uid=fmt.shown(blind)), "A")
        else:  # a real item of the project, but not one handed out in this sheet
            problem(
                Message(
                    'item "{uid}" was not handed out to {rater} in this sheet (a row added or '
                    "copied from another sheet); its scores are not accepted",
                    uid=blind,
                    rater=meta.rater,
                ),
                "A",
            )
        return None
    if blind in seen:
        problem(
            Message('item "{uid}" appears twice (also row {row})', uid=blind, row=seen[blind]), "A"
        )
        return None
    seen[blind] = r
    if known is None:
        problem(Message('item "{uid}" is not in this project', uid=blind), "A")
        return None
    _, item_id, project_hash = known
    if items.assigned is not None and item_id not in items.assigned:
        items.unassigned += 1  # handed out to them (the seal says so): imported, with a notice
    if meta.items[blind] != project_hash:
        problem(
            Message(
                'item "{uid}" was re-imported with new texts after this sheet was made; '
                "make a new sheet for it",
                uid=blind,
            ),
            "A",
        )
        return None
    return item_id


def _texts_ok(blind: str, cells: tuple, texts: tuple[str, str, str], problem) -> bool:
    for col, cell, text in zip("BCD", cells[1:4], texts, strict=True):
        if fmt.normalized(cell.value) != fmt.normalized(fmt.displayed(text)):
            problem(
                Message(
                    'the text of item "{uid}" was changed in the sheet; its scores would '
                    "not be about the project's text",
                    uid=blind,
                ),
                col,
            )
            return False
    return True


def _comment(cell, col: str, problem) -> str:
    """A comment cell's text; a formula or an error value is reported, not stored."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type in ("f", "e"):
        problem(
            Message(
                'the comment "{value}" is a formula or an error value; type plain text',
                value=fmt.shown(value),
            ),
            col,
        )
        return ""
    return fmt.shown(value) if not isinstance(value, str) else value.strip()
