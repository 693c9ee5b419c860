"""Hostile file names given to the core (issue 12, part 4): the project is never written over.

A lead who types the project's own name as a sheet's or a report's output (or reaches it
through a symbolic link, a hard link, ``sub/..``, its ``-wal`` or one of its backups)
must get a message and keep the project byte for byte. A name too long for the system, a
path through a file, a file name that is not UTF-8 and a rubric nested 100,000 deep are
messages too, never a traceback.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from annotator.core.domain.errors import AnnotatorError, InputError, ProjectFileError
from annotator.core.domain.rubric import load_rubric
from annotator.core.project import Project
from annotator.core.storage import backup_paths, create_db, open_db
from tests.factories import add_items

LONG = "n" * 300 + ".annotator"


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def lead(tmp_path):
    """A project with two models, assigned to alice and bob, and one backup beside it."""
    p = Project.create(tmp_path / "eval.annotator", "eval", language="en")
    add_items(p, 4, "base")
    add_items(p, 4, "lora")
    p.assign(["alice", "bob"])
    p.db.backup("before-merge")
    yield p
    p.close()


def _handouts(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM handouts").fetchone()[0]
    finally:
        conn.close()


def _the_project_under_another_name(lead: Project, how: str) -> Path:
    path = lead.path
    if how == "itself":
        return path
    if how == "dot-dot":
        (path.parent / "sub").mkdir()
        return path.parent / "sub" / ".." / path.name
    if how == "symlink":
        link = path.parent / "bob.xlsx"
        link.symlink_to(path)
        return link
    if how == "hard link":
        link = path.parent / "bob.xlsx"
        os.link(path, link)
        return link
    if how == "wal":
        lead.meta.get("name")  # the -wal exists while the project is open
        return path.with_name(path.name + "-wal")
    if how == "backup":
        return backup_paths(path)[-1]
    if how == "future backup":
        return path.with_name(path.name + ".20990101-000000-000000.before-merge.bak")
    raise AssertionError(how)


HOW = ["itself", "dot-dot", "symlink", "hard link", "wal", "backup", "future backup"]


@pytest.mark.parametrize("how", HOW)
def test_a_sheet_is_never_written_over_the_project(lead, how):
    out = _the_project_under_another_name(lead, how)
    lead.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(lead.path)
    backups = {p: digest(p) for p in backup_paths(lead.path)}
    with pytest.raises(AnnotatorError, match="would destroy the project"):
        lead.create_sheet("alice", out, overwrite=True)
    lead.close()
    assert digest(lead.path) == before
    assert {p: digest(p) for p in backup_paths(lead.path)} == backups
    assert _handouts(lead.path) == 0
    with Project.open(lead.path) as again:  # still the lead's project, whole
        assert again.meta.get("name") == "eval"


@pytest.mark.parametrize("how", HOW)
def test_a_package_is_never_written_over_the_project(lead, how):
    out = _the_project_under_another_name(lead, how)
    lead.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(lead.path)
    backups = {p: digest(p) for p in backup_paths(lead.path)}
    with pytest.raises(AnnotatorError, match="would destroy the project"):
        lead.create_package("alice", out, overwrite=True)
    lead.close()
    assert digest(lead.path) == before
    assert {p: digest(p) for p in backup_paths(lead.path)} == backups
    assert _handouts(lead.path) == 0


@pytest.mark.parametrize("name", ["eval.xlsx", "eval.csv", "eval.json"])
def test_an_export_is_never_written_over_a_project_named_like_a_report(tmp_path, name):
    path = tmp_path / name
    with Project.create(path, "eval", language="en") as p:
        add_items(p, 3, "base")
    before = digest(path)
    with Project.open(path) as p:
        with pytest.raises(AnnotatorError, match="would destroy the project"):
            p.export(path)
        link = tmp_path / ("report" + path.suffix)
        link.symlink_to(path)
        with pytest.raises(AnnotatorError, match="would destroy the project"):
            p.export(link)
    assert digest(path) == before and link.is_symlink()


def test_a_sheet_through_a_file_or_with_a_too_long_name_is_a_message(lead, tmp_path):
    (tmp_path / "items.csv").write_text("id\n")
    with pytest.raises(AnnotatorError, match=r"items\.csv is a file, not a folder"):
        lead.create_sheet("alice", tmp_path / "items.csv" / "out.xlsx")
    with pytest.raises(AnnotatorError, match="too long for this system"):
        lead.create_sheet("alice", tmp_path / ("n" * 300 + ".xlsx"))
    # just short enough to look up, too long for the temporary name beside it
    with pytest.raises(AnnotatorError, match="too long for this system"):
        lead.create_sheet("alice", tmp_path / ("n" * 250 + ".xlsx"))
    assert sorted(p.name for p in tmp_path.iterdir() if "nnn" in p.name) == []
    assert _handouts_open(lead) == 0


def _handouts_open(lead: Project) -> int:
    return lead.db.conn.execute("SELECT count(*) FROM handouts").fetchone()[0]


def test_a_project_name_too_long_for_the_system_is_a_message(tmp_path):
    with pytest.raises(ProjectFileError, match="too long for this system"):
        create_db(tmp_path / LONG)
    with pytest.raises(ProjectFileError, match="too long for this system"):
        open_db(tmp_path / LONG)
    with pytest.raises(ProjectFileError, match="too long for this system"):
        Project.open(tmp_path / LONG)


def test_a_demo_never_replaces_a_real_project(lead, tmp_path):

    lead.close()
    before = digest(lead.path)
    with pytest.raises(AnnotatorError, match="not a demo project"):
        Project.demo(lead.path, fresh=True)
    assert digest(lead.path) == before
    (tmp_path / "notes.txt").write_text("my notes")
    with pytest.raises(AnnotatorError, match="not a demo project"):
        Project.demo(tmp_path / "notes.txt", fresh=True)
    assert (tmp_path / "notes.txt").read_text() == "my notes"
    (tmp_path / "items.csv").write_text("id\n")
    with pytest.raises(AnnotatorError, match=r"items\.csv is a file, not a folder"):
        Project.demo(tmp_path / "items.csv" / "demo.annotator")
    with pytest.raises(AnnotatorError, match="too long for this system"):
        Project.demo(tmp_path / LONG)


def test_a_demo_at_a_chosen_path_can_be_made_fresh_again(tmp_path):

    path = tmp_path / "my demo.annotator"
    with Project.demo(path) as demo:
        demo.db.conn.execute("DELETE FROM ratings")  # spoiled while trying things out
    with Project.demo(path, fresh=True) as demo:
        assert demo.db.conn.execute("SELECT count(*) FROM ratings").fetchone()[0] > 0


UNDECODABLE = os.fsdecode(b"\xff\xfe-items.csv")


def test_a_file_name_that_is_not_utf8_is_imported_and_shown_escaped(tmp_path):
    items = tmp_path / UNDECODABLE
    items.write_text("id,instruction,reference,generated\ns1,a,b,c\ns2,d,e,f\n")
    ratings = tmp_path / os.fsdecode(b"\xff-ratings.csv")
    ratings.write_text("item_id,rater,dimension,score\nbase/s1,carol,relevance,4\n")
    with Project.create(tmp_path / "eval.annotator", "eval", language="en") as p:
        report = p.import_file(items, model="base")
        assert report.added == 2 and report.file.endswith("\\xff\\xfe-items.csv")
        report.file.encode("utf-8")  # printable and storable: no lone surrogates
        done = p.import_ratings(ratings)
        assert done.new == 1 and done.file.endswith("\\xff-ratings.csv")
        assert p.import_file(items, model="base").already_imported
    conn = sqlite3.connect(tmp_path / "eval.annotator")
    try:
        (source,) = conn.execute("SELECT path FROM sources").fetchone()
        (origin,) = conn.execute("SELECT DISTINCT origin FROM ratings").fetchone()
    finally:
        conn.close()
    assert source.endswith("\\xff\\xfe-items.csv") and origin == "import:\\xff-ratings.csv"


def test_a_rubric_nested_100000_deep_is_a_message_naming_it(tmp_path):
    rubric = tmp_path / "deep.toml"
    rubric.write_bytes(b"a = " + b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(InputError, match=r"deep\.toml.*nested too deeply"):
        load_rubric(rubric)
    with pytest.raises(InputError, match="nested too deeply"):
        Project.create(tmp_path / "eval.annotator", "eval", rubric=rubric)
    assert not (tmp_path / "eval.annotator").exists()
