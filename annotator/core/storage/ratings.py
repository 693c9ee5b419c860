"""Scores, comments, flags and time spent; and the audit log that records every change."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np

from annotator.core.storage._lazy import pd
from annotator.core.storage.connection import utcnow


class RatingsRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- one rater's own work (the only queries a rater session runs) ------------------------
    def set_score(
        self, item_id: int, rater_id: int, dimension_id: int, score: int, origin: str = "app"
    ) -> int | None:
        """Write one score; returns the previous score (None if there was none)."""
        row = self.conn.execute(
            "SELECT score FROM ratings WHERE item_id=? AND rater_id=? AND dimension_id=?",
            (item_id, rater_id, dimension_id),
        ).fetchone()
        self.conn.execute(
            "INSERT INTO ratings (item_id, rater_id, dimension_id, score, origin, updated_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(item_id, rater_id, dimension_id) DO UPDATE SET "
            "score = excluded.score, origin = excluded.origin, updated_at = excluded.updated_at",
            (item_id, rater_id, dimension_id, score, origin, utcnow()),
        )
        return row[0] if row else None

    def clear_score(self, item_id: int, rater_id: int, dimension_id: int) -> None:
        self.conn.execute(
            "DELETE FROM ratings WHERE item_id=? AND rater_id=? AND dimension_id=?",
            (item_id, rater_id, dimension_id),
        )

    def own_scores(self, item_id: int, rater_id: int) -> dict[int, int]:
        """dimension id -> score, for one item and ONE rater."""
        return dict(
            self.conn.execute(
                "SELECT dimension_id, score FROM ratings WHERE item_id=? AND rater_id=?",
                (item_id, rater_id),
            ).fetchall()
        )

    def own_scored_counts(self, rater_id: int) -> dict[int, int]:
        """item id -> number of dimensions this rater scored on it."""
        return dict(
            self.conn.execute(
                "SELECT item_id, COUNT(*) FROM ratings WHERE rater_id=? GROUP BY item_id",
                (rater_id,),
            ).fetchall()
        )

    def own_annotation(self, item_id: int, rater_id: int) -> tuple[str, str, float]:
        row = self.conn.execute(
            "SELECT comment, flag, seconds FROM annotations WHERE item_id=? AND rater_id=?",
            (item_id, rater_id),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else ("", "", 0.0)

    def own_annotations(self, rater_id: int) -> dict[int, tuple[str, str, float]]:
        return {
            r[0]: (r[1], r[2], r[3])
            for r in self.conn.execute(
                "SELECT item_id, comment, flag, seconds FROM annotations WHERE rater_id=?",
                (rater_id,),
            )
        }

    def set_annotation(
        self,
        item_id: int,
        rater_id: int,
        *,
        comment: str | None = None,
        flag: str | None = None,
        add_seconds: float = 0.0,
        seconds: float | None = None,
    ) -> None:
        """Change a rater's comment, flag and/or time on an item; unspecified parts are kept."""
        self.conn.execute(
            "INSERT INTO annotations (item_id, rater_id, comment, flag, seconds, updated_at) "
            "VALUES (?, ?, COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ?), ?) "
            "ON CONFLICT(item_id, rater_id) DO UPDATE SET "
            "comment = COALESCE(?, comment), flag = COALESCE(?, flag), "
            "seconds = COALESCE(?, seconds + ?), updated_at = excluded.updated_at",
            (
                item_id,
                rater_id,
                comment,
                flag,
                seconds,
                add_seconds,
                utcnow(),
                comment,
                flag,
                seconds,
                add_seconds,
            ),
        )

    # -- everyone's work (statistics, reports, merges: never used by a rater session) ---------
    def frame(self) -> pd.DataFrame:
        """Long form: item_id, rater, dimension, score, updated_at, origin."""
        return pd.read_sql_query(
            "SELECT r.item_id, ra.name AS rater, d.key AS dimension, r.score, r.updated_at, "
            "r.origin FROM ratings r JOIN raters ra ON ra.id = r.rater_id "
            "JOIN dimensions d ON d.id = r.dimension_id ORDER BY r.item_id, ra.id, d.position",
            self.conn,
        )

    def scores_frame(self) -> pd.DataFrame:
        """item_id, rater, dimension, score for every rating, fast enough for 1.2M rows.

        Each rating is packed into one integer (score in bits 0-2, dimension id in 3-9,
        rater id in 10-25, item id above) and all of them leave SQLite as ONE text that
        numpy parses in C: a Python object per row would cost ten times more. Rater and
        dimension come back as categoricals over the (small) name tables.
        """
        (text,) = self.conn.execute(
            "SELECT group_concat((item_id << 26) | (rater_id << 10) | (dimension_id << 3) "
            "| score, ',') FROM ratings"
        ).fetchone()
        packed = _int_array(text)
        raters = dict(self.conn.execute("SELECT id, name FROM raters").fetchall())
        dims = dict(self.conn.execute("SELECT id, key FROM dimensions").fetchall())
        if raters and max(raters) >= 1 << 16 or dims and max(dims) >= 1 << 7:
            raise OverflowError("too many raters or dimensions to pack")  # never in practice
        rater_ids = (packed >> 10) & 0xFFFF
        dim_ids = (packed >> 3) & 0x7F
        return pd.DataFrame(
            {
                "item_id": packed >> 26,
                "rater": _categorical(rater_ids, raters),
                "dimension": _categorical(dim_ids, dims),
                "score": (packed & 0x7).astype(np.int64),
            }
        )

    def annotations_frame(self) -> pd.DataFrame:
        return pd.read_sql_query(
            "SELECT a.item_id, ra.name AS rater, a.comment, a.flag, a.seconds, a.updated_at "
            "FROM annotations a JOIN raters ra ON ra.id = a.rater_id ORDER BY a.item_id, ra.id",
            self.conn,
        )

    def frame_for_item(self, item_id: int) -> pd.DataFrame:
        """Every rater's scores on one item (for the lead's adjudication view)."""
        return pd.read_sql_query(
            "SELECT ra.name AS rater, d.key AS dimension, r.score FROM ratings r "
            "JOIN raters ra ON ra.id = r.rater_id JOIN dimensions d ON d.id = r.dimension_id "
            "WHERE r.item_id = ? ORDER BY ra.id, d.position",
            self.conn,
            params=(item_id,),
        )

    def annotations_for_item(self, item_id: int) -> list[tuple[str, str, str, float]]:
        return self.conn.execute(
            "SELECT ra.name, a.comment, a.flag, a.seconds FROM annotations a "
            "JOIN raters ra ON ra.id = a.rater_id WHERE a.item_id = ? ORDER BY ra.id",
            (item_id,),
        ).fetchall()

    def existing_scores(self) -> dict[tuple[int, int, int], int]:
        return {
            (r[0], r[1], r[2]): r[3]
            for r in self.conn.execute("SELECT item_id, rater_id, dimension_id, score FROM ratings")
        }

    def upsert_many(self, rows: Iterable[tuple[int, int, int, int, str]]) -> None:
        """rows: (item_id, rater_id, dimension_id, score, origin). Unchanged rows stay as they
        are (their time is not touched), so a re-import changes nothing."""
        now = utcnow()
        self.conn.executemany(
            "INSERT INTO ratings (item_id, rater_id, dimension_id, score, origin, updated_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(item_id, rater_id, dimension_id) DO UPDATE SET "
            "score = excluded.score, origin = excluded.origin, updated_at = excluded.updated_at "
            "WHERE score IS NOT excluded.score",
            ((i, r, d, s, o, now) for i, r, d, s, o in rows),
        )

    def audit_frame(self) -> pd.DataFrame:
        return pd.read_sql_query(
            "SELECT a.id, a.at, a.action, a.item_id, ra.name AS rater, d.key AS dimension, "
            "a.old_value, a.new_value, a.origin FROM audit_log a "
            "LEFT JOIN raters ra ON ra.id = a.rater_id "
            "LEFT JOIN dimensions d ON d.id = a.dimension_id ORDER BY a.id",
            self.conn,
        )

    def mean_seconds_by_rater(self) -> dict[str, float]:
        return dict(
            self.conn.execute(
                "SELECT ra.name, AVG(a.seconds) FROM annotations a JOIN raters ra "
                "ON ra.id = a.rater_id WHERE a.seconds > 0 GROUP BY ra.id ORDER BY ra.id"
            ).fetchall()
        )

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM ratings").fetchone()[0]

    def audit_count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]

    def activity_frame(self) -> pd.DataFrame:
        """item_id, rater, rated_at, seconds: one row per item a rater scored.

        ``rated_at`` is the time of the rater's last score on the item, in milliseconds
        since 1970 (NaN when unreadable): the rating order; ``seconds`` the time spent on
        it, 0 when unknown (for rater quality, issue 18). Leaves SQLite as text, as
        ``scores_frame`` does.
        """
        key, rated_at = self._one_time_activity()
        if key is None:  # several times: each (item, rater)'s last one
            keys, times = self.conn.execute(
                "SELECT group_concat(k, ','), group_concat(t, ',') FROM (SELECT "
                "(item_id << 16) | rater_id AS k, COALESCE(MAX(updated_at), '') AS t "
                "FROM ratings GROUP BY item_id, rater_id)"
            ).fetchone()
            key = _int_array(keys)
            rated_at = _milliseconds(times.split(",") if times else [])
        raters = dict(self.conn.execute("SELECT id, name FROM raters").fetchall())
        return pd.DataFrame(
            {
                "item_id": key >> 16,
                "rater": _categorical(key & 0xFFFF, raters),
                "rated_at": rated_at,
                "seconds": self._seconds_of(key),
            }
        )

    def _one_time_activity(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The packed (item << 16 | rater) keys and their time when every score in the file
        has the same time (ratings imported at one moment), else (None, None).

        Checking that costs a fraction of grouping 1.2M ratings by item and rater, and the
        keys then come from the (rater, item) index without reading the ratings' rows.
        """
        times = self.conn.execute("SELECT DISTINCT updated_at FROM ratings LIMIT 2").fetchall()
        if len(times) != 1:
            return (np.array([], dtype=np.int64), np.array([])) if not times else (None, None)
        (text,) = self.conn.execute(
            "SELECT group_concat((item_id << 16) | rater_id, ',') FROM "
            "(SELECT DISTINCT rater_id, item_id FROM ratings INDEXED BY ratings_rater)"
        ).fetchone()
        key = np.sort(_int_array(text))
        return key, np.full(len(key), _milliseconds([times[0][0]])[0])

    def _seconds_of(self, key: np.ndarray) -> np.ndarray:
        """Seconds spent per packed (item << 16 | rater) key, 0 when none is recorded."""
        (text,) = self.conn.execute(
            "SELECT group_concat(((item_id << 16) | rater_id) || ',' || seconds, ',') "
            "FROM annotations WHERE seconds > 0"
        ).fetchone()
        seconds = np.zeros(len(key))
        if not text or not len(key):
            return seconds
        timed = np.fromstring(text, dtype=np.float64, sep=",").reshape(-1, 2)
        wanted = timed[:, 0].astype(np.int64)
        order = np.argsort(key, kind="stable")
        at = np.clip(np.searchsorted(key[order], wanted), 0, len(key) - 1)
        hit = key[order][at] == wanted
        seconds[order[at[hit]]] = timed[hit, 1]
        return seconds


def _milliseconds(times: list[str]) -> np.ndarray:
    """ISO 8601 times as float milliseconds since 1970 (NaN when unreadable)."""
    stamps = pd.to_datetime(
        pd.Series(times, dtype=object), format="ISO8601", errors="coerce", utc=True
    )
    out = stamps.dt.as_unit("ms").array.asi8.astype(np.float64)
    out[stamps.isna().to_numpy()] = np.nan
    return out


def _categorical(ids: np.ndarray, names: dict[int, str]) -> pd.Categorical:
    keys = sorted(names)
    lookup = np.full(max(keys) + 1 if keys else 1, -1, dtype=np.int64)
    lookup[keys] = np.arange(len(keys))
    codes = lookup[ids] if len(ids) else np.array([], dtype=np.int64)
    return pd.Categorical.from_codes(codes, categories=[names[k] for k in keys])


def _int_array(text: str | None) -> np.ndarray:
    if not text:
        return np.array([], dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")  # text mode: parsed in C
