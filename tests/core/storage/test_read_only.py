"""A project on a read-only drive, in a read-only folder, or itself read-only.

Before: every one of them was "damaged ... open one of its .bak copies" (the wrong advice,
and a fright). Now a reading command reads it, and a change is refused with words saying
it is read-only and to copy it somewhere writable; the file is never touched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from annotator.core.domain.errors import ProjectFileError, ReadOnlyError
from annotator.core.project import Project
from annotator.core.storage import backup_paths
from tests.core.storage._machine import read_only_view, run_as_nobody, shared_folder
from tests.core.storage.test_schema_shape import write_old_file
from tests.factories import add_items


def _digest(folder):
    """Every file of the folder and its bytes: nothing may be added, removed or changed."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _project(folder, name="eval.annotator"):
    path = folder / name
    with Project.create(path, "ro eval", language="en") as project:
        add_items(project, 6, "base")
        add_items(project, 6, "lora")
        info = project.info()
    # closed cleanly: the WAL is folded into the file and removed, as a user's copy is
    assert not (folder / (name + "-wal")).exists()
    return path, info


def _assert_read_only_words(err, path):
    text = str(err)
    assert str(path) in text
    assert "read-only" in text and "Copy it" in text
    assert "damaged" not in text and ".bak" not in text


def test_a_project_on_a_read_only_drive_reads_and_refuses_changes(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    _path, info = _project(folder)
    before = _digest(folder)
    with read_only_view(folder) as view:
        path = view / "eval.annotator"
        with Project.open(path) as project:
            assert project.read_only and "drive" in str(project.read_only)
            got = project.info()
            assert got["items"] == info["items"] == 12
            assert got["models"] == info["models"]
            with pytest.raises(ReadOnlyError) as err:
                add_items(project, 2, "new")
            _assert_read_only_words(err.value, path)
            with pytest.raises(ReadOnlyError) as err:
                project.db.backup("before-merge")
            _assert_read_only_words(err.value, path)
            with pytest.raises(ReadOnlyError), project.db.transaction() as conn:
                conn.execute("DELETE FROM items")
            assert project.info()["items"] == 12
    assert _digest(folder) == before


def test_an_old_schema_file_on_a_read_only_drive_says_so(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    write_old_file(folder / "old.annotator", version=1)
    before = _digest(folder)
    with read_only_view(folder) as view, pytest.raises(ReadOnlyError) as err:
        Project.open(view / "old.annotator")
    assert "older version" in str(err.value) and "Copy it" in str(err.value)
    assert "damaged" not in str(err.value)
    assert _digest(folder) == before


def test_opened_read_only_on_request_changes_nothing(tmp_path):
    path, info = _project(tmp_path)
    before = _digest(tmp_path)
    with Project.open(path, read_only=True) as project:
        assert project.info()["items"] == info["items"]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            project.db.conn.execute("DELETE FROM items")  # even around the repositories
        with pytest.raises(ReadOnlyError):
            add_items(project, 1, "x")
    after = {k: v for k, v in _digest(tmp_path).items() if not k.endswith(("-wal", "-shm"))}
    assert after == before
    with Project.open(path) as project:  # and it opens for writing again as before
        assert project.read_only is None
        add_items(project, 1, "x")


def test_project_file_error_is_still_the_base_class(tmp_path):
    path, _ = _project(tmp_path)
    with Project.open(path, read_only=True) as project, pytest.raises(ProjectFileError):
        project.db.backup("before-merge")
    assert backup_paths(path) == []


_READ_AND_WRITE = """
import sys
from annotator.core.domain.errors import AnnotatorError
from annotator.core.project import Project
with Project.open(sys.argv[1]) as project:
    print("items", project.info()["items"])
    print("why", project.read_only)
    try:
        with project.db.transaction() as conn:
            conn.execute("DELETE FROM items")
    except AnnotatorError as exc:
        print("refused", type(exc).__name__, exc)
"""


def _as_nobody(folder, file_mode, folder_mode):
    _project(folder)
    path = folder / "eval.annotator"
    path.chmod(file_mode)
    folder.chmod(folder_mode)
    before = _digest(folder)
    done = run_as_nobody(_READ_AND_WRITE, str(path))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    return done.stdout, before


def test_a_read_only_folder_for_an_ordinary_user():
    folder = shared_folder()
    try:
        out, before = _as_nobody(folder, 0o644, 0o755)  # root's folder: nobody cannot write
        assert "items 12" in out
        assert "why its folder is read-only" in out
        assert "refused ReadOnlyError" in out and "Copy it" in out
        assert "damaged" not in out
        # no -wal/-shm could be made, and none was needed: opened immutable
        assert _digest(folder) == before
    finally:
        shutil.rmtree(folder)


def test_a_read_only_file_in_a_writable_folder():
    folder = shared_folder()
    try:
        out, before = _as_nobody(folder, 0o444, 0o777)
        assert "items 12" in out
        assert "why the file is read-only" in out
        assert "refused ReadOnlyError" in out
        assert (folder / "eval.annotator").read_bytes()  # untouched
        assert _digest(folder)["eval.annotator"] == before["eval.annotator"]
    finally:
        shutil.rmtree(folder)


def _cli(*argv):
    env = dict(os.environ, ANNOTATOR_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "annotator", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_reading_commands_work_and_writing_commands_explain_on_a_read_only_drive(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    _project(folder)
    data = tmp_path / "more.csv"
    data.write_text("id,instruction,reference,generated\nn1,a,b,c\n", encoding="utf-8")
    before = _digest(folder)
    with read_only_view(folder) as view:
        path = str(view / "eval.annotator")
        info = _cli("info", path, "--json")
        assert info.returncode == 0, info.stderr
        assert '"items": 12' in info.stdout
        status = _cli("status", path)
        assert status.returncode == 0, status.stderr
        wrote = _cli("import", path, str(data), "--model", "new")
        assert wrote.returncode == 1
        assert "Traceback" not in wrote.stderr
        assert "read-only" in wrote.stderr and "damaged" not in wrote.stderr
    assert _digest(folder) == before


def test_a_read_only_wal_file_keeps_its_unfolded_changes_readable(tmp_path):
    """A copy taken with its -wal (the lead's window was open): the -wal's rows are read."""
    folder = tmp_path / "usb"
    folder.mkdir()
    path, _ = _project(folder)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("INSERT INTO raters (name, created_at) VALUES ('in-the-wal', 'now')")
    assert (folder / "eval.annotator-wal").stat().st_size > 0
    try:
        with read_only_view(folder) as view:
            with Project.open(view / "eval.annotator") as project:
                assert "in-the-wal" in project.raters()
                assert project.read_only
            holder.close()  # SQLite keeps the view's file open while another holds locks
    finally:
        holder.close()


def test_a_read_only_project_reads_from_another_thread_too(tmp_path):
    """The statistics run in a worker thread, with its own connection: read-only as well."""
    import threading

    folder = tmp_path / "usb"
    folder.mkdir()
    _project(folder)
    seen = []
    with read_only_view(folder) as view, Project.open(view / "eval.annotator") as project:

        def work():
            seen.append(project.info()["items"])
            try:
                add_items(project, 1, "from-thread")
            except ReadOnlyError as exc:
                seen.append(type(exc).__name__)

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
    assert seen == [12, "ReadOnlyError"]
