"""Backups are kept by kind, and a failed operation's backup never pushes out a good one.

Before: the newest 5 backups of any kind were kept, so 6 failed opens removed all 3
pre-merge backups, and 7 identical ratings imports removed both pre-merge backups.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from annotator.core.project import Project
from annotator.core.storage import KEEP_BACKUPS, backup_paths
from annotator.core.storage.backup import backup_kind
from tests.factories import add_items


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "eval.annotator", "x", language="en")
    add_items(p, 3, "base")
    yield p
    p.close()


def _change(project, tag):
    add_items(project, 1, f"m-{tag}")


def _merges(project, n=3):
    made = []
    for k in range(n):
        made.append(project.db.backup("before-package-merge"))
        _change(project, f"merge{k}")
    return made


def test_many_backups_of_one_kind_never_push_out_another_kind(project):
    merges = _merges(project)
    for k in range(10):  # ten ratings imports that each changed something
        project.db.backup("before-ratings-import")
        _change(project, f"import{k}")
    kept = backup_paths(project.path)
    assert [b for b in kept if "before-package-merge" in b.name] == merges
    imports = [b for b in kept if "before-ratings-import" in b.name]
    assert len(imports) == KEEP_BACKUPS
    assert {backup_kind(b, project.path) for b in kept} == {
        "before-package-merge",
        "before-ratings-import",
    }


def test_identical_no_op_backups_are_not_written_again(project):
    """Seven backups of an unchanged file (seven no-op re-imports): one copy, not seven."""
    merges = _merges(project, 2)
    first = project.db.backup("before-ratings-import")
    for _ in range(6):
        assert project.db.backup("before-ratings-import") == first
    assert backup_paths(project.path) == [*merges, first]


def test_a_guarded_operation_that_fails_leaves_no_backup(project):
    merges = _merges(project)
    for attempt in range(8):
        with pytest.raises(RuntimeError):
            with project.db.backup_guard("before-package-merge") as path:
                assert path.exists()
                with project.db.transaction() as conn:
                    conn.execute(
                        "INSERT INTO raters (name, created_at) VALUES (?, 'now')", (attempt,)
                    )
                    raise RuntimeError("the merge found a problem")
        assert not path.exists()
    assert backup_paths(project.path) == merges
    assert project.raters() == []


def test_a_guarded_operation_that_succeeds_keeps_its_backup_and_rotates(project):
    made = []
    for k in range(KEEP_BACKUPS + 2):
        with project.db.backup_guard("before-package-merge") as path:
            _change(project, f"ok{k}")
        made.append(path)
    assert backup_paths(project.path) == made[-KEEP_BACKUPS:]
    restored = sqlite3.connect(made[-1])
    try:  # the backup is the file as it was before the last change
        models = {r[0] for r in restored.execute("SELECT name FROM models")}
    finally:
        restored.close()
    assert f"m-ok{KEEP_BACKUPS}" in models and f"m-ok{KEEP_BACKUPS + 1}" not in models


def test_a_failed_guard_does_not_remove_an_identical_older_backup(project):
    """The guard reuses an identical copy; a failure must not delete that older backup."""
    first = project.db.backup("before-package-merge")
    with pytest.raises(ValueError), project.db.backup_guard("before-package-merge") as path:
        assert path == first
        raise ValueError("nothing changed, then a problem")
    assert first.exists() and backup_paths(project.path) == [first]


def test_a_half_written_copy_from_a_killed_process_is_not_a_backup(project):
    good = project.db.backup("before-package-merge")
    _change(project, "x")
    half = project.path.with_name(project.path.name + ".20990101-000000-000000.before-x.bak.part")
    half.write_bytes(b"")
    os.utime(half, (0, 0))  # written long ago, by a process that died
    assert backup_paths(project.path) == [good]
    newer = project.db.backup("before-package-merge")
    assert backup_paths(project.path) == [good, newer]
    assert not half.exists()  # cleaned up on the next backup
