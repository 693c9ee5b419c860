"""Metric runs and the values they produced: one signature per run, values point to it.

A run is one metric computed by one preset, or one metric column of one imported file.
Its signature says how its numbers were made; each value row names its run (``run_id``),
so a metric whose values came from two files says so, with both signatures.
A value row is still unique per (item, metric, origin): a later run for the same metric
takes over the items it covers; a run left with no value is removed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from annotator.core.storage._lazy import pd
from annotator.core.storage.connection import utcnow

_RUN_COLUMNS = "id, name, origin, signature, source, preset, created_at, n_values"


@dataclass(frozen=True)
class MetricRun:
    """One run: how the values of one metric were made (computed or imported)."""

    id: int
    name: str
    origin: str  # 'computed' | 'imported'
    signature: str
    source: str  # the file of an imported run, '' for a computed one
    preset: str  # the preset of a computed run, '' for an imported one
    created_at: str
    n_values: int  # values written by the run (later runs may have taken some over)


@dataclass(frozen=True)
class MetricColumn:
    """Every stored value of one metric and origin, with the runs that produced them."""

    name: str
    origin: str
    item_ids: np.ndarray  # (N,) int64
    values: np.ndarray  # (N,) float64, NaN where the value is missing
    run_ids: np.ndarray  # (N,) int64: the run each value comes from
    runs: tuple[tuple[MetricRun, int], ...]  # each run and how many of these values it made

    @property
    def signature(self) -> str:
        """The run's signature; with several runs, each one and how many values it made."""
        return combined_signature(self.runs)


def combined_signature(runs: Sequence[tuple[MetricRun, int]]) -> str:
    """One signature, or ``sig|n:12 ; sig|n:8`` per signature when the values come from
    runs with different ones (runs with the same signature, e.g. one file's models, count
    as one).

    The form follows the signatures themselves (``key:value`` fields joined by ``|``):
    it is read by people, but it is a record of how numbers were made, not a sentence.
    """
    counts: dict[str, int] = {}
    for run, count in runs:
        counts[run.signature] = counts.get(run.signature, 0) + count
    if len(counts) == 1:
        return next(iter(counts))
    return " ; ".join(f"{signature}|n:{count}" for signature, count in counts.items())


def _run(row: Sequence) -> MetricRun:
    return MetricRun(*row)


class MetricRunsRepo:
    """Write and read metric runs and their values (the only SQL on metric tables)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- writes ----------------------------------------------------------------------------
    def store_run(
        self,
        name: str,
        origin: str,
        signature: str,
        item_ids: Sequence[int] | np.ndarray,
        values: Sequence[float | None] | np.ndarray,
        *,
        source: str = "",
        preset: str = "",
    ) -> int:
        """Record one run and its values (inside the caller's transaction); its id.

        A value already stored for the same item, metric and origin is replaced and now
        points to this run. Call ``prune`` once after the last run of a write.
        """
        ids = np.asarray(item_ids, dtype=np.int64).tolist()
        vals = values.tolist() if isinstance(values, np.ndarray) else list(values)
        run_id = self.conn.execute(
            "INSERT INTO metric_runs (name, origin, signature, source, preset, created_at, "
            "n_values) VALUES (?,?,?,?,?,?,?) RETURNING id",
            (name, origin, signature, source, preset, utcnow(), len(ids)),
        ).fetchone()[0]
        # name, origin and run repeat on every row; ids and values come from lists made in
        # C (tolist), not from a per-value float() call: this is the 400,000-row path.
        self.conn.executemany(
            "INSERT INTO metric_values (item_id, name, origin, value, run_id) "
            "VALUES (?,?,?,?,?) ON CONFLICT(item_id, name, origin) DO UPDATE SET "
            "value = excluded.value, run_id = excluded.run_id",
            zip(ids, repeat(name), repeat(origin), vals, repeat(run_id)),
        )
        return int(run_id)

    def prune(self) -> int:
        """Remove the runs no value points to any more (replaced or their items deleted)."""
        cur = self.conn.execute(
            "DELETE FROM metric_runs WHERE id NOT IN (SELECT run_id FROM metric_values)"
        )
        return cur.rowcount

    # -- reads -----------------------------------------------------------------------------
    def runs(self) -> list[MetricRun]:
        """Every run still in the file, oldest first."""
        rows = self.conn.execute(f"SELECT {_RUN_COLUMNS} FROM metric_runs ORDER BY id")
        return [_run(r) for r in rows]

    def columns(self, origin: str | None = None) -> list[MetricColumn]:
        """Every stored metric as one column per (name, origin), in one pass; only those of
        ``origin`` ('computed' or 'imported') when given.

        Ids, values and run ids leave SQLite as one text per metric that numpy parses in C;
        a Python tuple per value would cost several times more on 100,000 items.
        """
        rows = self.conn.execute(
            "SELECT name, origin, group_concat(item_id, ','), "
            # printf of NULL is '0', not NULL: a missing value must stay missing (NaN)
            "group_concat(iif(value IS NULL, 'nan', printf('%.17g', value)), ','), "
            "group_concat(run_id, ',') FROM metric_values WHERE ?1 IS NULL OR origin = ?1 "
            "GROUP BY name, origin ORDER BY origin, name",
            (origin,),
        ).fetchall()
        runs = {r.id: r for r in self.runs()}
        return [_column(*row, runs) for row in rows]

    def for_item(self, item_id: int) -> list[tuple[str, str, float, str]]:
        """(name, origin, value, signature of its run) of one item."""
        return self.conn.execute(
            "SELECT v.name, v.origin, v.value, r.signature FROM metric_values v "
            "JOIN metric_runs r ON r.id = v.run_id WHERE v.item_id = ? ORDER BY v.origin, v.name",
            (item_id,),
        ).fetchall()

    def frame(self) -> pd.DataFrame:
        """Long form: item_id, name, origin, value, run_id, signature, source."""
        return pd.read_sql_query(
            "SELECT v.item_id, v.name, v.origin, v.value, v.run_id, r.signature, r.source "
            "FROM metric_values v JOIN metric_runs r ON r.id = v.run_id",
            self.conn,
        )


def _known(runs: dict[int, MetricRun], run_id: int, name: str, origin: str) -> MetricRun:
    """The run ``run_id``; a run another program removed reads as one without a signature."""
    found = runs.get(run_id)
    return found if found is not None else MetricRun(run_id, name, origin, "", "", "", "", 0)


def _column(
    name: str, origin: str, ids: str, values: str, run_ids: str, runs: dict[int, MetricRun]
) -> MetricColumn:
    run_of = np.fromstring(run_ids, dtype=np.int64, sep=",")  # text mode: parsed in C
    used, counts = np.unique(run_of, return_counts=True)
    made = zip(used.tolist(), counts.tolist(), strict=True)
    return MetricColumn(
        name=name,
        origin=origin,
        item_ids=np.fromstring(ids, dtype=np.int64, sep=","),
        values=np.fromstring(values, dtype=np.float64, sep=","),
        run_ids=run_of,
        runs=tuple((_known(runs, r, name, origin), n) for r, n in made),
    )
