"""Gold items: the lead's expected scores, and the assignments of a calibration round.

The lead's view only. No hand-out reads these tables (a package is built from scratch,
a sheet from the items and the rater's own work), so nothing a rater holds says which
item is gold or which round an assignment belongs to (see ``schema_v7``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from annotator.core.storage._lazy import pd

CALIBRATION = "calibration"


class GoldRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def frame(self) -> pd.DataFrame:
        """item_id, dimension (key), expected (int), tolerance (float), origin; by item."""
        frame = pd.read_sql_query(
            "SELECT g.item_id, d.key AS dimension, g.expected, g.tolerance, g.origin "
            "FROM gold g JOIN dimensions d ON d.id = g.dimension_id "
            "ORDER BY g.item_id, d.position",
            self.conn,
        )
        return frame.astype(
            {"item_id": "int64", "expected": "int64", "tolerance": "float64", "origin": "object"}
        )

    def rows(self) -> list[tuple[int, str, int, float, str]]:
        """(item id, dimension key, expected, tolerance, origin) of every gold score."""
        return self.conn.execute(
            "SELECT g.item_id, d.key, g.expected, g.tolerance, g.origin FROM gold g "
            "JOIN dimensions d ON d.id = g.dimension_id ORDER BY g.item_id, d.position"
        ).fetchall()

    def items(self) -> list[int]:
        """The ids of the items with at least one expected score, in order."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT item_id FROM gold ORDER BY 1")]

    def upsert(self, rows: Iterable[tuple[int, int, int, float, str]]) -> int:
        """rows: (item id, dimension id, expected, tolerance, origin). Returns rows changed.

        A row that is already stored as given is not written again (so importing the same
        file twice changes nothing, not even the count).
        """
        changed = 0
        for item_id, dim_id, expected, tolerance, origin in rows:
            cur = self.conn.execute(
                "INSERT INTO gold (item_id, dimension_id, expected, tolerance, origin) "
                "VALUES (?,?,?,?,?) ON CONFLICT(item_id, dimension_id) DO UPDATE SET "
                "expected = excluded.expected, tolerance = excluded.tolerance, "
                "origin = excluded.origin WHERE gold.expected IS NOT excluded.expected "
                "OR gold.tolerance IS NOT excluded.tolerance",
                (item_id, dim_id, int(expected), float(tolerance), origin),
            )
            changed += cur.rowcount
        return changed

    def delete(self, item_ids: Sequence[int] | None = None) -> int:
        """Remove the gold scores of ``item_ids`` (None: all of them). Returns rows removed."""
        if item_ids is None:
            return self.conn.execute("DELETE FROM gold").rowcount
        return sum(
            self.conn.execute("DELETE FROM gold WHERE item_id = ?", (i,)).rowcount for i in item_ids
        )

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM gold").fetchone()[0]


class RoundsRepo:
    """Which assignments belong to the calibration round (the rest are the main round)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def mark_calibration(self, rows: Iterable[tuple[int, int]]) -> None:
        """rows: (item id, rater id) of assignments that are the calibration round."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO assignment_rounds (item_id, rater_id, round) "
            "VALUES (?, ?, 'calibration')",
            rows,
        )

    def calibration_items(self, rater_id: int) -> list[int]:
        """The item ids of ``rater_id``'s calibration round, in order."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT item_id FROM assignment_rounds WHERE rater_id = ? ORDER BY item_id",
                (rater_id,),
            )
        ]

    def calibration(self) -> list[tuple[int, str]]:
        """(item id, rater name) of every calibration assignment."""
        return self.conn.execute(
            "SELECT a.item_id, r.name FROM assignment_rounds a JOIN raters r ON r.id = a.rater_id "
            "ORDER BY a.item_id, r.id"
        ).fetchall()
