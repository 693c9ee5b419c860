"""annotator gold through the command line: import, list, --json, --use-adjudicated, --clear."""

from __future__ import annotations

import json
import sqlite3

from annotator.cli import main
from annotator.core.project import Project
from tests.factories import add_items


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _count(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM gold").fetchone()[0]
    finally:
        conn.close()


def test_gold_commands(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_LANG", "en")
    path = tmp_path / "p.annotator"
    with Project.create(path, "p", language="en") as project:
        add_items(project, 3)
        project.adjudicate("s3", "relevance", 4)
    gold = tmp_path / "gold.csv"
    gold.write_text("sample,dimension,expected\ns1,fluency,4\ns2,fluency,2\n", encoding="utf-8")
    code, out, err = _run(capsys, "gold", str(path), str(gold))
    assert code == 0, err
    assert "2 new" in out and _count(path) == 2
    code, out, _ = _run(capsys, "gold", str(path), str(gold), "--json")
    assert json.loads(out)["unchanged"] == 2
    code, out, _ = _run(capsys, "gold", str(path))
    assert code == 0 and "s1" in out and "s2" in out and "2 gold item(s)" in out
    code, out, _ = _run(capsys, "gold", str(path), "--use-adjudicated", "s3", "--json")
    assert code == 0 and json.loads(out)["items"] == 3
    code, out, _ = _run(capsys, "gold", str(path), "--json")
    rows = json.loads(out)["gold"]
    assert [(r["sample_id"], r["dimension"], r["expected"]) for r in rows] == [
        ("s1", "fluency", 4),
        ("s2", "fluency", 2),
        ("s3", "relevance", 4),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("sample,dimension,expected\ns9,fluency,4\n", encoding="utf-8")
    code, out, err = _run(capsys, "gold", str(path), str(bad))
    assert code == 1 and "row 2" in err and "s9" in err and "Traceback" not in err
    code, _, err = _run(capsys, "gold", str(path), str(gold), "--clear")
    assert code == 1 and "one at a time" in err
    code, out, _ = _run(capsys, "gold", str(path), "--clear")
    assert code == 0 and "3 expected score(s) removed" in out and _count(path) == 0


def test_assign_with_calibration_and_a_round_on_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_LANG", "en")
    path = tmp_path / "p.annotator"
    with Project.create(path, "p", language="en") as project:
        add_items(project, 6)
    gold = tmp_path / "gold.csv"
    gold.write_text("sample,dimension,expected\ns6,fluency,4\n", encoding="utf-8")
    assert _run(capsys, "gold", str(path), str(gold))[0] == 0
    code, out, err = _run(
        capsys, "assign", str(path), "--raters", "ann,ben", "--per-item", "1", "--calibration",
        "2", "--gold", "all", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["calibration_items"] == 2 and data["gold_items"] == 1
    out_file = tmp_path / "ann-c.annotator"
    code, out, err = _run(
        capsys, "package", "create", str(path), "--rater", "ann", "-o", str(out_file),
        "--round", "calibration", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["items"] == 2
    sheet = tmp_path / "ben-main.xlsx"
    code, out, err = _run(
        capsys, "sheet", "create", str(path), "--rater", "ben", "-o", str(sheet),
        "--round", "main", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["items"] == data["load"]["ben"] - 2
    code, _, err = _run(capsys, "assign", str(path), "--raters", "ann", "--gold", "lots")
    assert code == 1 and "--gold" in err
