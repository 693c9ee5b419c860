"""The team workflow's queries on side-by-side comparisons: hand-outs, merges, progress.

Like ``team_repo`` these read every rater's work (the lead's view) or a returned package
as it is stored (values not trusted: a tampered file may hold anything), which a rater's
side-by-side session never does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


class TeamPairsRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- the lead's project ------------------------------------------------------------------
    def has_assignments(self) -> bool:
        found = self.conn.execute("SELECT 1 FROM comparison_assignments LIMIT 1").fetchone()
        return found is not None

    def assignments(self) -> list[tuple[int, str, int]]:
        """(comparison id, rater name, left item) of every assignment."""
        return self.conn.execute(
            "SELECT a.comparison_id, r.name, a.left_item FROM comparison_assignments a "
            "JOIN raters r ON r.id = a.rater_id ORDER BY a.comparison_id, r.id"
        ).fetchall()

    def rater_judgments(self, rater_id: int) -> list[tuple[int, str, str, int | None, str]]:
        """(comparison id, dimension, outcome, strength, updated at) of one rater."""
        return self.conn.execute(
            "SELECT comparison_id, dimension, outcome, strength, updated_at FROM judgments "
            "WHERE rater_id = ? ORDER BY comparison_id, dimension",
            (rater_id,),
        ).fetchall()

    def rater_notes(self, rater_id: int) -> list[tuple[int, str, str, float, str]]:
        """(comparison id, comment, flag, seconds, updated at) of one rater."""
        return self.conn.execute(
            "SELECT comparison_id, comment, flag, seconds, updated_at FROM comparison_notes "
            "WHERE rater_id = ? ORDER BY comparison_id",
            (rater_id,),
        ).fetchall()

    def write_judgments(
        self, rows: Iterable[tuple[int, int, str, str, int | None, int, str, str]]
    ) -> None:
        """rows: (comparison, rater, dimension, outcome, strength, left item, origin, at).

        Times are kept as given (the newer judgment wins on the next merge); callers pass
        only rows that change something, so the judgment log records exactly those.
        """
        self.conn.executemany(
            "INSERT INTO judgments (comparison_id, rater_id, dimension, outcome, strength, "
            "left_item, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (comparison_id, rater_id, dimension) DO UPDATE SET "
            "outcome = excluded.outcome, strength = excluded.strength, "
            "left_item = excluded.left_item, origin = excluded.origin, "
            "updated_at = excluded.updated_at",
            rows,
        )

    def write_notes(self, rows: Iterable[tuple[int, int, str, str, float, str]]) -> None:
        """rows: (comparison, rater, comment, flag, seconds, updated at), replacing the note."""
        self.conn.executemany(
            "INSERT INTO comparison_notes (comparison_id, rater_id, comment, flag, seconds, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (comparison_id, rater_id) DO "
            "UPDATE SET comment = excluded.comment, flag = excluded.flag, "
            "seconds = excluded.seconds, updated_at = excluded.updated_at",
            rows,
        )

    def judged_dimensions(self) -> dict[tuple[str, int], int]:
        """(rater name, comparison id) -> number of dimensions judged (overall included)."""
        return {
            (r[0], r[1]): r[2]
            for r in self.conn.execute(
                "SELECT ra.name, j.comparison_id, COUNT(*) FROM judgments j "
                "JOIN raters ra ON ra.id = j.rater_id GROUP BY j.rater_id, j.comparison_id"
            )
        }

    def last_judgment_times(self) -> dict[str, str]:
        return dict(
            self.conn.execute(
                "SELECT r.name, MAX(j.updated_at) FROM judgments j "
                "JOIN raters r ON r.id = j.rater_id GROUP BY r.id"
            ).fetchall()
        )

    # -- writing a package ---------------------------------------------------------------------
    def insert_comparisons(self, rows: Iterable[tuple[int, str, int, int, str]]) -> None:
        """rows: (id, blind id, item a, item b, created at); the sample id is the blind id.

        The caller gives the row ids (a package's follow the rater's order).
        """
        self.conn.executemany(
            "INSERT INTO comparisons (id, uid, sample_id, item_a, item_b, created_at) "
            "VALUES (?1, ?2, ?2, ?3, ?4, ?5)",
            rows,
        )

    # -- a returned package, values as stored ------------------------------------------------
    def package_comparisons(self) -> list[tuple[object, object, object, object]]:
        """(id, uid, item a, item b) of every comparison of a package, by id."""
        return self.conn.execute(
            "SELECT id, uid, item_a, item_b FROM comparisons ORDER BY id"
        ).fetchall()

    def package_assigned_items(self, rater_id: int) -> list[object]:
        """The item ids a package assigns its rater for scoring, as stored."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT item_id FROM assignments WHERE rater_id = ? ORDER BY item_id", (rater_id,)
            )
        ]

    def raw_judgments(self, rater_id: int) -> list[tuple[object, object, object, object, object]]:
        """(comparison id, dimension, outcome, strength, updated at) of one rater, as stored."""
        return self.conn.execute(
            "SELECT comparison_id, dimension, outcome, strength, updated_at FROM judgments "
            "WHERE rater_id = ? ORDER BY comparison_id, dimension",
            (rater_id,),
        ).fetchall()

    def raw_notes(self, rater_id: int) -> list[tuple[object, object, object, object, object]]:
        """(comparison id, comment, flag, seconds, updated at) of one rater, as stored."""
        return self.rater_notes(rater_id)

    def raters_with_judgments(self) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM raters WHERE id IN (SELECT rater_id FROM judgments "
                "UNION SELECT rater_id FROM comparison_notes) ORDER BY id"
            )
        ]
