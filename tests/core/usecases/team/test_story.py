"""The whole offline story: assign, hand out two packages and a sheet, merge, compute."""

from __future__ import annotations

import krippendorff
import openpyxl
import pytest

from annotator.core import verdicts
from annotator.core.project import Project
from annotator.core.stats import compute
from annotator.core.storage import ItemsRepo, RatingsRepo
from annotator.core.usecases.team import (
    assign,
    create_package,
    create_sheet,
    import_sheet,
    merge_package,
    team_status,
)
from annotator.core.usecases.team.seal import blind_id, project_secret
from tests.core.usecases.team.conftest import project_state

RATERS = ("alice", "bob", "carol")


def _entered_score(uid: str, rater: str, dim: str) -> int:
    """A deterministic, varied score per (item, rater, dimension) that raters partly agree on."""
    base = sum(map(ord, uid + dim)) % 5
    return (base + (RATERS.index(rater) % 2)) % 5 + 1


def test_assign_hand_out_score_merge_twice_and_compute(team_project, tmp_path):
    project = team_project
    assign(project.db, list(RATERS), per_item=2, seed=4, shared=2)
    entered: dict[tuple[str, str, str], int] = {}
    dims = project.rubric.keys
    secret = project_secret(project.db)  # hand-outs show blind ids; the lead can map them
    uid_of = {blind_id(secret, u): u for u in ItemsRepo(project.db.conn).frame()["uid"]}

    for rater in ("alice", "bob"):  # two raters use the app, offline
        path = tmp_path / f"{rater}.annotator"
        create_package(project.db, rater, path)
        with Project.open(path) as pkg:
            session = pkg.session(rater)
            for n, item_id in enumerate(session.order):
                uid = uid_of[session.item(n).uid]
                for dim in dims:
                    score = _entered_score(uid, rater, dim)
                    session.set_score(item_id, dim, score)
                    entered[(uid, rater, dim)] = score

    sheet = tmp_path / "carol.xlsx"  # one rater uses Excel
    create_sheet(project.db, "carol", sheet)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["ratings"]
    for r in range(2, ws.max_row + 1):
        uid = uid_of[ws[f"A{r}"].value]
        for k, dim in enumerate(dims):
            score = _entered_score(uid, "carol", dim)
            ws.cell(r, 5 + k, value=str(score) if k % 2 else score)  # some typed as text
            entered[(uid, "carol", dim)] = score
    wb.save(sheet)

    reports = [
        merge_package(project.db, tmp_path / "alice.annotator"),
        merge_package(project.db, tmp_path / "bob.annotator"),
        import_sheet(project.db, sheet),
    ]
    assert sum(r.new for r in reports) == len(entered)
    state = project_state(project)
    again = merge_package(project.db, tmp_path / "bob.annotator")
    assert not again.wrote and project_state(project) == state

    ratings = RatingsRepo(project.db.conn).frame()
    uids = dict(
        zip(
            ItemsRepo(project.db.conn).frame()["item_id"],
            ItemsRepo(project.db.conn).frame()["uid"],
            strict=True,
        )
    )
    got = {
        (uids[i], r, d): s
        for i, r, d, s in zip(
            ratings["item_id"],
            ratings["rater"],
            ratings["dimension"],
            ratings["score"],
            strict=True,
        )
    }
    assert got == entered
    status = {r["rater"]: r for r in team_status(project.db)["raters"]}
    assert all(status[r]["remaining"] == 0 and status[r]["last_merge"] for r in RATERS)
    assert sum(status[r]["done"] for r in RATERS) == 16 * 2 + 4  # 2 shared samples x 2 models

    items = ItemsRepo(project.db.conn).frame()[["item_id", "model", "sample_id"]]
    report = compute(
        ratings[["item_id", "rater", "dimension", "score"]],
        items,
        dimensions=dims,
        min_raters=2,
        resamples=0,
    )
    for dim in dims:  # agreement checked against the krippendorff package as the oracle
        table = ratings[ratings["dimension"] == dim].pivot(
            index="rater", columns="item_id", values="score"
        )
        expected = krippendorff.alpha(
            reliability_data=table.to_numpy(dtype=float), level_of_measurement="ordinal"
        )
        assert report.alpha_for(dim).alpha == pytest.approx(expected, abs=1e-9)
    assert report.alpha_for(dims[0]).units == 16  # every item has two or three raters
    verdict = verdicts.evaluate(report)
    assert len(verdict.items) == 16
    assert set(verdict.items["verdict"]) <= {"PASS", "FAIL", "NEEDS_REVIEW"}
    assert {m.model for m in verdict.models} == set(items["model"])
