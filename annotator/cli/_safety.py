"""The last safety net of every command.

The core turns what it knows about into an ``AnnotatorError`` with a message. Anything else
that escapes a command (a full disk, a read-only folder, a damaged file SQLite trips over, a
bug) must still reach the person as a sentence, never as a Python traceback: the traceback
goes to a crash report in the user's log folder instead, and the message says where it is.

``ANNOTATOR_DEBUG=1`` lets the exception through unchanged, so that tests and developers
see our own bugs instead of a polite sentence hiding them.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import platform
import sys
import time
import traceback
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from annotator.core.i18n import tr

DEBUG_VARIABLE = "ANNOTATOR_DEBUG"
KEEP_REPORTS = 20  # crash reports kept in the log folder; older ones are removed
_DETAIL_CHARS = 300  # an exception's text can hold a whole hostile input: keep a readable part
# The arguments that name a file a command reads, most specific first: where an error
# without a file name of its own most likely comes from.
_INPUT_ARGUMENTS = ("file", "package", "sheet", "rubric")
_OUTPUT_ARGUMENTS = ("output", "path")
_HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def debugging(environ: Mapping[str, str] | None = None) -> bool:
    """True when ANNOTATOR_DEBUG asks for tracebacks instead of the safety net."""
    value = (os.environ if environ is None else environ).get(DEBUG_VARIABLE, "")
    return value.strip().lower() not in ("", "0", "false", "no", "off")


def failure_message(exc: BaseException, args: argparse.Namespace) -> tuple[str, Path | None]:
    """The sentence for an exception no one turned into a message, and its crash report.

    Returns:
        (message, path of the crash report or None if it could not be written).
    """
    report, report_error = write_crash_report(exc)
    words = environment_words(exc, args)
    if words is not None:
        if report is not None:
            words += " " + tr("(Details: {path})", path=report)
        return words, report
    detail = one_line(str(exc)) or "-"
    if report is not None:
        return (
            tr(
                "unexpected error ({kind}: {detail}). A report was written to {path}; please "
                "send it to the developers.",
                kind=type(exc).__name__,
                detail=detail,
                path=report,
            ),
            report,
        )
    return (
        tr(
            "unexpected error ({kind}: {detail}). No report could be written ({reason}).",
            kind=type(exc).__name__,
            detail=detail,
            reason=report_error,
        ),
        None,
    )


def environment_words(exc: BaseException, args: argparse.Namespace) -> str | None:
    """Words for an error of the machine or of an input (disk full, read-only, a folder where
    a file was expected, nested too deeply, out of memory); None for anything else."""
    if isinstance(exc, OSError):
        return _os_words(exc, args)
    if _is_database_error(exc):
        return _sqlite_words(exc, args)
    if isinstance(exc, RecursionError):
        return tr(
            "{where}: the data is nested too deeply to be read.", where=_where(None, args, True)
        )
    if isinstance(exc, MemoryError):
        return tr(
            "{where}: there is not enough memory to finish; the input may be too large.",
            where=_where(None, args, True),
        )
    if isinstance(exc, UnicodeError):
        return tr(
            "{where}: a text could not be encoded or decoded ({reason}).",
            where=_where(None, args, True),
            reason=one_line(str(exc)),
        )
    return None


def _is_database_error(exc: BaseException) -> bool:
    """True for an error SQLite raised below the facade.

    The CLI does not import the database (the core owns it): an ``sqlite3.Error`` can only
    exist once the core has loaded ``sqlite3``, so its class is looked up there.
    """
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(exc, sqlite3.Error)


def _os_words(exc: OSError, args: argparse.Namespace) -> str:
    where = _where(exc.filename, args, False)
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return tr("{where}: the disk is full. Free some space and try again.", where=where)
    if code == errno.EROFS:
        return tr(
            "{where}: the disk or folder is read-only. Copy the file to a folder you can write "
            "to and try again.",
            where=where,
        )
    if code in (errno.EACCES, errno.EPERM):
        return tr(
            "{where}: no permission to read or write it. Check its permissions, or copy it to "
            "a folder you can write to.",
            where=where,
        )
    if code == errno.EISDIR:
        return tr("{where} is a folder; give the name of a file.", where=where)
    if code == errno.ENOENT:
        return tr("{where}: no such file or folder.", where=where)
    if code == errno.ENOTDIR:
        return tr("{where}: a part of this path is a file, not a folder.", where=where)
    if code == errno.ENAMETOOLONG:
        return tr("{where}: the name is too long for this system.", where=where)
    return tr(
        "{where}: the system reported an error: {reason}",
        where=where,
        reason=one_line(exc.strerror or str(exc)),
    )


def _sqlite_words(exc: BaseException, args: argparse.Namespace) -> str | None:
    text = str(exc).lower()
    where = _where(getattr(args, "project", None), args, False)
    if "full" in text:
        return tr("{where}: the disk is full. Free some space and try again.", where=where)
    if "readonly" in text or "read-only" in text:
        return tr(
            "{where}: the disk or folder is read-only. Copy the file to a folder you can write "
            "to and try again.",
            where=where,
        )
    if "locked" in text or "busy" in text:
        return tr(
            "{where} is in use by another program. Close it there and try again.", where=where
        )
    if "unable to open" in text:
        return tr(
            "{where}: the database cannot be opened (a missing folder, no permission, or a "
            "read-only folder).",
            where=where,
        )
    if "i/o error" in text:
        return tr("{where}: the disk reported an error while reading or writing it.", where=where)
    if "malformed" in text or "not a database" in text or "encrypted" in text:
        return tr(
            "{where} is damaged or is not an annotator file ({reason}).",
            where=where,
            reason=one_line(str(exc)),
        )
    return None


def _where(filename: object, args: argparse.Namespace, reading: bool) -> str:
    """The file an error is about: its own, else the command's input (or output), else the
    project; without any, the command itself."""
    if filename:
        return one_line(os.fsdecode(filename) if isinstance(filename, bytes) else str(filename))
    names = _INPUT_ARGUMENTS + _OUTPUT_ARGUMENTS if reading else _OUTPUT_ARGUMENTS
    for name in (*names, "project"):
        value = getattr(args, name, None)
        if value:
            return tr("while working on {path}", path=one_line(str(value)))
    return tr("this command")


def one_line(text: str, limit: int = _DETAIL_CHARS) -> str:
    """``text`` safe for a terminal: control characters shown as escapes, and not too long."""
    text = escape_controls(text).replace("\n", "\\n").replace("\t", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def escape_controls(text: str) -> str:
    """Control characters (ESC, CR, NUL, ...) other than newline and tab as ``\\x..``.

    A file name or an option can carry terminal escape sequences; echoed raw in an error
    they could rewrite what the terminal shows.
    """
    if text.isprintable() or all(_shown(ch) for ch in text):
        return text
    return "".join(ch if _shown(ch) else _escaped(ch) for ch in text)


def _shown(ch: str) -> bool:
    # control, format (a right-to-left override), surrogate (an undecodable file name) and
    # line/paragraph separators are escaped; everything else, Chinese included, is shown
    return ch in "\n\t" or unicodedata.category(ch) not in _HIDDEN


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def log_folder() -> Path:
    """The user's log folder for annotator (platformdirs)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir("annotator", appauthor=False))


def write_crash_report(exc: BaseException) -> tuple[Path | None, str]:
    """Write the full traceback, the command line and the versions to a new file in the log
    folder (readable by the user only). Never raises.

    Returns:
        (the report's path or None, why it could not be written or "").
    """
    path = None
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = folder / f"crash-{stamp}-{os.getpid()}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(_report_text(exc))
    except Exception as error:  # noqa: BLE001 - a full disk must not turn into a traceback
        _remove_quietly(path)  # half a report (the disk filled up) helps no one
        return None, one_line(f"{type(error).__name__}: {error}")
    # another process pruning at the same time is no failure: the report itself is written
    with contextlib.suppress(OSError):
        _prune(folder)
    return path, ""


def _remove_quietly(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _report_text(exc: BaseException) -> str:
    from annotator import __version__

    lines = [
        f"annotator {__version__}",
        f"python {sys.version.split()[0]} on {platform.platform()}",
        f"time {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        "command: " + " ".join(repr(a) for a in sys.argv),
        "",
    ]
    return "\n".join(lines) + "".join(traceback.format_exception(exc))


def _prune(folder: Path) -> None:
    """Keep the newest KEEP_REPORTS crash reports: a loop of failures must not fill the disk."""
    reports = sorted(folder.glob("crash-*.txt"), key=lambda p: p.stat().st_mtime)
    for old in reports[:-KEEP_REPORTS]:
        old.unlink(missing_ok=True)
