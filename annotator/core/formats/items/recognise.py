"""Files that are not items, recognised before the import reads them as a table.

Our own files: a rating sheet (.xlsx with the very hidden ``meta`` sheet next to
``ratings`` and ``rubric``), a rater package or a project (SQLite, told apart by the
project's ``kind``) and the Excel report (its Summary, Agreement, Disagreements and
Charts sheets, named in either language). Imported as items, a filled rating sheet
gave 280 "new" items. Each raises ``OwnFileError`` carrying its ``kind``, so the CLI
names its command and the app its button; the message says what the file is and
what it is for, without naming either.

Other binary files the import does not read (PDF, images, Word, PowerPoint, an
archive that is no workbook) raise an ``InputError`` naming the file type and the
formats that are read, rather than advice to re-save some text as UTF-8.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.formats import sheet_format
from annotator.core.formats.items.xlsx_items import check_archive
from annotator.core.i18n import LANGUAGES
from annotator.core.storage.meta import peek_setting

RATING_SHEET, PACKAGE, PROJECT, REPORT = "rating_sheet", "package", "project", "report"
_SQLITE = b"SQLite format 3\x00"
_WORKBOOK_MAX = 4 * 1024 * 1024  # a workbook.xml lists sheets: a few kilobytes
# Magic numbers of files people pick by mistake: (prefix, what it is).
_MAGIC: tuple[tuple[bytes, Message | None], ...] = (
    (b"%PDF-", Message("a PDF document")),
    (b"\x89PNG\r\n\x1a\n", Message("a PNG image")),
    (b"\xff\xd8\xff", Message("a JPEG image")),
    (b"GIF87a", Message("a GIF image")),
    (b"GIF89a", Message("a GIF image")),
    (b"BM", None),  # too short to tell alone: see _bitmap
    (b"\x1f\x8b", Message("a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", Message("a 7-Zip archive")),
    (b"Rar!\x1a\x07", Message("a RAR archive")),
    (b"\x7fELF", Message("a program (ELF)")),
    (b"MZ", None),  # see _windows_program
)
_WORD, _POWERPOINT, _OPENDOC = "word/", "ppt/", "mimetype"


class OwnFileError(InputError):
    """The file is one of annotator's own (a rating sheet, a package, a project, a report),
    not a file of items; ``kind`` is one of ``RATING_SHEET``, ``PACKAGE``, ``PROJECT``,
    ``REPORT`` (front ends name their command or button from it)."""

    def __init__(self, kind: str, message: Message, *, file: str):
        super().__init__(Problem(message, file=file), file=file)
        self.kind = kind


def _own(kind: str, file: str) -> OwnFileError:
    message = {
        RATING_SHEET: Message(
            "this is a rating sheet written by annotator, not a file of new items: import "
            "it as a filled rating sheet to bring its scores in"
        ),
        PACKAGE: Message(
            "this is a rater package written by annotator, not a file of new items: merge "
            "it to bring its ratings in"
        ),
        PROJECT: Message(
            "this is an annotator project file, not a file of new items: open it instead"
        ),
        REPORT: Message(
            "this is an Excel report written by annotator, not a file of new items; its "
            "items are in the project it was exported from"
        ),
    }[kind]
    return OwnFileError(kind, message, file=file)


def refuse_unreadable(data: bytes, path: Path) -> None:
    """Raise when ``data`` is one of our own files or a binary format the import cannot read.

    Raises:
        OwnFileError: a rating sheet, a rater package, a project or an Excel report.
        InputError: a PDF, an image, a Word or PowerPoint file, an archive, a program.
    """
    file = str(path)
    if data.startswith(_SQLITE):
        kind = peek_setting(path, "kind")
        if kind is not None or peek_setting(path, "uuid") is not None:
            raise _own(PACKAGE if kind == PACKAGE else PROJECT, file)
        _refuse_type(Message("an SQLite database"), file)
    if data.startswith(b"PK\x03\x04"):
        _zip(data, file, path.suffix.lower() in (".xlsx", ".xlsm"))
        return
    for magic, what in _MAGIC:
        if data.startswith(magic):
            what = what or _ambiguous(data)
            if what is not None:
                _refuse_type(what, file)


def _ambiguous(data: bytes) -> Message | None:
    """ "BM" and "MZ" start text too ("BMW,..."): a bitmap or a program only by their header."""
    if data.startswith(b"BM") and len(data) >= 26 and data[14] in (12, 40, 56, 108, 124):
        return Message("a BMP image")
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        return Message("a Windows program")
    return None


def _refuse_type(what: Message, file: str) -> None:
    raise InputError(
        Problem(
            Message(
                "this is {what}, not a table of items; annotator imports CSV, TSV, XLSX, "
                "JSON and JSONL files (and LLaMA-Factory's generated_predictions.jsonl)",
                what=what,
            ),
            file=file,
        )
    )


def _zip(data: bytes, file: str, named_xlsx: bool) -> None:
    """A zip: a workbook (ours or not), a Word or PowerPoint file, or another archive.

    The zip-bomb limits are checked first; a file named .xlsx that holds no workbook is
    the workbook reader's to describe."""
    check_archive(io.BytesIO(data), file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the workbook reader says what is wrong with it
    if any(n.startswith(_WORD) for n in names):
        _refuse_type(Message("a Word document"), file)
    if any(n.startswith(_POWERPOINT) for n in names):
        _refuse_type(Message("a PowerPoint presentation"), file)
    if "xl/workbook.xml" not in names:
        if named_xlsx:
            return
        if _OPENDOC in names:
            _refuse_type(Message("an OpenDocument file"), file)
        _refuse_type(Message("a zip archive"), file)
    sheets = _sheets(archive)
    if sheets is None:
        return
    kind = _workbook_kind(sheets)
    if kind is not None:
        raise _own(kind, file)


def _sheets(archive: zipfile.ZipFile) -> dict[str, str] | None:
    """Sheet name -> state ("visible", "hidden", "veryHidden"); None when unreadable."""
    try:
        info = archive.getinfo("xl/workbook.xml")
        if info.file_size > _WORKBOOK_MAX:
            return None
        root = ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, DefusedXmlException, KeyError, zipfile.BadZipFile, OSError):
        return None  # any damage is the workbook reader's to describe
    out = {}
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet" and element.get("name") is not None:
            out[element.get("name")] = element.get("state") or "visible"
    return out


def _report_sheet_names() -> set[str]:
    labels = (Message("Summary"), Message("Agreement"), Message("Disagreements"))
    return {label.text(language) for label in labels for language in LANGUAGES}


def _workbook_kind(sheets: dict[str, str]) -> str | None:
    meta = sheets.get(sheet_format.META)
    if meta in ("hidden", "veryHidden") and {sheet_format.RATINGS, sheet_format.RUBRIC} <= set(
        sheets
    ):
        return RATING_SHEET
    if len(_report_sheet_names() & set(sheets)) >= 3:
        return REPORT
    return None
