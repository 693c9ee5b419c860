"""A full disk, for real (a small tmpfs): plain words, nothing half-written, nothing lost.

Before: a backup on a full disk raised sqlite3.OperationalError and left a 0-byte or half
``.bak`` that counted as a backup (five of them pushed out every good one); a transaction
whose COMMIT hit the full disk was a traceback.
"""

from __future__ import annotations

import errno
import sqlite3

import pytest

from annotator.core.domain import errors as domain_errors
from annotator.core.domain.errors import DiskFullError, ProjectFileError, ReadOnlyError
from annotator.core.project import Project
from annotator.core.storage import backup_paths
from annotator.core.storage.errors import environment_error
from tests.core.storage._machine import fill, small_disk
from tests.factories import add_items


def _content(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return list(conn.iterdump())
    finally:
        conn.close()


def _leftovers(folder, name):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(name + "."))


def test_a_backup_on_a_full_disk_leaves_nothing_and_keeps_the_good_ones(tmp_path):
    with small_disk(tmp_path, "3m") as disk:
        path = disk / "eval.annotator"
        with Project.create(path, "x", language="en") as project:
            add_items(project, 30, "base")
            good = [project.db.backup("before-package-merge")]
            add_items(project, 5, "lora")
            good.append(project.db.backup("before-package-merge"))
            project.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            before = _content(path)
            fill(disk, leave=4096)
            for _attempt in range(6):
                with pytest.raises(DiskFullError) as err:
                    project.db.backup("before-package-merge")
                text = str(err.value)
                assert str(disk) in text and "full" in text and "nothing was changed" in text
            assert backup_paths(path) == good
            assert not [n for n in _leftovers(disk, path.name) if n.endswith((".part", "-journal"))]
            (disk / "filler.bin").unlink()
        assert _content(path) == before


def test_a_commit_on_a_full_disk_rolls_back_with_words(tmp_path):
    with small_disk(tmp_path, "3m") as disk:
        path = disk / "eval.annotator"
        with Project.create(path, "x", language="en") as project:
            add_items(project, 5, "base")
            project.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            before_info = project.info()
            fill(disk, leave=64 * 1024)
            with pytest.raises(DiskFullError) as err, project.db.transaction() as conn:
                conn.executemany(
                    "INSERT INTO raters (name, created_at) VALUES (?, 'now')",
                    [(f"r{k}-" + "x" * 2000,) for k in range(400)],
                )
            text = str(err.value)
            assert str(disk) in text and "full" in text and "as it was" in text
            assert project.info() == before_info
            (disk / "filler.bin").unlink()
            add_items(project, 2, "after")  # the same open project works once there is room
            assert project.info()["items"] == 7


def test_creating_a_project_on_a_full_disk_leaves_no_file(tmp_path):
    with small_disk(tmp_path, "1m") as disk:
        fill(disk, leave=0)
        with pytest.raises(DiskFullError) as err:
            Project.create(disk / "new.annotator", "x", language="en")
        assert "full" in str(err.value)
        assert _leftovers(disk, "new.annotator") == []
        assert not (disk / "new.annotator").exists()


def test_failed_backup_on_a_read_only_drive_is_words(tmp_path):
    from tests.core.storage._machine import read_only_view

    folder = tmp_path / "usb"
    folder.mkdir()
    with Project.create(folder / "eval.annotator", "x", language="en"):
        pass
    with read_only_view(folder) as view, Project.open(view / "eval.annotator") as project:
        with pytest.raises(ReadOnlyError, match="read-only"):
            project.db.backup("before-merge")
    assert backup_paths(folder / "eval.annotator") == []


@pytest.mark.parametrize(
    ("exc", "kind", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DiskFullError, "is full"),
        (OSError(errno.EFBIG, "File too large"), DiskFullError, "is full"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), DiskFullError, "is full"),
        (OSError(errno.EACCES, "Permission denied"), ProjectFileError, "permission denied"),
        (OSError(errno.EIO, "Input/output error"), ProjectFileError, "input/output error"),
    ],
)
def test_environment_errors_are_words_naming_the_file_and_folder(tmp_path, exc, kind, words):
    target = tmp_path / "report.xlsx"
    found = environment_error(exc, target)
    assert isinstance(found, kind)
    assert words in str(found) and str(target) in str(found) or str(tmp_path) in str(found)


def test_a_real_sqlite_full_error_is_words(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("PRAGMA max_page_count = 2")
    try:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (randomblob(100000))")
    except sqlite3.OperationalError as exc:
        found = environment_error(exc, tmp_path / "x.db")
    finally:
        conn.close()
    assert isinstance(found, DiskFullError) and str(tmp_path) in str(found)


def test_errors_that_are_not_the_machine_stay_what_they_are(tmp_path):
    assert environment_error(ValueError("bad"), tmp_path / "x") is None
    assert environment_error(sqlite3.IntegrityError("UNIQUE constraint failed"), tmp_path) is None
    assert environment_error(OSError(errno.ENOENT, "missing"), tmp_path / "x") is None


def test_the_domain_reads_only_the_systems_errors_storage_reads_sqlites(tmp_path):
    """domain.errors knows errno, not SQLite: a real SQLITE_FULL is storage's to word."""
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("PRAGMA max_page_count = 2")
    try:
        conn.execute("CREATE TABLE t (x)")
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute("INSERT INTO t VALUES (randomblob(100000))")
    finally:
        conn.close()
    assert domain_errors.environment_error(caught.value, tmp_path / "x.db") is None
    assert isinstance(environment_error(caught.value, tmp_path / "x.db"), DiskFullError)
    full = OSError(errno.ENOSPC, "No space left on device")
    assert isinstance(domain_errors.environment_error(full, tmp_path / "x.db"), DiskFullError)
