"""Side-by-side comparisons handed out and brought back: assign, packages, merges, status.

Expectations are computed here from the lead's file by SQL and from the texts a rater was
shown (each answer's text belongs to one model), never with the conversions under test.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from annotator.core.domain.errors import AnnotatorError, InputError
from annotator.core.domain.models import ItemDraft
from annotator.core.domain.side_by_side import CHOICES, Choice
from annotator.core.project import Project
from annotator.core.usecases.importing import MemoryPlan, import_plan
from annotator.core.usecases.team import (
    assign,
    create_package,
    format_status,
    merge_package,
    team_status,
)

MODELS = ("zyx-base-7b", "zyx-lora-alpha", "zyx-lora-beta")  # imported in this order
N = 24
RATERS = ["alice", "bob", "carol"]


def _drafts(m: int, model: str) -> list[ItemDraft]:
    return [
        ItemDraft(
            sample_id=f"smp-{k:03d}",
            instruction=f"为产品 {k} 写一句广告语",
            reference=f"参考 {k}",
            generated=f"回答 {k} 之{'甲乙丙'[m]}",  # one text per (sample, model), no name
            row=k + 1,
            model=model,
        )
        for k in range(1, N + 1)
    ]


def make_lead(path: Path, language: str = "zh_CN", *, compare: bool = True) -> Project:
    project = Project.create(path, "sbs eval", language=language)
    for m, model in enumerate(MODELS):
        plan = MemoryPlan(Path(f"/srv/runs/{model}.jsonl"), _drafts(m, model), f"sha-{model}")
        import_plan(project.db, plan)
    if compare:
        project.side_by_side.create(vs_baseline=True)
    return project


@pytest.fixture
def lead(tmp_path):
    project = make_lead(tmp_path / "lead.annotator")
    yield project
    project.close()


# -- the lead's truth, read by SQL ---------------------------------------------------------
def text_model(project: Project) -> dict[str, str]:
    rows = project.db.conn.execute(
        "SELECT i.generated, m.name FROM items i JOIN models m ON m.id = i.model_id"
    )
    return dict(rows.fetchall())


def comparisons_by_texts(project: Project) -> dict[frozenset, tuple[int, str, str]]:
    """{text a, text b} -> (comparison id, model a, model b)."""
    rows = project.db.conn.execute(
        "SELECT c.id, a.generated, b.generated, ma.name, mb.name FROM comparisons c "
        "JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b "
        "JOIN models ma ON ma.id = a.model_id JOIN models mb ON mb.id = b.model_id"
    )
    return {frozenset((ta, tb)): (cid, ma, mb) for cid, ta, tb, ma, mb in rows}


def assigned_left(project: Project, rater: str) -> dict[int, str]:
    """comparison id -> text of the answer assigned to the left for ``rater``."""
    rows = project.db.conn.execute(
        "SELECT a.comparison_id, i.generated FROM comparison_assignments a "
        "JOIN raters r ON r.id = a.rater_id JOIN items i ON i.id = a.left_item WHERE r.name = ?",
        (rater,),
    )
    return dict(rows.fetchall())


def expected_outcome(side: str, left_model: str, right_model: str, model_a: str) -> str:
    if side == "left":
        return "a" if left_model == model_a else "b"
    if side == "right":
        return "a" if right_model == model_a else "b"
    return side


def lead_state(project: Project) -> tuple:
    """Everything a refused merge must leave exactly as it was."""
    conn = project.db.conn
    return (
        conn.execute("SELECT * FROM judgments ORDER BY 1, 2, 3").fetchall(),
        conn.execute("SELECT * FROM comparison_notes ORDER BY 1, 2").fetchall(),
        conn.execute("SELECT count(*) FROM judgment_log").fetchone(),
        conn.execute("SELECT * FROM ratings ORDER BY 1, 2, 3").fetchall(),
        conn.execute("SELECT count(*) FROM merges").fetchone(),
        sorted(p.name for p in project.path.parent.glob("*.bak")),
    )


def judge_in_package(path: Path, rater: str, sides=CHOICES) -> dict[tuple[str, str], str]:
    """Judge every comparison of a package by key of ``sides``; (left, right text) -> side."""
    pressed = {}
    with Project.open(path) as pkg:
        scoring = pkg.session(rater)
        pairs = pkg.side_by_side.session(scoring)
        for n, cid in enumerate(pairs.order):
            pair = pairs.pair(n)
            side = sides[n % len(sides)]
            pairs.judge(cid, Choice(side))
            pairs.set_comment(cid, f"note {n}") if n == 0 else None
            pressed[(pair.left, pair.right)] = side
        scoring.close()
    return pressed


# -- assign --------------------------------------------------------------------------------
def test_assign_gives_each_comparison_to_the_raters_of_its_sample(lead):
    report = assign(lead.db, RATERS, per_item=2, seed=5)
    conn = lead.db.conn
    item_raters: dict[str, set] = {}
    for sample, name in conn.execute(
        "SELECT i.sample_id, r.name FROM assignments a JOIN items i ON i.id = a.item_id "
        "JOIN raters r ON r.id = a.rater_id"
    ):
        item_raters.setdefault(sample, set()).add(name)
    pair_raters: dict[int, set] = {}
    for cid, name in conn.execute(
        "SELECT a.comparison_id, r.name FROM comparison_assignments a "
        "JOIN raters r ON r.id = a.rater_id"
    ):
        pair_raters.setdefault(cid, set()).add(name)
    samples = dict(conn.execute("SELECT id, sample_id FROM comparisons"))
    assert set(pair_raters) == set(samples)  # every comparison, 2 raters each
    for cid, names in pair_raters.items():
        assert len(names) == 2 and names == item_raters[samples[cid]]
    # the left item is one of the comparison's two answers
    for _cid, left, a, b in conn.execute(
        "SELECT x.comparison_id, x.left_item, c.item_a, c.item_b FROM comparison_assignments x "
        "JOIN comparisons c ON c.id = x.comparison_id"
    ):
        assert left in (a, b)
    load = Counter(name for names in pair_raters.values() for name in names)
    assert report.pair_load == dict(load) and report.comparisons == 2 * 2 * N
    assert any("comparison" in n for n in report.notices)


def test_shared_samples_put_their_comparisons_before_every_rater(lead):
    assign(lead.db, RATERS, per_item=1, seed=2, shared=3)
    conn = lead.db.conn
    shared = {
        s
        for (s,) in conn.execute(
            "SELECT DISTINCT i.sample_id FROM assignments a JOIN items i ON i.id = a.item_id "
            "WHERE a.shared = 1"
        )
    }
    counts = dict(
        conn.execute(
            "SELECT c.sample_id, count(*) FROM comparison_assignments a "
            "JOIN comparisons c ON c.id = a.comparison_id GROUP BY c.sample_id"
        )
    )
    assert len(shared) == 3
    for sample, count in counts.items():
        assert count == (2 * 3 if sample in shared else 2)  # two comparisons per sample


def test_items_only_projects_are_assigned_as_before(tmp_path):
    project = Project.create(tmp_path / "plain.annotator", "plain")
    for m, model in enumerate(MODELS[:2]):
        import_plan(project.db, MemoryPlan(Path(f"{model}.jsonl"), _drafts(m, model), model))
    report = assign(project.db, RATERS, per_item=2, seed=5)
    assert report.comparisons == 0 and report.pair_load == {} and report.notices == []
    assert project.meta.get("handout_secret") is None  # nothing new written
    status = team_status(project.db)
    assert status["comparisons"] == 0
    assert "comparisons" not in format_status(status).splitlines()[1]
    project.close()


# -- packages ------------------------------------------------------------------------------
def test_judged_in_the_package_merged_by_model_order(lead, tmp_path):
    assign(lead.db, RATERS, per_item=2, seed=5)
    out = tmp_path / "alice.annotator"
    report = create_package(lead.db, "alice", out)
    lefts = assigned_left(lead, "alice")
    assert report.comparisons == len(lefts) > 0
    pressed = judge_in_package(out, "alice")
    merged = merge_package(lead.db, out)
    assert (merged.judgments_new, merged.judgments_changed) == (len(pressed), 0)
    assert merged.pair_comments_new == 1
    models, by_texts = text_model(lead), comparisons_by_texts(lead)
    frame = lead.side_by_side.judgments()
    mine = frame[frame.rater == "alice"].set_index("comparison_id")
    assert len(mine) == len(pressed)
    for (left, right), side in pressed.items():
        cid, model_a, _ = by_texts[frozenset((left, right))]
        assert lefts[cid] == left  # the package showed the assigned side
        row = mine.loc[cid]
        assert row.outcome == expected_outcome(side, models[left], models[right], model_a)
        assert row.left == models[left]


def test_merging_twice_changes_nothing_and_a_change_is_counted(lead, tmp_path):
    assign(lead.db, RATERS, per_item=2, seed=5)
    out = tmp_path / "bob.annotator"
    create_package(lead.db, "bob", out)
    pressed = judge_in_package(out, "bob")
    assert merge_package(lead.db, out).wrote
    before = lead_state(lead)
    again = merge_package(lead.db, out)
    assert not again.wrote and again.judgments_unchanged == len(pressed)
    assert (again.judgments_new, again.judgments_changed) == (0, 0)
    assert lead_state(lead) == before
    with Project.open(out) as pkg:  # one judgment changed in the package
        scoring = pkg.session("bob")
        pairs = pkg.side_by_side.session(scoring)
        first = pairs.order[0]
        now = pairs.judgments(first)[""]
        pairs.judge(first, Choice("right" if now.side != "right" else "left"))
        scoring.close()
    third = merge_package(lead.db, out)
    assert (third.judgments_new, third.judgments_changed) == (0, 1)
    assert third.judgments_unchanged == len(pressed) - 1
    assert "side by side: 0 new, 1 changed" in third.summary()


def test_earlier_judgments_travel_on_the_side_the_rater_sees(lead, tmp_path):
    assign(lead.db, RATERS, per_item=2, seed=5)
    scoring = lead.session("carol")
    pairs = lead.side_by_side.session(scoring)
    seen = {}
    for n in range(8):
        pair = pairs.pair(n)
        pairs.judge(pair.comparison_id, Choice(CHOICES[n % 4]))
        seen[(pair.left, pair.right)] = CHOICES[n % 4]
    scoring.close()
    out = tmp_path / "carol.annotator"
    assert create_package(lead.db, "carol", out).judgments == 8
    conn = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    stored = conn.execute(
        "SELECT a.generated, b.generated, j.outcome, j.left_item = c.item_a FROM judgments j "
        "JOIN comparisons c ON c.id = j.comparison_id "
        "JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b"
    ).fetchall()
    conn.close()
    # in the package, item a is the left answer and "a" means the left one won
    by_side = {"left": "a", "right": "b", "tie": "tie", "both_bad": "both_bad"}
    assert sorted(
        (left, right, by_side[seen[(left, right)]], 1) for left, right, _, _ in stored
    ) == (sorted(stored))
    with Project.open(out) as pkg:
        s = pkg.session("carol")
        shown = pkg.side_by_side.session(s)
        found = {
            (shown.pair(n).left, shown.pair(n).right): shown.judgments(cid).get("")
            for n, cid in enumerate(shown.order)
        }
        s.close()
    assert {k: v.side for k, v in found.items() if v is not None} == seen
    back = merge_package(lead.db, out)
    assert not back.wrote and back.judgments_unchanged == 8


def test_items_there_only_for_a_comparison_are_not_scored(lead, tmp_path):
    assign(lead.db, RATERS, per_item=2, seed=1, items_filter="model=zyx-lora-alpha")
    out = tmp_path / "alice.annotator"
    create_package(lead.db, "alice", out)
    models = text_model(lead)
    n_items = lead.db.conn.execute(
        "SELECT count(*) FROM assignments a JOIN raters r ON r.id = a.rater_id "
        "WHERE r.name = 'alice'"
    ).fetchone()[0]
    with Project.open(out) as pkg:
        scoring = pkg.session("alice")
        scored = [models[scoring.item(n).generated] for n in range(len(scoring))]
        pairs = pkg.side_by_side.session(scoring)
        shown = {models[pairs.pair(n).left] for n in range(len(pairs))}
        scoring.close()
        in_package = pkg.db.conn.execute("SELECT count(*) FROM items").fetchone()[0]
    assert len(scored) == n_items and set(scored) == {"zyx-lora-alpha"}
    assert shown == {"zyx-lora-alpha", "zyx-base-7b"} and in_package == 2 * n_items
    # a score slipped onto a base answer (there only for its comparison) is refused
    conn = sqlite3.connect(out)
    other = conn.execute(
        "SELECT id FROM items WHERE id NOT IN (SELECT item_id FROM assignments) LIMIT 1"
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO ratings (item_id, rater_id, dimension_id, score, origin, updated_at) "
        "VALUES (?, 1, 1, 3, 'app', '2026-01-01T00:00:00.000Z')",
        (other,),
    )
    conn.commit()
    conn.close()
    before = lead_state(lead)
    with pytest.raises(InputError, match="only for a side-by-side comparison"):
        merge_package(lead.db, out)
    assert lead_state(lead) == before


def test_a_rater_with_comparisons_only_scores_nothing(tmp_path):
    project = make_lead(tmp_path / "late.annotator", compare=False)
    assign(project.db, ["alice", "bob"], per_item=1, seed=1)
    project.side_by_side.create(vs_baseline=True)  # after assign: everyone judges them all
    out = tmp_path / "dora.annotator"
    report = create_package(project.db, "dora", out)
    assert report.items == 3 * N  # every answer is in a comparison with the baseline
    assert report.comparisons == 2 * N and report.scores == 0
    with Project.open(out) as pkg:
        scoring = pkg.session("dora")
        assert len(scoring) == 0  # nothing to score, though the package holds answers
        assert len(pkg.side_by_side.session(scoring)) == 2 * N
        scoring.close()
    judge_in_package(out, "dora", sides=["left"])
    merged = merge_package(project.db, out)
    assert merged.judgments_new == 2 * N and merged.new == 0
    project.close()


def test_status_counts_comparisons_assigned_and_judged(lead, tmp_path):
    assign(lead.db, RATERS, per_item=2, seed=5)
    out = tmp_path / "alice.annotator"
    create_package(lead.db, "alice", out)
    judge_in_package(out, "alice")
    merge_package(lead.db, out)
    status = team_status(lead.db)
    conn = lead.db.conn
    assigned = dict(
        conn.execute(
            "SELECT r.name, count(*) FROM comparison_assignments a "
            "JOIN raters r ON r.id = a.rater_id GROUP BY r.name"
        )
    )
    judged = dict(
        conn.execute(
            "SELECT r.name, count(DISTINCT j.comparison_id) FROM judgments j "
            "JOIN raters r ON r.id = j.rater_id WHERE j.dimension = '' GROUP BY r.name"
        )
    )
    rows = {r["rater"]: r for r in status["raters"]}
    assert status["comparisons"] == 2 * N
    for name in RATERS:
        assert rows[name]["comparisons"] == assigned[name]
        assert rows[name]["judged"] == judged.get(name, 0)
    assert rows["alice"]["judged"] == assigned["alice"] > 0
    text = format_status(status)
    first, head, *lines = text.splitlines()
    assert "48 side-by-side comparisons" in first
    assert head.split()[4:6] == ["comparisons", "judged"]
    alice = next(line for line in lines if line.startswith("alice"))
    assert alice.split()[4:6] == [str(assigned["alice"])] * 2


def test_package_status_counts_its_own_comparisons(lead, tmp_path):
    assign(lead.db, RATERS, per_item=2, seed=5)
    out = tmp_path / "bob.annotator"
    report = create_package(lead.db, "bob", out)
    with Project.open(out) as pkg:
        status = pkg.team_status()
    bob = next(r for r in status["raters"] if r["rater"] == "bob")
    assert status["kind"] == "package" and bob["comparisons"] == report.comparisons
    assert (
        bob["assigned"]
        == lead.db.conn.execute(
            "SELECT count(*) FROM assignments a JOIN raters r ON r.id = a.rater_id "
            "WHERE r.name = 'bob'"
        ).fetchone()[0]
    )


def test_dimensions_and_five_levels_travel_in_the_package(lead, tmp_path):
    lead.side_by_side.configure(scale=5, dimensions=True)
    assign(lead.db, RATERS, per_item=2, seed=5)
    out = tmp_path / "alice.annotator"
    create_package(lead.db, "alice", out)
    with Project.open(out) as pkg:
        assert pkg.side_by_side.settings() == {"scale": 5, "dimensions": True}
        scoring = pkg.session("alice")
        pairs = pkg.side_by_side.session(scoring)
        pair = pairs.pair(0)
        pairs.judge(pair.comparison_id, Choice("left", 2))
        pairs.judge(pair.comparison_id, Choice("right", 1), "fluency")
        scoring.close()
    merge_package(lead.db, out)
    models, by_texts = text_model(lead), comparisons_by_texts(lead)
    cid, model_a, _ = by_texts[frozenset((pair.left, pair.right))]
    frame = lead.side_by_side.judgments()
    got = {
        r.dimension: (r.outcome, r.strength)
        for r in frame[(frame.rater == "alice") & (frame.comparison_id == cid)].itertuples()
    }
    left_a = models[pair.left] == model_a
    assert got == {
        "": ("a" if left_a else "b", 2.0),
        "fluency": ("b" if left_a else "a", 1.0),
    }


# -- tampered packages -----------------------------------------------------------------------
def _rebuild_judgments_without_checks(conn: sqlite3.Connection) -> None:
    conn.executescript(
        "CREATE TABLE j2 (comparison_id INTEGER NOT NULL, rater_id INTEGER NOT NULL, "
        "dimension TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL, strength INTEGER, "
        "left_item INTEGER NOT NULL, origin TEXT NOT NULL DEFAULT 'app', updated_at TEXT NOT NULL, "
        "PRIMARY KEY (comparison_id, rater_id, dimension)) WITHOUT ROWID;"
        "INSERT INTO j2 SELECT * FROM judgments; DROP TABLE judgments; "
        "ALTER TABLE j2 RENAME TO judgments;"
    )


TAMPERING = {
    "turned round": (
        "UPDATE comparisons SET item_a = item_b, item_b = item_a WHERE id = 1",
        "does not match its seal",
    ),
    "added": (
        "INSERT INTO comparisons (id, uid, sample_id, item_a, item_b, created_at) "
        "SELECT 999, 'feedfacefeedface', 'feedfacefeedface', item_b, item_a, created_at "
        "FROM comparisons WHERE id = 1",
        "does not match its seal",
    ),
    "removed": ("DELETE FROM comparisons WHERE id = 2", "does not match its seal"),
    "scoring changed": (
        "DELETE FROM assignments WHERE item_id = (SELECT min(item_id) FROM assignments)",
        "does not match its seal",
    ),
    "unknown comparison": (
        "UPDATE judgments SET comparison_id = 777 WHERE comparison_id = 1",
        "comparison row 777, which is not a comparison of the package",
    ),
    "outcome": (
        "UPDATE judgments SET outcome = 'a_wins' WHERE comparison_id = 1",
        "'a_wins' is not a judgment",
    ),
    "strength": (
        "UPDATE judgments SET strength = 7 WHERE comparison_id = 1",
        "strength 7 does not fit",
    ),
    "dimension": (
        "UPDATE judgments SET dimension = 'charm' WHERE comparison_id = 1",
        'judges dimension "charm"',
    ),
}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_a_tampered_package_is_refused_and_the_project_untouched(lead, tmp_path, kind):
    assign(lead.db, RATERS, per_item=2, seed=5)
    out = tmp_path / "alice.annotator"
    create_package(lead.db, "alice", out)
    judge_in_package(out, "alice")
    statement, message = TAMPERING[kind]
    conn = sqlite3.connect(out)
    _rebuild_judgments_without_checks(conn)
    conn.execute(statement)
    conn.commit()
    conn.close()
    before = lead_state(lead)
    with pytest.raises(InputError) as err:
        merge_package(lead.db, out)
    assert message in str(err.value)
    assert lead_state(lead) == before
    if kind not in ("turned round", "added", "removed", "scoring changed", "unknown comparison"):
        uid = (
            sqlite3.connect(f"file:{out}?mode=ro", uri=True)
            .execute("SELECT uid FROM comparisons WHERE id = 1")
            .fetchone()[0]
        )
        assert f'comparison "{uid}"' in str(err.value)  # where: the comparison's id


def test_a_package_of_another_rater_is_not_a_way_in(lead, tmp_path):
    """Renamed to another rater, the package's comparisons do not become theirs."""
    assign(lead.db, RATERS, per_item=2, seed=5)
    out = tmp_path / "alice.annotator"
    create_package(lead.db, "alice", out)
    judge_in_package(out, "alice")
    conn = sqlite3.connect(out)
    conn.execute("UPDATE project SET value = 'bob' WHERE key = 'package_rater'")
    conn.execute("UPDATE raters SET name = 'bob'")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match="does not match its seal"):
        merge_package(lead.db, out)


def test_no_rater_no_comparisons_no_package(lead, tmp_path):
    assign(lead.db, ["alice", "bob"], per_item=1, seed=1)
    with pytest.raises(AnnotatorError, match="no assigned items"):
        create_package(lead.db, "zed", tmp_path / "zed.annotator")
