"""A rater's session: blind, own order, every score committed at once, undo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import annotator
from annotator.core.domain.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.storage import RatingsRepo


def test_order_is_shuffled_per_rater_and_stable(project):
    alice = project.session("alice")
    bob = project.session("bob")
    assert sorted(alice.order) == sorted(bob.order) and len(alice) == 24
    assert alice.order != bob.order
    assert alice.order != sorted(alice.order)
    path = project.path
    project.close()
    with Project.open(path) as again:
        assert again.session("alice").order == alice.order


def test_blind_item_has_no_model_and_scores_are_own_only(project):
    alice = project.session("alice")
    bob = project.session("bob")
    item = alice.item(0)
    assert not hasattr(item, "model")
    alice.set_score(item.id, "relevance", 5)
    bob.set_score(item.id, "relevance", 2)
    bob.set_score(item.id, "fluency", 3)
    assert alice.scores(item.id) == {"relevance": 5}
    assert bob.scores(item.id) == {"relevance": 2, "fluency": 3}


def test_scores_are_committed_at_once_and_visible_to_another_connection(project):
    s = project.session("alice")
    item = s.item(0)
    s.set_score(item.id, "fluency", 4)
    with Project.open(project.path) as other:  # a second connection, as another process would
        frame = RatingsRepo(other.db.conn).frame()
    assert frame[["item_id", "rater", "dimension", "score"]].values.tolist() == [
        [item.id, "alice", "fluency", 4]
    ]


def test_undo_restores_previous_score_or_clears_it(project):
    s = project.session("alice")
    item = s.item(0)
    s.set_score(item.id, "relevance", 3)
    s.set_score(item.id, "relevance", 5)
    s.set_score(item.id, "fluency", 2)
    assert s.undo() == (item.id, "fluency", None)
    assert s.scores(item.id) == {"relevance": 5}
    assert s.undo() == (item.id, "relevance", 3)
    assert s.scores(item.id) == {"relevance": 3}
    assert s.undo() == (item.id, "relevance", None)
    assert s.scores(item.id) == {} and s.undo() is None
    audit = RatingsRepo(project.db.conn).audit_frame()
    assert audit["new_value"].fillna("-").tolist() == ["3", "5", "2", "-", "3", "-"]


def test_progress_next_unscored_comment_flag_time(project):
    s = project.session("alice")
    first = s.item(0)
    for dim in s.rubric.keys:
        s.set_score(first.id, dim, 4)
    assert s.done_count() == 1 and s.state(0).done
    assert s.next_unscored(0) == 1
    s.set_comment(first.id, "好")
    s.set_flag(first.id, "broken output")
    s.add_time(first.id, 12.5)
    s.add_time(first.id, 2.5)
    assert s.annotation(first.id) == ("好", "broken output", 15.0)
    with Project.open(project.path, read_only=True) as other:  # counted, not yet written
        assert other.session("alice").annotation(first.id)[2] == 0.0
    s.flush_time()
    with Project.open(project.path, read_only=True) as other:
        assert other.session("alice").annotation(first.id)[2] == 15.0
    assert s.state(0).flagged and s.state(0).commented


def test_time_is_written_with_the_next_score(project):
    s = project.session("alice")
    first, second = s.item(0), s.item(1)
    s.add_time(first.id, 7.0)
    s.set_score(second.id, "relevance", 4)
    with Project.open(project.path, read_only=True) as other:
        assert other.session("alice").annotation(first.id)[2] == 7.0


def test_score_outside_1_to_5_is_refused(project):
    s = project.session("alice")
    with pytest.raises(ValueError, match="not a score from 1 to 5"):
        s.set_score(s.item(0).id, "relevance", 6)


def test_rater_needs_a_name(project):
    with pytest.raises(AnnotatorError):
        project.session("  ")


SCORER = textwrap.dedent("""
    import sys
    from annotator.core.project import Project
    project = Project.open(sys.argv[1])
    session = project.session("alice")
    n = 0
    while True:
        for index in range(len(session)):
            item = session.item(index)
            for dim in session.rubric.keys:
                n += 1
                session.set_score(item.id, dim, 1 + n % 5)
                print(n, item.id, dim, 1 + n % 5, flush=True)
""")


def test_sigkill_in_the_middle_of_a_session_loses_nothing_committed(project, tmp_path):
    script = tmp_path / "scorer.py"
    script.write_text(SCORER, encoding="utf-8")
    path = str(project.path)
    project.close()
    package_root = str(Path(annotator.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": package_root}
    proc = subprocess.Popen(
        [sys.executable, str(script), path], stdout=subprocess.PIPE, text=True, env=env
    )
    confirmed = {}
    for line in proc.stdout:
        n, item_id, dim, score = line.split()
        confirmed[(int(item_id), dim)] = int(score)
        if int(n) >= 60:  # the scorer keeps writing while the kill is on its way
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert len(confirmed) >= 50
    with Project.open(path) as after:
        frame = RatingsRepo(after.db.conn).frame()
    stored = {(r.item_id, r.dimension): r.score for r in frame.itertuples()}
    # Everything the killed process reported as committed is there, with its value.
    for key, score in confirmed.items():
        assert stored[key] == score
    assert len(stored) >= len(confirmed)


def test_search_treats_wildcards_as_text(project, tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text(
        "id,instruction,reference,generated\n"
        "w1,打折 50% 的文案,r,g\nw2,snake_case name,r,g\nw3,Plain TEXT,r,g\n",
        encoding="utf-8",
    )
    project.import_file(f, model="odd")
    s = project.session("alice")
    found = {s.item(s.search(needle, 0)).instruction for needle in ("50%", "_case", "plain")}
    assert found == {"打折 50% 的文案", "snake_case name", "Plain TEXT"}
    assert s.search("%%", 0) is None
    assert s.search("nothing like this", 0) is None


def test_the_rater_code_path_never_queries_other_raters_or_models(project):
    """Every statement a session runs, traced: ratings only for its own rater, no models."""
    statements = []
    bob = project.session("bob")
    bob.set_score(bob.item(0).id, "relevance", 2)
    project.db.conn.set_trace_callback(statements.append)
    try:
        s = project.session("alice")
        for index in range(3):
            item = s.item(index)
            s.scores(item.id)
            s.annotation(item.id)
            s.state(index)
            s.set_score(item.id, "fluency", 4)
        s.undo()
        s.search("产品", 0)
        s.indexes("unscored")
        s.flush_time()
    finally:
        project.db.conn.set_trace_callback(None)
    reads = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    assert reads, "the trace saw nothing"
    for query in reads:
        flat = " ".join(query.split()).lower()
        assert " models" not in flat and "m.name" not in flat, query
        if "from ratings" in flat or "from annotations" in flat:
            assert "rater_id=" in flat.replace(" ", ""), query
