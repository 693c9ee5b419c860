"""Which rater rates which item (empty: everyone rates everything)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


class AssignmentsRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def items_for(self, rater_id: int) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT item_id FROM assignments WHERE rater_id = ? ORDER BY item_id", (rater_id,)
            )
        ]

    def replace(self, rows: Iterable[tuple[int, int, int]]) -> None:
        """rows: (item_id, rater_id, shared). Replaces every assignment."""
        self.conn.execute("DELETE FROM assignments")
        self.conn.executemany(
            "INSERT INTO assignments (item_id, rater_id, shared) VALUES (?,?,?)", rows
        )

    def counts(self) -> dict[int, int]:
        """rater id -> number of items assigned."""
        return dict(
            self.conn.execute(
                "SELECT rater_id, COUNT(*) FROM assignments GROUP BY rater_id"
            ).fetchall()
        )
