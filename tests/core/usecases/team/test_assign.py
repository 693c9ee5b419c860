"""Assignments: balanced, deterministic, paired across models, shared items, filters."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from annotator.core.domain.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.storage import RatingsRepo
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team import assign, parse_filter
from tests.factories import add_items

RATERS = ["alice", "bob", "carol", "dave"]


def _table(project: Project) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for item_id, name, _ in TeamRepo(project.db.conn).assignments():
        out[item_id].add(name)
    return dict(out)


def _samples(project: Project) -> dict[int, str]:
    return {i: s for i, _, s, _ in TeamRepo(project.db.conn).items_for_assignment()}


@pytest.fixture
def single(tmp_path):
    """25 items of one model: balance can be checked in items."""
    p = Project.create(tmp_path / "one.annotator", "one model")
    add_items(p, 25, "base")
    yield p
    p.close()


@pytest.mark.parametrize("per_item", [1, 2, 3])
def test_every_item_gets_per_item_raters_and_loads_differ_by_at_most_one(single, per_item):
    report = assign(single.db, RATERS[:3], per_item=per_item, seed=7)
    table = _table(single)
    assert len(table) == 25
    assert all(len(r) == per_item for r in table.values())
    load = Counter(name for raters in table.values() for name in raters)
    assert max(load.values()) - min(load.values()) <= 1
    assert dict(load) == report.load
    assert sum(load.values()) == 25 * per_item


def test_default_is_everyone_rates_everything(project):
    assign(project.db, RATERS)
    table = _table(project)
    assert len(table) == 24 and all(r == set(RATERS) for r in table.values())


def test_same_sample_across_models_goes_to_the_same_raters(project):
    assign(project.db, RATERS, per_item=2, seed=3)
    by_sample: dict[str, set[frozenset]] = defaultdict(set)
    samples = _samples(project)
    for item_id, raters in _table(project).items():
        by_sample[samples[item_id]].add(frozenset(raters))
    assert len(by_sample) == 12
    assert all(len(v) == 1 for v in by_sample.values())
    # balanced in samples: 12 samples x 2 raters / 4 raters = 6 each
    per_rater = Counter(n for v in by_sample.values() for n in next(iter(v)))
    assert set(per_rater.values()) == {6}


def test_deterministic_for_a_seed_and_different_for_another(project):
    assign(project.db, RATERS, per_item=2, seed=11)
    first = _table(project)
    assign(project.db, RATERS, per_item=2, seed=11)
    assert _table(project) == first
    others = []
    for seed in (12, 13, 14):
        assign(project.db, RATERS, per_item=2, seed=seed)
        others.append(_table(project))
    assert any(t != first for t in others)


def test_shared_samples_are_rated_by_everyone(project):
    report = assign(project.db, RATERS, per_item=1, seed=5, shared=3)
    table = _table(project)
    flags = {(i, n): s for i, n, s in TeamRepo(project.db.conn).assignments()}
    everyone = [i for i, r in table.items() if r == set(RATERS)]
    assert len(everyone) == 6 == report.shared_items  # 3 samples x 2 models
    assert all(flags[(i, n)] == 1 for i in everyone for n in RATERS)
    assert all(len(r) == 1 for i, r in table.items() if i not in everyone)
    assert assign(project.db, RATERS, per_item=1, shared=0.25).shared_groups == 3


def test_filter_by_model_and_sample_glob(project):
    report = assign(project.db, ["alice", "bob"], items_filter="model=lora-v2")
    samples = _samples(project)
    models = {i: m for i, _, _, m in TeamRepo(project.db.conn).items_for_assignment()}
    assert {models[i] for i in _table(project)} == {"lora-v2"} and report.items == 12
    # a second assignment of other items keeps the first one
    report = assign(project.db, ["carol"], items_filter="model=base sample=s1*")
    table = _table(project)
    assert report.kept_elsewhere == 24
    chosen = {i for i, r in table.items() if r == {"carol"}}
    assert {samples[i] for i in chosen} == {"s1", "s10", "s11", "s12"}
    assert {models[i] for i in chosen} == {"base"}
    assert parse_filter("s1*") == [("sample", "s1*")]


def test_reassigning_never_deletes_ratings(project):
    assign(project.db, ["alice"])
    session = project.session("alice")
    session.set_score(session.order[0], "relevance", 4)
    assign(project.db, ["bob"])
    assert RatingsRepo(project.db.conn).count() == 1
    assert set().union(*_table(project).values()) == {"bob"}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"raters": []}, "at least one rater"),
        ({"raters": ["a", "a"]}, "named twice"),
        ({"raters": ["a", "b"], "per_item": 3}, "from 1 to the number of raters"),
        ({"raters": ["a"], "items_filter": "model=nope"}, "no item matches"),
        ({"raters": ["a"], "items_filter": "colour=red"}, "is not an item filter"),
    ],
)
def test_bad_requests_are_refused_with_a_clear_message(project, kwargs, message):
    with pytest.raises(AnnotatorError, match=message):
        assign(project.db, **kwargs)
    assert _table(project) == {}
