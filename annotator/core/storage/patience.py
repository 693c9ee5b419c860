"""How long one connection waits for a lock, and why a write did not reach the file.

A rater's window must not freeze for the whole busy timeout (3 s) on every key press
while another program holds the file: its writes wait briefly, and a write that could
not be made is kept and tried again. This module holds the two storage-level pieces
of that: a short wait for one block, and telling a lock from a full disk.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from annotator.core.domain.errors import DiskFullError, ProjectLockedError, ReadOnlyError
from annotator.core.domain.scoring import DISK_FULL, LOCKED, OTHER, READ_ONLY
from annotator.core.storage.connection import BUSY_TIMEOUT_MS


@contextmanager
def waiting_at_most(conn: sqlite3.Connection, ms: int) -> Iterator[None]:
    """Wait at most ``ms`` milliseconds for a lock inside the block, then the usual 3 s.

    Args:
        conn: the connection whose busy timeout to shorten.
        ms: the wait; the busy handler gives up after it with "database is locked".
    """
    conn.execute(f"PRAGMA busy_timeout = {max(0, int(ms))}")
    try:
        yield
    finally:
        # a closed connection keeps no timeout to restore
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def ready_for_write(conn: sqlite3.Connection) -> None:
    """End a transaction a failed commit left open (a full disk can fail the ROLLBACK too),
    so the next attempt can begin one. Call it only outside any transaction of our own."""
    try:
        if conn.in_transaction:
            conn.rollback()
    except sqlite3.Error:
        pass  # the next BEGIN reports what is wrong


def failure_kind(exc: BaseException) -> str:
    """LOCKED, DISK_FULL, READ_ONLY or OTHER for an error raised while writing.

    The whole chain is read: a failed ROLLBACK after a full disk raises its own error
    ("no transaction is active") with the real cause as its context.
    """
    seen: set[int] = set()
    kinds = []
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kinds.append(_one_kind(exc))
        exc = exc.__cause__ or exc.__context__
    for kind in (DISK_FULL, READ_ONLY, LOCKED):
        if kind in kinds:
            return kind
    return OTHER


def _one_kind(exc: BaseException) -> str:
    if isinstance(exc, ProjectLockedError):
        return LOCKED
    # The storage's own errors, by class: their words are translated (no "read-only" in
    # Chinese) and a refusal of a read-only file has no underlying error to read.
    if isinstance(exc, DiskFullError):
        return DISK_FULL
    if isinstance(exc, ReadOnlyError):
        return READ_ONLY
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DISK_FULL
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return READ_ONLY
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return DISK_FULL
    if code == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return READ_ONLY
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return LOCKED
    return OTHER
