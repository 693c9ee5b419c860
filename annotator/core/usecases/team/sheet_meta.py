"""Reading and checking a returned rating sheet's hidden meta sheet (untrusted input).

Every value is checked for its type and shape before it is used, and nothing but
the format and the project uuid is believed before the seal matches: a meta sheet
edited to another rater, to another column layout or another item list, or one
with rows deleted, garbage JSON or huge values, is refused with a message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.formats import sheet_format as fmt
from annotator.core.formats.xlsx_safety import read_failure
from annotator.core.storage import Database, MetaRepo
from annotator.core.usecases.team.seal import SECRET_KEY, seal_matches
from annotator.core.usecases.team.sheets_pairs import PAIR_LAYOUT, PAIR_ROW, sheet_subject

_COLUMN = re.compile(r"[A-Z]{1,3}")
_REQUIRED = ("rater", "sheet_id", "layout", "seal")


@dataclass
class SheetMeta:
    """What a sealed meta sheet says: whose sheet, its columns, the items handed out."""

    rater: str
    sheet_id: str
    dimensions: list[tuple[str, str]]  # (column letter, dimension key), left to right
    comment: str  # the comment column's letter
    items: dict[str, str]  # blind id -> content hash when the sheet was made
    # side by side: comparison blind id -> (left item's blind id, right item's blind id)
    pairs: dict[str, tuple[str, str]] = field(default_factory=dict)
    pair_layout: str | None = None  # the side-by-side sheet's columns and words (JSON)


def rows(ws, max_col: int, file: str) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) of a streamed sheet, every openpyxl failure as a message.

    The ``<dimension>`` tag is not trusted (it may be wrong or claim XFD1048576).
    """
    try:
        ws.reset_dimensions()
        yield from enumerate(ws.iter_rows(min_row=1, max_col=max_col), start=1)
    except InputError:
        raise
    except Exception as exc:  # openpyxl parses lazily: a bad part fails here, not on load
        raise read_failure(exc, file) from exc


def damaged(file: str, cell: str | None = None, *, what: str | Message) -> InputError:
    return InputError(
        Problem(
            Message(
                "the sheet's hidden meta data is damaged ({what}); make a new sheet for the "
                "rater (sheet create)",
                what=what,
            ),
            cell=cell,
            file=file,
        )
    )


def read_meta(
    wb, file: str, pairs: list[tuple[str, str, str]] | None = None
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(key -> text, [(blind id, content hash)]) of the meta sheet, shape checked; the
    side-by-side rows (comparison, left item, right item) are added to ``pairs``."""
    if fmt.RATINGS not in wb.sheetnames or fmt.META not in wb.sheetnames:
        raise InputError(
            Problem(
                Message(
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
    items: list[tuple[str, str]] = []
    for r, cells in rows(wb[fmt.META], 4, file):
        key, first, second, third = (c.value for c in cells)
        if key is None:
            continue
        where = f"{fmt.META}!A{r}"
        if not isinstance(key, str):
            raise damaged(file, where, what=Message("a key that is not text"))
        if key == fmt.ITEM_ROW:
            if not (isinstance(first, str) and isinstance(second, str)):
                raise damaged(file, f"{fmt.META}!B{r}", what=Message("an item row without its id"))
            items.append((first, second))
        elif key == PAIR_ROW and pairs is not None:
            if not all(isinstance(v, str) for v in (first, second, third)):
                raise damaged(
                    file, f"{fmt.META}!B{r}", what=Message("a comparison row without its ids")
                )
            pairs.append((first, second, third))
        elif key in values:
            raise damaged(file, where, what=Message('"{key}" appears twice', key=key))
        else:
            values[key] = "" if first is None else str(first)
    if values.get("format") != fmt.FORMAT:
        raise InputError(
            Problem(
                Message(
                    "this xlsx is not a rating sheet made by annotator "
                    "(its meta sheet is missing or changed)"
                ),
                file=file,
            )
        )
    return values, items


def check_project(db: Database, values: dict[str, str], file: str) -> None:
    """Refuse a sheet of another project, or one made by an older annotator (no seal)."""
    project_uuid = MetaRepo(db.conn).get("uuid")
    if values.get("project_uuid") != project_uuid:
        raise InputError(
            Problem(
                Message(
                    'this sheet belongs to another project ("{other_name}", {other_uuid}), '
                    "not to this one ({project_uuid})",
                    other_name=fmt.shown(values.get("project_name")),
                    other_uuid=fmt.shown(values.get("project_uuid")),
                    project_uuid=project_uuid,
                ),
                file=file,
            )
        )
    if values.get("version") != fmt.VERSION or "seal" not in values:
        raise InputError(
            Problem(
                Message(
                    "this rating sheet was made by an older version of annotator and carries "
                    "no seal, so it cannot be told apart from an edited one; make a new sheet "
                    "for the rater (sheet create) and have it filled in"
                ),
                file=file,
            )
        )


def sealed_meta(db: Database, wb, file: str) -> SheetMeta:
    """The meta sheet of a sheet of this project whose seal matches, else a refusal."""
    pairs: list[tuple[str, str, str]] = []
    values, items = read_meta(wb, file, pairs)
    check_project(db, values, file)
    missing = [k for k in _REQUIRED if not values.get(k)]
    if missing:
        raise damaged(file, what=Message("missing: {keys}", keys=", ".join(missing)))
    if len({b for b, _ in items}) != len(items) or len({p[0] for p in pairs}) != len(pairs):
        raise damaged(file, what=Message("an item listed twice"))
    secret_hex = MetaRepo(db.conn).get(SECRET_KEY) or ""
    try:
        secret = bytes.fromhex(secret_hex)
    except ValueError:
        secret = b""
    rater, sheet_id, layout = values["rater"], values["sheet_id"], values["layout"]
    pair_layout = values.get(PAIR_LAYOUT)
    subject = sheet_subject(fmt.seal_subject(sheet_id, layout, items), pair_layout, pairs)
    if not secret or not seal_matches(
        secret, values["seal"], fmt.SEAL_KIND, subject, rater, [b for b, _ in items]
    ):
        raise InputError(
            Problem(
                Message(
                    'the hidden "{meta_sheet}" sheet was edited: its rater ("{rater}"), sheet '
                    "id, columns or list of items no longer match the seal annotator wrote "
                    "when it made the sheet; nothing was imported (make a new sheet for the "
                    "rater with sheet create)",
                    meta_sheet=fmt.META,
                    rater=fmt.shown(rater),
                ),
                file=file,
            )
        )
    dims, comment = _layout(layout, file)
    sides = {c: (left, right) for c, left, right in pairs}
    return SheetMeta(rater.strip(), sheet_id, dims, comment, dict(items), sides, pair_layout)


def _layout(text: str, file: str) -> tuple[list[tuple[str, str]], str]:
    """The sealed layout (written by us, so a failure here means a bug or a forged key)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise damaged(file, what=Message("the column layout is not readable")) from None
    dims = data.get("dimensions") if isinstance(data, dict) else None
    comment = data.get("comment") if isinstance(data, dict) else None
    ok = isinstance(dims, list) and isinstance(comment, str) and _COLUMN.fullmatch(comment)
    pairs: list[tuple[str, str]] = []
    for pair in dims if ok else []:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(p, str) for p in pair)
            and _COLUMN.fullmatch(pair[0])
        ):
            ok = False
            break
        pairs.append((pair[0], pair[1]))
    columns = [c for c, _ in pairs] + [comment] if ok else []
    if not ok or len(set(columns)) != len(columns):
        raise damaged(file, what=Message("the column layout is not readable"))
    return pairs, comment
