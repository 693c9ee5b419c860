"""Rater packages: blind contents, same order as the project, safe and idempotent merges."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from annotator.core.domain.errors import AnnotatorError, InputError, ProjectFileError
from annotator.core.project import Project
from annotator.core.storage import RatingsRepo
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team import assign, create_package, merge_package
from annotator.core.usecases.team.seal import blind_id, blind_index, project_secret
from tests.core.usecases.team.conftest import MODELS, add_blind_items, project_state, scores_by_uid


def _by_project_uid(project: Project, entered: dict) -> dict:
    """(blind id, dimension) -> score, as (project uid, dimension) -> score."""
    uids = {item_id: uid for uid, (item_id, _) in TeamRepo(project.db.conn).uid_index().items()}
    index = blind_index(project.db)
    return {(uids[index[b][0]], d): s for (b, d), s in entered.items()}


def _score_all(path, rater: str, value: int = 3, *, comment: str | None = None) -> dict:
    """Score every item of a package through the rater session; returns what was entered."""
    entered = {}
    with Project.open(path) as pkg:
        session = pkg.session(rater)
        for n, item_id in enumerate(session.order):
            uid = session.item(n).uid
            for k, dim in enumerate(pkg.rubric.keys):
                score = (value + n + k) % 5 + 1
                session.set_score(item_id, dim, score)
                entered[(uid, dim)] = score
            if comment and n == 0:
                session.set_comment(item_id, comment)
                session.set_flag(item_id, "unclear instruction")
    return entered


def test_package_is_blind_and_holds_only_the_raters_items(team_project, tmp_path):
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=2)
    bob = team_project.session("bob")
    bob.set_score(bob.order[0], "relevance", 2)  # another rater's work must not travel
    alice = team_project.session("alice")
    alice.set_score(alice.order[0], "fluency", 5)
    out = tmp_path / "alice.annotator"
    report = create_package(team_project.db, "alice", out)
    assert report.items == len(alice) and report.scores == 1
    data = out.read_bytes()
    for secret in (*MODELS, "bob", "meta-", "/data/", b"q1"):
        assert (secret if isinstance(secret, bytes) else secret.encode()) not in data
    with Project.open(out) as pkg:
        assert pkg.kind == "package" and pkg.uuid == team_project.uuid
        assert pkg.meta.get("project_uuid") == team_project.uuid
        assert pkg.meta.get("package_rater") == "alice"
        assert pkg.rubric == team_project.rubric and pkg.language == team_project.language
        assert pkg.raters() == ["alice"]
        session = pkg.session("alice")
        # the rater sees the same items in the same order as in the project, under blind ids
        secret = project_secret(team_project.db)
        assert [session.item(n).uid for n in range(len(session))] == [
            blind_id(secret, alice.item(n).uid) for n in range(len(alice))
        ]
        assert session.order == list(range(1, len(session) + 1))  # ids follow that order
        assert session.scores(session.order[0]) == {"fluency": 5}
        with pytest.raises(AnnotatorError, match='for rater "alice"'):
            pkg.session("bob")


def test_without_assignments_a_package_holds_every_item(team_project, tmp_path):
    report = create_package(team_project.db, "zoe", tmp_path / "zoe.annotator")
    assert report.items == 16
    with pytest.raises(ProjectFileError, match="already exists"):
        create_package(team_project.db, "zoe", tmp_path / "zoe.annotator")
    assert (
        create_package(team_project.db, "zoe", tmp_path / "zoe.annotator", overwrite=True).items
        == 16
    )


def test_merge_brings_scores_comments_flags_and_times_and_twice_changes_nothing(
    team_project, tmp_path
):
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=2)
    out = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", out)
    entered = _score_all(out, "alice", comment="指令不清楚")
    report = merge_package(team_project.db, out)
    assert (report.new, report.changed, report.unchanged) == (len(entered), 0, 0)
    assert report.comments_new == 1 and report.backup
    assert scores_by_uid(team_project, "alice") == _by_project_uid(team_project, entered)
    notes = RatingsRepo(team_project.db.conn).annotations_frame()
    notes = notes[notes["comment"] != ""]
    assert list(zip(notes["rater"], notes["comment"], notes["flag"], strict=True)) == [
        ("alice", "指令不清楚", "unclear instruction")
    ]
    audit = RatingsRepo(team_project.db.conn).audit_frame()
    assert set(audit["origin"]) == {f"package:{report.package_id}"}
    with Project.open(out) as pkg:  # the rater's own times travel with the scores
        times = sorted(RatingsRepo(pkg.db.conn).frame()["updated_at"])
    assert sorted(RatingsRepo(team_project.db.conn).frame()["updated_at"]) == times

    before = project_state(team_project)
    again = merge_package(team_project.db, out)
    assert (again.new, again.changed, again.unchanged) == (0, 0, len(entered))
    assert not again.wrote and project_state(team_project) == before


def test_a_newer_package_updates_only_changed_scores_and_an_older_one_undoes_nothing(
    team_project, tmp_path
):
    out = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", out)
    entered = _score_all(out, "alice")
    merge_package(team_project.db, out)
    old_copy = tmp_path / "alice-old.annotator"
    shutil.copy(out, old_copy)
    with Project.open(out) as pkg:  # the rater keeps working in the same package
        session = pkg.session("alice")
        uid = session.item(0).uid
        new_score = entered[(uid, "style")] % 5 + 1
        session.set_score(session.order[0], "style", new_score)
    entered[(uid, "style")] = new_score
    audit_before = RatingsRepo(team_project.db.conn).audit_count()
    report = merge_package(team_project.db, out)
    assert (report.new, report.changed, report.unchanged) == (0, 1, len(entered) - 1)
    audit_after = RatingsRepo(team_project.db.conn).audit_count()
    assert audit_after == audit_before + 1
    stale = merge_package(team_project.db, old_copy)
    assert stale.kept_newer == 1 and not stale.wrote
    assert scores_by_uid(team_project, "alice") == _by_project_uid(team_project, entered)


def test_refuses_a_package_of_another_project(team_project, tmp_path):
    other = Project.create(tmp_path / "other.annotator", "other eval")
    for model in MODELS:
        add_blind_items(other, 8, model)
    out = tmp_path / "alice.annotator"
    create_package(other.db, "alice", out)
    other.close()
    _score_all(out, "alice")
    before = project_state(team_project)
    with pytest.raises(InputError, match="belongs to another project"):
        merge_package(team_project.db, out)
    assert project_state(team_project) == before


def test_refuses_a_package_whose_item_no_longer_exists(team_project, tmp_path):
    out = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", out)
    _score_all(out, "alice")
    with Project.open(out) as pkg:
        gone = pkg.session("alice").item(0).uid
    gone_id = blind_index(team_project.db)[gone][0]
    # the lead removed the item from the project (no use case for that yet: plain SQL)
    conn = sqlite3.connect(team_project.path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM items WHERE id = ?", (gone_id,))
    conn.commit()
    conn.close()
    before = project_state(team_project)
    with pytest.raises(InputError, match=f'item "{gone}" of the package is no longer'):
        merge_package(team_project.db, out)
    assert project_state(team_project) == before


def test_refuses_a_package_whose_texts_differ_from_the_project(team_project, tmp_path):
    out = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", out)
    _score_all(out, "alice")
    add_blind_items(team_project, 8, MODELS[1], suffix=" (修订)")  # re-import, new texts
    before = project_state(team_project)
    with pytest.raises(InputError, match="texts of item .* differ") as err:
        merge_package(team_project.db, out)
    assert len(err.value.problems) == 8
    assert project_state(team_project) == before


def test_refuses_a_package_of_a_rater_no_longer_assigned(team_project, tmp_path):
    assign(team_project.db, ["alice", "bob"], per_item=1)
    out = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", out)
    _score_all(out, "alice")
    assign(team_project.db, ["bob", "carol"], per_item=1)
    before = project_state(team_project)
    with pytest.raises(InputError, match='rater "alice" is not assigned'):
        merge_package(team_project.db, out)
    assert project_state(team_project) == before
    with pytest.raises(AnnotatorError, match='rater "alice" has no assigned items'):
        create_package(team_project.db, "alice", tmp_path / "again.annotator")


def test_refuses_damaged_and_foreign_files(team_project, tmp_path):
    out = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", out)
    _score_all(out, "alice")
    data = bytearray(out.read_bytes())
    for offset in range(4096, len(data), 97):  # scribble over every page but the header
        data[offset] = (data[offset] + 0x5A) % 256
    damaged = tmp_path / "damaged.annotator"
    damaged.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.annotator"  # a send that stopped half-way
    truncated.write_bytes(out.read_bytes()[: len(data) // 2])
    text = tmp_path / "notes.annotator"
    text.write_text("not a database", encoding="utf-8")
    before = project_state(team_project)
    for bad, message in (
        (damaged, "damaged"),
        (truncated, "damaged"),
        (text, "not an annotator project file"),
        (tmp_path / "missing.annotator", "does not exist"),
        (team_project.path, "is a project file, not a rater package"),
    ):
        with pytest.raises((ProjectFileError, InputError), match=message):
            merge_package(team_project.db, bad)
    assert project_state(team_project) == before
