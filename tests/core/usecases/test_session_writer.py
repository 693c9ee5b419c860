"""A rater session with its writer thread (issue 19): writes return before the commit,
reads see them at once, commits land in the order given, a failure keeps the queue, and
closing waits for the writer. The file is read with sqlite3 from its own connection.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from annotator.core.domain.scoring import LOCKED


def log(path, rater="alice") -> list[tuple[int, str, int | None]]:
    """(item, dimension, new score) of every score change in the file, in write order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT a.item_id, d.key, CAST(a.new_value AS INTEGER) FROM audit_log a "
            "JOIN dimensions d ON d.id = a.dimension_id JOIN raters r ON r.id = a.rater_id "
            "WHERE r.name = ? AND a.action IN ('score', 'rescore', 'unscore') ORDER BY a.id",
            (rater,),
        ).fetchall()
    finally:
        conn.close()


def in_file(path, rater="alice") -> dict[tuple[int, str], int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT s.item_id, d.key, s.score FROM ratings s "
            "JOIN dimensions d ON d.id = s.dimension_id JOIN raters r ON r.id = s.rater_id "
            "WHERE r.name = ?",
            (rater,),
        ).fetchall()
    finally:
        conn.close()
    return {(item, dim): score for item, dim, score in rows}


class Threaded:
    """A session on its writer thread, whose commits can be held back at a gate."""

    def __init__(self, project, rater="alice"):
        self.session = project.session(rater)
        self.gate = threading.Event()
        self.gate.set()
        self.notified = threading.Event()
        self.threads: set[str] = set()
        commit = self.session._commit

        def held_commit(batch):
            self.threads.add(threading.current_thread().name)
            assert self.gate.wait(10)
            commit(batch)

        self.session._commit = held_commit
        self.session.start_writer(self.notified.set)

    def settle_all(self) -> None:
        """What the window's event loop does: take every outcome in until none is due."""
        deadline = time.monotonic() + 10
        while self.session.saving:
            assert self.notified.wait(max(0.0, deadline - time.monotonic()))
            self.notified.clear()
            self.session.settle()


@pytest.fixture
def threaded(project):
    made: list[Threaded] = []

    def make(rater="alice") -> Threaded:
        made.append(Threaded(project, rater))
        return made[-1]

    yield make
    for one in made:
        one.gate.set()
        one.session.close()


def test_a_write_returns_before_its_commit_and_reads_see_it(project, threaded):
    t = threaded()
    s = t.session
    item = s.item(0)
    t.gate.clear()  # the commit cannot finish
    s.set_score(item.id, "relevance", 4)
    s.set_score(item.id, "fluency", 2)
    assert s.saving and s.unsaved_count() == 2
    assert s.scores(item.id) == {"relevance": 4, "fluency": 2}  # in memory at once
    assert s.state(0).scored == 2
    assert s.failure is None
    assert in_file(project.path) == {}
    t.gate.set()
    t.settle_all()
    assert s.unsaved_count() == 0 and not s.saving
    assert in_file(project.path) == {(item.id, "relevance"): 4, (item.id, "fluency"): 2}
    assert t.threads == {"annotator-writer"}  # committed off the caller's thread


def test_many_fast_writes_are_committed_in_the_order_given(project, threaded):
    t = threaded()
    s = t.session
    given = []
    for n in range(60):
        item_id = s.order[n % 7]
        dim = s.rubric.keys[n % 4]
        score = (n * 3) % 5 + 1
        s.set_score(item_id, dim, score)
        given.append((item_id, dim, score))
        if n % 9 == 0:
            s.settle()  # now and then, as the event loop would
    t.settle_all()
    expected_log, last = [], {}
    for item_id, dim, score in given:  # a score equal to the one stored is no change
        if last.get((item_id, dim)) != score:
            expected_log.append((item_id, dim, score))
        last[(item_id, dim)] = score
    assert log(project.path) == expected_log
    assert in_file(project.path) == last


def test_undo_drops_a_waiting_score_and_takes_back_one_in_flight(project, threaded):
    t = threaded()
    s = t.session
    item = s.item(0)
    t.gate.clear()
    s.set_score(item.id, "relevance", 3)  # in flight
    s.set_score(item.id, "fluency", 4)  # waits behind it
    assert s.in_flight(s._queue[0]) and not s.in_flight(s._queue[1])
    assert s.undo() == (item.id, "fluency", None)  # dropped: never reaches the file
    assert s.undo() == (item.id, "relevance", None)  # in flight: taken back by a write
    assert s.scores(item.id) == {}
    t.gate.set()
    t.settle_all()
    assert log(project.path) == [(item.id, "relevance", 3), (item.id, "relevance", None)]
    assert in_file(project.path) == {}


def test_a_locked_file_keeps_the_queue_in_order_until_it_can_be_written(project, threaded):
    t = threaded()
    s = t.session
    item = s.item(0)
    other = sqlite3.connect(project.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        s.set_score(item.id, "relevance", 5)
        t.settle_all()
        assert s.failure is not None and s.failure.kind == LOCKED
        s.set_score(item.id, "fluency", 1)  # retried with the one before it, fails again
        t.settle_all()
        assert s.failure.kind == LOCKED and s.failure.count == 2
        assert s.unsaved_dimensions(item.id) == {"relevance", "fluency"}
        assert s.scores(item.id) == {"relevance": 5, "fluency": 1}
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not s.save_pending()  # sent; the commit is on its way
    t.settle_all()
    assert s.failure is None and s.unsaved_count() == 0
    assert log(project.path) == [(item.id, "relevance", 5), (item.id, "fluency", 1)]


def test_closing_waits_for_the_writer_and_loses_nothing(project, threaded):
    t = threaded()
    s = t.session
    given = {}
    for n in range(24):
        given[(s.order[n // 4], s.rubric.keys[n % 4])] = n % 5 + 1
        s.set_score(s.order[n // 4], s.rubric.keys[n % 4], n % 5 + 1)
    s.add_time(s.order[0], 7.5)
    s.flush_time()
    s.close()  # no settle in between: close itself waits
    assert in_file(project.path) == given
    conn = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    seconds = conn.execute(
        "SELECT seconds FROM annotations WHERE item_id = ?", (s.order[0],)
    ).fetchone()
    conn.close()
    assert seconds == (7.5,)


def test_without_the_writer_a_write_is_committed_before_it_returns(project):
    s = project.session("alice")
    item = s.item(0)
    s.set_score(item.id, "style", 3)
    assert not s.saving
    assert in_file(project.path) == {(item.id, "style"): 3}
