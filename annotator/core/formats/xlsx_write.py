"""Saving a workbook so that nothing is left behind anywhere when it fails or is killed.

openpyxl writes each worksheet to a temporary file in the system's temp folder
before zipping it; a killed save leaves those files there for ever, and a full temp
disk fails a save whose target disk has room. Here every temporary file lives next
to the target (so a full disk is the target's disk) under a hidden name, and is
removed whatever happens. The caller writes the archive itself to a temporary name
and renames it (see ``sheets_write._save_atomically``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import uuid
from pathlib import Path
from typing import BinaryIO

PART_SUFFIX = ".part"

# lxml reports write failures as SerialisationError("IO_EFBIG"), not as OSError.
_LXML_ERRNO = {
    f"IO_{name}": getattr(errno, name)
    for name in ("ENOSPC", "EFBIG", "EDQUOT", "EACCES", "EROFS", "EIO")
    if hasattr(errno, name)
}


def umask_mode() -> int:
    """The mode a new file gets from the user's umask (0o666 without it).

    Read from /proc on Linux (no change to the process's umask); elsewhere the umask is set
    and put back at once.
    """
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def give_umask_mode(path: Path) -> None:
    """Give a scratch file (``mkstemp`` makes them 0600) the mode a plain new file gets, so
    an export renamed from it can be read as the user's other files can."""
    with contextlib.suppress(OSError):  # on Windows, or a file system without modes
        os.chmod(path, umask_mode())


def part_name(target: Path, tag: str = "") -> Path:
    """A hidden temporary name next to ``target`` (``.bob.xlsx.1a2b3c4d.part``)."""
    return target.with_name(f".{target.name}.{tag}{uuid.uuid4().hex[:8]}{PART_SUFFIX}")


def as_os_error(exc: BaseException) -> OSError | None:
    """The OSError behind a failed write (lxml hides it in a SerialisationError)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError):
            return exc
        text = str(exc)
        for name, code in _LXML_ERRNO.items():
            if name in text:
                return OSError(code, os.strerror(code))
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def save_workbook(wb, fh: BinaryIO, target: Path) -> None:
    """Write ``wb`` as xlsx into ``fh``, worksheet temporaries next to ``target``."""
    from zipfile import ZIP_DEFLATED, ZipFile

    try:
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        from openpyxl.worksheet._writer import WorksheetWriter
        from openpyxl.writer.excel import ExcelWriter
    except ImportError:  # another openpyxl layout: its own save (temp files in the system's)
        wb.save(fh)
        return

    class _Writer(ExcelWriter):
        def write_worksheet(self, ws):  # openpyxl's, with the temporary file placed by us
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            part = part_name(target, "ws.")
            writer = WorksheetWriter(ws, out=str(part))
            try:
                writer.write()
                ws._rels = writer._rels
                self._archive.write(str(part), ws.path[1:])
            finally:
                _quietly(writer.xf.close)  # a failed write must not fail again when collected
                part.unlink(missing_ok=True)
            self.manifest.append(ws)

    archive = ZipFile(fh, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    try:
        _Writer(wb, archive).save()
    except BaseException:
        _quietly(archive.close)  # its file is being removed; nothing more to write
        raise


def _quietly(close) -> None:
    # already failing: the first error is the one reported
    with contextlib.suppress(Exception):
        close()
