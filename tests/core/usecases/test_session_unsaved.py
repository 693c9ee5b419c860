"""A rater session when another program holds the file (issue 12, part 6), without Qt.

The window's mode (``keep_unsaved``) keeps changes it cannot write, in order; every
other caller keeps the old contract: a write that fails raises and changes nothing,
and is never written later behind the caller's back.
"""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.domain.errors import ProjectLockedError
from annotator.core.project import Project
from annotator.core.usecases.session_writes import LOCKED
from tests.factories import add_items


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "e") as p:
        add_items(p, 3, "base")
    return path


def locked(path):
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def rows(path):
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(
            "SELECT d.key, s.score FROM ratings s JOIN dimensions d ON d.id = s.dimension_id "
            "ORDER BY d.key"
        ).fetchall()
    finally:
        conn.close()


def test_a_failed_write_outside_the_window_raises_and_is_never_written_later(path):
    with Project.open(path) as p:
        session = p.session("alice")
        item = session.order[0]
        holder = locked(path)
        with pytest.raises(ProjectLockedError):
            session.set_score(item, "relevance", 2)
        holder.execute("ROLLBACK")
        holder.close()
        assert session.unsaved_count() == 0
        assert session.scores(item) == {}
        session.set_score(item, "fluency", 4)
    assert rows(path) == [("fluency", 4)]


def test_the_window_mode_keeps_changes_in_order_until_the_file_can_be_written(path):
    with Project.open(path) as p:
        session = p.session("alice")
        session.keep_unsaved = True
        item = session.order[0]
        holder = locked(path)
        session.set_score(item, "relevance", 2)
        session.set_score(item, "relevance", 3)
        session.set_score(item, "fluency", 4)
        session.set_comment(item, "wait for me")
        assert session.failure is not None and session.failure.kind == LOCKED
        assert session.unsaved_count() == 4
        assert session.scores(item) == {"relevance": 3, "fluency": 4}
        assert session.unsaved_dimensions(item) == {"relevance", "fluency"}
        assert session.state(0).scored == 2
        assert session.save_pending() is False  # still locked
        holder.execute("ROLLBACK")
        holder.close()
        assert session.save_pending() is True
        assert session.failure is None
        assert session.annotation(item)[0] == "wait for me"
    assert rows(path) == [("fluency", 4), ("relevance", 3)]
