"""Side-by-side comparisons: creating them, the side each rater sees, judging, the log.

Expectations are computed here from what the file holds (which model an item belongs to,
which item was shown on the left), never with the code under test's own conversions.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter

import pandas as pd
import pytest

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.side_by_side import Choice
from annotator.core.project import Project
from tests.factories import add_items


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _item_models(project) -> dict[int, str]:
    rows = project.db.conn.execute(
        "SELECT i.id, m.name FROM items i JOIN models m ON m.id = i.model_id"
    )
    return dict(rows)


def _comparisons(project) -> list[tuple[int, str, int, int]]:
    return project.db.conn.execute(
        "SELECT id, sample_id, item_a, item_b FROM comparisons ORDER BY id"
    ).fetchall()


@pytest.fixture
def three(tmp_path):
    p = Project.create(tmp_path / "three.annotator", "three")
    add_items(p, 10, "lora-v1")
    add_items(p, 12, "base")
    add_items(p, 8, "lora-v2")
    yield p
    p.close()


def test_vs_baseline_puts_the_baseline_as_b_on_every_shared_sample(three):
    report = three.side_by_side.create(vs_baseline=True)
    assert report.baseline == "base"  # by its name, though imported second
    models = _item_models(three)
    pairs = Counter((models[a], models[b]) for _, _, a, b in _comparisons(three))
    assert pairs == {("lora-v1", "base"): 10, ("lora-v2", "base"): 8}
    for _, sample, a, b in _comparisons(three):
        ids = three.db.conn.execute(
            "SELECT sample_id FROM items WHERE id IN (?, ?)", (a, b)
        ).fetchall()
        assert {s for (s,) in ids} == {sample}


def test_all_pairs_compares_each_pair_once_and_again_changes_nothing(three):
    first = three.side_by_side.create(all_pairs=True)
    models = _item_models(three)
    pairs = Counter((models[a], models[b]) for _, _, a, b in _comparisons(three))
    # the baseline is b; between two candidates, the one imported first is b
    assert pairs == {("lora-v1", "base"): 10, ("lora-v2", "base"): 8, ("lora-v2", "lora-v1"): 8}
    assert first.created == 26
    before = _digest(three.path)
    again = three.side_by_side.create(all_pairs=True)
    assert again.created == 0 and [p.existing for p in again.pairs] == [10, 8, 8]
    assert _digest(three.path) == before  # not even the modified time moved
    # the same pair asked the other way round is the same comparisons
    assert three.side_by_side.create(models=["base", "lora-v1"]).created == 0


def test_samples_imported_later_get_their_comparisons(project):
    assert project.side_by_side.create(models=["lora-v2", "base"]).created == 12
    add_items(project, 3, "base", prefix="late")
    add_items(project, 3, "lora-v2", prefix="late")
    report = project.side_by_side.create(vs_baseline=True)
    assert (report.created, report.pairs[0].existing) == (3, 12)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({}, "--vs-baseline"),
        ({"vs_baseline": True, "all_pairs": True}, "--vs-baseline"),
        ({"models": ["base", "nope"]}, 'no model "nope"'),
        ({"models": ["base", "base"]}, "two different models"),
        ({"models": ["base"]}, "two different models"),
    ],
)
def test_a_request_that_cannot_be_met_is_refused_and_writes_nothing(project, kwargs, words):
    before = _digest(project.path)
    with pytest.raises(AnnotatorError) as caught:
        project.side_by_side.create(**kwargs)
    assert words in str(caught.value)
    assert _digest(project.path) == before


def test_models_without_a_shared_sample_or_a_single_model_are_refused(tmp_path):
    p = Project.create(tmp_path / "p.annotator", "p")
    add_items(p, 3, "base")
    with pytest.raises(AnnotatorError, match="two models"):
        p.side_by_side.create(vs_baseline=True)
    add_items(p, 3, "lora", prefix="other")
    with pytest.raises(AnnotatorError, match="no sample was answered by both"):
        p.side_by_side.create(vs_baseline=True)
    assert p.side_by_side.count() == 0


def test_each_rater_sees_each_model_on_the_left_in_half_their_comparisons(three):
    three.side_by_side.create(all_pairs=True)
    models = _item_models(three)
    pair_of = {cid: (models[a], models[b]) for cid, _, a, b in _comparisons(three)}
    lefts = {}
    for rater in ("alice", "bob", "carol"):
        scoring = three.session(rater)
        session = three.side_by_side.session(scoring)
        shown = {}
        for n in range(len(session)):
            pair = session.pair(n)
            shown[pair.comparison_id] = models[pair.left_item]
        scoring.close()
        per_pair = Counter((pair_of[cid], left) for cid, left in shown.items())
        for (a, b), total in Counter(pair_of.values()).items():
            assert abs(per_pair[((a, b), a)] - per_pair[((a, b), b)]) <= 1, (rater, a, b)
            assert per_pair[((a, b), a)] + per_pair[((a, b), b)] == total
        lefts[rater] = shown
    assert lefts["alice"] != lefts["bob"] != lefts["carol"]  # random per rater
    again = three.side_by_side.session(three.session("alice"))
    assert {
        again.pair(n).comparison_id: models[again.pair(n).left_item] for n in range(len(again))
    } == lefts["alice"]  # and stable


def test_a_judgment_is_stored_by_model_order_with_the_side_it_was_seen_on(project):
    project.side_by_side.create(vs_baseline=True)
    models = _item_models(project)
    session = project.side_by_side.session(project.session("alice"))
    pressed = {}
    sides = ["left", "right", "tie", "both_bad"]
    for n in range(len(session)):
        pair = session.pair(n)
        side = sides[n % 4]
        session.judge(pair.comparison_id, Choice(side))
        pressed[pair.comparison_id] = (side, models[pair.left_item], models[pair.right_item])
    # read back through another connection, as the lead would
    conn = sqlite3.connect(project.path)
    rows = conn.execute(
        "SELECT j.comparison_id, j.outcome, j.left_item, c.item_a FROM judgments j "
        "JOIN comparisons c ON c.id = j.comparison_id"
    ).fetchall()
    conn.close()
    assert len(rows) == 12
    for cid, outcome, left_item, item_a in rows:
        side, left_model, right_model = pressed[cid]
        assert models[left_item] == left_model
        winner = {"left": left_model, "right": right_model}.get(side)
        expected = side if winner is None else ("a" if models[item_a] == winner else "b")
        assert outcome == expected
    frame = project.side_by_side.judgments()
    assert set(frame["model_a"]) == {"lora-v2"} and set(frame["model_b"]) == {"base"}
    for _, row in frame.iterrows():
        assert row["left"] == pressed[row["comparison_id"]][1]


def test_undo_restores_the_previous_judgment_and_the_log_keeps_every_change(project):
    project.side_by_side.create(vs_baseline=True)
    session = project.side_by_side.session(project.session("alice"))
    cid = session.pair(0).comparison_id
    session.judge(cid, Choice("left"))
    session.judge(cid, Choice("tie"))
    assert session.judgments(cid)[""] == Choice("tie")
    assert session.undo() == (cid, "", Choice("left"))
    assert session.judgments(cid)[""] == Choice("left")
    assert session.undo() == (cid, "", None)
    assert session.judgments(cid) == {} and session.undo() is None
    log = project.db.conn.execute(
        "SELECT old_value, new_value FROM judgment_log ORDER BY id"
    ).fetchall()
    new = [r[1] for r in log]  # insert, update, update back, delete
    assert new[0] in ("a", "b") and new[1:] == ["tie", new[0], None]
    assert [r[0] for r in log] == [None, new[0], "tie", new[0]]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        project.db.conn.execute("DELETE FROM judgment_log")


def test_a_rater_reads_only_their_own_judgments(project):
    project.side_by_side.create(vs_baseline=True)
    alice = project.side_by_side.session(project.session("alice"))
    for n in range(len(alice)):
        alice.judge(alice.pair(n).comparison_id, Choice("left"))
    bob = project.side_by_side.session(project.session("bob"))
    assert bob.done_count() == 0 and all(bob.judgments(c) == {} for c in bob.order)
    assert alice.done_count() == 12 and alice.next_unjudged() is None


def test_the_five_level_scale_and_per_dimension_judgments(project):
    project.side_by_side.create(vs_baseline=True)
    project.side_by_side.configure(scale=5, dimensions=True)
    session = project.side_by_side.session(project.session("alice"))
    assert session.dimensions == ["", *project.rubric.keys] and session.scale == 5
    cid = session.pair(0).comparison_id
    session.judge(cid, Choice("right", 2))
    assert not session.state(0).done
    for key in project.rubric.keys:
        session.judge(cid, Choice("tie"), key)
    assert session.state(0).done
    strength = project.db.conn.execute(
        "SELECT strength FROM judgments WHERE dimension = ''"
    ).fetchone()[0]
    assert strength == 2
    with pytest.raises(ValueError):
        session.judge(cid, Choice("left"), "no-such-dimension")
    project.side_by_side.configure(scale=3)
    three_levels = project.side_by_side.session(project.session("bob"))
    with pytest.raises(ValueError):
        three_levels.judge(cid, Choice("left", 2))
    with pytest.raises(AnnotatorError):
        project.side_by_side.configure(scale=4)


def test_the_evaluation_counts_the_judgments_as_pandas_does(project):
    project.side_by_side.create(vs_baseline=True)
    for rater, sides in (("alice", "lrtl"), ("bob", "llrb")):
        session = project.side_by_side.session(project.session(rater))
        for n in range(len(session)):
            side = {"l": "left", "r": "right", "t": "tie", "b": "both_bad"}[sides[n % 4]]
            session.judge(session.pair(n).comparison_id, Choice(side))
    models = _item_models(project)
    conn = sqlite3.connect(project.path)
    raw = pd.read_sql_query(
        "SELECT j.outcome, j.left_item, c.item_a FROM judgments j "
        "JOIN comparisons c ON c.id = j.comparison_id",
        conn,
    )
    conn.close()
    counts = raw["outcome"].value_counts()
    stats = project.evaluate(resamples=50).pairwise.pair("lora-v2", "base")
    assert (stats.wins, stats.losses, stats.ties, stats.both_bad) == (
        counts.get("a", 0),
        counts.get("b", 0),
        counts.get("tie", 0),
        counts.get("both_bad", 0),
    )
    left_models = raw["left_item"].map(models)
    decisive = raw["outcome"].isin(["a", "b"])
    chose = raw["outcome"].map({"a": "lora-v2", "b": "base"})
    share = (chose[decisive] == left_models[decisive]).mean()
    assert project.evaluate(resamples=0).pairwise.position_bias.share == pytest.approx(share)


def test_a_project_without_judgments_has_no_side_by_side_report(project):
    assert project.evaluate(resamples=0).pairwise is None
    project.side_by_side.create(vs_baseline=True)
    assert project.evaluate(resamples=0).pairwise is None
