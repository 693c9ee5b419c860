"""A file with annotator's mark but the wrong tables: a message, and the file untouched.

Before: a dropped ``ratings`` or ``project`` table opened fine and the first command died
with "no such table"; a ``user_version`` set back below its tables failed the migration
with "table already exists" (a traceback), and every such attempt wrote a backup that
pushed out older ones.
"""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.domain.errors import ProjectFileError
from annotator.core.project import Project
from annotator.core.storage import SCHEMA_VERSION, backup_paths, open_db
from annotator.core.storage.schema import APPLICATION_ID, MIGRATIONS
from annotator.core.storage.sql_text import split_statements
from tests.factories import add_items


def write_old_file(path, version: int) -> None:
    """A project file exactly as schema ``version`` made it, with a score in it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:version]:
        for statement in split_statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.executemany(
        "INSERT INTO project VALUES (?, ?)",
        [
            ("uuid", "11111111-2222-3333-4444-555555555555"),
            ("name", "old"),
            ("created_at", "2026-01-01T00:00:00.000Z"),
            ("modified_at", "2026-01-01T00:00:00.000Z"),
        ],
    )
    conn.execute("INSERT INTO models (name, created_at) VALUES ('base', 'now')")
    conn.execute(
        "INSERT INTO items (uid, sample_id, model_id, instruction, reference, generated, "
        "content_hash, created_at) VALUES ('u1', 's1', 1, 'i', 'r', 'g', 'h', 'now')"
    )
    conn.execute("INSERT INTO raters (name, created_at) VALUES ('alice', 'now')")
    conn.execute(
        "INSERT INTO dimensions (key, position, name_en, name_zh) VALUES ('fluency', 0, 'F', '流')"
    )
    conn.execute("INSERT INTO ratings VALUES (1, 1, 1, 4, 'app', 'now')")
    conn.close()


def _content(path):
    """What the file holds (schema, version and every row), not its page layout."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (conn.execute("PRAGMA user_version").fetchone()[0], list(conn.iterdump()))
    finally:
        conn.close()


def _tamper(path, *statements):
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def _current(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "x", language="en") as project:
        add_items(project, 3, "base")
    return path


@pytest.mark.parametrize("table", ["ratings", "project", "items", "handouts"])
def test_a_dropped_table_is_named_and_nothing_is_written(tmp_path, table):
    path = _current(tmp_path)
    _tamper(path, f"DROP TABLE {table}")
    before = _content(path)
    with pytest.raises(ProjectFileError) as err:
        Project.open(path)
    text = str(err.value)
    assert str(path) in text and table in text and "missing" in text
    assert _content(path) == before
    assert backup_paths(path) == []


def test_a_schema_version_set_back_below_its_tables(tmp_path):
    path = _current(tmp_path)
    _tamper(path, "PRAGMA user_version = 1")
    before = _content(path)
    for _attempt in range(7):  # each failed open used to add a backup
        with pytest.raises(ProjectFileError) as err:
            Project.open(path)
        text = str(err.value)
        assert str(path) in text and "schema version 1" in text
        assert "assignments" in text and "already" in text
    assert _content(path) == before
    assert backup_paths(path) == []


def test_no_schema_version_at_all(tmp_path):
    path = _current(tmp_path)
    _tamper(path, "PRAGMA user_version = 0")
    with pytest.raises(ProjectFileError, match="no schema version"):
        Project.open(path)


def _good_backups(path, n=3):
    """``n`` pre-merge backups of real, different states of the file."""
    made = []
    with Project.open(path) as project:
        for k in range(n):
            made.append(project.db.backup("before-package-merge"))
            add_items(project, 1, f"m{k}")
    return made


def test_failed_migrations_roll_back_and_never_push_out_older_backups(tmp_path):
    """A v2 file another program gave a ``ratings_v2`` table: the v3 migration fails halfway
    (its rename collides). Six failed opens: the file is as it was, its three pre-merge
    backups all remain, and no backup of the failed attempts is left behind."""
    path = tmp_path / "old.annotator"
    write_old_file(path, version=2)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE ratings_v2 (x)")
    conn.close()
    made = []
    for k in range(3):  # backups a v2-era app wrote before three merges
        stamp = f"20260101-00000{k}-000000"
        target = path.with_name(f"{path.name}.{stamp}.before-package-merge.bak")
        target.write_bytes(path.read_bytes())
        made.append(target)
    before = _content(path)
    for _attempt in range(6):
        with pytest.raises(ProjectFileError) as err:
            open_db(path)
        text = str(err.value)
        assert str(path) in text and "could not be upgraded" in text and "unchanged" in text
    assert _content(path) == before
    assert backup_paths(path) == made


@pytest.mark.parametrize("version", [1, 2])
def test_every_earlier_schema_migrates_with_its_data_and_one_backup(tmp_path, version):
    path = tmp_path / f"v{version}.annotator"
    write_old_file(path, version=version)
    with Project.open(path) as project:
        assert project.db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert project.db.conn.execute("SELECT score FROM ratings").fetchone()[0] == 4
        assert project.info()["ratings"] == 1
    (backup,) = backup_paths(path)
    assert f"before-migration-v{version}-to-v{SCHEMA_VERSION}" in backup.name
    assert _content(backup)[0] == version
    with Project.open(path):  # opening again migrates nothing and backs up nothing
        pass
    assert backup_paths(path) == [backup]
