"""Opening, checking, migrating and writing to a project file.

A project is one SQLite file. Opening it checks, in order, that it exists, that
it is SQLite, that it is not locked by another program, that its schema is one
this version knows, that it has the tables its schema says, and that
``PRAGMA integrity_check`` passes; every failure becomes a ``ProjectFileError`` with a
message a person can act on. A file that cannot be written (read-only file, folder or
drive) is opened for reading; writing to it is a plain ``ReadOnlyError``. A full disk, an
I/O error or a read-only medium met while writing rolls the transaction back and becomes
a message too (``storage.errors``), never a traceback: no ``sqlite3.Error`` leaves a
transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from annotator.core.domain.errors import ProjectFileError, read_only_reason
from annotator.core.domain.message import Message
from annotator.core.storage import access, checks
from annotator.core.storage.backup import discard_backup, make_backup, rotate_backups
from annotator.core.storage.errors import project_error
from annotator.core.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from annotator.core.storage.shape import check_shape
from annotator.core.storage.sql_text import split_statements

BUSY_TIMEOUT_MS = 3000
# Opening checks the whole file within this many seconds; a bigger file finishes its
# check before the first destructive operation (every one of them backs up first).
INTEGRITY_BUDGET_S = 0.5


def utcnow() -> str:
    """An ISO-8601 UTC timestamp with milliseconds, the format of every time we store."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Database:
    """An open project file. All SQL of the application runs through the repositories on it."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        checked: bool = True,
        read_only: Message | None = None,
    ):
        self.path = path
        self.integrity_checked = checked
        # Why the file is open for reading only (None: it can be written).
        self.read_only = read_only
        self._target = access.read_only_target(path) if read_only else str(path)
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
            conn = _connect(self._target, uri=bool(self.read_only))
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

    def check_in_background(self, budget: float | None) -> None:
        """Run the opening's integrity check on a thread with its own connection while the
        caller reads (``checks.BackgroundCheck``); ``await_check`` waits for it."""
        self.integrity_checked = False
        self._check = checks.BackgroundCheck(lambda: self.conn, self.path, budget)

    def await_check(self) -> None:
        """Wait for a background integrity check; raises what it found (ProjectFileError
        for a damaged file). Without one, returns at once."""
        check, self._check = getattr(self, "_check", None), None
        if check is not None:
            self.integrity_checked = check.wait()

    def verify(self) -> None:
        """Finish the integrity check if opening had no time to (raises ProjectFileError)."""
        self.await_check()
        if not self.integrity_checked:
            checks.check_integrity(self.conn, self.path, budget=None)
            self.integrity_checked = True

    def close(self) -> None:
        """Close every thread's connection (then run the hooks of ``on_close``)."""
        check = getattr(self, "_check", None)
        if check is not None:  # its connection is in use until the check ends
            check.thread.join()
        with self._lock:
            conns, self._all = self._all, []
            hooks, self._close_hooks = getattr(self, "_close_hooks", []), []
        for conn in conns:
            conn.close()
        for hook in hooks:
            hook()

    def on_close(self, hook) -> None:
        """Run ``hook()`` once the file is closed (e.g. remove a temporary copy)."""
        with self._lock:
            self._close_hooks = [*getattr(self, "_close_hooks", []), hook]

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
        self.refuse_if_read_only()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self._raise_write_error(exc)
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("UPDATE project SET value = ? WHERE key = 'modified_at'", (utcnow(),))
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            # a ROLLBACK a full disk refuses too: the next BEGIN (or ready_for_write) ends it
            with contextlib.suppress(sqlite3.Error):
                self._rollback()
            self._raise_write_error(exc)
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (a full disk at COMMIT does).
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _raise_write_error(self, exc: sqlite3.Error) -> None:
        """A locked file, a full disk, a read-only medium, anything SQLite refused: the
        core's error naming the file (``storage.errors.project_error``), never ``exc``."""
        found = project_error(exc, self.path)
        # rolled back: say so, the person wonders what was kept
        raise type(found)(
            Message(
                "{problem} The change was not made; the project is as it was.",
                problem=found.message,
            )
        ) from exc

    def refuse_if_read_only(self) -> None:
        """Raise ReadOnlyError if the file is open for reading only."""
        if self.read_only:
            raise access.write_refused(self.path, self.read_only)

    def backup(self, reason: str) -> Path:
        """Write a timestamped copy next to the file before a destructive operation.

        The file is checked whole first: a damaged file is never backed up over the
        good copies, nor written to. Prefer ``backup_guard``: a backup written here for an
        operation that then fails stays behind (a copy of an unchanged file).
        """
        self.verify()
        self.refuse_if_read_only()
        path, _created = make_backup(self.conn, self.path, reason)
        return path

    @contextmanager
    def backup_guard(self, reason: str) -> Iterator[Path]:
        """Back up before the block; keep the backup only if the block succeeds.

        ``with db.backup_guard("before-package-merge") as path:`` writes the backup (see
        ``backup``), runs the block, and then rotates old backups of that kind. If the
        block raises, the backup it wrote is removed (it is a copy of a file the failed
        operation left unchanged), so failed attempts never push out older backups.
        """
        self.verify()
        self.refuse_if_read_only()
        path, created = make_backup(self.conn, self.path, reason, rotate=False)
        try:
            yield path
        except BaseException:
            if created:
                discard_backup(path)
            raise
        rotate_backups(self.path)


def _connect(target: Path | str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(str(target), isolation_level=None, check_same_thread=False, uri=uri)
    try:
        _pragmas(conn)
        if uri:  # a read-only open: SQLite refuses writes, and so does this connection
            conn.execute("PRAGMA query_only = ON")
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


def set_package_journal(db: Database) -> None:
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
    """Create a new, empty project file with the current schema. Refuses to overwrite.

    Raises:
        ProjectFileError: the file exists, its folder is missing, read-only or on a full
            disk (nothing is left behind).
    """
    path = Path(path)
    if checks.exists(path):
        raise ProjectFileError(
            Message("{path} already exists; choose another name or open it.", path=path)
        )
    if not path.parent.exists():
        raise ProjectFileError(Message("The folder {folder} does not exist.", folder=path.parent))
    conn = None
    try:
        conn = _connect(path)
        _configure(conn)
        conn.execute("BEGIN IMMEDIATE")
        for script in MIGRATIONS:
            for statement in split_statements(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn is not None:
            conn.close()
        remove_project_file(path)
        if isinstance(exc, sqlite3.Error):
            raise project_error(exc, path) from exc
        raise
    return Database(conn, path)


def remove_project_file(path: Path) -> None:
    """Delete a project file that was being created, with SQLite's files beside it."""
    for file in (path, *(access.sidecar(path, s) for s in ("-wal", "-shm", "-journal"))):
        # a file we cannot remove (read-only folder) was never written either
        with contextlib.suppress(OSError):
            file.unlink(missing_ok=True)


def open_db(
    path: Path,
    *,
    check_integrity: bool = True,
    integrity_budget: float | None = INTEGRITY_BUDGET_S,
    read_only: bool = False,
    check_in_background: bool = False,
) -> Database:
    """Open and check an existing project file, migrating it to the current schema.

    A file that cannot be written (it, its folder or its drive is read-only) is opened
    for reading, as is any file with ``read_only=True``: reading works, writing raises
    ``ReadOnlyError`` (``Database.read_only`` says why). With ``check_in_background`` the
    integrity check runs beside the caller's reads (a reading command: it calls
    ``Database.await_check`` before it shows what it read); a file that needs an upgrade is
    checked first all the same.

    Raises:
        ProjectFileError: missing, unreadable, not SQLite, not an annotator project, newer
            schema, tables missing or ahead of its schema, damaged (integrity check fails),
            read-only and in need of an upgrade.
        ProjectLockedError: another program holds a lock on it.
    """
    path = Path(path)
    checks.check_file(path)
    reason = access.opened_read_only() if read_only else read_only_reason(path)
    try:
        conn = _open_connection(path, reason)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise checks.unreadable(path, exc, "read") from exc
    try:
        version = checks.check_header(conn, path)
        later = check_in_background and check_integrity and version == SCHEMA_VERSION
        checked = (
            checks.check_integrity(conn, path, integrity_budget)
            if check_integrity and not later
            else True
        )
        try:
            check_shape(conn, path, version)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise checks.unreadable(path, exc, "read") from exc
        if reason is None:
            try:
                _configure(conn)
            except sqlite3.OperationalError as exc:
                raise checks.unreadable(path, exc, "configure") from exc
        elif version < SCHEMA_VERSION:
            raise access.upgrade_refused(path, reason, version)
        db = Database(conn, path, checked=checked, read_only=reason)
        if later:
            db.check_in_background(integrity_budget)
        if version < SCHEMA_VERSION:
            _migrate(db, version)
        return db
    except BaseException:
        conn.close()
        raise


def _open_connection(path: Path, reason: str | None) -> sqlite3.Connection:
    if reason is None:
        return _connect(path)
    return _connect(access.read_only_target(path), uri=True)


def _migrate(db: Database, version: int) -> None:
    """Run every migration after ``version`` in one transaction, after a backup.

    A migration that fails leaves the file exactly as it was, and removes its backup
    (a copy of that unchanged file), so failed opens never push out older backups.
    """
    with db.backup_guard(f"before-migration-v{version}-to-v{SCHEMA_VERSION}"):
        conn = db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            for script in MIGRATIONS[version:]:
                for statement in split_statements(script):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException as exc:
            db._rollback()
            if isinstance(exc, sqlite3.Error):
                raise checks.migration_error(db.path, version, exc) from exc
            raise
