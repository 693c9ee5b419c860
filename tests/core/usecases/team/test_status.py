"""Progress per rater: assigned, done, remaining, last merge and score times."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.core.usecases.team import (
    assign,
    create_package,
    format_status,
    merge_package,
    team_status,
)


def test_status_counts_done_items_against_the_assignment(team_project, tmp_path):
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=1, shared=1)
    alice = team_project.session("alice")
    for dim in team_project.rubric.keys:  # one item done, one item half done
        alice.set_score(alice.order[0], dim, 4)
    alice.set_score(alice.order[1], "relevance", 2)
    status = team_status(team_project.db)
    rows = {r["rater"]: r for r in status["raters"]}
    assert status["has_assignments"] and status["items"] == 16
    # 8 samples x 2 models; one shared sample (2 items) for both, 7 samples split 4/3 or 3/4
    assert rows["alice"]["assigned"] + rows["bob"]["assigned"] == 14 + 2 * 2
    assert rows["alice"]["shared"] == rows["bob"]["shared"] == 2
    assert rows["alice"]["done"] == 1
    assert rows["alice"]["remaining"] == rows["alice"]["assigned"] - 1
    assert rows["alice"]["last_score"] and rows["alice"]["last_merge"] is None
    assert rows["bob"]["done"] == 0 and rows["bob"]["last_score"] is None
    assert "alice" in format_status(status)


def test_status_without_assignments_and_on_a_package(team_project, tmp_path):
    rows = team_status(team_project.db)["raters"]
    assert rows == []
    out = tmp_path / "zoe.annotator"
    create_package(team_project.db, "zoe", out)
    with Project.open(out) as pkg:
        status = team_status(pkg.db)
        session = pkg.session("zoe")
        for dim in pkg.rubric.keys:
            session.set_score(session.order[0], dim, 3)
        after = team_status(pkg.db)
    assert status["kind"] == "package"
    assert status["raters"][0]["rater"] == "zoe" and status["raters"][0]["assigned"] == 16
    assert after["raters"][0]["done"] == 1
    merge_package(team_project.db, out)
    (row,) = team_status(team_project.db)["raters"]
    assert (row["rater"], row["assigned"], row["done"], row["remaining"]) == ("zoe", 16, 1, 15)
    assert row["last_merge"] is not None
