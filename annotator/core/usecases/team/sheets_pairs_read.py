"""Reading a returned sheet's side-by-side worksheet, every cell checked first.

Only what the sealed meta sheet lists is read: a row's comparison must be one handed out
in this sheet, its texts the project's, each judgment cell one of the scale's words (as
written, in either language, spaces and case aside; a formula, a number or another word
is refused with its cell). Each word is converted from the side the rater was shown
(sealed with the sheet) to the project's model order. Rows the rater deleted are simply
not judged; comparisons no longer assigned to the rater are imported with a notice.
"""

from __future__ import annotations

import json
import re
import unicodedata

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.domain.side_by_side import CHOICES, Choice, level_labels, outcome_of
from annotator.core.formats import sheet_format as fmt
from annotator.core.i18n import LANGUAGES, tr
from annotator.core.storage import Database, RatersRepo, RubricRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.team_pairs import TeamPairsRepo
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team.pair_merge import PairWork
from annotator.core.usecases.team.pairs import comparison_index
from annotator.core.usecases.team.seal import blind_index
from annotator.core.usecases.team.sheet_meta import SheetMeta, damaged, rows
from annotator.core.usecases.team.sheets_pairs import HEADERS, PAIRS_SHEET

_COLUMN = re.compile(r"[A-Z]{1,3}")
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _index(column: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(column)


def _layout(text: str | None, file: str) -> tuple[list[tuple[str, str]], str, dict, list[str]]:
    """(judgment columns, comment column, normalized word -> choice, the words as written)
    of the sealed layout."""
    try:
        data = json.loads(text or "")
        cols = [(str(c), str(k)) for c, k in data["judgments"]]
        comment = str(data["comment"])
        written = [(str(w), s, n) for w, s, n in data["words"]]
        levels = {(s, n): Choice(s, n) for _, s, n in written if s in CHOICES}
    except (ValueError, TypeError, KeyError, RecursionError):
        raise damaged(file, what=Message("the side-by-side layout is not readable")) from None
    letters = [c for c, _ in cols] + [comment]
    if (
        not cols
        or not all(_COLUMN.fullmatch(c) for c in letters)
        or len(set(letters)) != len(letters)
    ):
        raise damaged(file, what=Message("the side-by-side layout is not readable"))
    choices = {_norm(w): levels[(s, n)] for w, s, n in written if (s, n) in levels}
    for choice, message in [*level_labels(3), *level_labels(5)]:
        if (choice.side, choice.strength) in levels:
            for language in LANGUAGES:
                choices.setdefault(_norm(message.text(language)), choice)
    return cols, comment, choices, [w for w, _, _ in written]


class _Pairs:
    """The project's side of the sheet: comparisons, items and texts by blind id."""

    def __init__(self, db: Database, rater: str):
        self.comparisons = comparison_index(db)
        self.items = {b: i for b, (i, _) in blind_index(db).items()}
        team = TeamRepo(db.conn)
        self.texts = {r[0]: r[2:5] for r in team.item_texts(list(self.items.values()))}
        rater_id = RatersRepo(db.conn).id_for(rater)
        self.assigned: set[int] | None = None
        if TeamPairsRepo(db.conn).has_assignments():
            mine = ComparisonsRepo(db.conn).assigned(rater_id) if rater_id is not None else {}
            self.assigned = set(mine)
        self.unassigned = 0


def read_pairs_sheet(
    db: Database, wb, meta: SheetMeta, file: str
) -> tuple[PairWork | None, list[Problem], list[str]]:
    """The judgments and comments of the side-by-side worksheet, problems by cell, notices."""
    if not meta.pairs:
        return None, [], []
    if PAIRS_SHEET not in wb.sheetnames:
        raise InputError(
            Problem(
                Message(
                    'the sheet "{sheet}" with the comparisons was removed from the file; '
                    "nothing was imported",
                    sheet=PAIRS_SHEET,
                ),
                file=file,
            )
        )
    cols, comment_col, choices, shown = _layout(meta.pair_layout, file)
    at = [(_index(c) - 1, c, k) for c, k in cols]
    comment_at = _index(comment_col) - 1
    project = _Pairs(db, meta.rater)
    work, problems, seen = PairWork(), [], {}
    for r, cells in rows(wb[PAIRS_SHEET], comment_at + 1, file):
        if r == 1:
            _check_headers(db, cells, at, file)
            continue

        def problem(text: Message, col: str, r: int = r) -> None:
            problems.append(Problem(text, cell=f"{PAIRS_SHEET}!{col}{r}", file=file))

        blind = fmt.shown(cells[0].value) if cells[0].value is not None else ""
        if not blind:
            filled = [i for i, _, _ in at] + [comment_at]
            if any(fmt.shown(cells[i].value) for i in filled if cells[i].value is not None):
                problem(Message("the comparison id is empty"), "A")
            continue
        found = _row_pair(blind, r, meta, project, seen, problem)
        if found is None or not _texts_ok(blind, cells, found, project, problem):
            continue
        cid, left, item_a = found
        for i, col, key in at:
            choice = _choice(cells[i], choices, shown, problem, col)
            if choice is not None:
                outcome = outcome_of(choice, left, item_a)
                work.judgments.append((cid, key, outcome, choice.strength, left, None))
        note = _comment(cells[comment_at], comment_col, problem)
        if note:
            work.notes.append((cid, note, None, None, None))
    notices = []
    if project.unassigned:
        notices.append(
            tr(
                "{count} comparison(s) of the sheet are no longer assigned to {rater}; their "
                "judgments were imported all the same (they were handed out to them)",
                count=project.unassigned,
                rater=meta.rater,
            )
        )
    return work, problems, notices


def _check_headers(db: Database, header: tuple, at: list, file: str) -> None:
    """Refuse a worksheet whose judgment columns were moved or renamed."""
    resolver = DimensionResolver(RubricRepo(db.conn).load())
    overall = {_norm(HEADERS[4].text(language)) for language in LANGUAGES}
    problems = []
    for i, col, key in at:
        value = header[i].value
        text = "" if value is None else str(value)
        ok = _norm(text) in overall if key == "" else resolver.resolve(text) == key
        if not ok:
            problems.append(
                Problem(
                    Message(
                        'the header "{header}" is not the judgment this column holds; do not '
                        "move or rename columns",
                        header=fmt.shown(text),
                    ),
                    cell=f"{PAIRS_SHEET}!{col}1",
                    file=file,
                )
            )
    if problems:  # a column mix-up makes every judgment suspect
        raise InputError(problems, file=file)


def _row_pair(blind: str, r: int, meta: SheetMeta, project: _Pairs, seen: dict, problem):
    """(comparison id, left item, item a) of a row, or None after saying why not."""
    sides = meta.pairs.get(blind)
    known = project.comparisons.get(blind)
    if sides is None:
        if known is None:
            problem(Message('comparison "{uid}" is not in this project', uid=blind), "A")
        else:
            problem(
                Message(
                    'comparison "{uid}" was not handed out to {rater} in this sheet (a row '
                    "added or copied from another sheet); its judgments are not accepted",
                    uid=blind,
                    rater=meta.rater,
                ),
                "A",
            )
        return None
    if blind in seen:
        problem(
            Message(
                'comparison "{uid}" appears twice (also row {row})', uid=blind, row=seen[blind]
            ),
            "A",
        )
        return None
    seen[blind] = r
    left, right = (project.items.get(b) for b in sides)
    if known is None or {left, right} != set(known[1:]):
        problem(
            Message(
                'comparison "{uid}" is no longer in the project as it was when this sheet was '
                "made; make a new sheet for it",
                uid=blind,
            ),
            "A",
        )
        return None
    if project.assigned is not None and known[0] not in project.assigned:
        project.unassigned += 1
    return known[0], left, known[1]


def _texts_ok(blind: str, cells: tuple, found, project: _Pairs, problem) -> bool:
    cid, left, item_a = found
    sides = project.comparisons[blind][1:]
    right = sides[1] if left == sides[0] else sides[0]
    texts = (project.texts[left][0], project.texts[left][2], project.texts[right][2])
    for col, cell, text in zip("BCD", cells[1:4], texts, strict=True):
        if fmt.normalized(cell.value) != fmt.normalized(fmt.displayed(text)):
            problem(
                Message(
                    'the text of comparison "{uid}" was changed in the sheet; its judgments '
                    "would not be about the project's answers",
                    uid=blind,
                ),
                col,
            )
            return False
    return True


def _choice(cell, choices: dict[str, Choice], shown: list[str], problem, col: str):
    """The choice a judgment cell holds (None when empty or refused)."""
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    plain = isinstance(value, str) and cell.data_type not in ("f", "e")
    found = choices.get(_norm(value)) if plain else None
    if found is None:
        problem(
            Message(
                '"{value}" is not one of the choices ({choices}); pick one from the drop-down',
                value=fmt.shown(value),
                choices=" / ".join(shown),
            ),
            col,
        )
    return found


def _comment(cell, col: str, problem) -> str:
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
