"""Use case: import a filled-in rating sheet, checking every cell first.

Refused as a whole (nothing written) when the file is unsafe or not a rating
sheet, belongs to another project or to an unassigned rater, or when any cell is
wrong: unknown item, changed text, a score that is not 1-5. With ``skip_invalid``
the valid cells are imported and the problems are reported as skipped. Scores
typed as text ("4", "4.0", full-width "４") are accepted; empty cells are simply
not scored yet. Importing the same sheet twice changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.errors import InputError, Problem
from annotator.core.i18n import tr
from annotator.core.rubric import DimensionResolver, parse_score
from annotator.core.storage import Database, MetaRepo, RubricRepo
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.team import sheet_format as fmt
from annotator.core.team.merge import MergeReport, Note, Score, apply_work
from annotator.core.team.package_merge import check_rater_assigned
from annotator.core.team.xlsx_safety import load_workbook_safely


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_meta(wb, file: str) -> tuple[dict[str, str], dict[str, str]]:
    """(key -> value, uid -> content hash when the sheet was made) from the hidden sheet."""
    if fmt.RATINGS not in wb.sheetnames or fmt.META not in wb.sheetnames:
        raise InputError(
            Problem(
                tr(
                    "this xlsx is not a rating sheet made by annotator (it needs the sheets "
                    '"{ratings_sheet}" and "{meta_sheet}"); for scores in long form use ratings '
                    "import",
                    ratings_sheet=fmt.RATINGS,
                    meta_sheet=fmt.META,
                ),
                file=file,
            )
        )
    values: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for row in wb[fmt.META].iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] == "item" and len(row) >= 4:
            hashes[str(row[2])] = str(row[3])
        elif len(row) >= 2:
            values[str(row[0])] = "" if row[1] is None else str(row[1])
    if values.get("format") != fmt.FORMAT:
        raise InputError(
            Problem(
                tr(
                    "this xlsx is not a rating sheet made by annotator "
                    "(its meta sheet is missing or changed)"
                ),
                file=file,
            )
        )
    return values, hashes


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
    wb = load_workbook_safely(path)
    values, hashes = _read_meta(wb, file)
    project_uuid = MetaRepo(db.conn).get("uuid")
    if values.get("project_uuid") != project_uuid:
        raise InputError(
            Problem(
                tr(
                    'this sheet belongs to another project ("{other_name}", {other_uuid}), '
                    "not to this one ({project_uuid})",
                    other_name=values.get("project_name"),
                    other_uuid=values.get("project_uuid"),
                    project_uuid=project_uuid,
                ),
                file=file,
            )
        )
    rater = values.get("rater", "").strip()
    check_rater_assigned(db, rater, file)
    try:
        columns: dict[str, str] = json.loads(values.get("columns", "{}"))
    except json.JSONDecodeError as exc:
        raise InputError(Problem(tr("the sheet's meta data is damaged"), file=file)) from exc

    ws = wb[fmt.RATINGS]
    rubric = RubricRepo(db.conn).load()
    resolver = DimensionResolver(rubric)
    problems: list[Problem] = []
    dims: dict[str, str] = {}
    for col, key in columns.items():
        if key == fmt.COMMENT_KEY:
            continue
        header = ws[f"{col}1"].value
        if key not in rubric.keys:
            problems.append(
                Problem(
                    tr('dimension "{dimension}" is not in this project\'s rubric', dimension=key),
                    cell=f"{fmt.RATINGS}!{col}1",
                    file=file,
                )
            )
        elif resolver.resolve(str(header or "")) != key:
            problems.append(
                Problem(
                    tr(
                        'the header "{header}" is not the dimension this column holds '
                        "({dimension}); do not move or rename columns",
                        header=header,
                        dimension=rubric.get(key).name_en,
                    ),
                    cell=f"{fmt.RATINGS}!{col}1",
                    file=file,
                )
            )
        else:
            dims[col] = key
    if problems:  # a column mix-up makes every score suspect: never skippable
        raise InputError(problems, file=file)
    comment_col = next((c for c, k in columns.items() if k == fmt.COMMENT_KEY), None)

    items = TeamRepo(db.conn).uid_index()
    texts = {row[1]: row for row in TeamRepo(db.conn).item_texts([i for i, _ in items.values()])}
    scores: list[Score] = []
    notes: list[Note] = []
    seen: dict[str, int] = {}
    for r in range(2, ws.max_row + 1):

        def cell(col: str, r: int = r) -> str:
            return f"{fmt.RATINGS}!{col}{r}"

        uid_value = ws[f"A{r}"].value
        uid = "" if uid_value is None else _show(uid_value)
        filled = [c for c in [*dims, comment_col] if c and _show(ws[f"{c}{r}"].value or "")]
        if not uid:
            if filled:
                problems.append(Problem(tr("the item id is empty"), cell=cell("A"), file=file))
            continue
        if uid not in items:
            problems.append(
                Problem(
                    tr('item "{uid}" is not in this project', uid=uid), cell=cell("A"), file=file
                )
            )
            continue
        if uid in seen:
            problems.append(
                Problem(
                    tr('item "{uid}" appears twice (also row {row})', uid=uid, row=seen[uid]),
                    cell=cell("A"),
                    file=file,
                )
            )
            continue
        seen[uid] = r
        item_id, project_hash = items[uid]
        _, _, ins, ref, gen, _ = texts[uid]
        row_ok = True
        if uid in hashes and hashes[uid] != project_hash:
            row_ok = False
            problems.append(
                Problem(
                    tr(
                        'item "{uid}" was re-imported with new texts after this sheet was made; '
                        "make a new sheet for it",
                        uid=uid,
                    ),
                    cell=cell("A"),
                    file=file,
                )
            )
        for col, text in zip("BCD", (ins, ref, gen), strict=True):
            if row_ok and fmt.normalized(ws[f"{col}{r}"].value) != fmt.normalized(
                fmt.displayed(text)
            ):
                row_ok = False
                problems.append(
                    Problem(
                        tr(
                            'the text of item "{uid}" was changed in the sheet; its scores would '
                            "not be about the project's text",
                            uid=uid,
                        ),
                        cell=cell(col),
                        file=file,
                    )
                )
        if not row_ok:
            continue
        for col, key in dims.items():
            value = ws[f"{col}{r}"].value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            score = parse_score(value)
            if score is None:
                problems.append(
                    Problem(
                        tr('"{value}" is not a score from 1 to 5', value=_show(value)),
                        cell=cell(col),
                        file=file,
                    )
                )
            else:
                scores.append((item_id, key, score, None))
        if comment_col:
            comment = _show(ws[f"{comment_col}{r}"].value or "")
            if comment:
                notes.append((item_id, comment, None, None, None))
    if problems and not skip_invalid:
        raise InputError(problems, file=file)
    report = MergeReport(
        file=file,
        kind="sheet",
        rater=rater,
        package_id=values.get("sheet_id", ""),
        skipped=[str(p) for p in problems],
    )
    return apply_work(db, report, scores, notes, origin=f"sheet:{Path(path).name}", path=file)
