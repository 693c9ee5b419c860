"""Opening an xlsx that came from someone else's laptop.

An xlsx is a zip of XML files. Before openpyxl reads one we check the zip's
directory: a file of a few kilobytes can expand to gigabytes (a zip bomb). The
XML itself is parsed by openpyxl through defusedxml (a dependency), which refuses
entity declarations, so a "billion laughs" payload is rejected, not expanded.
Python's zipfile never returns more than a member's declared size, so checking
the declared sizes is enough.

A caller that knows how much real data to expect (a rating sheet: the project's items
times its columns) also bounds the cells and the length of any one cell: one streaming
pass over the XML counts cells and shared strings and measures every text without
keeping it, so a stray cell at XFD1048576 costs one cell, and a shared string that
would expand to hundreds of megabytes, or millions of tiny cells, are refused before
openpyxl builds anything.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message

MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 10 * 1024 * 1024  # small members may compress very well (empty sheets)
MAX_MEMBERS = 10_000
_CHUNK = 1 << 20
# "<!DOCTYPE" as UTF-8 and as UTF-16 (either byte order): an XML file may be in either.
_DTD_MARKS = tuple(
    m
    for text in ("<!DOCTYPE", "<!ENTITY")
    for m in (text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be"))
)
_SHEET_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_TEXT_HOLDERS = {"si", "is", "v", "f"}  # a shared string, an inline string, a value, a formula


def check_xlsx(
    path: str | Path,
    *,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
    ratio_min_bytes: int = RATIO_MIN_BYTES,
    max_cells: int | None = None,
    max_cell_chars: int | None = None,
) -> None:
    """Refuse a file that is not a zip, whose members would expand too far, or whose XML
    declares entities.

    Args:
        path: the xlsx.
        max_total: uncompressed bytes of all members together.
        max_ratio: compression ratio allowed for a member over ``ratio_min_bytes``.
        ratio_min_bytes: members smaller than this may compress any amount.
        max_cells: when given, the most cells (and the most shared strings) the file
            may hold; counted by streaming, the ``<dimension>`` tag is not trusted.
        max_cell_chars: when given, the longest text one cell (a value, a formula, a
            shared or inline string) may hold.

    Raises:
        InputError: not a zip (so not an .xlsx), too many members, more than ``max_total``
            bytes uncompressed, a member over ``ratio_min_bytes`` compressed more than
            ``max_ratio`` times, an XML member with a DOCTYPE/ENTITY declaration, more
            cells than ``max_cells`` or a cell longer than ``max_cell_chars``.
    """
    file = str(path)
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(Message("{file} does not exist", file=path), file=file))
    if not zipfile.is_zipfile(path):
        raise InputError(
            Problem(
                Message(
                    "this is not an Excel .xlsx file (an xlsx is a zip archive); "
                    "save it from Excel as .xlsx"
                ),
                file=file,
            )
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(members, file, max_total, max_ratio, ratio_min_bytes)
            for m in members:
                if m.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, m):
                    raise InputError(
                        Problem(
                            Message(
                                'refused: "{member}" declares XML entities (an attack on XML '
                                'readers, e.g. "billion laughs"); Excel never writes them',
                                member=m.filename,
                            ),
                            file=file,
                        )
                    )
            if max_cells is not None or max_cell_chars is not None:
                _check_cells(archive, members, file, max_cells, max_cell_chars)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(
            Problem(Message("the xlsx archive is damaged ({error})", error=exc), file=file)
        ) from exc


class _TooMuch(Exception):
    """Raised inside the XML handlers to stop the streaming pass at the first excess."""


def _check_cells(
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    file: str,
    max_cells: int | None,
    max_cell_chars: int | None,
) -> None:
    counts = {"c": 0, "si": 0, "row": 0}
    for m in members:
        if not m.filename.lower().endswith(".xml"):
            continue
        try:
            _scan_member(archive, m, counts, max_cells, max_cell_chars)
        except _TooMuch as exc:
            raise InputError(Problem(exc.args[0], file=file)) from None
        except expat.ExpatError as exc:
            raise InputError(
                Problem(
                    Message(
                        'the xlsx archive is damaged ("{member}": {error})',
                        member=m.filename,
                        error=exc,
                    ),
                    file=file,
                )
            ) from exc


def _scan_member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    counts: dict[str, int],
    max_cells: int | None,
    max_cell_chars: int | None,
) -> None:
    """Count cells and shared strings and measure texts of one XML member, keeping nothing."""
    parser = expat.ParserCreate(namespace_separator=" ")
    depth = {"text": 0, "length": 0}

    def start(name: str, _attrs) -> None:
        uri, _, local = name.rpartition(" ")
        if uri not in _SHEET_NS:
            return
        if local in counts:
            counts[local] += 1
            if max_cells is not None and counts[local] > max_cells:
                raise _TooMuch(_too_many(local, max_cells, member.filename))
        if local in _TEXT_HOLDERS:
            if depth["text"] == 0:
                depth["length"] = 0
            depth["text"] += 1

    def end(name: str) -> None:
        uri, _, local = name.rpartition(" ")
        if uri in _SHEET_NS and local in _TEXT_HOLDERS and depth["text"]:
            depth["text"] -= 1

    def text(data: str) -> None:
        if depth["text"] and max_cell_chars is not None:
            depth["length"] += len(data)
            if depth["length"] > max_cell_chars:
                raise _TooMuch(
                    Message(
                        'refused: a cell of "{member}" holds more than {limit} characters '
                        "(Excel's limit); the file was not written by Excel or was tampered with",
                        member=member.filename,
                        limit=max_cell_chars,
                    )
                )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(member) as fh:
        parser.ParseFile(fh)


def _too_many(kind: str, limit: int, member: str) -> Message:
    if kind == "si":
        return Message(
            'refused: "{member}" holds more than {limit} texts, far more than the data it '
            "should hold (a file made to exhaust memory?)",
            member=member,
            limit=limit,
        )
    return Message(
        'refused: the xlsx holds more than {limit} cells or rows (counted in "{member}"), far '
        "more than the data it should hold (a file made to exhaust memory?)",
        member=member,
        limit=limit,
    )


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in _DTD_MARKS):
                return True
            tail = window[-32:]
    return False


@dataclass(frozen=True)
class ZipExcess:
    """What makes a zip's directory refused, before anything in it is unpacked.

    Attributes:
        kind: "members" (too many files), "total" (too large unpacked) or "ratio" (one
            member compressed far more than real spreadsheet XML is: a zip bomb).
        size: the files counted ("members"), or the bytes unpacked (of all, or of ``member``).
        limit: the limit passed (files, bytes, or the ratio).
        member: the member compressed too well ("ratio").
        packed: that member's compressed bytes ("ratio").
    """

    kind: str
    size: int
    limit: float
    member: str = ""
    packed: int = 0

    @property
    def ratio(self) -> float:
        return self.size / max(self.packed, 1)


def zip_excess(
    members: list[zipfile.ZipInfo],
    *,
    max_total: int,
    max_ratio: float = MAX_RATIO,
    ratio_min_bytes: int = RATIO_MIN_BYTES,
    max_members: int = MAX_MEMBERS,
) -> ZipExcess | None:
    """The one zip-bomb check of every xlsx read (rating sheets and items workbooks).

    Python's zipfile never returns more than a member's declared size, so the declared
    sizes bound what openpyxl can be made to read. Each caller words the excess.
    """
    if len(members) > max_members:
        return ZipExcess("members", len(members), max_members)
    total = sum(m.file_size for m in members)
    if total > max_total:
        return ZipExcess("total", total, max_total)
    for m in members:
        if m.file_size > ratio_min_bytes and m.file_size > max_ratio * max(m.compress_size, 1):
            return ZipExcess("ratio", m.file_size, max_ratio, m.filename, m.compress_size)
    return None


def _check_sizes(
    members: list[zipfile.ZipInfo],
    file: str,
    max_total: int,
    max_ratio: float,
    ratio_min_bytes: int,
) -> None:
    excess = zip_excess(
        members, max_total=max_total, max_ratio=max_ratio, ratio_min_bytes=ratio_min_bytes
    )
    if excess is None:
        return
    if excess.kind == "members":
        message = Message(
            "refused: the xlsx holds {count} files; a rating sheet holds a few dozen",
            count=excess.size,
        )
    elif excess.kind == "total":
        message = Message(
            "refused: the xlsx would expand to {size:.0f} MB (limit {limit:.0f} MB); it "
            "is not a rating sheet or it was tampered with",
            size=excess.size / 2**20,
            limit=excess.limit / 2**20,
        )
    else:
        message = Message(
            'refused: the member "{member}" expands {ratio:.0f} times to '
            "{size:.0f} MB (a zip bomb?)",
            member=excess.member,
            ratio=excess.ratio,
            size=excess.size / 2**20,
        )
    raise InputError(Problem(message, file=file))


def load_workbook_safely(
    path: str | Path,
    *,
    read_only: bool = False,
    max_cells: int | None = None,
    max_cell_chars: int | None = None,
):
    """``check_xlsx``, then openpyxl's loader, turning every failure into an ``InputError``.

    Args:
        path: the xlsx.
        read_only: stream the sheets (openpyxl's read-only mode, formulas as written,
            not their cached results); the caller closes the workbook and turns
            failures while reading rows into messages with ``read_failure``.
        max_cells: passed to ``check_xlsx``.
        max_cell_chars: passed to ``check_xlsx``.
    """
    import openpyxl  # only the sheet commands need it

    check_xlsx(path, max_cells=max_cells, max_cell_chars=max_cell_chars)
    try:
        if read_only:
            return openpyxl.load_workbook(path, read_only=True, data_only=False)
        return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file; all mean the same
        raise read_failure(exc, str(path)) from exc


def read_failure(exc: BaseException, file: str) -> InputError:
    """The message for an exception openpyxl raised while reading ``file``."""
    if isinstance(exc, InputError):
        return exc
    if _defused(exc):
        return InputError(
            Problem(
                Message(
                    "refused: the xlsx contains XML entity declarations (an "
                    "attack on XML readers); Excel never writes them"
                ),
                file=file,
            )
        )
    if isinstance(exc, MemoryError | RecursionError):
        return InputError(
            Problem(
                Message("refused: the xlsx is too large or too deeply nested to read"), file=file
            )
        )
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return InputError(
        Problem(Message("the xlsx cannot be read ({detail})", detail=detail), file=file)
    )


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused part of the file (openpyxl may wrap its exception)."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
