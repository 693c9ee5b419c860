"""The report's Raters sheet and the Summary's sentence per flagged rater (issue 18), read
back with openpyxl.

The planted team of ``tests/core/usecases/test_rater_quality.py`` (six raters: one
speeding with random scores, one straight-lining all 4s, one failing the gold items by 2
points, three honest) in a real project file. The cells are checked against numbers
recomputed here from the file read back with SQL: median seconds with pandas from the
annotations, gold accuracy / MAE / missed from the gold and ratings tables, leniency as
each score minus the other raters' mean on the same item and dimension, and the
rater-adjusted means against statsmodels' OLS ``score ~ C(item) + C(rater)``. A team of
the honest raters alone has no flag, and the Summary no sentence about one.
"""

from __future__ import annotations

import csv
import dataclasses
import sqlite3

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from openpyxl import load_workbook

from annotator.core.formats.xlsx_report import write_report
from annotator.core.formats.xlsx_report.text_lines import wrapped
from annotator.core.i18n import display_width
from annotator.core.project import Project
from annotator.core.usecases.exporting import report_data
from tests.core.usecases.test_rater_quality import N_SAMPLES, RATERS, _plant
from tests.factories import add_items

SHEET = "Raters"
HEADER = "Rater"
HONEST = ("honest1", "honest2", "honest3")


def _build(folder, raters) -> Project:
    """The planted team's project with only ``raters``' ratings (seconds and times in)."""
    scores, seconds, order, gold_rows = _plant()
    project = Project.create(folder / "team.annotator", "planted team", language="en")
    add_items(project, N_SAMPLES, "base")
    add_items(project, N_SAMPLES, "lora")
    with open(folder / "ratings.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["model", "sample_id", "rater", "dimension", "score", "seconds", "rated_at"])
        for (model, sample, rater), dims in scores.items():
            if rater in raters:
                sec, at = repr(seconds[(model, sample, rater)]), order[(model, sample, rater)]
                w.writerows([model, sample, rater, d, v, sec, at] for d, v in dims.items())
    project.import_ratings(folder / "ratings.csv")
    with open(folder / "gold.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["model", "sample_id", "dimension", "expected"])
        w.writerows(gold_rows)
    project.gold.import_file(folder / "gold.csv")
    return project


def _export(project, out, language="en"):
    evaluation = project.evaluate(resamples=0)
    data = dataclasses.replace(report_data(project.db, evaluation), language=language)
    return write_report(data, out)


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    folder = tmp_path_factory.mktemp("raters_sheet")
    project = _build(folder, RATERS)
    paths = {lang: _export(project, folder / f"report_{lang}.xlsx", lang) for lang in ("en", "zh")}
    path = project.path
    project.close()
    return path, paths


@pytest.fixture(scope="module")
def honest(tmp_path_factory):
    folder = tmp_path_factory.mktemp("honest_team")
    project = _build(folder, HONEST)
    out = _export(project, folder / "report.xlsx")
    project.close()
    return out


def _sql(path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(ratings, annotations, gold) of the project file, read with SQL."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ratings = pd.read_sql_query(
        "SELECT r.item_id, ra.name AS rater, d.key AS dimension, r.score, m.name AS model "
        "FROM ratings r JOIN raters ra ON ra.id = r.rater_id "
        "JOIN dimensions d ON d.id = r.dimension_id JOIN items i ON i.id = r.item_id "
        "JOIN models m ON m.id = i.model_id",
        conn,
    )
    annotations = pd.read_sql_query(
        "SELECT a.item_id, ra.name AS rater, a.seconds FROM annotations a "
        "JOIN raters ra ON ra.id = a.rater_id",
        conn,
    )
    gold = pd.read_sql_query(
        "SELECT g.item_id, d.key AS dimension, g.expected, g.tolerance, "
        "m.name || '/' || i.sample_id AS sample FROM gold g "
        "JOIN dimensions d ON d.id = g.dimension_id JOIN items i ON i.id = g.item_id "
        "JOIN models m ON m.id = i.model_id",
        conn,
    )
    conn.close()
    return ratings, annotations, gold


def _rows(path, sheet=SHEET):
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


def _rater_table(rows) -> dict[str, dict]:
    at = next(i for i, r in enumerate(rows) if r[0] == HEADER)
    headers = rows[at]
    out = {}
    for row in rows[at + 1 :]:
        if not isinstance(row[1], int):
            break
        out[row[0]] = dict(zip(headers, row, strict=False))
    return out


def shown(value: float, digits: int):
    return pytest.approx(value, abs=0.5 * 10**-digits + 1e-9)


def test_each_rater_row_against_the_file_read_with_sql(team):
    path, reports = team
    ratings, annotations, gold = _sql(path)
    table = _rater_table(_rows(reports["en"]))
    assert set(table) == set(RATERS)
    timed = annotations[annotations["seconds"] > 0]
    median = timed.groupby("rater")["seconds"].median()
    joined = ratings.merge(gold, on=["item_id", "dimension"])
    joined["error"] = (joined["score"] - joined["expected"]).abs()
    joined["within"] = joined["error"] <= joined["tolerance"]
    for rater in RATERS:
        row, mine = table[rater], joined[joined["rater"] == rater]
        assert row["Items rated"] == ratings[ratings["rater"] == rater]["item_id"].nunique()
        assert row["Median seconds per item"] == shown(median[rater], 2)
        assert row["Gold scores"] == len(mine)
        assert row["Gold accuracy"] == shown(mine["within"].mean(), 2)
        assert row["Gold MAE"] == shown(mine["error"].mean(), 2)
        assert row["Gold items missed"] == mine.loc[~mine["within"], "item_id"].nunique()
        assert row["Leniency"] == shown(_leniency(ratings, rater), 2)
    assert table["goldfail"]["Gold accuracy"] == 0
    team = f"The team's median time: {np.median(median[list(RATERS)]):.1f} s per item."
    assert any(str(r[0]).startswith(team) for r in _rows(reports["en"])[:3])


def _leniency(ratings: pd.DataFrame, rater: str) -> float:
    """Mean of own score minus the other raters' mean, on what someone else also scored."""
    unit = ratings.groupby(["item_id", "dimension"])["score"]
    n, total = unit.transform("size"), unit.transform("sum")
    mine = (ratings["rater"] == rater) & (n > 1)
    others = (total[mine] - ratings.loc[mine, "score"]) / (n[mine] - 1)
    return float((ratings.loc[mine, "score"] - others).mean())


def test_the_flagged_raters_say_their_flags_and_why(team):
    _, reports = team
    rows = _rows(reports["en"])
    table = _rater_table(rows)
    assert "speeding" in table["speeder"]["Flags"]
    assert table["flat"]["Flags"] == "straight-lining"
    assert table["goldfail"]["Flags"] == "gold items failed"
    for rater in HONEST:
        assert table[rater]["Flags"] is None
    reasons = [(r[0], r[1]) for r in rows if r[0] in RATERS and isinstance(r[1], str)]
    said = {rater: [text for who, text in reasons if who == rater] for rater in RATERS}
    assert any(t.startswith("speeding — median 1.") for t in said["speeder"])
    assert any(t.startswith("straight-lining — the same score on every dimension for 100%")
               for t in said["flat"])  # fmt: skip
    assert any(t.startswith("gold items failed — 0% of 32 gold scores") for t in said["goldfail"])


def test_the_gold_items_missed_are_named(team):
    path, reports = team
    ratings, _, gold = _sql(path)
    rows = _rows(reports["en"])
    line = next(r[1] for r in rows if r[0] == "goldfail" and str(r[1]).startswith("gold items m"))
    assert set(line.split(": ", 1)[1].split(", ")) == set(gold["sample"])


def test_adjusted_means_against_statsmodels_ols(team):
    path, reports = team
    ratings, _, _ = _sql(path)
    rows = _rows(reports["en"])
    at = next(i for i, r in enumerate(rows) if r[0] == "Model" and r[2] == "Raw mean")
    cells = {(r[0], r[1]): r for r in rows[at + 1 :] if r[0] in ("base", "lora")}
    assert len(cells) == 2 * 5  # four dimensions and the composite per model
    one = ratings[ratings["dimension"] == "relevance"]
    fit = smf.ols("score ~ C(item_id) + C(rater)", data=one).fit()
    raters = sorted(one["rater"].unique())
    effects = np.array([0.0] + [fit.params[f"C(rater)[T.{r}]"] for r in raters[1:]])
    items = sorted(one["item_id"].unique())
    item_fx = np.array([0.0] + [fit.params[f"C(item_id)[T.{i}]"] for i in items[1:]])
    # rater effects summing to zero: each item's effect is on the score scale
    a = pd.Series(fit.params["Intercept"] + item_fx + effects.mean(), index=items)
    model_of = one.drop_duplicates("item_id").set_index("item_id")["model"]
    item_means = one.groupby("item_id")["score"].mean()
    for model in ("base", "lora"):
        mine = model_of[model_of == model].index
        row = cells[(model, "Relevance")]
        assert row[2] == shown(item_means[mine].mean(), 2)  # raw
        assert row[3] == shown(a[mine].mean(), 2)  # adjusted
        assert row[4] == shown(a[mine].mean() - item_means[mine].mean(), 2)
        assert row[5] == len(mine)
        assert row[6] is None  # no sparse note: every rater shares many items


def test_the_summary_says_who_needs_a_look(team):
    _, reports = team
    lines = [r[0] for r in _rows(reports["en"], "Summary") if isinstance(r[0], str)]
    first = [line for line in lines if " needs a look: " in line]
    assert {line.split(" ", 1)[0] for line in first} == {"speeder", "flat", "goldfail"}
    flat = next(line for line in first if line.startswith("flat "))
    assert flat.startswith("flat needs a look: straight-lining — the same score on every")
    speeder = lines.index(next(line for line in first if line.startswith("speeder ")))
    sentence = " ".join(lines[speeder : speeder + 6])
    assert sentence.startswith("speeder needs a look: speeding — median 1.")
    assert "(see the Raters sheet)." in sentence


def test_no_flag_no_sentence(honest):
    table = _rater_table(_rows(honest))
    assert set(table) == set(HONEST)
    assert all(row["Flags"] is None for row in table.values())
    assert "No rater is flagged." in [r[0] for r in _rows(honest)]
    assert load_workbook(honest).sheetnames[1] == SHEET  # the sheet is there all the same
    summary = [str(r[0]) for r in _rows(honest, "Summary")]
    assert not any("needs a look" in line for line in summary)


def test_the_sheet_prints_and_reads_as_the_others(team):
    _, reports = team
    wb = load_workbook(reports["en"])
    assert wb.sheetnames[:2] == ["Summary", SHEET]
    ws = wb[SHEET]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    header = next(r for r in ws.iter_rows() if r[0].value == HEADER)
    assert ws.freeze_panes == f"B{header[0].row + 1}"
    row = next(r for r in ws.iter_rows() if r[0].value == "speeder")
    formats = {c.column_letter: c.number_format for c in row}
    assert formats["E"] == "0%" and formats["H"].startswith("+0.00")
    assert isinstance(row[4].value, float) and isinstance(row[7].value, float)


def test_the_sheet_in_chinese(team):
    _, reports = team
    wb = load_workbook(reports["zh"])
    assert "评分人" in wb.sheetnames
    rows = list(wb["评分人"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "评分人")
    assert "宽松度" in header


def _unbalanced(folder) -> Project:
    """A harsh rater on most of lora's items, a lenient one on most of base's, one on the
    shared first 14 samples of both, and a newcomer with two items only."""
    rng = np.random.default_rng(11)
    dims = ("relevance", "fluency", "style", "compliance")
    offset = {"harsh": -1.2, "kind": 0.8, "mid": 0.0, "newbie": 0.0}
    plan = {
        "harsh": [("lora", k) for k in range(1, 31)] + [("base", k) for k in range(1, 9)],
        "kind": [("base", k) for k in range(1, 31)] + [("lora", k) for k in range(1, 9)],
        "mid": [(m, k) for m in ("base", "lora") for k in range(1, 15)],
        "newbie": [("lora", 29), ("lora", 30)],
    }
    quality = {(m, k): rng.uniform(2.0, 4.0) for m in ("base", "lora") for k in range(1, 31)}
    project = Project.create(folder / "unbalanced.annotator", "unbalanced", language="en")
    add_items(project, 30, "base")
    add_items(project, 30, "lora")
    with open(folder / "ratings.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["model", "sample_id", "rater", "dimension", "score"])
        for rater, items in plan.items():
            for model, k in items:
                for d in dims:
                    s = quality[(model, k)] + offset[rater] + rng.normal(0, 0.4)
                    w.writerow([model, f"s{k}", rater, d, int(np.clip(np.round(s), 1, 5))])
    project.import_ratings(folder / "ratings.csv")
    return project


def test_adjusted_means_of_an_unbalanced_design_and_the_sparse_note(tmp_path):
    project = _unbalanced(tmp_path)
    out = _export(project, tmp_path / "report.xlsx")
    path = project.path
    project.close()
    ratings, _, _ = _sql(path)
    rows = _rows(out)
    at = next(i for i, r in enumerate(rows) if r[0] == "Model" and r[2] == "Raw mean")
    cells = {(r[0], r[1]): r for r in rows[at + 1 :] if r[0] in ("base", "lora")}
    # the newcomer shares 2 items: left out of the fit, which is fitted on the others
    one = ratings[(ratings["dimension"] == "fluency") & (ratings["rater"] != "newbie")]
    fit = smf.ols("score ~ C(item_id) + C(rater)", data=one).fit()
    raters = sorted(one["rater"].unique())
    effects = np.array([0.0] + [fit.params[f"C(rater)[T.{r}]"] for r in raters[1:]])
    items = sorted(one["item_id"].unique())
    item_fx = np.array([0.0] + [fit.params[f"C(item_id)[T.{i}]"] for i in items[1:]])
    a = pd.Series(fit.params["Intercept"] + item_fx + effects.mean(), index=items)
    mine = one[one["model"] == "base"]["item_id"].unique()
    raw = ratings[ratings["dimension"] == "fluency"].groupby("item_id")["score"].mean()
    base = cells[("base", "Fluency")]
    assert base[2] == shown(raw[mine].mean(), 2)
    assert base[3] == shown(a[mine].mean(), 2)
    assert base[4] == shown(a[mine].mean() - raw[mine].mean(), 2)
    assert base[4] < -0.2  # the lenient rater pulled base's raw mean up
    assert base[6] is None
    lora = cells[("lora", "Fluency")]
    assert lora[3] is None and lora[4] is None and lora[6] == "(1)"
    assert cells[("lora", "Composite")][6] == "(1)"
    note = next(r[1] for r in rows[at:] if r[0] == "(1)")
    assert note.startswith("too sparse to separate raters from items: rater newbie shares only 2")


def test_a_long_sentence_is_cut_into_lines_that_read_back_whole():
    text = "标记规则：用时过短（至少 5 个计时条目）；各维度同分，" * 8 + " and some English words"
    got = wrapped(text, 40)
    assert len(got) > 4 and "".join(got).replace(" ", "") == text.replace(" ", "")
    assert not [line for line in got[1:] if line[:1] in "）；，："]
    assert all(display_width(line) <= 42 for line in got)  # a closing mark may overhang
