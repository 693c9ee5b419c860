"""The side-by-side worksheet of a rating sheet: one row per comparison, by side.

Sheet ``side_by_side``: row 1 headers; from row 2 one comparison per row in the rater's
keyed order: A its blind id (``seal.blind_id`` of the comparison, never its uid),
B the instruction, C answer A (shown on the left), D answer B (the right one), then the
judgment columns (overall, and one per rubric dimension when the project judges them)
with a drop-down of the scale's words in the project's language (A better / About the
same / B better / Both unacceptable), then a comment column. Texts are locked. Which
answer is on the left is the rater's balanced side (``assign``); nothing on the sheet
says which model wrote which.

The very hidden meta sheet gets a ``pair_layout`` row (the judgment columns, the comment
column and the words as written, JSON) and one ``pair`` row per comparison: its blind
id and the blind ids of its left and right items. The seal covers them
(``sheet_subject``), so the importer converts each word back to the project's model
order with the side the rater was shown, and a row turned round or added is refused.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from annotator.core.domain.message import Message
from annotator.core.domain.side_by_side import DIMENSIONS_KEY, SCALE_KEY, choice_of, level_labels
from annotator.core.formats import sheet_format as fmt
from annotator.core.i18n import display_width
from annotator.core.storage import Database, MetaRepo, RubricRepo
from annotator.core.storage.team_pairs import TeamPairsRepo
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team.pairs import HandoutPair
from annotator.core.usecases.team.seal import blind_id

PAIRS_SHEET = "side_by_side"
PAIR_ROW = "pair"
PAIR_LAYOUT = "pair_layout"
HEADERS = (
    Message("id"),
    Message("instruction"),
    Message("answer A (left)"),
    Message("answer B (right)"),
    Message("overall"),
    Message("comment"),
)
VALIDATION = (
    Message("Not one of the choices"),
    Message("Choose one of the words in the list"),
    Message("Judgment"),
    Message("Which answer is better? Choose from the list"),
)
WIDTHS = {"A": 12, "B": 40, "C": 48, "D": 48}
JUDGMENT_WIDTH, COMMENT_WIDTH = 16, 30
LINE_POINTS, MAX_ROW_POINTS = 15, 240


@dataclass
class PairsOut:
    """What the meta sheet records of the side-by-side worksheet."""

    layout: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # comparison, left, right
    prefilled: int = 0


def sheet_subject(base: str, pair_layout: str | None, rows: list[tuple[str, str, str]]) -> str:
    """The seal's subject of a sheet with comparisons (``base``: without them, unchanged)."""
    if pair_layout is None and not rows:
        return base
    body = [base, pair_layout, sorted(list(r) for r in rows)]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def words(scale: int, language: str) -> list[tuple[str, str, int | None]]:
    """(word as written, side, strength) of each level of the scale, in ``language``."""
    return [(m.text(language), c.side, c.strength) for c, m in level_labels(scale)]


def _lines(text: str, width: int) -> int:
    return sum(max(1, math.ceil(display_width(line) / width)) for line in text.split("\n"))


def write_pairs_sheet(
    wb, db: Database, rater_id: int | None, pairs: list[HandoutPair], language: str, secret: bytes
) -> PairsOut | None:
    """Add the side-by-side worksheet for ``pairs`` to ``wb`` (None: no comparisons)."""
    if not pairs:
        return None
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    meta = MetaRepo(db.conn)
    lang = fmt.lang_of(language)
    scale = 5 if meta.get(SCALE_KEY) == "5" else 3
    rubric = RubricRepo(db.conn).load()
    dims = list(rubric.dimensions) if meta.get(DIMENSIONS_KEY) == "1" else []
    keys = ["", *(d.key for d in dims)]
    cols = [get_column_letter(5 + n) for n in range(len(keys))]
    comment_col = get_column_letter(5 + len(keys))
    levels = words(scale, language)
    layout = json.dumps(
        {"judgments": [[c, k] for c, k in zip(cols, keys, strict=True)], "comment": comment_col}
        | {"words": [list(w) for w in levels]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    ws = wb.create_sheet(PAIRS_SHEET, 1)
    head = fmt.in_language(HEADERS, language)
    titles = [*head[:5], *(d.name(lang) for d in dims), head[5]]
    for col, title in enumerate(titles, start=1):
        fmt.set_text(ws.cell(row=1, column=col), title)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap_top = Alignment(wrap_text=True, vertical="top")
    open_cell, centre = Protection(locked=False), Alignment(horizontal="center", vertical="top")
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = bold, fill, wrap_top
    own = _own(db, rater_id)
    word_of = {(side, strength): word for word, side, strength in levels}
    out = PairsOut(layout)
    texts = {
        row[0]: row
        for row in TeamRepo(db.conn).item_texts([i for p in pairs for i in (p.left, p.right)])
    }
    for r, p in enumerate(pairs, start=2):
        left, right = texts[p.left], texts[p.right]
        shown = (
            blind_id(secret, p.uid),
            fmt.displayed(left[2]),
            fmt.displayed(left[4]),
            fmt.displayed(right[4]),
        )
        for c, value in enumerate(shown, start=1):
            cell = ws.cell(row=r, column=c)
            fmt.set_text(cell, value)
            cell.alignment = wrap_top
        judged, comment = own[0].get(p.comparison_id, {}), own[1].get(p.comparison_id)
        for col, key in zip(cols, keys, strict=True):
            given = judged.get(key)
            word = None
            if given is not None:
                choice = choice_of(given[0], given[1], p.left, p.item_a)
                word = word_of.get((choice.side, choice.strength))
            cell = ws[f"{col}{r}"]
            fmt.set_text(cell, word)
            out.prefilled += word is not None
            cell.protection, cell.alignment = open_cell, centre
        cell = ws[f"{comment_col}{r}"]
        fmt.set_text(cell, comment or None)
        cell.protection, cell.alignment = open_cell, wrap_top
        lines = max(_lines(t, WIDTHS[c]) for c, t in zip("BCD", shown[1:], strict=True))
        ws.row_dimensions[r].height = min(MAX_ROW_POINTS, LINE_POINTS * max(lines, 2))
        out.rows.append((shown[0], blind_id(secret, left[1]), blind_id(secret, right[1])))
    _finish(ws, cols, comment_col, len(pairs), [w for w, _, _ in levels], language)
    return out


def _own(db: Database, rater_id: int | None) -> tuple[dict, dict]:
    """The rater's judgments (cid -> dim -> (outcome, strength)) and comments (cid -> text)."""
    if rater_id is None:
        return {}, {}
    repo = TeamPairsRepo(db.conn)
    judged: dict[int, dict[str, tuple[str, int | None]]] = {}
    for cid, dim, outcome, strength, _ in repo.rater_judgments(rater_id):
        judged.setdefault(cid, {})[dim] = (outcome, strength)
    return judged, {n[0]: n[1] for n in repo.rater_notes(rater_id)}


def _finish(ws, cols: list[str], comment_col: str, n: int, choices: list[str], language: str):
    """Widths, frozen panes, the drop-down and the protection of the worksheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    for col in cols:
        ws.column_dimensions[col].width = JUDGMENT_WIDTH
    ws.column_dimensions[comment_col].width = COMMENT_WIDTH
    ws.row_dimensions[1].height = 2 * LINE_POINTS
    ws.freeze_panes = "B2"
    error_title, error, prompt_title, prompt = fmt.in_language(VALIDATION, language)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=error_title,
        error=error,
        promptTitle=prompt_title,
        prompt=prompt,
    )
    dv.add(f"{cols[0]}2:{cols[-1]}{n + 1}")
    ws.add_data_validation(dv)
    ws.protection.sheet = True
    # Protection guards the texts; resizing rows and columns stays allowed for readability.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
