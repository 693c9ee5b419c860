"""RatingsRepo.activity_frame: one row per (item, rater) with the time of the rater's last
score on the item, whether the file's scores share one time (the fast path) or not."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from annotator.core.storage import RatingsRepo


@pytest.fixture()
def conn():
    c = sqlite3.connect(":memory:")
    c.executescript(
        "CREATE TABLE raters (id INTEGER PRIMARY KEY, name TEXT);"
        "CREATE TABLE ratings (item_id INTEGER, rater_id INTEGER, dimension_id INTEGER, "
        "score INTEGER, origin TEXT, updated_at TEXT, "
        "PRIMARY KEY (item_id, rater_id, dimension_id)) WITHOUT ROWID;"
        "CREATE INDEX ratings_rater ON ratings(rater_id, item_id);"
        "CREATE TABLE annotations (item_id INTEGER, rater_id INTEGER, seconds REAL);"
        "INSERT INTO raters VALUES (1, 'ann'), (2, 'bob');"
    )
    return c


def _fill(conn, times):
    rows = [
        (item, rater, dim, 3, "t", times(item, rater, dim))
        for item in (1, 2, 5)
        for rater in (1, 2)
        for dim in (1, 2)
        if not (item == 5 and rater == 1)
    ]
    conn.executemany("INSERT INTO ratings VALUES (?,?,?,?,?,?)", rows)
    conn.execute("INSERT INTO annotations VALUES (2, 2, 7.5)")
    return rows


def _expected(rows) -> pd.DataFrame:
    """The last time per (item, rater) computed in Python from the rows written."""
    last: dict[tuple[int, int], str] = {}
    for item, rater, _dim, _s, _o, at in rows:
        last[(item, rater)] = max(last.get((item, rater), ""), at)
    names = {1: "ann", 2: "bob"}
    keys = sorted(last)
    ms = [pd.Timestamp(last[k]).value / 1e6 for k in keys]
    return pd.DataFrame(
        {
            "item_id": [k[0] for k in keys],
            "rater": [names[k[1]] for k in keys],
            "rated_at": ms,
            "seconds": [7.5 if k == (2, 2) else 0.0 for k in keys],
        }
    )


def _check(frame: pd.DataFrame, expected: pd.DataFrame) -> None:
    frame = frame.assign(rater=frame["rater"].astype(str))
    frame = frame.sort_values(["item_id", "rater"]).reset_index(drop=True)
    assert frame["item_id"].tolist() == expected["item_id"].tolist()
    assert frame["rater"].tolist() == expected["rater"].tolist()
    assert np.allclose(frame["rated_at"], expected["rated_at"])
    assert frame["seconds"].tolist() == expected["seconds"].tolist()


def test_one_time_for_every_score(conn):
    rows = _fill(conn, lambda i, r, d: "2026-01-02T03:04:05.678Z")
    _check(RatingsRepo(conn).activity_frame(), _expected(rows))


def test_several_times_take_each_item_and_raters_last(conn):
    rows = _fill(conn, lambda i, r, d: f"2026-01-0{i}T0{r}:00:0{d}.000Z")
    frame = RatingsRepo(conn).activity_frame()
    _check(frame, _expected(rows))
    assert frame["rated_at"].nunique() == len(frame)


def test_no_ratings(conn):
    frame = RatingsRepo(conn).activity_frame()
    assert len(frame) == 0 and list(frame.columns) == ["item_id", "rater", "rated_at", "seconds"]
