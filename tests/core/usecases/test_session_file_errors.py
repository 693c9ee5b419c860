"""A rater session meets a file that goes bad under it: never a ``sqlite3.Error``.

Real failures, while the session is open: the file's drive becomes read-only, another
program holds an EXCLUSIVE lock, the file's bytes are overwritten. Each save (and each
read of a locked package) raises one of the core's errors, naming the file; nothing of
SQLite's reaches the caller except as the error's cause.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core.domain.errors import (
    AnnotatorError,
    ProjectFileError,
    ProjectLockedError,
    ReadOnlyError,
)
from annotator.core.project import Project
from tests.core.storage._machine import read_only_view, run_as_nobody, shared_folder
from tests.factories import add_items


def _project(folder: Path) -> Path:
    path = folder / "eval.annotator"
    with Project.create(path, "e", language="en") as p:
        add_items(p, 3, "base")
    return path


def _named(exc: BaseException, path: Path) -> None:
    assert isinstance(exc, AnnotatorError) and not isinstance(exc, sqlite3.Error)
    assert str(path) in str(exc), str(exc)
    assert isinstance(exc.__cause__, sqlite3.Error)  # SQLite's words stay for a debugger


def _exclusive(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def test_a_save_to_a_file_locked_by_another_program_names_the_file(tmp_path):
    path = _project(tmp_path)
    with Project.open(path) as project:
        session = project.session("alice")
        holder = _exclusive(path)
        try:
            with pytest.raises(ProjectLockedError) as caught:
                session.set_score(session.order[0], "relevance", 4)
        finally:
            holder.close()
        _named(caught.value, path)
        session.set_score(session.order[0], "relevance", 4)  # the lock gone, it saves
        assert session.scores(session.order[0]) == {"relevance": 4}


def _package(folder: Path) -> Path:
    package = folder / "alice.annotator"
    with Project.open(_project(folder)) as project:
        project.create_package("alice", package)
    return package


def test_reading_a_package_locked_by_another_program_names_the_file(tmp_path):
    package = _package(tmp_path)
    with Project.open(package) as opened:
        session = opened.session("alice")
        holder = _exclusive(package)  # a rollback journal: readers wait too
        try:
            with pytest.raises(ProjectLockedError) as caught:
                session.item(1)
        finally:
            holder.close()
        _named(caught.value, package)
        assert session.item(1).instruction


AS_NOBODY = """
import os, sqlite3, sys
from pathlib import Path
from annotator.core.domain.errors import AnnotatorError
from annotator.core.project import Project
from tests.factories import add_items

folder = Path(sys.argv[1])
with Project.create(folder / "eval.annotator", "e", language="en") as p:
    add_items(p, 3, "base")
    p.create_package("alice", folder / "alice.annotator")
with Project.open(folder / "alice.annotator") as package:
    session = package.session("alice")
    session.set_score(session.order[0], "relevance", 3)
    os.chmod(folder / "alice.annotator", 0o444)  # the rater makes it read-only, and
    os.chmod(folder, 0o555)  # its folder: no journal can be made beside it now
    try:
        session.set_score(session.order[1], "relevance", 5)
    except Exception as exc:
        print(type(exc).__name__, isinstance(exc, AnnotatorError), isinstance(exc, sqlite3.Error))
        print(exc)
    finally:
        os.chmod(folder, 0o755)
"""


def test_a_save_after_the_package_was_made_read_only_names_the_file():
    folder = shared_folder()
    try:
        os.chown(folder, 65534, 65534)
        done = run_as_nobody(AS_NOBODY, str(folder))
        assert done.returncode == 0, done.stderr
        kind, words = done.stdout.split("\n", 1)
        assert kind == "ReadOnlyError True False", done.stdout
        assert str(folder / "alice.annotator") in words
        assert "The change was not made" in words
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_save_after_the_files_bytes_were_overwritten_names_the_file(tmp_path):
    package = _package(tmp_path)
    with Project.open(package) as project:
        session = project.session("alice")
        session.set_score(session.order[0], "relevance", 3)
        size = package.stat().st_size
        with package.open("r+b") as fh:  # another program writes over the whole file
            fh.write(b"\xa5" * size)
        with pytest.raises(ProjectFileError) as caught:
            session.set_score(session.order[1], "fluency", 2)
        _named(caught.value, package)
        assert "damaged" in str(caught.value)


def test_a_read_only_drive_refuses_the_session_in_words(tmp_path):
    """The other way to a read-only file (opened so): the refusal names it too."""
    folder = tmp_path / "usb"
    folder.mkdir()
    _project(folder)
    with read_only_view(folder) as view, Project.open(view / "eval.annotator") as project:
        session_error = None
        try:
            project.session("alice")
        except AnnotatorError as exc:
            session_error = exc
        assert isinstance(session_error, ReadOnlyError)
        assert str(view / "eval.annotator") in str(session_error)
