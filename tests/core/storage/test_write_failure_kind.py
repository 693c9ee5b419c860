"""Why a rater's write failed, as the window words it (issue 12, part 6), in Chinese too.

The window tells a rater "the file is read-only" or "the disk is full" from the kind of
the failure, whatever the language of its words: the storage's own errors (a refusal to
write a file opened read-only carries no SQLite error to read) are told by their class.
"""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import DiskFullError, ProjectFileError, ReadOnlyError
from annotator.core.i18n import use_language
from annotator.core.project import Project
from annotator.core.storage.patience import failure_kind
from annotator.core.usecases.session_writes import DISK_FULL, OTHER, READ_ONLY
from tests.core.storage._machine import fill, small_disk
from tests.factories import add_items


def _project(path):
    with Project.create(path, "e", language="zh_CN") as p:
        add_items(p, 3, "base")
    return path


def test_a_full_disk_is_said_full_in_chinese(tmp_path):
    with small_disk(tmp_path, "2m") as disk:
        path = _project(disk / "eval.annotator")
        with use_language("zh_CN"), Project.open(path) as p:
            session = p.session("alice")
            session.keep_unsaved = True
            item = session.order[0]
            p.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            filler = fill(disk, leave=0)
            try:
                session.set_score(item, "relevance", 4)
                assert session.failure is not None and session.failure.kind == DISK_FULL
            finally:
                filler.unlink()
            assert session.save_pending() is True and session.failure is None


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (ReadOnlyError("只读"), READ_ONLY),
        (DiskFullError("磁盘已满"), DISK_FULL),
        (ProjectFileError("文件已损坏"), OTHER),
    ],
)
def test_the_storage_errors_are_told_apart_by_class_not_by_words(error, kind):
    class Renamed(type(error)):  # a subclass under any name is still that kind
        pass

    assert failure_kind(error) == kind
    assert failure_kind(Renamed(str(error))) == kind
