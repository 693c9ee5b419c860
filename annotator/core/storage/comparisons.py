"""Side-by-side comparisons, who judges them (and on which side each answer is shown), the
judgments, and the raters' notes on them.

The ``own_*`` methods and ``blind`` are the only queries a rater's side-by-side session
runs: one rater's own judgments and the two answers' texts, never a model's name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.storage._lazy import pd
from annotator.core.storage.connection import utcnow

JUDGMENT_COLUMNS = (
    "comparison_id",
    "sample_id",
    "rater",
    "dimension",
    "model_a",
    "model_b",
    "left",
    "outcome",
    "strength",
    "origin",
    "updated_at",
)


@dataclass(frozen=True)
class BlindPair:
    """What a rater sees of a comparison: the prompt and the two answers by side."""

    comparison_id: int
    instruction: str
    reference: str
    left: str
    right: str
    left_item: int
    right_item: int


class ComparisonsRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- the comparisons (the lead's view) ----------------------------------------------------
    def candidates(self, model_a: int, model_b: int) -> list[tuple[str, int, int, str, str]]:
        """(sample id, item of a, item of b, uid of a, uid of b) on every sample both models
        answered, by sample id."""
        return self.conn.execute(
            "SELECT a.sample_id, a.id, b.id, a.uid, b.uid FROM items a "
            "JOIN items b ON b.sample_id = a.sample_id AND b.model_id = ? "
            "WHERE a.model_id = ? ORDER BY a.sample_id",
            (model_b, model_a),
        ).fetchall()

    def existing(self) -> dict[frozenset[int], int]:
        """{item a, item b} -> comparison id, whichever way round it is stored."""
        rows = self.conn.execute("SELECT id, item_a, item_b FROM comparisons")
        return {frozenset((a, b)): cid for cid, a, b in rows}

    def add(self, rows: Iterable[tuple[str, str, int, int]]) -> None:
        """rows: (uid, sample id, item a, item b)."""
        now = utcnow()
        self.conn.executemany(
            "INSERT INTO comparisons (uid, sample_id, item_a, item_b, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            ((uid, sample, a, b, now) for uid, sample, a, b in rows),
        )

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM comparisons").fetchone()[0]

    def ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM comparisons ORDER BY id")]

    def listing(self) -> list[tuple[int, str, str, int, int, str, str]]:
        """(id, uid, sample id, item a, item b, model a, model b) of every comparison, by id."""
        return self.conn.execute(
            "SELECT c.id, c.uid, c.sample_id, c.item_a, c.item_b, ma.name, mb.name "
            "FROM comparisons c JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b "
            "JOIN models ma ON ma.id = a.model_id JOIN models mb ON mb.id = b.model_id "
            "ORDER BY c.id"
        ).fetchall()

    def sides(self) -> dict[int, tuple[int, int]]:
        """comparison id -> (item a, item b)."""
        rows = self.conn.execute("SELECT id, item_a, item_b FROM comparisons")
        return {cid: (a, b) for cid, a, b in rows}

    def uid_index(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT uid, id FROM comparisons"))

    # -- who judges what, and on which side each answer is shown ------------------------------
    def assigned(self, rater_id: int) -> dict[int, int]:
        """comparison id -> the item this rater is shown on the left."""
        return dict(
            self.conn.execute(
                "SELECT comparison_id, left_item FROM comparison_assignments WHERE rater_id = ?",
                (rater_id,),
            )
        )

    def assignments(self) -> list[tuple[int, int, int]]:
        """(comparison id, rater id, left item) of every assignment."""
        return self.conn.execute(
            "SELECT comparison_id, rater_id, left_item FROM comparison_assignments "
            "ORDER BY comparison_id, rater_id"
        ).fetchall()

    def replace_assignments(self, rows: Iterable[tuple[int, int, int]]) -> None:
        """rows: (comparison id, rater id, left item); replaces every assignment."""
        self.conn.execute("DELETE FROM comparison_assignments")
        self.conn.executemany(
            "INSERT INTO comparison_assignments (comparison_id, rater_id, left_item) "
            "VALUES (?, ?, ?)",
            rows,
        )

    # -- one rater's own work (the only queries a side-by-side session runs) ------------------
    def blind(self, comparison_id: int, left_item: int) -> BlindPair:
        """The prompt and the two answers, ``left_item``'s on the left; no model name."""
        cid, a, b = self.conn.execute(
            "SELECT id, item_a, item_b FROM comparisons WHERE id = ?", (comparison_id,)
        ).fetchone()
        right_item = b if left_item == a else a
        texts = dict(
            (r[0], r[1:])
            for r in self.conn.execute(
                "SELECT id, instruction, reference, generated FROM items WHERE id IN (?, ?)",
                (a, b),
            )
        )
        instruction, reference, left = texts[left_item]
        return BlindPair(
            cid, instruction, reference, left, texts[right_item][2], left_item, right_item
        )

    def own_judgments(self, rater_id: int) -> dict[int, dict[str, tuple[str, int | None]]]:
        """comparison id -> dimension -> (outcome, strength), for ONE rater."""
        found: dict[int, dict[str, tuple[str, int | None]]] = {}
        for cid, dim, outcome, strength in self.conn.execute(
            "SELECT comparison_id, dimension, outcome, strength FROM judgments WHERE rater_id = ?",
            (rater_id,),
        ):
            found.setdefault(cid, {})[dim] = (outcome, strength)
        return found

    def set_judgment(
        self,
        comparison_id: int,
        rater_id: int,
        dimension: str,
        outcome: str,
        strength: int | None,
        left_item: int,
        origin: str = "app",
    ) -> tuple[str, int | None] | None:
        """Write one judgment; returns the previous (outcome, strength) or None."""
        before = self.conn.execute(
            "SELECT outcome, strength FROM judgments "
            "WHERE comparison_id = ? AND rater_id = ? AND dimension = ?",
            (comparison_id, rater_id, dimension),
        ).fetchone()
        self.conn.execute(
            "INSERT INTO judgments (comparison_id, rater_id, dimension, outcome, strength, "
            "left_item, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (comparison_id, rater_id, dimension) DO UPDATE SET "
            "outcome = excluded.outcome, strength = excluded.strength, "
            "left_item = excluded.left_item, origin = excluded.origin, "
            "updated_at = excluded.updated_at",
            (comparison_id, rater_id, dimension, outcome, strength, left_item, origin, utcnow()),
        )
        return (before[0], before[1]) if before else None

    def clear_judgment(self, comparison_id: int, rater_id: int, dimension: str) -> None:
        self.conn.execute(
            "DELETE FROM judgments WHERE comparison_id = ? AND rater_id = ? AND dimension = ?",
            (comparison_id, rater_id, dimension),
        )

    def own_notes(self, rater_id: int) -> dict[int, tuple[str, str, float]]:
        """comparison id -> (comment, flag, seconds), for ONE rater."""
        rows = self.conn.execute(
            "SELECT comparison_id, comment, flag, seconds FROM comparison_notes WHERE rater_id = ?",
            (rater_id,),
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def set_note(
        self,
        comparison_id: int,
        rater_id: int,
        *,
        comment: str | None = None,
        flag: str | None = None,
        add_seconds: float = 0.0,
    ) -> None:
        """Change a rater's comment, flag and/or time on a comparison; the rest is kept."""
        self.conn.execute(
            "INSERT INTO comparison_notes (comparison_id, rater_id, comment, flag, seconds, "
            "updated_at) VALUES (?1, ?2, COALESCE(?3, ''), COALESCE(?4, ''), ?5, ?6) "
            "ON CONFLICT (comparison_id, rater_id) DO UPDATE SET "
            "comment = COALESCE(?3, comment), flag = COALESCE(?4, flag), "
            "seconds = seconds + ?5, updated_at = ?6",
            (comparison_id, rater_id, comment, flag, add_seconds, utcnow()),
        )

    # -- everyone's judgments (statistics, exports, merges; never a rater session) ------------
    def frame(self) -> pd.DataFrame:
        """One row per judgment (``JUDGMENT_COLUMNS``): models by name, ``left`` the model
        shown on the left, ``strength`` 1 / 2 or missing."""
        rows = self.conn.execute(
            "SELECT c.id, c.sample_id, r.name, j.dimension, ma.name, mb.name, "
            "CASE WHEN j.left_item = c.item_a THEN ma.name ELSE mb.name END, "
            "j.outcome, j.strength, j.origin, j.updated_at "
            "FROM judgments j JOIN comparisons c ON c.id = j.comparison_id "
            "JOIN raters r ON r.id = j.rater_id "
            "JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b "
            "JOIN models ma ON ma.id = a.model_id JOIN models mb ON mb.id = b.model_id "
            "ORDER BY c.id, r.name, j.dimension"
        ).fetchall()
        frame = pd.DataFrame(rows, columns=list(JUDGMENT_COLUMNS))
        frame["strength"] = pd.to_numeric(frame["strength"], errors="coerce").astype(float)
        return frame

    def existing_judgments(self) -> dict[tuple[int, int, str], tuple[str, int | None, int]]:
        """(comparison id, rater id, dimension) -> (outcome, strength, left item)."""
        rows = self.conn.execute(
            "SELECT comparison_id, rater_id, dimension, outcome, strength, left_item FROM judgments"
        )
        return {(r[0], r[1], r[2]): (r[3], r[4], r[5]) for r in rows}

    def upsert_judgments(
        self, rows: Sequence[tuple[int, int, str, str, int | None, int, str]]
    ) -> None:
        """rows: (comparison id, rater id, dimension, outcome, strength, left item, origin)."""
        now = utcnow()
        self.conn.executemany(
            "INSERT INTO judgments (comparison_id, rater_id, dimension, outcome, strength, "
            "left_item, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (comparison_id, rater_id, dimension) DO UPDATE SET "
            "outcome = excluded.outcome, strength = excluded.strength, "
            "left_item = excluded.left_item, origin = excluded.origin, "
            "updated_at = excluded.updated_at",
            [(*row, now) for row in rows],
        )

    def judged_counts(self) -> dict[int, int]:
        """rater id -> comparisons with an overall judgment."""
        return dict(
            self.conn.execute(
                "SELECT rater_id, count(*) FROM judgments WHERE dimension = '' GROUP BY rater_id"
            )
        )

    def log_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM judgment_log").fetchone()[0]

    # -- preference data out, and the lead's overview ------------------------------------------
    def texts(self) -> dict[int, tuple[str, str, str]]:
        """comparison id -> (instruction, answer of a, answer of b)."""
        rows = self.conn.execute(
            "SELECT c.id, a.instruction, a.generated, b.generated FROM comparisons c "
            "JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b"
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def pair_counts(self) -> list[tuple[str, str, int, int, int]]:
        """(model a, model b, comparisons, judged overall, judgments) per pair, by model a, b."""
        return self.conn.execute(
            "SELECT ma.name, mb.name, count(*), "
            "sum(EXISTS (SELECT 1 FROM judgments j WHERE j.comparison_id = c.id "
            "AND j.dimension = '')), "
            "sum((SELECT count(*) FROM judgments j WHERE j.comparison_id = c.id)) "
            "FROM comparisons c JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b "
            "JOIN models ma ON ma.id = a.model_id JOIN models mb ON mb.id = b.model_id "
            "GROUP BY ma.name, mb.name ORDER BY ma.name, mb.name"
        ).fetchall()

    def rater_counts(self) -> list[tuple[str, int, int, int]]:
        """(rater, comparisons assigned, judged overall, judgments) of every rater with an
        assignment or a judgment, by name."""
        return self.conn.execute(
            "SELECT r.name, "
            "(SELECT count(*) FROM comparison_assignments x WHERE x.rater_id = r.id), "
            "(SELECT count(*) FROM judgments j WHERE j.rater_id = r.id AND j.dimension = ''), "
            "(SELECT count(*) FROM judgments j WHERE j.rater_id = r.id) AS n "
            "FROM raters r WHERE n > 0 OR EXISTS "
            "(SELECT 1 FROM comparison_assignments x WHERE x.rater_id = r.id) ORDER BY r.name"
        ).fetchall()
