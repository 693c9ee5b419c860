"""Gold items imported from a file: every bad row named, all or nothing, the same file twice."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from annotator.core.domain.errors import AnnotatorError, InputError
from annotator.core.project import Project
from tests.factories import add_items


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "g.annotator", "gold", language="en")
    add_items(p, 4, model="base")
    add_items(p, 4, model="lora")
    yield p
    p.close()


def _stored(path) -> list[tuple]:
    """(model, sample, dimension key, expected, tolerance) read with plain SQL."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT m.name, i.sample_id, d.key, g.expected, g.tolerance FROM gold g "
            "JOIN items i ON i.id = g.item_id JOIN models m ON m.id = i.model_id "
            "JOIN dimensions d ON d.id = g.dimension_id ORDER BY m.name, i.sample_id, d.key"
        ).fetchall()
    finally:
        conn.close()


def _digest(path) -> str:
    """The project's bytes, its write-ahead log included (where a commit would land)."""
    h = hashlib.sha256()
    for part in (path, path.with_name(path.name + "-wal")):
        if part.exists():
            h.update(part.read_bytes())
    return h.hexdigest()


def _uid(project, model, sample):
    conn = project.db.conn
    return conn.execute(
        "SELECT i.uid FROM items i JOIN models m ON m.id = i.model_id "
        "WHERE m.name = ? AND i.sample_id = ?",
        (model, sample),
    ).fetchone()[0]


def test_gold_from_csv_by_sample_model_and_uid_then_the_same_file_changes_nothing(
    project, tmp_path
):
    uid = _uid(project, "lora", "s3")
    good = tmp_path / "gold.csv"
    good.write_text(
        "sample_id,model,dimension,expected,tolerance\n"
        "s1,base,fluency,4,\n"
        "s2,lora,relevance,2,0.5\n"
        f"{uid},,style,5,0\n"
        "lora/s4,,流畅度,3,1\n",
        encoding="utf-8",
    )
    report = project.gold.import_file(good)
    assert (report.rows, report.new, report.changed, report.items) == (4, 4, 0, 4)
    assert _stored(project.path) == [
        ("base", "s1", "fluency", 4, 1.0),
        ("lora", "s2", "relevance", 2, 0.5),
        ("lora", "s3", "style", 5, 0.0),
        ("lora", "s4", "fluency", 3, 1.0),
    ]
    frame = project.gold.frame()
    assert sorted(frame["dimension"]) == ["fluency", "fluency", "relevance", "style"]
    stamp, digest = project.meta.get("modified_at"), _digest(project.path)
    again = project.gold.import_file(good)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 4)
    assert project.meta.get("modified_at") == stamp
    assert _digest(project.path) == digest
    good.write_text(
        "item,model,dimension,score\ns1,base,fluency,5\n", encoding="utf-8"
    )  # other headers, a changed expected score
    third = project.gold.import_file(good)
    assert (third.new, third.changed, third.unchanged) == (0, 1, 0)
    assert _stored(project.path)[0] == ("base", "s1", "fluency", 5, 1.0)


def test_every_bad_row_is_named_and_nothing_is_written(project, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "item,model,dimension,expected,tolerance\n"
        "s1,base,fluency,4,1\n"  # row 2: fine
        "nope,,fluency,4,1\n"  # row 3: unknown item
        "s2,,fluency,4,1\n"  # row 4: two models have s2
        "s1,base,humour,4,1\n"  # row 5: no such dimension
        "s3,base,fluency,6,1\n"  # row 6: off the scale
        "s3,base,style,3,lots\n"  # row 7: not a number
        "s1,base,fluency,3,1\n",  # row 8: repeats row 2
        encoding="utf-8",
    )
    before = _digest(project.path)
    with pytest.raises(InputError) as err:
        project.gold.import_file(bad)
    found = {(p.row, p.column) for p in err.value.problems if p.row}
    assert found == {
        (3, "item"),
        (4, "item"),
        (5, "dimension"),
        (6, "expected"),
        (7, "tolerance"),
    }
    text = str(err.value)
    assert "nope" in text and "humour" in text and '"6"' in text and "lots" in text
    assert "rows 2, 8" in text or "rows 2 and 8" in text, text
    assert _stored(project.path) == []
    assert _digest(project.path) == before


def test_missing_columns_are_named(project, tmp_path):
    bad = tmp_path / "cols.csv"
    bad.write_text("item,dimension\ns1,fluency\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected"):
        project.gold.import_file(bad)


def test_gold_from_xlsx(project, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["样本", "模型", "维度", "期望分", "容差"])
    ws.append(["s1", "lora", "relevance", 1, 2])
    wb.save(tmp_path / "gold.xlsx")
    report = project.gold.import_file(tmp_path / "gold.xlsx")
    assert report.new == 1
    assert _stored(project.path) == [("lora", "s1", "relevance", 1, 2.0)]


def test_use_an_adjudicated_item_as_gold_and_clear(project):
    item = project.resolve_item("base/s2")
    project.adjudicate(item, "fluency", 2)
    project.adjudicate(item, "style", 5)
    change = project.gold.use_adjudicated(item)
    assert (change.written, change.items) == (2, 1)
    assert _stored(project.path) == [
        ("base", "s2", "fluency", 2, 1.0),
        ("base", "s2", "style", 5, 1.0),
    ]
    assert project.gold.use_adjudicated(item).written == 0  # again: nothing changes
    other = project.resolve_item("base/s3")
    with pytest.raises(AnnotatorError, match="no adjudicated score"):
        project.gold.use_adjudicated(other)
    assert project.gold.clear().removed == 2
    assert _stored(project.path) == []
    assert project.info()["items"] == 8  # the items stay
