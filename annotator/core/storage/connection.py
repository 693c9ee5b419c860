"""Opening, checking, migrating and writing to a project file.

A project is one SQLite file. Opening it checks, in order, that it exists, that
it is SQLite, that it is not locked by another program, that its schema is one
this version knows, and that ``PRAGMA integrity_check`` passes; every failure
becomes a ``ProjectFileError`` with a message a person can act on.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from annotator.core.errors import ProjectFileError, ProjectLockedError
from annotator.core.i18n import tr
from annotator.core.storage.backup import write_backup
from annotator.core.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 3000
# Opening checks the whole file within this many seconds; a bigger file finishes its
# check before the first destructive operation (every one of them backs up first).
INTEGRITY_BUDGET_S = 0.5


def utcnow() -> str:
    """An ISO-8601 UTC timestamp with milliseconds, the format of every time we store."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Database:
    """An open project file. All SQL of the application runs through the repositories on it."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, checked: bool = True):
        self.path = path
        self.integrity_checked = checked
        # One connection per thread: Python's sqlite3 objects are not safe to share
        # between threads (a background statistics run next to the UI's polling corrupted
        # memory), and with WAL each thread's reads see only committed data.
        self._local = threading.local()
        self._local.conn = conn
        self._local.depth = 0
        self._all = [conn]
        self._lock = threading.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection to the file (opened on first use in a thread)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path)
            conn.execute("PRAGMA synchronous = FULL")
            self._local.conn = conn
            self._local.depth = 0
            with self._lock:
                self._all.append(conn)
        return conn

    @property
    def _depth(self) -> int:
        return getattr(self._local, "depth", 0)

    @_depth.setter
    def _depth(self, value: int) -> None:
        self._local.depth = value

    def verify(self) -> None:
        """Finish the integrity check if opening had no time to (raises ProjectFileError)."""
        if not self.integrity_checked:
            _check_integrity(self.conn, self.path, budget=None)
            self.integrity_checked = True

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one write transaction: it commits whole or not at all.

        Nested uses join the outer transaction. The modified time is stamped in the
        same transaction, so it is exactly as durable as the change it describes.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_locked(exc):
                raise ProjectLockedError(_locked_message(self.path)) from exc
            raise
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("UPDATE project SET value = ? WHERE key = 'modified_at'", (utcnow(),))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    def backup(self, reason: str) -> Path:
        """Write a timestamped copy next to the file before a destructive operation.

        The file is checked whole first: a damaged file is never backed up over the
        good copies, nor written to.
        """
        self.verify()
        return write_backup(self.conn, self.path, reason)


def _unreadable(path: Path, exc: Exception, what: str) -> ProjectFileError:
    """The error for a file SQLite could not read: locked, or damaged.

    ``what`` is the step that failed: "read", "configure" or "check".
    """
    if isinstance(exc, sqlite3.OperationalError) and _is_locked(exc):
        return ProjectLockedError(_locked_message(path))
    # SQLite can report a damaged page with bytes that are not even text: name the kind.
    return ProjectFileError(_damaged_message(path, what, type(exc).__name__))


def _damaged_message(path: Path, what: str, detail: str) -> str:
    if what == "configure":
        return tr(
            "{path} is damaged (cannot be configured: {detail}). "
            "Open one of its .bak copies next to it instead.",
            path=path,
            detail=detail,
        )
    if what == "check":
        return tr(
            "{path} is damaged (integrity check failed: {detail}). "
            "Open one of its .bak copies next to it instead.",
            path=path,
            detail=detail,
        )
    return tr(
        "{path} is damaged (cannot be read: {detail}). "
        "Open one of its .bak copies next to it instead.",
        path=path,
        detail=detail,
    )


def _locked_message(path: Path) -> str:
    return tr(
        "{path} is locked by another program (another annotator window or a sync tool?). "
        "Close it there and try again.",
        path=path,
    )


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        _pragmas(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _pragmas(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # A 64 MB page cache keeps the item indexes in memory during a 100,000-row import.
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA temp_store = MEMORY")


def _is_package(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT value FROM project WHERE key = 'kind'").fetchone()
    except sqlite3.OperationalError:  # no project table yet (a file being created)
        return False
    return bool(row) and row[0] == "package"


def set_package_journal(db: "Database") -> None:
    """Switch a file that has just become a rater package to a rollback journal.

    The WAL is checkpointed into the file first, so everything written so far is in it.
    """
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute("PRAGMA journal_mode = DELETE")


def _configure(conn: sqlite3.Connection) -> None:
    # A rater package is a file people attach to an e-mail, often with the app still open:
    # with WAL its latest scores would sit in the -wal file beside it and never travel. A
    # rollback journal puts every commit in the one file (a rater writes one score at a
    # time, so WAL's concurrency buys nothing there).
    wanted = "DELETE" if _is_package(conn) else "WAL"
    mode = conn.execute(f"PRAGMA journal_mode = {wanted}").fetchone()[0]
    if str(mode).lower() != wanted.lower():  # e.g. a read-only medium; still usable
        conn.execute("PRAGMA journal_mode = DELETE")
    # FULL: a committed score survives a crash of the process and of the machine.
    conn.execute("PRAGMA synchronous = FULL")


def create_db(path: Path) -> Database:
    """Create a new, empty project file with the current schema. Refuses to overwrite."""
    path = Path(path)
    if path.exists():
        raise ProjectFileError(
            tr("{path} already exists; choose another name or open it.", path=path)
        )
    if not path.parent.exists():
        raise ProjectFileError(tr("The folder {folder} does not exist.", folder=path.parent))
    conn = _connect(path)
    try:
        _configure(conn)
        conn.execute("BEGIN IMMEDIATE")
        for script in MIGRATIONS:
            for statement in _split(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.close()
        path.unlink(missing_ok=True)
        raise
    return Database(conn, path)


def open_db(
    path: Path, *, check_integrity: bool = True, integrity_budget: float | None = INTEGRITY_BUDGET_S
) -> Database:
    """Open and check an existing project file, migrating it to the current schema.

    Raises:
        ProjectFileError: missing, not SQLite, not an annotator project, newer schema,
            damaged (integrity check fails).
        ProjectLockedError: another program holds a lock on it.
    """
    path = Path(path)
    if not path.exists():
        raise ProjectFileError(tr("{path} does not exist.", path=path))
    if path.is_dir():
        raise ProjectFileError(tr("{path} is a folder, not a project file.", path=path))
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise ProjectFileError(
            tr(
                "{path} is not an annotator project file (it is not a SQLite database). "
                "To bring data in, create a project and use import.",
                path=path,
            )
        )
    try:
        conn = _connect(path)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc, "read") from exc
    try:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise _unreadable(path, exc, "read") from exc
        if app_id != APPLICATION_ID:
            raise ProjectFileError(
                tr("{path} is a SQLite database but not an annotator project file.", path=path)
            )
        if version > SCHEMA_VERSION:
            raise ProjectFileError(
                tr(
                    "{path} was written by a newer version of annotator (schema {version}; this "
                    "version knows up to {supported}). Update annotator to open it.",
                    path=path,
                    version=version,
                    supported=SCHEMA_VERSION,
                )
            )
        checked = _check_integrity(conn, path, integrity_budget) if check_integrity else True
        try:
            _configure(conn)
        except sqlite3.OperationalError as exc:
            raise _unreadable(path, exc, "configure") from exc
        db = Database(conn, path, checked=checked)
        if version < SCHEMA_VERSION:
            _migrate(db, version)
        return db
    except BaseException:
        conn.close()
        raise


def _check_integrity(conn: sqlite3.Connection, path: Path, budget: float | None) -> bool:
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
        raise _unreadable(path, exc, "check") from exc
    finally:
        conn.text_factory = str
        conn.set_progress_handler(None, 0)
    if [r[0] for r in rows] != ["ok"]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        raise ProjectFileError(_damaged_message(path, "check", detail))
    return True


def _migrate(db: Database, version: int) -> None:
    """Run every migration after ``version`` in one transaction, after a backup."""
    db.backup(f"before-migration-v{version}-to-v{SCHEMA_VERSION}")
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for script in MIGRATIONS[version:]:
            for statement in _split(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _split(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain ';' inside BEGIN...END)."""
    statements, buf = [], []
    for line in script.splitlines():
        if not buf and (not line.strip() or line.strip().startswith("--")):
            continue
        buf.append(line)
        text = "\n".join(buf)
        if sqlite3.complete_statement(text):
            statements.append(text)
            buf = []
    if buf and "\n".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
