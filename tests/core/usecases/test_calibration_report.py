"""The calibration round's own report: agreement and disagreements on its items only, so the
lead can adjudicate before handing out the main round (issue 18, item 4)."""

from __future__ import annotations

import csv
import sqlite3

import krippendorff
import numpy as np
import pandas as pd
import pytest

from annotator.cli import main
from annotator.core.domain.errors import AnnotatorError
from annotator.core.project import Project
from tests.factories import add_items

RATERS = ("ann", "bo", "cy")


@pytest.fixture
def calibrated(tmp_path):
    path = tmp_path / "cal.annotator"
    project = Project.create(path, "cal", language="en")
    add_items(project, 30)
    project.assign(list(RATERS), per_item=2, seed=5, calibration=6)
    rng = np.random.default_rng(3)
    rows = []
    for rater in RATERS:
        for (item,) in project.db.conn.execute(
            "SELECT a.item_id FROM assignments a JOIN raters r ON r.id = a.rater_id "
            "WHERE r.name = ?", (rater,)
        ):  # fmt: skip
            uid = project.db.conn.execute("SELECT sample_id FROM items WHERE id = ?",
                                          (item,)).fetchone()[0]  # fmt: skip
            for d in ("relevance", "fluency", "style", "compliance"):
                rows.append([uid, rater, d, int(rng.integers(1, 6))])
    ratings = tmp_path / "r.csv"
    with ratings.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["item_id", "rater", "dimension", "score"], *rows])
    project.import_ratings(ratings)
    yield project
    project.close()


def _calibration_ids(path) -> set[int]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT item_id FROM assignment_rounds")}
    finally:
        con.close()


def _alpha(path, ids, dimension) -> float:
    con = sqlite3.connect(path)
    frame = pd.read_sql(
        "SELECT r.item_id, t.name AS rater, r.score FROM ratings r JOIN raters t "
        "ON t.id = r.rater_id JOIN dimensions d ON d.id = r.dimension_id WHERE d.key = ?",
        con, params=(dimension,),
    )  # fmt: skip
    con.close()
    frame = frame[frame.item_id.isin(ids)]
    table = frame.pivot(index="rater", columns="item_id", values="score").to_numpy(float)
    return krippendorff.alpha(reliability_data=table, level_of_measurement="ordinal")


def test_the_calibration_report_is_on_its_items_only(calibrated):
    project = calibrated
    ids = _calibration_ids(project.path)
    assert len(ids) == 6
    whole = project.evaluate(resamples=50)
    only = project.evaluate(resamples=50, round_name="calibration")
    assert set(only.stats.items["item_id"]) == ids
    assert len(whole.stats.items) == 30
    expected = _alpha(project.path, ids, "style")
    assert only.stats.alpha_for("style").alpha == pytest.approx(expected)
    main_round = project.evaluate(resamples=50, round_name="main")
    assert set(main_round.stats.items["item_id"]).isdisjoint(ids)
    assert len(main_round.stats.items) == 24
    assert only.to_dict()["project"]["round"] == "calibration"


def test_no_calibration_round_is_said_in_words(tmp_path):
    project = Project.create(tmp_path / "p.annotator", "p", language="en")
    add_items(project, 3)
    with pytest.raises(AnnotatorError, match="no calibration round"):
        project.evaluate(resamples=10, round_name="calibration")
    project.close()


def test_report_round_on_the_command_line(calibrated, capsys):
    path = str(calibrated.path)
    calibrated.close()
    assert main(["report", path, "--round", "calibration"]) == 0
    out = capsys.readouterr().out
    assert "the calibration round only" in out
