"""The lead window's Raters page (issue 18): the planted team of six raters, their
quality signals and flags in words, the rater-adjusted means, and "Use as gold"."""

from __future__ import annotations

import csv
import sqlite3

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from annotator.core.i18n import current_language, set_language
from annotator.core.project import Project
from annotator.gui.lead.models import SORT_ROLE
from tests.core.usecases.test_rater_quality import N_SAMPLES, RATERS, _plant
from tests.factories import add_items

pytestmark = pytest.mark.slow

SHOTS = "/tmp/rp"


@pytest.fixture(scope="module")
def team_file(tmp_path_factory):
    """The planted team in a project file (scores, seconds, rating times, gold)."""
    tmp = tmp_path_factory.mktemp("raters_page")
    scores, seconds, order, gold_rows = _plant()
    path = tmp / "team.annotator"
    with Project.create(path, "planted team", language="en") as project:
        add_items(project, N_SAMPLES, "base")
        add_items(project, N_SAMPLES, "lora")
        with open(tmp / "ratings.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["model", "sample_id", "rater", "dimension", "score", "seconds", "rated_at"])
            for (model, sample, rater), dims in scores.items():
                sec, at = repr(seconds[(model, sample, rater)]), order[(model, sample, rater)]
                w.writerows([model, sample, rater, d, v, sec, at] for d, v in dims.items())
        project.import_ratings(tmp / "ratings.csv")
        with open(tmp / "gold.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["model", "sample_id", "dimension", "expected"])
            w.writerows(gold_rows)
        project.gold.import_file(tmp / "gold.csv")
    return path


@pytest.fixture
def team_path(team_file, tmp_path):
    """A fresh copy per test: "Use as gold" writes to it."""
    path = tmp_path / "team.annotator"
    path.write_bytes(team_file.read_bytes())
    return path


def _sql(path, query: str) -> pd.DataFrame:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return pd.read_sql_query(query, conn)
    finally:
        conn.close()


def _rows(page) -> dict[str, int]:
    return {page.model.row_value(r, "rater"): r for r in range(page.model.rowCount())}


def _cell(page, row: int, source: str) -> str:
    column = next(k for k, c in enumerate(page.model.columns) if c.source == source)
    return page.model.index(row, column).data()


def _open_raters(open_lead, path, qtbot):
    window, controller = open_lead(path)
    window.nav.setFocus()
    window.nav.setCurrentRow(0)
    for _ in range(6):  # Overview -> ... -> Raters, with the keyboard
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_page() == "raters"
    return window, controller


def test_flagged_raters_show_their_flags_and_reasons_in_words(team_path, open_lead, qtbot):
    window, controller = _open_raters(open_lead, team_path, qtbot)
    page = window.raters
    rows = _rows(page)
    assert set(rows) == set(RATERS)
    assert "speeding" in _cell(page, rows["speeder"], "flags")
    assert "straight-lining" in _cell(page, rows["flat"], "flags")
    assert "gold items failed" in _cell(page, rows["goldfail"], "flags")
    for honest in ("honest1", "honest2", "honest3"):
        assert _cell(page, rows[honest], "flags") == ""
    # the reason, in words, under the table for the rater chosen with the keyboard
    page.view.setFocus()
    page.select_rater(RATERS[0])
    while page.selected_rater() != "flat":
        qtbot.keyClick(page.view, Qt.Key.Key_Down)
    text = page.detail.text()
    assert "flat: straight-lining" in text
    assert "the same score on every dimension for 100% of" in text
    page.select_rater("goldfail")
    assert "0% of 32 gold scores within tolerance" in page.detail.text()
    gold = _sql(
        team_path,
        "SELECT DISTINCT m.name || '/' || i.sample_id AS shown FROM gold g "
        "JOIN items i ON i.id = g.item_id JOIN models m ON m.id = i.model_id",
    )["shown"]
    missed = page.detail.text().split("Gold items missed: ")[1].split("\n")[0].split(", ")
    assert sorted(missed) == sorted(gold)  # named as model/sample, as the report names them
    page.select_rater("honest2")
    assert page.detail.text().startswith("honest2: no flags")


def test_numbers_match_a_recomputation_from_the_file(team_path, open_lead, qtbot):
    window, controller = _open_raters(open_lead, team_path, qtbot)
    page = window.raters
    rows = _rows(page)
    ann = _sql(
        team_path,
        "SELECT ra.name AS rater, a.item_id, a.seconds FROM annotations a "
        "JOIN raters ra ON ra.id = a.rater_id",
    )
    ratings = _sql(
        team_path,
        "SELECT ra.name AS rater, r.item_id, d.key AS dimension, r.score FROM ratings r "
        "JOIN raters ra ON ra.id = r.rater_id JOIN dimensions d ON d.id = r.dimension_id",
    )
    gold = _sql(
        team_path,
        "SELECT g.item_id, d.key AS dimension, g.expected, g.tolerance FROM gold g "
        "JOIN dimensions d ON d.id = g.dimension_id",
    )
    median = ann[ann["seconds"] > 0].groupby("rater")["seconds"].median()
    joined = ratings.merge(gold, on=["item_id", "dimension"])
    within = ((joined["score"] - joined["expected"]).abs() <= joined["tolerance"]).groupby(
        joined["rater"]
    )
    # leniency: own score minus the mean of the others on the same item and dimension
    unit = ratings.groupby(["item_id", "dimension"])["score"].agg(["sum", "count"])
    r = ratings.join(unit, on=["item_id", "dimension"])
    r = r[r["count"] > 1]
    r["diff"] = r["score"] - (r["sum"] - r["score"]) / (r["count"] - 1)
    leniency = r.groupby("rater")["diff"].mean()
    for rater, row in rows.items():
        assert page.model.row_value(row, "median_seconds") == pytest.approx(median[rater])
        assert _cell(page, row, "gold_accuracy") == f"{100 * within.mean()[rater]:.0f}%"
        assert page.model.row_value(row, "gold_n") == within.size()[rater]
        assert page.model.row_value(row, "leniency") == pytest.approx(leniency[rater])
        assert _cell(page, row, "leniency") == f"{leniency[rater]:+.2f}"
        done = ratings[ratings["rater"] == rater]["item_id"].nunique()
        assert _cell(page, row, "done") == str(done)
    assert _cell(page, rows["speeder"], "median_seconds") == f"{median['speeder']:.1f} s"


def test_adjusted_means_beside_the_raw_ones(team_path, open_lead, qtbot):
    window, controller = _open_raters(open_lead, team_path, qtbot)
    table = window.raters.adjusted.table
    evaluation = controller.evaluation
    ratings = _sql(
        team_path,
        "SELECT r.item_id, m.name AS model, d.key AS dimension, r.score FROM ratings r "
        "JOIN items i ON i.id = r.item_id JOIN models m ON m.id = i.model_id "
        "JOIN dimensions d ON d.id = r.dimension_id",
    )
    # raw: the mean over a model's items of each item's mean score
    item_means = ratings.groupby(["model", "dimension", "item_id"])["score"].mean()
    raw = item_means.groupby(["model", "dimension"]).agg(["mean", "size"])
    seen = 0
    for r in range(table.rowCount()):
        model, dim = table.item(r, 0).data(SORT_ROLE), table.item(r, 1).data(SORT_ROLE)
        core = evaluation.rater_quality.adjusted.get(model, dim)
        assert table.item(r, 3).text() == f"{core.adjusted:.2f}"
        assert table.item(r, 3).data(SORT_ROLE) == core.adjusted
        assert table.item(r, 4).data(SORT_ROLE) == pytest.approx(core.adjusted - core.raw)
        if dim == "composite":
            continue
        seen += 1
        assert table.item(r, 2).data(SORT_ROLE) == pytest.approx(raw.loc[(model, dim), "mean"])
        assert table.item(r, 2).text() == f"{raw.loc[(model, dim), 'mean']:.2f}"
        assert table.item(r, 5).text() == str(raw.loc[(model, dim), "size"])
    assert seen == 8 and table.rowCount() == 10  # 2 models x (4 dimensions + composite)
    assert not window.raters.adjusted.notes.isVisible()


def test_the_adjusted_means_are_least_squares_with_item_and_rater_effects(
    team_path, open_lead, qtbot
):
    """The cell against statsmodels OLS score ~ C(item) + C(rater), for one dimension."""
    smf = pytest.importorskip("statsmodels.formula.api")
    window, controller = _open_raters(open_lead, team_path, qtbot)
    table = window.raters.adjusted.table
    ratings = _sql(
        team_path,
        "SELECT ra.name AS rater, r.item_id, m.name AS model, r.score FROM ratings r "
        "JOIN raters ra ON ra.id = r.rater_id JOIN items i ON i.id = r.item_id "
        "JOIN models m ON m.id = i.model_id "
        "JOIN dimensions d ON d.id = r.dimension_id WHERE d.key = 'style'",
    )
    fit = smf.ols("score ~ C(item_id) + C(rater, Sum) - 1", data=ratings).fit()
    effect = {int(k.split("[")[1].rstrip("]")): v for k, v in fit.params.items() if "item" in k}
    models = ratings.drop_duplicates("item_id").set_index("item_id")["model"]
    want = pd.Series(effect).groupby(models).mean()
    for r in range(table.rowCount()):
        if table.item(r, 1).data(SORT_ROLE) == "style":
            model = table.item(r, 0).data(SORT_ROLE)
            assert table.item(r, 3).data(SORT_ROLE) == pytest.approx(want[model], abs=1e-9)


def _adjudicated_item(path) -> int:
    """Adjudicate a non-gold item on every dimension, as the lead would, and return it."""
    with Project.open(path) as project:
        gold = set(project.gold.items())
        item_id = next(i for i in range(1, 200) if i not in gold)
        for k, d in enumerate(project.rubric.keys):
            project.adjudicate(item_id, d, 2 + k % 3, note="test", by="lead")
    return item_id


def test_use_as_gold_writes_the_gold_rows(team_path, open_lead, qtbot, wait_idle):
    item_id = _adjudicated_item(team_path)
    before = _sql(team_path, "SELECT COUNT(*) AS n FROM gold")["n"][0]
    window, controller = open_lead(team_path)
    controller.open_item(item_id)
    button = window.disagreements.gold
    assert button.isEnabled()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    wait_idle(controller)
    status = window.status.text()
    assert status.startswith(f"Item {item_id} is gold now: 4 expected score(s)")
    gold = _sql(
        team_path,
        f"SELECT d.key AS dimension, g.expected, g.origin FROM gold g "
        f"JOIN dimensions d ON d.id = g.dimension_id WHERE g.item_id = {item_id}",
    )
    adjudicated = _sql(
        team_path,
        f"SELECT d.key AS dimension, a.score FROM adjudications a "
        f"JOIN dimensions d ON d.id = a.dimension_id WHERE a.item_id = {item_id}",
    )
    assert dict(zip(gold["dimension"], gold["expected"], strict=True)) == dict(
        zip(adjudicated["dimension"], adjudicated["score"], strict=True)
    )
    assert set(gold["origin"]) == {"adjudicated"}
    assert _sql(team_path, "SELECT COUNT(*) AS n FROM gold")["n"][0] == before + 4


def test_use_as_gold_on_an_item_not_adjudicated_is_refused_in_words(
    team_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(team_path)
    before = _sql(team_path, "SELECT * FROM gold")
    controller.open_item(100)
    button = window.disagreements.gold
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert window.status.text().startswith("Not used as gold:")
    assert "no adjudicated score yet; adjudicate it first" in window.status.text()
    pd.testing.assert_frame_equal(_sql(team_path, "SELECT * FROM gold"), before)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_grab_the_page(team_path, open_lead, qtbot, language):
    previous = current_language()
    set_language(language)
    try:
        window, controller = _open_raters(open_lead, team_path, qtbot)
        window.resize(1400, 900)
        window.raters.select_rater("goldfail")
        qtbot.wait(50)
        window.grab().save(f"{SHOTS}/raters_{language}.png")
        assert np.asarray([window.raters.model.rowCount()]) == 6
    finally:
        set_language(previous)


def test_the_score_histogram_is_drawn_from_the_counts_it_is_given(team_path, open_lead, qtbot):
    """Each rater's counts of the scores 1-5 (read here with SQL) in a painted cell, said in
    words in its tooltip and under the table; without counts the column is hidden."""
    window, controller = _open_raters(open_lead, team_path, qtbot)
    page = window.raters
    ratings = _sql(
        team_path,
        "SELECT ra.name AS rater, r.score FROM ratings r JOIN raters ra ON ra.id = r.rater_id",
    )
    table = ratings.groupby("rater")["score"].value_counts().unstack(fill_value=0)
    counts = {r: tuple(int(table.loc[r].get(k, 0)) for k in range(1, 6)) for r in table.index}
    column = page._column("scores_total")
    status = controller.project.team_status()
    evaluation = controller.evaluation
    page.show_status(status, evaluation.stats.raters, None, evaluation.rater_quality, counts)
    assert not page.view.isColumnHidden(column)
    rows = _rows(page)
    flat = page.model.index(rows["flat"], column)
    assert flat.data(Qt.ItemDataRole.ToolTipRole) == f"1: 0 · 2: 0 · 3: 0 · 4: {4 * 64} · 5: 0"
    assert flat.data(SORT_ROLE) == sum(counts["flat"])
    page.select_rater("speeder")
    words = " · ".join(f"{k}: {n}" for k, n in enumerate(counts["speeder"], start=1))
    assert f"Scores 1-5: {words}" in page.detail.text()
    window.resize(1400, 900)
    window.grab().save(f"{SHOTS}/raters_histogram.png")
    page.show_status(status, evaluation.stats.raters, None, evaluation.rater_quality)
    assert not page.view.isColumnHidden(column)  # the core's own counts, the same
    assert page.model.index(_rows(page)["flat"], column).data(SORT_ROLE) == sum(counts["flat"])


def test_a_design_too_sparse_says_so_in_words(tmp_path, open_lead, qtbot):
    """Two raters who share no item: no adjusted mean, and the note says why."""
    path = tmp_path / "sparse.annotator"
    with Project.create(path, "sparse", language="en") as project:
        add_items(project, 6, "base")
        add_items(project, 6, "lora")
        with open(tmp_path / "r.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["model", "sample_id", "rater", "dimension", "score"])
            for model, rater in (("base", "alice"), ("lora", "bob")):
                for k in range(1, 7):
                    w.writerows([model, f"s{k}", rater, d, 1 + k % 5] for d in project.rubric.keys)
        project.import_ratings(tmp_path / "r.csv")
    window, controller = _open_raters(open_lead, path, qtbot)
    box = window.raters.adjusted
    assert box.table.rowCount() == 10
    for r in range(box.table.rowCount()):
        assert box.table.item(r, 3).text() == "–"
        assert box.table.item(r, 2).text() != "–"  # the raw mean is still there
    assert not box.notes.isHidden()
    assert "too sparse to separate raters from items" in box.notes.text()
    assert "shares only 0 item(s) with the other raters" in box.notes.text()


def test_the_window_draws_each_raters_histogram_from_the_evaluation(team_path, open_lead, qtbot):
    """Once the rater signals carry the counts of the scores 1-5 (``score_counts``), the
    window shows them without being handed any: checked against SQL."""
    from annotator.core.stats.rater_quality import RaterSignals

    if "score_counts" not in RaterSignals.__dataclass_fields__:
        pytest.skip("RaterSignals has no score_counts yet (asked of the core)")
    window, controller = _open_raters(open_lead, team_path, qtbot)
    page = window.raters
    ratings = _sql(
        team_path,
        "SELECT ra.name AS rater, r.score FROM ratings r JOIN raters ra ON ra.id = r.rater_id",
    )
    assert not page.view.isColumnHidden(page._column("scores_total"))
    for rater, row in _rows(page).items():
        mine = ratings.loc[ratings["rater"] == rater, "score"]
        want = tuple(int((mine == k).sum()) for k in range(1, 6))
        assert page.model.row_value(row, "scores") == want
