"""The checks a project file passes on open, and the words for each way it can fail.

Kept apart from ``connection`` (which opens, writes and migrates) so each stays small.
Only damage of the file's contents advises its ``.bak`` copies: a read-only folder, a
full disk or a lock is not damage, and is worded as what it is.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
import time
from pathlib import Path

from annotator.core.domain.errors import (
    ProjectFileError,
    ProjectLockedError,
    name_too_long_message,
    read_only_reason,
)
from annotator.core.domain.message import Message
from annotator.core.storage import access
from annotator.core.storage.errors import (
    damaged_message,
    environment_error,
    is_damage,
    is_locked,
    locked_message,
    sqlite_detail,
)
from annotator.core.storage.schema import APPLICATION_ID, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"


def unreadable(path: Path, exc: Exception, what: str) -> ProjectFileError:
    """The error for a file SQLite could not read: locked, the machine, or damaged.

    ``what`` is the step that failed: "read", "configure" or "check". Only damage
    advises the .bak copies: a read-only folder or a full disk is not damage.
    """
    if is_locked(exc):
        return ProjectLockedError(locked_message(path))
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, sqlite3.Error) and code is not None and not is_damage(exc):
        reason = read_only_reason(path)
        if reason:
            return access.unreadable_in_place(path, reason, exc.sqlite_errorname)
        found = environment_error(exc, path)
        if found is not None:
            return found
        return ProjectFileError(
            Message(
                "{path} cannot be opened (SQLite said: {detail}).",
                path=path,
                detail=exc.sqlite_errorname,
            )
        )
    # SQLite can report a damaged page with bytes that are not even text: name the kind.
    return ProjectFileError(damaged_message(path, what, type(exc).__name__))


def exists(path: Path) -> bool:
    """``path.exists()``, with a name the system cannot even look up said in words."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise ProjectFileError(name_too_long_message(path)) from None
        raise ProjectFileError(
            Message(
                "{path} cannot be read ({reason}). Check its permissions, or ask its owner "
                "for a copy.",
                path=path,
                reason=exc.strerror or type(exc).__name__,
            )
        ) from exc
    return True


def check_file(path: Path) -> None:
    """Exists, is a file, can be read and starts like a SQLite database."""
    if not exists(path):
        raise ProjectFileError(Message("{path} does not exist.", path=path))
    if path.is_dir():
        raise ProjectFileError(Message("{path} is a folder, not a project file.", path=path))
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ProjectFileError(
            Message(
                "{path} cannot be read ({reason}). Check its permissions, or ask its owner "
                "for a copy.",
                path=path,
                reason=exc.strerror or type(exc).__name__,
            )
        ) from exc
    if head != SQLITE_MAGIC:
        raise ProjectFileError(
            Message(
                "{path} is not an annotator project file (it is not a SQLite database). "
                "To bring data in, create a project and use import.",
                path=path,
            )
        )


def check_header(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version, after checking it is ours and not from the future."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise unreadable(path, exc, "read") from exc
    if app_id != APPLICATION_ID:
        raise ProjectFileError(
            Message("{path} is a SQLite database but not an annotator project file.", path=path)
        )
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            Message(
                "{path} was written by a newer version of annotator (schema {version}; this "
                "version knows up to {supported}). Update annotator to open it.",
                path=path,
                version=version,
                supported=SCHEMA_VERSION,
            )
        )
    return version


def check_integrity(conn: sqlite3.Connection, path: Path, budget: float | None) -> bool:
    """``PRAGMA integrity_check``; False when it ran out of ``budget`` seconds unfinished."""
    deadline = time.monotonic() + budget if budget is not None else None
    out_of_time = []

    def interrupt() -> int:
        if deadline is not None and time.monotonic() >= deadline:
            out_of_time.append(True)
            return 1
        return 0

    # A damaged file can put arbitrary bytes into the check's own messages.
    conn.text_factory = lambda b: b.decode("utf-8", "replace")
    conn.set_progress_handler(interrupt, 5000)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        if out_of_time:
            return False
        raise unreadable(path, exc, "check") from exc
    finally:
        conn.text_factory = str
        conn.set_progress_handler(None, 0)
    if [r[0] for r in rows] != ["ok"]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        raise ProjectFileError(damaged_message(path, "check", detail))
    return True


class BackgroundCheck:
    """``check_integrity`` on a thread of its own: SQLite runs without the GIL, so the
    check of a big file costs no time beside the reads of a reporting command."""

    def __init__(self, connect, path: Path, budget: float | None):
        self._outcome: list = []
        self.thread = threading.Thread(
            target=self._run, args=(connect, path, budget), name="integrity-check", daemon=True
        )
        self.thread.start()

    def _run(self, connect, path: Path, budget: float | None) -> None:
        try:  # the connection is made on this thread (one per thread)
            self._outcome.append(check_integrity(connect(), path, budget))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._outcome.append(exc)

    def wait(self) -> bool:
        """True when the whole file was checked, False when the budget ran out; raises
        what the check found (a damaged file: ProjectFileError)."""
        self.thread.join()
        found = self._outcome[0] if self._outcome else False
        if isinstance(found, BaseException):
            raise found
        return bool(found)


def migration_error(path: Path, version: int, exc: sqlite3.Error) -> ProjectFileError:
    if is_locked(exc):
        return ProjectLockedError(locked_message(path))
    found = environment_error(exc, path)
    if found is not None:
        return found
    return ProjectFileError(
        Message(
            "{path} could not be upgraded from schema {version} to {current} ({detail}); "
            "it was left unchanged.",
            path=path,
            version=version,
            current=SCHEMA_VERSION,
            detail=sqlite_detail(exc),
        )
    )
