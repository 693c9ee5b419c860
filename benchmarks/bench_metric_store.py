"""Benchmark: storing and reading one metrics run (4 metrics x ``--n`` items) in a project.

Ours: ``MetricRunsRepo.store_run`` (values point to their run) and ``columns()``. The
reference, measured in the same run on a copy of the same project: the schema-3 way, a
signature on every value row, written with the old statement and read with MAX(signature).
Each is timed storing once, then recomputing (every value replaced) ``--rounds`` times,
the two interleaved; CPU time, the best round counts.

    .venv/bin/python benchmarks/bench_metric_store.py [--n 100000]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.project import Project  # noqa: E402
from annotator.core.storage.metric_runs import MetricRunsRepo  # noqa: E402
from tests.factories import add_items  # noqa: E402

METRICS = ("bleu", "rouge-1", "rouge-2", "rouge-l")
SIGNATURE = "bleu|order:2|smooth:exp|eff:yes|tok:auto|version:1.0"

_V3_TABLE = """CREATE TABLE metric_values_v3 (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, name TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('imported', 'computed')), value REAL,
    signature TEXT NOT NULL DEFAULT '', PRIMARY KEY (item_id, name, origin)) WITHOUT ROWID"""


def _reference_store(conn: sqlite3.Connection, ids: np.ndarray, values: dict) -> None:
    conn.executemany(
        "INSERT INTO metric_values_v3 (item_id, name, origin, value, signature) "
        "VALUES (?,?,?,?,?) ON CONFLICT(item_id, name, origin) DO UPDATE SET "
        "value = excluded.value, signature = excluded.signature",
        (
            (int(item_id), m, "computed", float(v[k]), SIGNATURE)
            for m, v in values.items()
            for k, item_id in enumerate(ids)
        ),
    )


def _reference_read(conn: sqlite3.Connection) -> int:
    rows = conn.execute(
        "SELECT name, origin, MAX(signature), group_concat(item_id, ','), "
        "group_concat(ifnull(printf('%.17g', value), 'nan'), ',') FROM metric_values_v3 "
        "GROUP BY name, origin"
    ).fetchall()
    return sum(len(np.fromstring(r[4], dtype=np.float64, sep=",")) for r in rows)


def _ours_store(conn: sqlite3.Connection, ids: np.ndarray, values: dict) -> None:
    repo = MetricRunsRepo(conn)
    for m, v in values.items():
        repo.store_run(m, "computed", SIGNATURE, ids, v, preset="default")
    repo.prune()


def _ours_read(conn: sqlite3.Connection) -> int:
    return sum(len(c.values) for c in MetricRunsRepo(conn).columns())


def _timed(project: Project, fn, *args) -> float:
    """CPU seconds of one write in its transaction (the machine may be shared: wall time
    would measure the neighbours)."""
    t0 = time.process_time()
    with project.db.transaction():
        fn(project.db.conn, *args)
    return time.process_time() - t0


def _read_time(project: Project, read, expected: int) -> float:
    t0 = time.process_time()
    n = read(project.db.conn)
    elapsed = time.process_time() - t0
    assert n == expected, n
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="items (4 values each)")
    parser.add_argument("--rounds", type=int, default=3, help="recomputations; best one counts")
    args = parser.parse_args()
    rng = np.random.default_rng(20240601)
    ids = np.arange(1, args.n + 1, dtype=np.int64)
    with tempfile.TemporaryDirectory() as tmp:
        ours_path, ref_path = Path(tmp) / "ours.annotator", Path(tmp) / "ref.annotator"
        with Project.create(ours_path, "bench") as project:
            add_items(project, args.n)
        shutil.copy(ours_path, ref_path)
        sides = {
            "reference (v3: a signature per value)": (ref_path, _reference_store, _reference_read),
            "ours (values point to their run)": (ours_path, _ours_store, _ours_read),
        }
        times: dict[str, list[list[float]]] = {k: [[], [], []] for k in sides}
        projects = {k: Project.open(path) for k, (path, _, _) in sides.items()}
        projects[next(iter(sides))].db.conn.execute(_V3_TABLE)
        try:
            for round_ in range(args.rounds + 1):  # round 0 stores, the others recompute
                values = {m: rng.random(args.n) for m in METRICS}
                for label, (_, store, read) in sides.items():  # interleaved: same conditions
                    slot = times[label][0 if round_ == 0 else 1]
                    slot.append(_timed(projects[label], store, ids, values))
                    times[label][2].append(_read_time(projects[label], read, args.n * len(METRICS)))
        finally:
            for project in projects.values():
                project.close()
        best = {k: [min(t) for t in v] for k, v in times.items()}
        for label, (store, recompute, read) in best.items():
            size = sides[label][0].stat().st_size
            print(
                f"{label}: store {store:.2f} s, recompute {recompute:.2f} s, read {read:.2f} s "
                f"CPU ({args.n * len(METRICS):,} values; file {size / 1e6:.1f} MB)"
            )
        ref, ours = best.values()
        print(
            "ratio ours/reference (below 1 = faster): store {:.2f}, recompute {:.2f}, "
            "read {:.2f}".format(*(o / r for o, r in zip(ours, ref, strict=True)))
        )


if __name__ == "__main__":
    main()
