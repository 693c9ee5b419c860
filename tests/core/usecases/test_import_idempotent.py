"""Importing again changes nothing, writes no backup, and two imports at once add items once.

Real project files, real CSV files, and for the race two real ``annotator import``
processes started together, several times.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.core.storage import backup_paths

ROOT = Path(__file__).resolve().parents[3]
ENV = {"ANNOTATOR_LANG": "en", "PATH": ""}


def items_csv(path: Path, n: int, *, bleu: float = 0.25, text: str = "输出") -> Path:
    lines = ["id,instruction,reference,generated,bleu"]
    lines += [f"s{k},指令 {k},参考 {k},{text} {k},{bleu}" for k in range(1, n + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def state(path: Path) -> tuple:
    """What a no-op must leave alone: modified time, sources, items, metric values."""
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT value FROM project WHERE key = 'modified_at'").fetchone(),
            conn.execute("SELECT * FROM sources ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM items ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM metric_values ORDER BY item_id, name").fetchall(),
        )
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "eval.annotator", "x")
    yield p
    p.close()


def test_reimporting_the_same_file_seven_times_writes_nothing(project, tmp_path):
    path = items_csv(tmp_path / "base.csv", 20)
    project.import_file(path, model="base")
    project.import_file(items_csv(tmp_path / "lora.csv", 20, text="lora"), model="lora")
    before, backups = state(project.path), backup_paths(project.path)
    for _ in range(7):
        report = project.import_file(path, model="base")
        assert report.already_imported and report.backup is None
        assert report.models["base"].unchanged == 20
    assert backup_paths(project.path) == backups
    assert state(project.path) == before


def test_a_changed_metric_is_a_change_with_a_backup(project, tmp_path):
    project.import_file(items_csv(tmp_path / "a.csv", 5), model="base")
    report = project.import_file(items_csv(tmp_path / "b.csv", 5, bleu=0.75), model="base")
    assert report.backup is not None and Path(report.backup).exists()
    conn = sqlite3.connect(project.path)
    values = {v for (v,) in conn.execute("SELECT value FROM metric_values WHERE name = 'bleu'")}
    conn.close()
    assert values == {0.75}


def test_an_import_that_adds_items_to_a_model_backs_up_once(project, tmp_path):
    project.import_file(items_csv(tmp_path / "a.csv", 5), model="base")
    report = project.import_file(items_csv(tmp_path / "b.csv", 8), model="base")
    assert report.models["base"].added == 3 and report.backup is not None
    assert len(backup_paths(project.path)) == 1


def _start(project: Path, file: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "annotator", "import", str(project), str(file), "--model", "m"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=ROOT,
    )


@pytest.mark.parametrize("run", range(5))
def test_two_imports_of_one_file_at_once(tmp_path, run):
    target = tmp_path / "eval.annotator"
    subprocess.run(
        [sys.executable, "-m", "annotator", "init", str(target), "--name", "x"],
        check=True,
        env=ENV,
        cwd=ROOT,
        capture_output=True,
    )
    file = items_csv(tmp_path / "preds.csv", 3000)
    procs = [_start(target, file), _start(target, file)]
    outs = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for code, out, err in outs:
        text = out + err
        assert "Traceback" not in text and "UNIQUE" not in text and "unexpected" not in text
        if code != 0:  # allowed: a plain message that the file was busy
            assert "error" in err and ("lock" in err or "busy" in err or "in use" in err), err
    assert any(code == 0 for code, _, _ in outs)
    winners = [out for code, out, _ in outs if code == 0 and "3000 added" in out]
    assert len(winners) == 1
    for code, out, _ in outs:
        if code == 0 and out not in winners:
            assert "0 added" in out and "already imported" in out
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT sample_id) FROM items").fetchone() == (
        3000,
        3000,
    )
    conn.close()
