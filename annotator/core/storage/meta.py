"""Project settings (key/value), models and raters."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.storage.access import read_only_target
from annotator.core.storage.connection import utcnow
from annotator.core.storage.rater_names import rater_key


def peek_setting(path: str | Path, key: str) -> str | None:
    """One project setting read without opening the project (None if it cannot be read).

    Used to pick the language of messages before a command opens the file; the real
    open reports whatever is wrong with it.
    """
    file = Path(path)
    if not file.is_file():
        return None
    try:
        # immutable where the folder is read-only: a WAL file there cannot get its -shm
        conn = sqlite3.connect(read_only_target(file), uri=True, timeout=0.2)
        try:
            row = conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, ValueError):
        return None
    return row[0] if row else None


class MetaRepo:
    """Key/value settings of the project: uuid, name, times, language, kind, ..."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO project (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, str(value)),
        )

    def all(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM project").fetchall())

    def delete(self, key: str) -> None:
        self.conn.execute("DELETE FROM project WHERE key = ?", (key,))


class ModelsRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def id_for(self, name: str, *, create: bool = False) -> int | None:
        row = self.conn.execute("SELECT id FROM models WHERE name = ?", (name,)).fetchone()
        if row:
            return row[0]
        if not create:
            return None
        cur = self.conn.execute(
            "INSERT INTO models (name, created_at) VALUES (?, ?)", (name, utcnow())
        )
        return cur.lastrowid

    def counts(self) -> list[tuple[str, int]]:
        """Each model with its number of items, in the order they were added."""
        return self.conn.execute(
            "SELECT m.name, COUNT(i.id) FROM models m LEFT JOIN items i ON i.model_id = m.id "
            "GROUP BY m.id ORDER BY m.id"
        ).fetchall()


class RatersRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def id_for(self, name: str, *, create: bool = False) -> int | None:
        """The rater's id; a name differing only by case, width or spaces is the same rater
        (``rater_names.rater_key``), and a new rater is stored under ``name`` as given."""
        row = self.conn.execute("SELECT id FROM raters WHERE name = ?", (name,)).fetchone()
        if row:
            return row[0]
        key = rater_key(name)
        for rater_id, stored in self.conn.execute("SELECT id, name FROM raters ORDER BY id"):
            if rater_key(stored) == key:
                return rater_id
        if not create:
            return None
        cur = self.conn.execute(
            "INSERT INTO raters (name, created_at) VALUES (?, ?)", (name, utcnow())
        )
        return cur.lastrowid

    def names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM raters ORDER BY id")]

    def display_name(self, name: str) -> str | None:
        """The stored spelling of the rater ``name`` matches (see ``id_for``), or None."""
        key = rater_key(name)
        return next((n for n in self.names() if rater_key(n) == key), None)
