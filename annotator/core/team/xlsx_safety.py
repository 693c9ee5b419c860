"""Opening an xlsx that came from someone else's laptop.

An xlsx is a zip of XML files. Before openpyxl reads one we check the zip's
directory: a file of a few kilobytes can expand to gigabytes (a zip bomb). The
XML itself is parsed by openpyxl through defusedxml (a dependency), which refuses
entity declarations, so a "billion laughs" payload is rejected, not expanded.
Python's zipfile never returns more than a member's declared size, so checking
the declared sizes is enough.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from annotator.core.errors import InputError, Problem
from annotator.core.i18n import tr

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


def check_xlsx(
    path: str | Path,
    *,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
    ratio_min_bytes: int = RATIO_MIN_BYTES,
) -> None:
    """Refuse a file that is not a zip, whose members would expand too far, or whose XML
    declares entities.

    Raises:
        InputError: not a zip (so not an .xlsx), too many members, more than ``max_total``
            bytes uncompressed, a member over ``ratio_min_bytes`` compressed more than
            ``max_ratio`` times, or an XML member with a DOCTYPE/ENTITY declaration.
    """
    file = str(path)
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(tr("{file} does not exist", file=path), file=file))
    if not zipfile.is_zipfile(path):
        raise InputError(
            Problem(
                tr(
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
                            tr(
                                'refused: "{member}" declares XML entities (an attack on XML '
                                'readers, e.g. "billion laughs"); Excel never writes them',
                                member=m.filename,
                            ),
                            file=file,
                        )
                    )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(
            Problem(tr("the xlsx archive is damaged ({error})", error=exc), file=file)
        ) from exc


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in _DTD_MARKS):
                return True
            tail = window[-32:]
    return False


def _check_sizes(
    members: list[zipfile.ZipInfo],
    file: str,
    max_total: int,
    max_ratio: float,
    ratio_min_bytes: int,
) -> None:
    if len(members) > MAX_MEMBERS:
        raise InputError(
            Problem(
                tr(
                    "refused: the xlsx holds {count} files; a rating sheet holds a few dozen",
                    count=len(members),
                ),
                file=file,
            )
        )
    total = sum(m.file_size for m in members)
    if total > max_total:
        raise InputError(
            Problem(
                tr(
                    "refused: the xlsx would expand to {size:.0f} MB (limit {limit:.0f} MB); it "
                    "is not a rating sheet or it was tampered with",
                    size=total / 2**20,
                    limit=max_total / 2**20,
                ),
                file=file,
            )
        )
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > ratio_min_bytes and ratio > max_ratio:
            raise InputError(
                Problem(
                    tr(
                        'refused: the member "{member}" expands {ratio:.0f} times to '
                        "{size:.0f} MB (a zip bomb?)",
                        member=m.filename,
                        ratio=ratio,
                        size=m.file_size / 2**20,
                    ),
                    file=file,
                )
            )


def load_workbook_safely(path: str | Path):
    """``check_xlsx``, then openpyxl's loader, turning every failure into an ``InputError``."""
    import openpyxl  # only the sheet commands need it

    check_xlsx(path)
    file = str(path)
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file; all mean the same
        if _defused(exc):
            raise InputError(
                Problem(
                    tr(
                        "refused: the xlsx contains XML entity declarations (an "
                        "attack on XML readers); Excel never writes them"
                    ),
                    file=file,
                )
            ) from exc
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            Problem(tr("the xlsx cannot be read ({detail})", detail=detail), file=file)
        ) from exc


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused part of the file (openpyxl may wrap its exception)."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
