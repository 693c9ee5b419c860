"""LLM judges: who they are (with their signature), their scores and side-by-side
verdicts, and what a run could not get. The lead's view only: a rater session never runs
these queries, and the human statistics never read these tables (see ``schema_v6``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from annotator.core.storage._lazy import pd
from annotator.core.storage.connection import utcnow


class JudgesRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- the judges ---------------------------------------------------------------------------
    def id_for(self, name: str, *, create: bool = False, signature: dict | None = None):
        """The judge's id (created with ``signature`` when asked); None when unknown."""
        row = self.conn.execute("SELECT id FROM judges WHERE name = ?", (name,)).fetchone()
        if row or not create:
            return row[0] if row else None
        cur = self.conn.execute(
            "INSERT INTO judges (name, signature, created_at) VALUES (?, ?, ?)",
            (name, json.dumps(signature or {}, ensure_ascii=False, sort_keys=True), utcnow()),
        )
        return cur.lastrowid

    def set_signature(self, judge_id: int, signature: dict) -> None:
        self.conn.execute(
            "UPDATE judges SET signature = ? WHERE id = ?",
            (json.dumps(signature, ensure_ascii=False, sort_keys=True), judge_id),
        )

    def judges(self) -> list[dict]:
        """Every judge: id, name, signature (a dict), promoted, scores, judgments, failures."""
        rows = self.conn.execute(
            "SELECT j.id, j.name, j.signature, j.promoted, "
            "(SELECT count(*) FROM judge_scores s WHERE s.judge_id = j.id), "
            "(SELECT count(*) FROM judge_judgments g WHERE g.judge_id = j.id), "
            "(SELECT count(*) FROM judge_failures f WHERE f.judge_id = j.id) "
            "FROM judges j ORDER BY j.id"
        ).fetchall()
        return [
            {
                "id": r[0],
                "name": r[1],
                "signature": _signature(r[2]),
                "promoted": bool(r[3]),
                "scores": r[4],
                "judgments": r[5],
                "failures": r[6],
            }
            for r in rows
        ]

    def set_promoted(self, judge_id: int, promoted: bool) -> None:
        self.conn.execute("UPDATE judges SET promoted = ? WHERE id = ?", (int(promoted), judge_id))

    # -- scores -------------------------------------------------------------------------------
    def scores_frame(self, judge: str | None = None) -> pd.DataFrame:
        """item_id, judge, dimension, score, reason (every judge, or one)."""
        sql = (
            "SELECT s.item_id, j.name AS judge, d.key AS dimension, s.score, s.reason "
            "FROM judge_scores s JOIN judges j ON j.id = s.judge_id "
            "JOIN dimensions d ON d.id = s.dimension_id"
        )
        params: tuple = ()
        if judge is not None:
            sql += " WHERE j.name = ?"
            params = (judge,)
        return pd.read_sql_query(
            sql + " ORDER BY j.id, s.item_id, d.position", self.conn, params=params
        )

    def existing_scores(self, judge_id: int) -> dict[tuple[int, int], tuple[int, str]]:
        """(item id, dimension id) -> (score, reason) of one judge."""
        rows = self.conn.execute(
            "SELECT item_id, dimension_id, score, reason FROM judge_scores WHERE judge_id = ?",
            (judge_id,),
        )
        return {(r[0], r[1]): (r[2], r[3]) for r in rows}

    def upsert_scores(self, rows: Iterable[tuple[int, int, int, int, str, str]]) -> None:
        """rows: (judge id, item id, dimension id, score, reason, origin); an unchanged score
        and reason keep their time."""
        now = utcnow()
        self.conn.executemany(
            "INSERT INTO judge_scores (judge_id, item_id, dimension_id, score, reason, origin, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (judge_id, item_id, dimension_id) DO UPDATE SET "
            "score = excluded.score, reason = excluded.reason, origin = excluded.origin, "
            "updated_at = excluded.updated_at "
            "WHERE score IS NOT excluded.score OR reason IS NOT excluded.reason",
            [(*row, now) for row in rows],
        )

    def scored_items(self, judge_id: int) -> set[int]:
        """Items on which this judge has at least one score."""
        rows = self.conn.execute(
            "SELECT DISTINCT item_id FROM judge_scores WHERE judge_id = ?", (judge_id,)
        )
        return {r[0] for r in rows}

    # -- side-by-side verdicts ----------------------------------------------------------------
    def judgments_frame(self, judge: str | None = None) -> pd.DataFrame:
        """comparison_id, sample_id, judge, dimension, model_a, model_b, left (the model
        shown first), outcome, reason: one row per order the judge saw."""
        sql = (
            "SELECT g.comparison_id, c.sample_id, j.name AS judge, g.dimension, "
            "ma.name AS model_a, mb.name AS model_b, "
            "CASE WHEN g.left_item = c.item_a THEN ma.name ELSE mb.name END AS left, "
            "g.outcome, g.reason FROM judge_judgments g JOIN judges j ON j.id = g.judge_id "
            "JOIN comparisons c ON c.id = g.comparison_id "
            "JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b "
            "JOIN models ma ON ma.id = a.model_id JOIN models mb ON mb.id = b.model_id"
        )
        params: tuple = ()
        if judge is not None:
            sql += " WHERE j.name = ?"
            params = (judge,)
        return pd.read_sql_query(
            sql + " ORDER BY j.id, g.comparison_id, g.dimension, left", self.conn, params=params
        )

    def existing_judgments(self, judge_id: int) -> dict[tuple[int, str, int], tuple[str, str]]:
        """(comparison id, dimension, left item) -> (outcome, reason) of one judge."""
        rows = self.conn.execute(
            "SELECT comparison_id, dimension, left_item, outcome, reason FROM judge_judgments "
            "WHERE judge_id = ?",
            (judge_id,),
        )
        return {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}

    def upsert_judgments(self, rows: Sequence[tuple[int, int, str, int, str, str, str]]) -> None:
        """rows: (judge id, comparison id, dimension, left item, outcome, reason, origin)."""
        now = utcnow()
        self.conn.executemany(
            "INSERT INTO judge_judgments (judge_id, comparison_id, dimension, left_item, "
            "outcome, reason, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (judge_id, comparison_id, dimension, left_item) DO UPDATE SET "
            "outcome = excluded.outcome, reason = excluded.reason, origin = excluded.origin, "
            "updated_at = excluded.updated_at "
            "WHERE outcome IS NOT excluded.outcome OR reason IS NOT excluded.reason",
            [(*row, now) for row in rows],
        )

    # -- what a run could not get -------------------------------------------------------------
    def record_failure(self, judge_id: int, unit: str, attempts: int, error: str) -> None:
        self.conn.execute(
            "INSERT INTO judge_failures (judge_id, unit, attempts, error, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (judge_id, unit) DO UPDATE SET "
            "attempts = excluded.attempts, error = excluded.error, "
            "updated_at = excluded.updated_at",
            (judge_id, unit, attempts, error, utcnow()),
        )

    def clear_failure(self, judge_id: int, unit: str) -> None:
        self.conn.execute(
            "DELETE FROM judge_failures WHERE judge_id = ? AND unit = ?", (judge_id, unit)
        )

    def failures(self, judge_id: int) -> dict[str, tuple[int, str]]:
        """unit -> (attempts, error)."""
        rows = self.conn.execute(
            "SELECT unit, attempts, error FROM judge_failures WHERE judge_id = ?", (judge_id,)
        )
        return {r[0]: (r[1], r[2]) for r in rows}


def _signature(text: str) -> dict:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
