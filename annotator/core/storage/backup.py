"""Timestamped backup copies next to the project file, kept by kind.

A backup is named ``<file>.<YYYYmmdd-HHMMSS-ffffff>.<kind>.bak`` (the kind is the reason's
slug: before-merge, before-ratings-import, before-migration-v1-to-v3, ...), so names sort
by time. The newest ``KEEP_BACKUPS`` of each kind are kept: a run of one operation (ten
re-imports, six failed opens) can never push out the only copy made before another one.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import secrets
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from annotator.core.domain.errors import (
    DiskFullError,
    ProjectFileError,
    ReadOnlyError,
    read_only_reason,
)
from annotator.core.domain.message import Message
from annotator.core.storage.errors import environment_kind

KEEP_BACKUPS = 5  # of each kind
_REASON = re.compile(r"[^a-z0-9-]+")
_PART = ".part"
# A half-written copy older than this belongs to a process that died while writing it.
_STALE_PART_S = 3600.0


def backup_paths(path: Path) -> list[Path]:
    """The backups of ``path``, oldest first."""
    path = Path(path)
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def backup_kind(backup: Path, path: Path) -> str:
    """The kind of a backup of ``path``: its reason's slug (``before-merge``)."""
    middle = Path(backup).name[len(Path(path).name) + 1 : -len(".bak")]
    return middle.split(".", 1)[1] if "." in middle else middle


def slug(reason: str) -> str:
    """The kind a reason gives its backup (lower case letters, digits and dashes)."""
    return _REASON.sub("-", reason.lower()).strip("-") or "backup"


def write_backup(conn: sqlite3.Connection, path: Path, reason: str, *, rotate: bool = True) -> Path:
    """Copy the database (a consistent snapshot, WAL included); optionally rotate old copies.

    See ``make_backup`` (this returns its path only).
    """
    target, _created = make_backup(conn, path, reason, rotate=rotate)
    return target


def make_backup(
    conn: sqlite3.Connection, path: Path, reason: str, *, rotate: bool = True
) -> tuple[Path, bool]:
    """Write a backup of the database behind ``conn``, whole or not at all.

    The copy is written under a temporary name and renamed when complete, so a full disk
    or a killed process never leaves a half ``.bak`` that counts as a backup. A copy
    identical to the newest backup is not kept twice: that one is returned instead.

    Returns:
        The backup's path, and whether this call created it (False: an identical copy).

    Raises:
        ProjectFileError: the copy could not be written (disk full, read-only folder, ...);
            nothing is left of it and the project is unchanged.
    """
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = path.with_name(f"{path.name}.{stamp}.{slug(reason)}.bak")
    # The temporary name is this process's own: two merges backing up the same project at
    # the same microsecond must not write into one file (SQLite then fails with an I/O error).
    part = target.with_name(f"{target.name}.{os.getpid()}-{secrets.token_hex(4)}{_PART}")
    _remove_stale_parts(path)
    try:
        dest = sqlite3.connect(str(part))
        try:
            conn.backup(dest)
        finally:
            dest.close()
        newest = backup_paths(path)[-1:]
        if newest and filecmp.cmp(part, newest[0], shallow=False):
            _remove(part)
            return newest[0], False
        part.replace(target)
    except (sqlite3.Error, OSError) as exc:
        _remove(part)
        raise _backup_error(exc, path) from exc
    if rotate:
        rotate_backups(path)
    return target, True


def rotate_backups(path: Path, keep: int = KEEP_BACKUPS) -> None:
    """Delete all but the newest ``keep`` backups of each kind (at least one is kept)."""
    keep = max(1, keep)
    by_kind: dict[str, list[Path]] = {}
    for backup in backup_paths(path):
        by_kind.setdefault(backup_kind(backup, path), []).append(backup)
    for backups in by_kind.values():
        for old in backups[:-keep]:
            old.unlink(missing_ok=True)


def discard_backup(backup: Path) -> None:
    """Remove a backup that turned out not to be needed (its operation failed)."""
    _remove(Path(backup))


def _backup_error(exc: Exception, path: Path) -> ProjectFileError:
    kind = environment_kind(exc)
    if kind == "full":
        return DiskFullError(
            Message(
                "No backup of {path} could be written: the disk holding {folder} is full. "
                "Free some space there and try again; nothing was changed.",
                path=path,
                folder=path.parent,
            )
        )
    reason = read_only_reason(path) if kind in ("read-only", "cannot-open", "permission") else None
    if reason:
        return ReadOnlyError(
            Message(
                "No backup of {path} could be written: {reason}. Copy the project to a folder "
                "you can write to and work on the copy; nothing was changed.",
                path=path,
                reason=reason,
            )
        )
    return ProjectFileError(
        Message(
            "No backup of {path} could be written ({detail}); nothing was changed.",
            path=path,
            detail=getattr(exc, "sqlite_errorname", None) or type(exc).__name__,
        )
    )


def _remove(file: Path) -> None:
    for leftover in (file, file.with_name(file.name + "-journal")):
        # nothing more can be done about a file we cannot remove
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _remove_stale_parts(path: Path) -> None:
    now = time.time()
    parts = {
        *path.parent.glob(f"{path.name}.*.bak{_PART}"),  # named by earlier versions
        *path.parent.glob(f"{path.name}.*.bak.*{_PART}"),
    }
    for part in parts:
        try:
            if now - part.stat().st_mtime > _STALE_PART_S:
                _remove(part)
        except OSError:
            pass
