"""A package that comes back is untrusted: every way a rater (or anyone) could edit it.

The attacker edits the file with plain SQLite, as anyone can; the merge must refuse the
edit with a plain message and leave the project exactly as it was, and must never write
to (or migrate) the file it is judging.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from annotator.core.domain.errors import InputError, ProjectFileError
from annotator.core.project import Project
from annotator.core.storage import RatingsRepo
from annotator.core.usecases.team import assign, create_package, merge_package
from tests.core.usecases.team.conftest import project_state


def _edit(path: Path, *statements: str, params: tuple = ()) -> None:
    """What an attacker does: plain SQL on the file, checks switched off."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    conn.close()


def _score_all(path: Path, rater: str = "alice") -> int:
    """Score every item of a package in the app; returns the number of scores given."""
    n = 0
    with Project.open(path) as pkg:
        session = pkg.session(rater)
        for k, item_id in enumerate(session.order):
            for dim in pkg.rubric.keys:
                session.set_score(item_id, dim, k % 5 + 1)
                n += 1
    return n


def _digest(path: Path) -> tuple[str, list[str]]:
    """The file's bytes and what lies beside it: what a read-only merge must not change."""
    beside = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))
    return hashlib.sha256(path.read_bytes()).hexdigest(), beside


@pytest.fixture
def handed(team_project, tmp_path):
    """alice's and bob's scored packages (assigned one rater per item)."""
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=2)
    paths = {}
    for rater in ("alice", "bob"):
        path = tmp_path / f"{rater}.annotator"
        create_package(team_project.db, rater, path)
        _score_all(path, rater)
        paths[rater] = path
    return paths


def _refused(project: Project, path: Path, match: str, error=InputError) -> None:
    before = project_state(project)
    with pytest.raises(error, match=match):
        merge_package(project.db, path)
    assert project_state(project) == before


def test_a_package_renamed_to_another_rater_is_refused(team_project, handed):
    _edit(
        handed["alice"],
        "UPDATE project SET value = 'bob' WHERE key = 'package_rater'",
        "UPDATE raters SET name = 'bob' WHERE name = 'alice'",
    )
    _refused(team_project, handed["alice"], "does not match its seal")


def test_another_packages_seal_and_id_do_not_make_a_package_pass(team_project, handed):
    conn = sqlite3.connect(handed["bob"])
    bob_meta = dict(conn.execute("SELECT key, value FROM project").fetchall())
    conn.close()
    _edit(
        handed["alice"],
        "UPDATE project SET value = ? WHERE key = 'package_seal'",
        params=(bob_meta["package_seal"],),
    )
    _refused(team_project, handed["alice"], "does not match its seal")
    _edit(
        handed["alice"],
        "UPDATE project SET value = ? WHERE key = 'package_id'",
        params=(bob_meta["package_id"],),
    )
    _refused(team_project, handed["alice"], "does not match its seal")


@pytest.mark.parametrize("how", ["swapped", "added", "removed"])
def test_items_swapped_added_or_removed_are_refused(team_project, handed, tmp_path, how):
    """bob hands alice one of his items (blind id, texts and all): it is not hers."""
    conn = sqlite3.connect(handed["bob"])
    bob_item = conn.execute(
        "SELECT uid, instruction, reference, generated, content_hash FROM items LIMIT 1"
    ).fetchone()
    conn.close()
    alice = handed["alice"]
    if how == "swapped":
        _edit(
            alice,
            "UPDATE items SET uid = ?1, sample_id = ?1, instruction = ?2, reference = ?3, "
            "generated = ?4, content_hash = ?5 WHERE id = 1",
            params=bob_item,
        )
    elif how == "added":
        _edit(
            alice,
            "INSERT INTO items (id, uid, sample_id, model_id, instruction, reference, "
            "generated, content_hash, created_at) VALUES (999, ?1, ?1, 1, ?2, ?3, ?4, ?5, "
            "'2026-01-01T00:00:00.000Z')",
            params=bob_item,
        )
    else:
        _edit(alice, "DELETE FROM ratings WHERE item_id = 1", "DELETE FROM items WHERE id = 1")
    _refused(team_project, alice, "does not match its seal")


def test_a_package_without_a_seal_is_refused(team_project, handed):
    _edit(handed["alice"], "DELETE FROM project WHERE key = 'package_seal'")
    _refused(team_project, handed["alice"], "has no seal")


# ("4" and 4.0 cannot be smuggled in: SQLite's INTEGER affinity stores them as the integer 4.)
@pytest.mark.parametrize("bad", [4.5, 0, 6, -1, 2**40, "4 stars", "４", b"\x04", 3.0000001])
def test_scores_that_are_not_whole_numbers_in_the_scale_are_refused(team_project, handed, bad):
    path = handed["alice"]
    conn = sqlite3.connect(path)
    blind = conn.execute("SELECT uid FROM items WHERE id = 2").fetchone()[0]
    conn.close()
    _edit(
        path,
        "UPDATE ratings SET score = ? WHERE item_id = 2 AND dimension_id = "
        "(SELECT id FROM dimensions WHERE key = 'fluency')",
        params=(bad,),
    )
    _refused(team_project, path, f'item "{blind}", dimension "fluency": .* is not a score')


def test_a_score_on_a_row_that_is_not_an_item_is_refused(team_project, handed):
    _edit(
        handed["alice"],
        "INSERT INTO ratings (item_id, rater_id, dimension_id, score, origin, updated_at) "
        "VALUES (777, 1, 1, 5, 'app', '2026-01-01T00:00:00.000Z')",
    )
    _refused(team_project, handed["alice"], "row 777, which is not an item")


def test_a_comment_that_is_not_text_is_refused(team_project, handed):
    _edit(
        handed["alice"],
        "INSERT INTO annotations (item_id, rater_id, comment, flag, seconds, updated_at) "
        "VALUES (1, 1, x'00ff', '', 1.5, '2026-01-01T00:00:00.000Z') "
        "ON CONFLICT DO UPDATE SET comment = excluded.comment",
    )
    _refused(team_project, handed["alice"], "comment, flag or time spent is not one")


def test_the_merge_never_writes_to_the_package_it_reads(team_project, handed):
    path = handed["alice"]
    before = _digest(path)
    merge_package(team_project.db, path)
    merge_package(team_project.db, path)
    assert _digest(path) == before
    # an attacker's edit that fails the checks leaves the file as the attacker left it
    _edit(path, "UPDATE project SET value = 'bob' WHERE key = 'package_rater'")
    edited = _digest(path)
    with pytest.raises(InputError):
        merge_package(team_project.db, path)
    assert _digest(path) == edited


def test_an_older_schema_is_refused_and_not_migrated(team_project, handed):
    path = handed["alice"]
    _edit(path, "PRAGMA user_version = 2")
    before = _digest(path)
    _refused(team_project, path, "older version of annotator", ProjectFileError)
    assert _digest(path) == before  # not migrated: the rater's file is as it came
    assert not list(path.parent.glob("alice.annotator*.bak"))


def test_a_newer_schema_is_refused(team_project, handed):
    _edit(handed["alice"], "PRAGMA user_version = 99")
    _refused(team_project, handed["alice"], "newer version of annotator", ProjectFileError)


def test_times_from_the_future_are_clamped_and_never_shadow_later_rescores(
    team_project, handed, tmp_path
):
    path = handed["alice"]
    tampered = tmp_path / "alice-9999.annotator"
    shutil.copy(path, tampered)
    _edit(
        tampered,
        "UPDATE ratings SET updated_at = '9999-12-31T23:59:59.999Z'",
        "UPDATE ratings SET updated_at = 'next tuesday' WHERE item_id = 1",
        "UPDATE annotations SET updated_at = '9999-12-31T23:59:59.999Z'",
    )
    report = merge_package(team_project.db, tampered)
    n = report.new
    assert n > 0
    assert any(f"{n} time(s) in the package were in the future" in x for x in report.notices)
    times = RatingsRepo(team_project.db.conn).frame()["updated_at"]
    assert not any(t.startswith("9999") or t == "next tuesday" for t in times)
    # the rater goes on in her package: re-scores every item honestly, and sends it again
    with Project.open(path) as pkg:
        session = pkg.session("alice")
        for item_id in session.order:
            old = session.scores(item_id)["relevance"]
            session.set_score(item_id, "relevance", old % 5 + 1)
        wanted = {
            session.item(k).uid: session.scores(i)["relevance"] for k, i in enumerate(session.order)
        }
    again = merge_package(team_project.db, path)
    assert again.changed == len(wanted) and again.kept_newer == 0
    frame = RatingsRepo(team_project.db.conn).frame()
    got = frame[(frame["rater"] == "alice") & (frame["dimension"] == "relevance")]
    assert sorted(got["score"]) == sorted(wanted.values())


def test_sealed_items_no_longer_assigned_are_merged_with_a_notice(team_project, tmp_path):
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=2)
    path = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", path)
    given = _score_all(path)
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=11)  # some of hers move to bob
    report = merge_package(team_project.db, path)
    assert report.new == given
    moved = [x for x in report.notices if "no longer assigned to alice" in x]
    assert len(moved) == 1


def test_a_package_back_with_fewer_scores_than_it_left_with_says_so(team_project, tmp_path):
    alice = team_project.session("alice")
    for item_id in alice.order[:3]:
        alice.set_score(item_id, "relevance", 4)
    path = tmp_path / "alice.annotator"
    assert create_package(team_project.db, "alice", path).scores == 3
    _edit(path, "DELETE FROM ratings WHERE item_id = (SELECT MIN(item_id) FROM ratings)")
    report = merge_package(team_project.db, path)
    assert any("holds 2 score(s), fewer than the 3" in x for x in report.notices)
    assert not report.wrote  # nothing it holds is new; a missing score deletes nothing


# A package handed out by the previous version (schema 3: sealed, metric values with a
# signature on each row) and merged after the lead upgraded.
_V3_METRIC_VALUES = """
CREATE TABLE metric_values (
    item_id   INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    origin    TEXT NOT NULL CHECK (origin IN ('imported', 'computed')),
    value     REAL,
    signature TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, name, origin)
) WITHOUT ROWID
"""


def _as_schema_3(path):
    conn = sqlite3.connect(path)
    try:
        conn.execute("DROP TABLE metric_values")
        conn.execute("DROP TABLE metric_runs")
        for table in ("assignment_rounds", "gold"):  # schema 7's
            conn.execute(f"DROP TABLE {table}")
        for table in ("judge_failures", "judge_judgments", "judge_scores", "judges"):  # 6's
            conn.execute(f"DROP TABLE {table}")
        for table in ("judgment_log", "comparison_notes", "judgments"):  # schema 5's
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP TABLE comparison_assignments")
        conn.execute("DROP TABLE comparisons")
        conn.execute(_V3_METRIC_VALUES)
        conn.execute("PRAGMA user_version = 3")
        conn.commit()
    finally:
        conn.close()


def test_a_sealed_package_of_the_previous_schema_merges_and_stays_as_it_came(
    team_project, handed, tmp_path
):
    path = handed["alice"]
    with Project.open(path) as pkg:
        session = pkg.session("alice")
        for item_id in session.order[:3]:
            session.set_score(item_id, pkg.rubric.keys[0], 4)
    _as_schema_3(path)
    conn = sqlite3.connect(path)
    held = conn.execute("SELECT count(*) FROM ratings").fetchone()[0]
    conn.close()
    before = _digest(path)
    temp_before = set(Path(tempfile.gettempdir()).glob("annotator-package-*"))
    report = merge_package(team_project.db, path)
    assert report.new == held and held >= 3
    assert _digest(path) == before  # read through a copy: the rater's file is as it came
    assert set(Path(tempfile.gettempdir()).glob("annotator-package-*")) == temp_before
    # and a schema-3 package whose rater was renamed is still refused by its seal
    _edit(path, "UPDATE project SET value = 'bob' WHERE key = 'package_rater'")
    with pytest.raises(InputError, match="seal"):
        merge_package(team_project.db, path)
