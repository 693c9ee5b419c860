"""Metric runs: one signature per run, every value points to the run that made it.

Before (issue 13): each value row carried its own signature and the report read them back
with MAX(signature), so a metric imported from two files was labelled with one file only,
and nothing said which values came from which file.
"""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from annotator.core.project import Project
from annotator.core.storage import SCHEMA_VERSION, backup_paths
from annotator.core.storage.metric_runs import MetricRunsRepo
from annotator.core.storage.schema import APPLICATION_ID, MIGRATIONS
from annotator.core.storage.sql_text import split_statements
from annotator.core.usecases.metrics_run import metrics_wide

SIG_BLEU = "bleu|order:2|smooth:exp|tok:auto|version:1.0"
SIG_OLD_BLEU = "bleu|order:4|smooth:none|tok:auto|version:0.9"  # a partial old recompute
SIG_SACRE = "bleu|order:4|smooth:exp|eff:yes|tok:zh|version:1.0"


def _v3_file(path, *, report: str) -> None:
    """A project file exactly as schema 3 wrote it, with metric values of every kind."""
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:3]:
        for statement in split_statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 3")
    conn.executemany(
        "INSERT INTO project VALUES (?, ?)",
        [
            ("uuid", "11111111-2222-3333-4444-555555555555"),
            ("name", "old"),
            ("created_at", "2026-01-01T00:00:00.000Z"),
            ("modified_at", "2026-01-01T00:00:00.000Z"),
            ("metrics_run:default", report),
        ],
    )
    conn.execute("INSERT INTO models (name, created_at) VALUES ('base', 'now')")
    conn.executemany(
        "INSERT INTO items (uid, sample_id, model_id, instruction, reference, generated, "
        "content_hash, created_at) VALUES (?, ?, 1, 'i', 'r', 'g', 'h', 'now')",
        [(f"base/s{k}", f"s{k}") for k in range(1, 5)],
    )
    values = [
        (1, "bleu", "computed", 0.25, SIG_BLEU),
        (2, "bleu", "computed", 0.5, SIG_BLEU),
        (3, "bleu", "computed", None, SIG_BLEU),  # not computable: NULL, kept as NULL
        (4, "bleu", "computed", 0.75, SIG_OLD_BLEU),
        (1, "sacrebleu/bleu", "computed", 0.125, SIG_SACRE),
        (1, "perplexity", "imported", 12.5, "imported|file:a.csv"),
        (2, "perplexity", "imported", 13.5, "imported|file:a.csv"),
        (3, "perplexity", "imported", 14.5, "imported|file:b.csv"),
        (1, "bleu", "imported", 0.4, "imported|file:a.csv"),
    ]
    conn.executemany("INSERT INTO metric_values VALUES (?, ?, ?, ?, ?)", values)
    conn.close()


def _values(path) -> set[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT item_id, name, origin, value FROM metric_values").fetchall()
    finally:
        conn.close()
    return {(i, n, o, None if v is None else float(v)) for i, n, o, v in rows}


GOOD_REPORT = json.dumps({"preset": "default", "computed_at": "2026-02-03T04:05:06.000Z"})


def test_a_v3_file_with_values_is_migrated_into_runs_and_keeps_every_value(tmp_path):
    path = tmp_path / "old.annotator"
    _v3_file(path, report=GOOD_REPORT)
    before = _values(path)
    with Project.open(path) as project:
        conn = project.db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
        assert _values(path) == before  # every value, NULL included, as it was
        runs = {(r.name, r.origin, r.signature): r for r in MetricRunsRepo(conn).runs()}
        assert set(runs) == {
            ("bleu", "computed", SIG_BLEU),
            ("bleu", "computed", SIG_OLD_BLEU),
            ("sacrebleu/bleu", "computed", SIG_SACRE),
            ("perplexity", "imported", "imported|file:a.csv"),
            ("perplexity", "imported", "imported|file:b.csv"),
            ("bleu", "imported", "imported|file:a.csv"),
        }
        assert runs["bleu", "computed", SIG_BLEU].n_values == 3
        assert runs["bleu", "computed", SIG_BLEU].preset == "default"
        assert runs["bleu", "computed", SIG_BLEU].created_at == "2026-02-03T04:05:06.000Z"
        assert runs["sacrebleu/bleu", "computed", SIG_SACRE].preset == "sacrebleu"
        assert runs["perplexity", "imported", "imported|file:b.csv"].source == "b.csv"
        # each value points to the run of its own signature
        pointed = dict(
            conn.execute(
                "SELECT v.item_id, r.signature FROM metric_values v JOIN metric_runs r "
                "ON r.id = v.run_id WHERE v.name = 'perplexity'"
            ).fetchall()
        )
        assert pointed == {1: "imported|file:a.csv", 2: "imported|file:a.csv",
                           3: "imported|file:b.csv"}  # fmt: skip
        _, signatures = metrics_wide(project.db)
    # the report names both files (and both bleu signatures), not the larger string only
    assert signatures["perplexity"] == "imported|file:a.csv|n:2 ; imported|file:b.csv|n:1"
    assert signatures["bleu"] == f"{SIG_BLEU}|n:3 ; {SIG_OLD_BLEU}|n:1"
    assert signatures["imported:bleu"] == "imported|file:a.csv"
    assert signatures["sacrebleu/bleu"] == SIG_SACRE
    assert len(backup_paths(path)) == 1  # the v3 file, kept beside it


@pytest.mark.parametrize("report", ["not json at all", "[1, 2]", '{"computed_at": 7}'])
def test_a_damaged_stored_report_does_not_stop_the_migration(tmp_path, report):
    path = tmp_path / "old.annotator"
    _v3_file(path, report=report)
    before = _values(path)
    with Project.open(path) as project:
        runs = MetricRunsRepo(project.db.conn).runs()
        assert all(r.created_at.endswith("Z") and r.created_at[:2] == "20" for r in runs)
    assert _values(path) == before


def _csv(path, rows: list[tuple[str, float]]) -> None:
    lines = ["id,instruction,reference,generated,ppl"]
    lines += [f"{sample},写文案,这款口红显白,学生党必入,{ppl}" for sample, ppl in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def two_files(tmp_path):
    """A project whose perplexity came from two files: 2 items from a.csv, 1 from b.csv."""
    project = Project.create(tmp_path / "eval.annotator", "runs", language="en")
    _csv(tmp_path / "a.csv", [("x1", 12.5), ("x2", 13.5)])
    _csv(tmp_path / "b.csv", [("y1", 40.0)])
    project.import_file(tmp_path / "a.csv", model="m")
    project.import_file(tmp_path / "b.csv", model="m")
    yield project
    project.close()


def test_two_imports_with_different_signatures_keep_both(two_files, tmp_path):
    runs = [r for r in MetricRunsRepo(two_files.db.conn).runs() if r.name == "perplexity"]
    assert [(r.signature, r.n_values) for r in runs] == [
        ("imported|file:a.csv", 2),
        ("imported|file:b.csv", 1),
    ]
    assert runs[0].source.endswith("a.csv") and runs[1].source.endswith("b.csv")
    _, signatures = metrics_wide(two_files.db)
    assert signatures["perplexity"] == "imported|file:a.csv|n:2 ; imported|file:b.csv|n:1"
    # the Excel report, read back: the signature row names both files
    out = two_files.export(tmp_path / "report.xlsx")
    cells = [
        row for row in load_workbook(out)["Summary"].iter_rows(values_only=True)
        if row and row[0] == "perplexity"
    ]  # fmt: skip
    assert any("file:a.csv|n:2" in str(r[1]) and "file:b.csv|n:1" in str(r[1]) for r in cells)


def test_report_json_names_both_files(two_files):
    path = two_files.path
    two_files.close()
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "report", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "Traceback" not in proc.stderr
    signature = data["signatures"]["perplexity"]
    assert "imported|file:a.csv|n:2" in signature and "imported|file:b.csv|n:1" in signature


def test_a_later_file_with_the_same_items_takes_them_over(two_files, tmp_path):
    # a.csv again, corrected: x1 and x2 now come from a2.csv; a.csv's run has no value left
    _csv(tmp_path / "a2.csv", [("x1", 11.0), ("x2", 10.0)])
    two_files.import_file(tmp_path / "a2.csv", model="m", update=True)
    runs = [r for r in MetricRunsRepo(two_files.db.conn).runs() if r.name == "perplexity"]
    assert [r.signature for r in runs] == ["imported|file:b.csv", "imported|file:a2.csv"]
    wide, signatures = metrics_wide(two_files.db)
    assert sorted(wide["perplexity"].tolist()) == [10.0, 11.0, 40.0]
    assert signatures["perplexity"] == "imported|file:b.csv|n:1 ; imported|file:a2.csv|n:2"


def test_a_recomputation_replaces_its_own_runs_only(two_files):
    conn = two_files.db.conn
    repo = MetricRunsRepo(conn)
    two_files.compute_metrics("default", workers=1)
    two_files.compute_metrics("sacrebleu", workers=1)
    first = {(r.name, r.origin): r.id for r in repo.runs() if r.origin == "computed"}
    imported = [r for r in repo.runs() if r.origin == "imported"]
    n_values = conn.execute("SELECT count(*) FROM metric_values").fetchone()[0]

    two_files.compute_metrics("default", workers=1)

    after = repo.runs()
    assert [r for r in after if r.origin == "imported"] == imported  # untouched, same ids
    computed = {(r.name, r.origin): r.id for r in after if r.origin == "computed"}
    assert set(computed) == set(first)
    for key, run_id in computed.items():
        if key[0].startswith("sacrebleu/"):
            assert run_id == first[key]  # another preset's runs stay as they were
        else:
            assert run_id != first[key]  # replaced, and the old run is gone
    assert not set(first.values()) - set(computed.values()) & {r.id for r in after}
    assert conn.execute("SELECT count(*) FROM metric_values").fetchone()[0] == n_values
    orphans = conn.execute(
        "SELECT count(*) FROM metric_values WHERE run_id NOT IN (SELECT id FROM metric_runs)"
    ).fetchone()[0]
    assert orphans == 0
    default_bleu = next(r for r in after if r.name == "bleu" and r.origin == "computed")
    assert default_bleu.preset == "default" and default_bleu.n_values == 3
    _, signatures = metrics_wide(two_files.db)
    assert signatures["bleu"] == default_bleu.signature  # one run: its signature, unchanged


def test_a_metric_value_that_is_not_a_number_stays_missing(tmp_path):
    project = Project.create(tmp_path / "eval.annotator", "nan")
    _csv(tmp_path / "a.csv", [("x1", 12.5)])
    project.import_file(tmp_path / "a.csv", model="m")
    repo = MetricRunsRepo(project.db.conn)
    item_id = project.db.conn.execute("SELECT id FROM items").fetchone()[0]
    with project.db.transaction():
        repo.store_run("odd", "computed", "odd|v:1", [item_id], [float("nan")], preset="x")
        repo.prune()
    column = next(c for c in repo.columns() if c.name == "odd")
    assert math.isnan(column.values[0]) and column.signature == "odd|v:1"
    project.close()
