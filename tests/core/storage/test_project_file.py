"""The project file: creation, checks on open, migrations, backups, the audit log."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.domain.errors import ProjectFileError, ProjectLockedError
from annotator.core.project import Project
from annotator.core.storage import KEEP_BACKUPS, SCHEMA_VERSION, backup_paths, open_db
from annotator.core.storage.schema import APPLICATION_ID, V1
from annotator.core.storage.sql_text import split_statements


def test_new_project_has_schema_wal_fk_uuid_and_rubric(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "v2 eval") as project:
        info = project.info()
        conn = project.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert len(info["uuid"]) == 36
    assert info["created_at"] and info["modified_at"]
    assert [d["key"] for d in info["dimensions"]] == ["relevance", "fluency", "style", "compliance"]
    with Project.open(path) as again:
        assert again.uuid == info["uuid"]
        dims = again.rubric.dimensions
        assert all(len(d.anchors_zh) == 5 and all(d.anchors_zh) for d in dims)


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / "eval.annotator"
    Project.create(path, "x").close()
    with pytest.raises(ProjectFileError, match="already exists"):
        Project.create(path, "y")


def test_open_missing_file(tmp_path):
    with pytest.raises(ProjectFileError, match="does not exist"):
        Project.open(tmp_path / "nope.annotator")


def test_open_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.annotator"
    path.write_text("instruction,reference,generated\n", encoding="utf-8")
    with pytest.raises(ProjectFileError, match="not a SQLite database"):
        Project.open(path)


def test_open_a_foreign_sqlite_file(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectFileError, match="not an annotator project"):
        Project.open(path)


def test_open_a_newer_schema(tmp_path):
    path = tmp_path / "future.annotator"
    Project.create(path, "x").close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectFileError, match="newer version of annotator"):
        Project.open(path)


def test_open_a_damaged_file(tmp_path):
    path = tmp_path / "damaged.annotator"
    _damage(path)
    with pytest.raises(ProjectFileError, match="damaged"):
        Project.open(path)


def test_open_a_locked_file(tmp_path):
    path = tmp_path / "locked.annotator"
    Project.create(path, "x").close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO raters (name, created_at) VALUES ('holder', 'now')")
    try:
        with pytest.raises(ProjectLockedError, match="locked by another program"):
            Project.open(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _write_v1_file(path, with_rating: bool = True):
    """A project file exactly as the first schema made it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in split_statements(V1):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
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
    if with_rating:
        conn.execute("INSERT INTO ratings VALUES (1, 1, 1, 4, 'app', 'now')")
    conn.close()


def test_migration_from_the_first_schema_keeps_data_and_writes_a_backup(tmp_path):
    path = tmp_path / "old.annotator"
    _write_v1_file(path)
    db = open_db(path)
    try:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.conn.execute("SELECT score FROM ratings").fetchone()[0] == 4
        tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master")}
        assert {"assignments", "adjudications", "merges"} <= tables
    finally:
        db.close()
    backups = backup_paths(path)
    assert len(backups) == 1 and "before-migration-v1" in backups[0].name
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT score FROM ratings").fetchone()[0] == 4
    old.close()


def test_backups_are_rotated(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "x") as project:
        made = []
        for n in range(KEEP_BACKUPS + 3):
            made.append(project.db.backup("before merge"))
            with project.db.transaction() as conn:  # a change: the next copy differs
                conn.execute("INSERT INTO raters (name, created_at) VALUES (?, 'now')", (n,))
    kept = backup_paths(path)
    assert kept == made[-KEEP_BACKUPS:]
    assert all(p.exists() for p in kept)
    assert not any(p.exists() for p in made[:3])


def test_audit_log_records_every_change_and_is_append_only(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "x") as project:
        project.db.conn.execute("PRAGMA foreign_keys = OFF")  # an item is not needed here
        with project.db.transaction() as conn:
            conn.execute("INSERT INTO raters (name, created_at) VALUES ('alice', 'now')")
            conn.execute("INSERT INTO ratings VALUES (7, 1, 1, 3, 'app', 't1')")
            conn.execute("UPDATE ratings SET score = 5, updated_at = 't2'")
            conn.execute("UPDATE ratings SET score = 5, updated_at = 't3'")  # same score
            conn.execute("DELETE FROM ratings")
        rows = conn.execute(
            "SELECT action, old_value, new_value FROM audit_log ORDER BY id"
        ).fetchall()
        assert rows == [("score", None, "3"), ("score", "3", "5"), ("unscore", "5", None)]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_log SET new_value = '1'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_log")


def test_a_failed_transaction_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "x") as project:
        before = project.info()
        with pytest.raises(RuntimeError), project.db.transaction() as conn:
            conn.execute("INSERT INTO raters (name, created_at) VALUES ('alice', 'now')")
            raise RuntimeError("boom")
        assert project.info() == before


def test_a_check_cut_short_at_open_is_finished_before_any_backup(tmp_path):
    """A big file opens fast; its integrity check then completes before a destructive step."""
    path = tmp_path / "damaged.annotator"
    _damage(path, tail_only=True)  # table pages only: the schema still reads
    db = open_db(path, integrity_budget=0.0)  # no time at all: the check is deferred
    try:
        assert db.integrity_checked is False
        with pytest.raises(ProjectFileError, match="damaged"):
            db.backup("before-merge")
        assert backup_paths(path) == []
    finally:
        db.close()


def _big_file(path):
    with Project.create(path, "x") as project:
        with project.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO raters (name, created_at) VALUES (?, 'now')",
                [(f"rater-{n:05d}-" + "x" * 200,) for n in range(2000)],
            )
        project.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _damage(path, tail_only=False):
    """Overwrite the middle of a file (index and table pages), keeping the header intact;
    ``tail_only`` spares the schema pages (the last pages hold the newest rows)."""
    _big_file(path)
    data = bytearray(path.read_bytes())
    start = len(data) - 4096 * 20 if tail_only else 4096 * 3
    for offset in range(start, min(len(data), start + 4096 * 37), 97):
        data[offset] = (data[offset] + 0x5A) % 256
    path.write_bytes(bytes(data))


def test_a_healthy_file_checked_late_backs_up_normally(tmp_path):
    path = tmp_path / "ok.annotator"
    _big_file(path)
    db = open_db(path, integrity_budget=0.0)
    try:
        assert db.integrity_checked is False
        assert db.backup("before-merge").exists()
        assert db.integrity_checked is True
    finally:
        db.close()


def test_open_errors_in_chinese(tmp_path):
    from annotator.core.i18n import use_language

    text = tmp_path / "notes.annotator"
    text.write_text("not a database", encoding="utf-8")
    with use_language("zh_CN"):
        with pytest.raises(ProjectFileError) as err:
            open_db(text)
        assert "不是 annotator 项目文件（不是 SQLite 数据库）" in str(err.value)
        with pytest.raises(ProjectFileError) as err:
            open_db(tmp_path / "missing.annotator")
        assert str(err.value).endswith("missing.annotator 不存在。")


def test_a_check_in_the_background_finds_the_damage_the_reader_waits_for(tmp_path):
    path = tmp_path / "damaged.annotator"
    _damage(path, tail_only=True)
    db = open_db(path, check_in_background=True)  # opening does not wait for the check
    try:
        with pytest.raises(ProjectFileError, match="damaged"):
            db.await_check()
    finally:
        db.close()


def test_a_healthy_file_checked_in_the_background(tmp_path):
    path = tmp_path / "ok.annotator"
    _big_file(path)
    db = open_db(path, check_in_background=True, integrity_budget=None)
    try:
        db.await_check()
        assert db.integrity_checked is True
        db.await_check()  # once joined, again at once
    finally:
        db.close()
    db = open_db(path, check_in_background=True)
    db.close()  # closing waits for the check's own connection


def test_the_report_of_a_damaged_file_is_refused_in_words(tmp_path, capsys):
    from annotator.cli import main

    path = tmp_path / "damaged.annotator"
    _damage(path, tail_only=True)
    assert main(["report", str(path)]) == 1
    out = capsys.readouterr()
    assert "damaged" in out.err and "Traceback" not in out.err
    assert "composite" not in out.out  # no report printed from a damaged file
