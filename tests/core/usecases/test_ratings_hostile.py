"""Ratings files that try to slip scores in: repeated rows, ids with "/", re-imports.

Real project files, real CSV files; the project is read back with sqlite3.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.storage import backup_paths
from annotator.core.usecases.importing import MemoryPlan, import_plan


def add(project: Project, model: str, *samples: str) -> None:
    drafts = [
        ItemDraft(
            sample_id=s,
            instruction=f"指令 {s}",
            reference="参考",
            generated=f"{model} {s}",
            row=k + 2,
            model=model,
        )
        for k, s in enumerate(samples)
    ]
    import_plan(project.db, MemoryPlan(Path(f"{model}.jsonl"), drafts, f"sha-{model}"))


def write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def stored(project: Project) -> list[tuple]:
    conn = sqlite3.connect(project.path)
    try:
        return conn.execute(
            "SELECT m.name, i.sample_id, ra.name, d.key, r.score FROM ratings r "
            "JOIN items i ON i.id = r.item_id JOIN models m ON m.id = i.model_id "
            "JOIN raters ra ON ra.id = r.rater_id JOIN dimensions d ON d.id = r.dimension_id "
            "ORDER BY 1, 2, 3, 4"
        ).fetchall()
    finally:
        conn.close()


def modified(project: Project) -> str:
    conn = sqlite3.connect(project.path)
    try:
        return conn.execute("SELECT value FROM project WHERE key='modified_at'").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "eval.annotator", "x")
    add(p, "base", "s1", "s2")
    add(p, "lora", "s1", "s2", "alpaca/1")
    yield p
    p.close()


def uid_of(project: Project, model: str, sample: str) -> str:
    conn = sqlite3.connect(project.path)
    try:
        return conn.execute(
            "SELECT uid FROM items i JOIN models m ON m.id = i.model_id "
            "WHERE m.name = ? AND sample_id = ?",
            (model, sample),
        ).fetchone()[0]
    finally:
        conn.close()


# ---------------------------------------------------------------- the same score twice
def test_duplicate_rows_are_refused_with_their_row_numbers(project, tmp_path):
    f = write(
        tmp_path / "r.csv",
        "item,model,rater,dimension,score",
        "s1,base,alice,relevance,4",
        "s2,base,alice,relevance,3",
        "s1,base,alice,relevance,2",
    )
    with pytest.raises(InputError) as info:
        project.import_ratings(f)
    text = str(info.value)
    assert "given more than once (rows 2 and 4)" in text and '"alice"' in text
    assert stored(project) == []


def test_duplicates_spelled_differently_are_still_duplicates(project, tmp_path):
    """A dimension by key and by its Chinese name, an item by uid and by model/sample."""
    uid = uid_of(project, "lora", "s2")
    f = write(
        tmp_path / "r.csv",
        "item,rater,dimension,score",
        f"{uid},bob,relevance,4",
        "lora/s2,bob,相关性,5",
        "base/s2,bob,相关性,5",
    )
    with pytest.raises(InputError, match=r"more than once \(rows 2 and 3\)"):
        project.import_ratings(f)
    assert stored(project) == []


def test_same_score_by_two_raters_or_on_two_dimensions_is_no_duplicate(project, tmp_path):
    f = write(
        tmp_path / "r.csv",
        "item,model,rater,dimension,score,comment",
        "s1,base,alice,relevance,4,太长",
        "s1,base,alice,fluency,4,有错字",
        "s1,base,bob,relevance,4,太长",
    )
    report = project.import_ratings(f)
    assert report.new == 3
    conn = sqlite3.connect(project.path)
    comments = dict(
        conn.execute(
            "SELECT ra.name, a.comment FROM annotations a JOIN raters ra ON ra.id = a.rater_id"
        )
    )
    conn.close()
    assert comments == {"alice": "太长\n有错字", "bob": "太长"}  # no comment lost


# ---------------------------------------------------------------- ids with "/"
def test_an_id_with_a_slash_that_one_model_has_is_that_item(tmp_path):
    p = Project.create(tmp_path / "e.annotator", "x")
    add(p, "lora", "alpaca/1")
    add(p, "base", "1")
    p.import_ratings(
        write(tmp_path / "r.csv", "item,rater,dimension,score", "alpaca/1,alice,relevance,4")
    )
    assert stored(p) == [("lora", "alpaca/1", "alice", "relevance", 4)]
    p.close()


def test_an_id_that_reads_two_ways_is_refused_listing_both(tmp_path):
    """The issue's case: "alpaca/1" is lora's sample id and also model alpaca's sample 1."""
    p = Project.create(tmp_path / "e.annotator", "x")
    add(p, "lora", "alpaca/1")
    add(p, "alpaca", "1")
    f = write(
        tmp_path / "r.csv",
        "item,rater,dimension,score",
        "s9,alice,relevance,4",
        "alpaca/1,alice,relevance,4",
    )
    with pytest.raises(InputError) as info:
        p.import_ratings(f)
    [unknown, ambiguous] = info.value.problems
    assert ambiguous.row == 3 and ambiguous.column == "item"
    assert 'sample "alpaca/1" of model "lora"' in str(ambiguous.message)
    assert 'sample "1" of model "alpaca"' in str(ambiguous.message)
    assert stored(p) == []
    # with a model column it is clear
    p.import_ratings(
        write(
            tmp_path / "r2.csv",
            "item,model,rater,dimension,score",
            "alpaca/1,lora,alice,relevance,4",
            "1,alpaca,alice,relevance,2",
        )
    )
    assert stored(p) == [
        ("alpaca", "1", "alice", "relevance", 2),
        ("lora", "alpaca/1", "alice", "relevance", 4),
    ]
    p.close()


def test_model_names_with_slashes(tmp_path):
    p = Project.create(tmp_path / "e.annotator", "x")
    add(p, "Qwen/Qwen2.5-1.5B", "7")
    add(p, "base", "7")
    p.import_ratings(
        write(tmp_path / "r.csv", "item,rater,dimension,score", "Qwen/Qwen2.5-1.5B/7,alice,style,3")
    )
    assert stored(p) == [("Qwen/Qwen2.5-1.5B", "7", "alice", "style", 3)]
    p.close()


def test_a_sample_id_equal_to_another_items_public_id_is_ambiguous(project, tmp_path):
    uid = uid_of(project, "base", "s1")
    add(project, "other", uid)
    f = write(tmp_path / "r.csv", "item,rater,dimension,score", f"{uid},alice,style,3")
    with pytest.raises(InputError, match="could mean"):
        project.import_ratings(f)


def test_a_model_column_does_not_reach_another_models_item(project, tmp_path):
    uid = uid_of(project, "base", "s1")
    f = write(tmp_path / "r.csv", "item,model,rater,dimension,score", f"{uid},lora,alice,style,3")
    with pytest.raises(InputError, match="unknown item"):
        project.import_ratings(f)


# ---------------------------------------------------------------- no-op imports
def test_seven_identical_imports_write_no_backup_and_change_nothing(project, tmp_path):
    f = write(
        tmp_path / "r.csv",
        "item,model,rater,dimension,score,comment",
        "s1,base,alice,relevance,4,ok",
        "s2,lora,bob,style,2,",
    )
    first = project.import_ratings(f)
    assert first.new == 2 and first.backup is None  # nothing to lose before the first scores
    project.db.backup("before-merge")  # the good backup the issue saw pushed out
    backups, before, when = backup_paths(project.path), stored(project), modified(project)
    for _ in range(7):
        again = project.import_ratings(f)
        assert (again.new, again.changed, again.unchanged, again.comments) == (0, 0, 2, 0)
        assert again.backup is None
    assert backup_paths(project.path) == backups
    assert stored(project) == before and modified(project) == when


def test_a_new_comment_alone_is_a_change(project, tmp_path):
    project.import_ratings(
        write(tmp_path / "a.csv", "item,model,rater,dimension,score", "s1,base,alice,relevance,4")
    )
    report = project.import_ratings(
        write(
            tmp_path / "b.csv",
            "item,model,rater,dimension,score,comment",
            "s1,base,alice,relevance,4,later thoughts",
        )
    )
    assert report.comments == 1 and report.backup is not None
