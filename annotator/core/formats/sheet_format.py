"""The layout of a rating sheet, shared by the writer and the reader.

Sheet "ratings": row 1 headers; from row 2 one item per row in the rater's own keyed
order: A the item's blind id (``seal.blind_id``, never its uid), B instruction,
C reference, D generated, then one column per rubric dimension, then a comment column.
Sheet "rubric": the rubric for the rater. Sheet "meta" (very hidden, protected):
key/value rows (format, version, project uuid and name, rater, sheet id, the column
layout, the seal) and one ``item`` row per item handed out: its blind id and the
project's content hash of its texts when the sheet was made.

The column layout is JSON with the dimensions and the comment column apart
(``{"dimensions": [["E", key], ...], "comment": "I"}``), so no rubric key (not even
``comment`` or ``id``) can be mistaken for a reserved column. The seal
(``seal.seal``) covers the rater, the sheet id, the layout and every item row: a meta
sheet edited in any of these no longer matches it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

from annotator.core.domain.message import Message
from annotator.core.domain.models import SCORES
from annotator.core.i18n import LANGUAGES

FORMAT = "annotator-rating-sheet"
VERSION = "2"  # 2: blind ids, a seal, a namespaced column layout
RATINGS, RUBRIC, META = "ratings", "rubric", "meta"
TEXT_COLUMNS = ("A", "B", "C", "D")  # blind id, instruction, reference, generated
FIRST_SCORE_COLUMN = 5  # E
SEAL_KIND = "sheet"
ITEM_ROW = "item"
# Row 1 of the ratings sheet (id, the three texts, then the dimensions, then the comment)
# and of the rubric sheet, in the sheet's language: messages of the one catalog.
HEADERS = (
    Message("id"),
    Message("instruction"),
    Message("reference"),
    Message("generated"),
    Message("comment"),
)
RUBRIC_HEADERS = (
    Message("dimension"),
    Message("description"),
    *(Message("{score}", score=s) for s in SCORES),
)
# The 1-5 drop-down of the score cells: (error title, error, prompt title, prompt).
VALIDATION = (
    Message("Not a score"),
    Message("Enter a whole number from 1 to 5"),
    Message("Score"),
    Message("1-5, see the rubric sheet"),
)
EXCEL_CELL_LIMIT = 32_767  # Excel cuts longer texts, which would fail the texts check
# Characters the xlsx XML cannot hold (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# A score typed as text: digits, optionally ".0" (what some tools write for a whole number).
_WHOLE = re.compile(r"\+?([0-9]+)(?:\.0*)?")


def lang_of(language: str) -> str:
    return "zh" if language.startswith("zh") else "en"


def in_language(messages: tuple[Message, ...], language: str) -> tuple[str, ...]:
    """``HEADERS``, ``RUBRIC_HEADERS`` or ``VALIDATION`` as written in ``language``."""
    return tuple(m.text(language) for m in messages)


def header_names(message: Message) -> set[str]:
    """Every rendering of a header a sheet may carry: one per language of the catalog."""
    return {message.text(language) for language in LANGUAGES}


def displayed(text: str) -> str:
    """The text as written into a cell: illegal characters replaced, cut to Excel's limit.

    The reader compares ``normalized(cell)`` with ``normalized(displayed(project text))``,
    so an item whose text had to be changed for Excel still passes its check.
    """
    text = _ILLEGAL.sub("\ufffd", text)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    return text


def normalized(value: object) -> str:
    """Cell text compared for "was it changed": line endings unified, nothing else."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def set_text(cell, value: object) -> None:
    """Write ``value`` into ``cell`` as plain text: a text starting with ``=`` stays text.

    openpyxl turns any string starting with ``=`` into a live formula; rubric texts,
    item texts and names written by annotator never are one.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def layout_json(dimensions: list[tuple[str, str]], comment: str) -> str:
    """The column layout as written into the meta sheet (the seal covers this exact text)."""
    return json.dumps(
        {"dimensions": [list(pair) for pair in dimensions], "comment": comment},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def seal_subject(sheet_id: str, layout: str, items: list[tuple[str, str]]) -> str:
    """What the seal's hand-out id stands for: the sheet id, its layout and its item rows."""
    return json.dumps(
        [sheet_id, layout, sorted([b, h] for b, h in items)],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def score_of(value: object, data_type: str | None) -> tuple[int | None, Message | None]:
    """(score, None) for a cell holding a whole number of the scale, else (None, why not).

    Only a value is a score: a formula (even one whose result is a score), a date, a
    yes/no value, an error value, 4.5 or text that is not a whole number are refused,
    each with a reason for the person who typed it.
    """
    low, high = SCORES[0], SCORES[-1]
    if data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return None, Message(
            "a formula is not a score; type the score itself ({low}-{high})", low=low, high=high
        )
    if data_type == "e":
        return None, Message('"{value}" is an error value, not a score', value=value)
    if isinstance(value, bool):
        return None, Message("a yes/no value is not a score ({low}-{high})", low=low, high=high)
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return None, Message("a date or time is not a score ({low}-{high})", low=low, high=high)
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, str):
        match = _WHOLE.fullmatch(unicodedata.normalize("NFKC", value).strip())
        number = int(match.group(1)) if match and len(match.group(1)) < 6 else None
    if number is not None and low <= number <= high:
        return number, None
    return None, Message('"{value}" is not a score from 1 to 5', value=shown(value))


def shown(value: object) -> str:
    """A cell value as a person would read it in a message (cut when very long)."""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    return text if len(text) <= 40 else text[:39] + "…"
