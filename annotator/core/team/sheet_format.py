"""The layout of a rating sheet, shared by the writer and the reader.

Sheet "ratings": row 1 headers; from row 2 one item per row: A id (the item uid),
B instruction, C reference, D generated, then one column per rubric dimension, then
a comment column. Sheet "rubric": the rubric for the rater. Sheet "meta" (very
hidden, protected): key/value rows (format, project uuid, rater, sheet id, which
column holds which dimension) and one ``item`` row per item: its sheet row, uid and
the project's content hash when the sheet was made.
"""

from __future__ import annotations

import re

FORMAT = "annotator-rating-sheet"
VERSION = "1"
RATINGS, RUBRIC, META = "ratings", "rubric", "meta"
TEXT_COLUMNS = ("A", "B", "C", "D")  # id, instruction, reference, generated
FIRST_SCORE_COLUMN = 5  # E
COMMENT_KEY = "comment"
HEADERS = {
    "en": ("id", "instruction", "reference", "generated", "comment"),
    "zh": ("编号", "指令", "参考答案", "模型输出", "备注"),
}
RUBRIC_HEADERS = {
    "en": ("dimension", "description", "1", "2", "3", "4", "5"),
    "zh": ("维度", "说明", "1 分", "2 分", "3 分", "4 分", "5 分"),
}
EXCEL_CELL_LIMIT = 32_767  # Excel cuts longer texts, which would fail the texts check
# Characters the xlsx XML cannot hold (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def lang_of(language: str) -> str:
    return "zh" if language.startswith("zh") else "en"


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
