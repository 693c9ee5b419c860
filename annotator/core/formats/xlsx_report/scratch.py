"""Scratch files of an export, kept next to its target and cleaned up after a crash.

openpyxl's write-only sheets stream their XML into temporary files, by default in the
system's temp folder; an export killed mid-way (SIGKILL, power cut) left them there for
good (the audit found 731 MB). Here every scratch file of an export, the sheets' streams
and the half-written target alike, is a hidden file in the target's own folder whose name
carries our prefix and the writing process's id. The next export into that folder removes
the leftovers: files of a process that no longer runs, or older than the process that now
holds that id (for this very process: any file that is not one of its exports in flight).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from openpyxl.cell.cell import Cell
from openpyxl.cell.cell import WriteOnlyCell as _plain_cell
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

from annotator.core.formats.xlsx_write import give_umask_mode

PREFIX = ".annotator-export-"
_NAME = re.compile(re.escape(PREFIX) + r"(\d+)-")
_LIVE: set[str] = set()  # this process's scratch files of exports still running
STALE_AFTER = 24 * 3600.0  # no export runs a day: older scratch files are leftovers anyway


class Scratch:
    """The scratch files of one export into ``folder``; ``discard`` removes what is left."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.paths: list[Path] = []

    def new(self, suffix: str) -> Path:
        """A new empty hidden file in the folder (created now, so a bad folder fails early)."""
        prefix = f"{PREFIX}{os.getpid()}-"
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=self.folder)
        os.close(fd)
        path = Path(name)
        give_umask_mode(path)  # the export renamed from it: the umask's mode, not 0600
        self.paths.append(path)
        _LIVE.add(path.name)
        return path

    def discard(self) -> None:
        """Remove every scratch file still there (a failed or finished export)."""
        for path in self.paths:
            with contextlib.suppress(OSError):  # gone already, or still open on Windows
                path.unlink(missing_ok=True)
            with contextlib.suppress(ValueError):
                ALL_TEMP_FILES.remove(str(path))
            _LIVE.discard(path.name)
        self.paths.clear()


class _FileWriter(WorksheetWriter):
    """openpyxl's sheet writer, streaming through a file object of ours (``fh``), so that
    rows rendered as XML text can be put in between the elements lxml writes."""

    fh = None

    def get_stream(self):  # openpyxl's, with lxml writing into our file object
        with open(self.out, "wb", buffering=1 << 16) as fh, xmlfile(fh) as xf:
            self.fh = fh
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = yield
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass


class _LocalSheet(WriteOnlyWorksheet):
    """A write-only sheet that streams its XML into a scratch file next to the target,
    and takes whole blocks of rows as XML text (``write_xml_rows``)."""

    def __init__(self, parent: Workbook, title: str, scratch: Scratch):
        super().__init__(parent, title)
        self._scratch = scratch
        self.next_row = 1  # the row the next append writes
        self._xf = None

    def _get_writer(self):  # openpyxl's own, with our file instead of the system temp's
        if self._writer is None:
            out = str(self._scratch.new(".xml"))
            ALL_TEMP_FILES.append(out)  # openpyxl's cleanup removes it from this list
            self._writer = _FileWriter(self, out=out)
            self._writer.write_top()

    def _write_rows(self):
        """openpyxl's, counting rows in ``next_row`` (shared with ``write_xml_rows``)."""
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        self._xf = xf
        with xf.element("sheetData"):
            try:
                while True:
                    row = yield
                    cells = self._values_to_row(row, self.next_row)
                    self._writer.write_row(xf, cells, self.next_row)
                    self.next_row += 1
            except GeneratorExit:
                pass
        self._xf = None
        self._writer.xf.send(None)

    def write_xml_rows(self, xml: bytes, count: int) -> None:
        """Put ``count`` rows, numbered from ``next_row`` and rendered as XML (UTF-8),
        into the sheet's data."""
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._xf.flush()  # what lxml holds goes first
        self._writer.fh.write(xml)
        self.next_row += count

    def _values_to_row(self, values, row_idx):
        """openpyxl's own, with our styled cells taken as they are: openpyxl first tries
        each one as a value, and the refusal (a ValueError carrying the cell's repr) cost
        a third of the Ratings sheet. Plain values go through its one reused cell."""
        cell = _plain_cell(self)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                out = value
            else:
                cell.value = value
                out = cell
            out.column = col_idx
            out.row = row_idx
            if out.hyperlink is not None:
                out.hyperlink.ref = out.coordinate
            yield out
            if out is cell and (cell.has_style or cell.hyperlink):
                cell = _plain_cell(self)


def create_sheet(wb: Workbook, title: str, scratch: Scratch) -> WriteOnlyWorksheet:
    """``wb.create_sheet(title)`` for a write-only workbook, streaming into ``scratch``."""
    ws = _LocalSheet(wb, title, scratch)
    wb._add_sheet(ws)
    return ws


def clean_leftovers(folder: Path) -> int:
    """Remove scratch files that earlier, dead exports left in ``folder``; returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0  # the export itself will say what is wrong with the folder
    now = time.time()
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match:
            continue
        try:
            modified = entry.stat(follow_symlinks=False).st_mtime
            if entry.is_file(follow_symlinks=False) and _is_leftover(
                entry.name, int(match.group(1)), modified, now
            ):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue  # another export removed it, or it is not ours to remove
    return removed


def _is_leftover(name: str, pid: int, modified: float, now: float) -> bool:
    if pid == os.getpid():
        return name not in _LIVE  # not ours in flight: an earlier process that had our id
    if now - modified > STALE_AFTER:
        return True
    if not _alive(pid):
        return True
    started = _started_at(pid)
    return started is not None and modified < started  # the id was reused since


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill would end the process there; the age rule applies instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _started_at(pid: int) -> float | None:
    """When process ``pid`` started (Linux: /proc), or None when the system does not say."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # field 22 of stat: start time in clock ticks after boot
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration, AttributeError):
        return None
