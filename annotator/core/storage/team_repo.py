"""The team workflow's queries: assignments by name, package contents, merges, progress.

Kept apart from the rater-facing repositories on purpose: these read every rater's
work (the lead's view), which a rater session must never do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence


class TeamRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- items -------------------------------------------------------------------------------
    def items_for_assignment(self) -> list[tuple[int, str, str, str]]:
        """(item id, uid, sample id, model name) of every item, by id."""
        return self.conn.execute(
            "SELECT i.id, i.uid, i.sample_id, m.name FROM items i "
            "JOIN models m ON m.id = i.model_id ORDER BY i.id"
        ).fetchall()

    def item_texts(self, item_ids: Sequence[int]) -> list[tuple[int, str, str, str, str, str]]:
        """(id, uid, instruction, reference, generated, content hash) for the given ids."""
        wanted = set(item_ids)
        rows = self.conn.execute(
            "SELECT id, uid, instruction, reference, generated, content_hash FROM items ORDER BY id"
        ).fetchall()
        return [r for r in rows if r[0] in wanted]

    def uid_index(self) -> dict[str, tuple[int, str]]:
        """uid -> (item id, content hash) of every item."""
        return {
            r[0]: (r[1], r[2]) for r in self.conn.execute("SELECT uid, id, content_hash FROM items")
        }

    def insert_blind_items(
        self, rows: Iterable[tuple[int, str, int, str, str, str, str, str]]
    ) -> None:
        """rows: (id, blind id, model id, instruction, reference, generated, hash, created at).

        The caller gives the row ids (a package's follow the rater's order, never the
        import order); the sample id is the blind id and there is no source or metadata:
        a package says nothing that could tell a rater which model wrote an item.
        """
        self.conn.executemany(
            "INSERT INTO items (id, uid, sample_id, model_id, instruction, reference, generated, "
            "metadata, content_hash, created_at) "
            "VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, '{}', ?7, ?8)",
            rows,
        )

    def package_items(self) -> list[tuple[int, object, str, str, str]]:
        """(id, uid, instruction, reference, generated) of every item of a package, by id.

        Read from a file that came back from a rater: the uid is returned as stored
        (it may not even be text in a tampered file).
        """
        return self.conn.execute(
            "SELECT id, uid, instruction, reference, generated FROM items ORDER BY id"
        ).fetchall()

    def raw_rater_scores(self, rater_id: int) -> list[tuple[int, str, object, object]]:
        """(item id, dimension key, score, updated at) of one rater, values as stored.

        Unlike ``rater_scores`` it drops nothing: a score whose dimension row is missing
        (a tampered file) comes with the key None, so the merge can refuse it.
        """
        return self.conn.execute(
            "SELECT r.item_id, d.key, r.score, r.updated_at FROM ratings r "
            "LEFT JOIN dimensions d ON d.id = r.dimension_id WHERE r.rater_id = ? "
            "ORDER BY r.item_id, d.position",
            (rater_id,),
        ).fetchall()

    # -- assignments -------------------------------------------------------------------------
    def has_assignments(self) -> bool:
        return self.conn.execute("SELECT 1 FROM assignments LIMIT 1").fetchone() is not None

    def assigned_item_ids(self, rater_id: int) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT item_id FROM assignments WHERE rater_id = ? ORDER BY item_id", (rater_id,)
            )
        ]

    def assignments(self) -> list[tuple[int, str, int]]:
        """(item id, rater name, shared) of every assignment."""
        return self.conn.execute(
            "SELECT a.item_id, r.name, a.shared FROM assignments a "
            "JOIN raters r ON r.id = a.rater_id ORDER BY a.item_id, r.id"
        ).fetchall()

    def replace_assignments(
        self, item_ids: Sequence[int], rows: Iterable[tuple[int, int, int]]
    ) -> None:
        """Drop the assignments of ``item_ids`` and write ``rows`` (item, rater, shared).

        Scores are not touched: losing an assignment never loses work.
        """
        self.conn.executemany("DELETE FROM assignments WHERE item_id = ?", ((i,) for i in item_ids))
        self.conn.executemany(
            "INSERT INTO assignments (item_id, rater_id, shared) VALUES (?,?,?)", rows
        )

    # -- one rater's whole work, with times (packages and merges) ------------------------------
    def rater_scores(self, rater_id: int) -> list[tuple[int, str, int, str]]:
        """(item id, dimension key, score, updated at) of one rater."""
        return self.conn.execute(
            "SELECT r.item_id, d.key, r.score, r.updated_at FROM ratings r "
            "JOIN dimensions d ON d.id = r.dimension_id WHERE r.rater_id = ? "
            "ORDER BY r.item_id, d.position",
            (rater_id,),
        ).fetchall()

    def rater_notes(self, rater_id: int) -> list[tuple[int, str, str, float, str]]:
        """(item id, comment, flag, seconds, updated at) of one rater."""
        return self.conn.execute(
            "SELECT item_id, comment, flag, seconds, updated_at FROM annotations "
            "WHERE rater_id = ? ORDER BY item_id",
            (rater_id,),
        ).fetchall()

    def rater_ids_with_work(self) -> dict[str, int]:
        """name -> id of every rater who has a score or a note."""
        return dict(
            self.conn.execute(
                "SELECT name, id FROM raters WHERE id IN (SELECT rater_id FROM ratings "
                "UNION SELECT rater_id FROM annotations) ORDER BY id"
            ).fetchall()
        )

    def write_scores(self, rows: Iterable[tuple[int, int, int, int, str, str]]) -> None:
        """rows: (item, rater, dimension, score, origin, updated at), times kept as given.

        Callers pass only rows that change something, so the audit triggers record
        exactly the merged changes.
        """
        self.conn.executemany(
            "INSERT INTO ratings (item_id, rater_id, dimension_id, score, origin, updated_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(item_id, rater_id, dimension_id) DO UPDATE SET "
            "score = excluded.score, origin = excluded.origin, updated_at = excluded.updated_at",
            rows,
        )

    def write_notes(self, rows: Iterable[tuple[int, int, str, str, float, str]]) -> None:
        """rows: (item, rater, comment, flag, seconds, updated at), replacing the old note."""
        self.conn.executemany(
            "INSERT INTO annotations (item_id, rater_id, comment, flag, seconds, updated_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(item_id, rater_id) DO UPDATE SET "
            "comment = excluded.comment, flag = excluded.flag, seconds = excluded.seconds, "
            "updated_at = excluded.updated_at",
            rows,
        )

    # -- hand-outs (what the lead gave out; their seals are recomputed, not stored) -----------
    def add_handout(
        self, handout_id: str, kind: str, rater_id: int, at: str, n_items: int, n_scores: int
    ) -> None:
        """Record one package or sheet handed out, with what it held when it left."""
        self.conn.execute(
            "INSERT INTO handouts (id, kind, rater_id, created_at, n_items, n_scores) "
            "VALUES (?,?,?,?,?,?)",
            (handout_id, kind, rater_id, at, n_items, n_scores),
        )

    def handout(self, handout_id: str) -> dict | None:
        """The hand-out recorded under ``handout_id`` (rater is a name), or None."""
        cur = self.conn.execute(
            "SELECT h.id, h.kind, r.name AS rater, h.created_at, h.n_items, h.n_scores "
            "FROM handouts h JOIN raters r ON r.id = h.rater_id WHERE h.id = ?",
            (handout_id,),
        )
        row = cur.fetchone()
        return dict(zip([c[0] for c in cur.description], row, strict=True)) if row else None

    def compact(self) -> None:
        """Rebuild the file (VACUUM): no free page keeps a deleted value's bytes."""
        self.conn.execute("VACUUM")

    # -- merges and progress -------------------------------------------------------------------
    def add_merge(
        self,
        rater_id: int,
        package_id: str,
        kind: str,
        path: str,
        at: str,
        n_new: int,
        n_changed: int,
        n_same: int,
    ) -> None:
        self.conn.execute(
            "INSERT INTO merges (rater_id, package_id, kind, path, merged_at, n_new, n_changed, "
            "n_same) VALUES (?,?,?,?,?,?,?,?)",
            (rater_id, package_id, kind, path, at, n_new, n_changed, n_same),
        )

    def merges(self) -> list[dict]:
        cur = self.conn.execute(
            "SELECT r.name AS rater, m.package_id, m.kind, m.path, m.merged_at, m.n_new, "
            "m.n_changed, m.n_same FROM merges m JOIN raters r ON r.id = m.rater_id "
            "ORDER BY m.id"
        )
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def last_merge_times(self) -> dict[str, str]:
        return dict(
            self.conn.execute(
                "SELECT r.name, MAX(m.merged_at) FROM merges m JOIN raters r ON r.id = m.rater_id "
                "GROUP BY r.id"
            ).fetchall()
        )

    def last_score_times(self) -> dict[str, str]:
        return dict(
            self.conn.execute(
                "SELECT r.name, MAX(x.updated_at) FROM ratings x "
                "JOIN raters r ON r.id = x.rater_id GROUP BY r.id"
            ).fetchall()
        )

    def scored_counts(self) -> dict[tuple[str, int], int]:
        """(rater name, item id) -> number of dimensions scored."""
        return {
            (r[0], r[1]): r[2]
            for r in self.conn.execute(
                "SELECT ra.name, x.item_id, COUNT(*) FROM ratings x "
                "JOIN raters ra ON ra.id = x.rater_id GROUP BY x.rater_id, x.item_id"
            )
        }
