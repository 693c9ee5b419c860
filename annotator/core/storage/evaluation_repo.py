"""Gate settings and adjudicated scores."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

from annotator.core.storage._lazy import pd
from annotator.core.storage.connection import utcnow


class GatesRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def load(self) -> list[dict]:
        return [
            json.loads(r[0]) for r in self.conn.execute("SELECT spec FROM gates ORDER BY position")
        ]

    def replace(self, specs: Iterable[Mapping]) -> None:
        self.conn.execute("DELETE FROM gates")
        self.conn.executemany(
            "INSERT INTO gates (key, position, spec) VALUES (?, ?, ?)",
            [(s["key"], n, json.dumps(dict(s), ensure_ascii=False)) for n, s in enumerate(specs)],
        )


class AdjudicationsRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def set(self, item_id: int, dimension_id: int, score: int, note: str, by_whom: str) -> None:
        self.conn.execute(
            "INSERT INTO adjudications (item_id, dimension_id, score, note, by_whom, updated_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(item_id, dimension_id) DO UPDATE SET "
            "score = excluded.score, note = excluded.note, by_whom = excluded.by_whom, "
            "updated_at = excluded.updated_at",
            (item_id, dimension_id, score, note, by_whom, utcnow()),
        )

    def frame(self) -> pd.DataFrame:
        """item_id, dimension, score, note, by_whom, updated_at."""
        return pd.read_sql_query(
            "SELECT a.item_id, d.key AS dimension, a.score, a.note, a.by_whom, a.updated_at "
            "FROM adjudications a JOIN dimensions d ON d.id = a.dimension_id ORDER BY a.item_id",
            self.conn,
        )
