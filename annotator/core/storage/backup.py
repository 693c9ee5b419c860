"""Timestamped backup copies next to the project file, the last few kept."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

KEEP_BACKUPS = 5
_REASON = re.compile(r"[^a-z0-9-]+")


def backup_paths(path: Path) -> list[Path]:
    """The backups of ``path``, oldest first."""
    path = Path(path)
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def write_backup(conn: sqlite3.Connection, path: Path, reason: str) -> Path:
    """Copy the database (a consistent snapshot, WAL included) and rotate old copies.

    The copy is named ``<file>.<YYYYmmdd-HHMMSS-ffffff>.<reason>.bak`` so the names sort
    by time; only the newest ``KEEP_BACKUPS`` are kept.
    """
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    slug = _REASON.sub("-", reason.lower()).strip("-") or "backup"
    target = path.with_name(f"{path.name}.{stamp}.{slug}.bak")
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    for old in backup_paths(path)[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target
