"""The report's Judges sheet and the Summary's sentences about judges (issue 17), read back
with openpyxl.

A project built here (``tests.core.usecases.judges_data``: four humans on the first 30 of
40 samples per model, a judge close to the truth and one that guesses, on every item and
side by side in both orders). The cells are checked against numbers recomputed from the
file read back with SQL: scipy's ``spearmanr`` / ``pearsonr``, scikit-learn's quadratic
``cohen_kappa_score`` and ``ppi_python``'s PPI++ mean and interval; the side-by-side
consistency from the judge's own battle file. The demo's judge stays out of rater
packages and sheets.
"""

from __future__ import annotations

import csv
import dataclasses
import sqlite3
import zipfile

import numpy as np
import pytest
from openpyxl import load_workbook
from scipy import stats as sps
from sklearn.metrics import cohen_kappa_score

from annotator.core.domain.message import Message
from annotator.core.formats.xlsx_report import write_report
from annotator.core.formats.xlsx_report.text_lines import wrapped as lines
from annotator.core.project import Project
from annotator.core.usecases.exporting import report_data
from tests.core.usecases.judges_data import DIMS, build, sql_frames

SHEET = "Judges"
DIMENSION_HEADER = "Dimension"
PPI_HEADER = "Model"


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("judged")
    project, files = build(folder, human_items=30)
    for name in ("close", "guess"):
        project.judges.import_scores(files[name])
        project.judges.import_preferences(files[f"{name}_battles"])
    yield project, files
    project.close()


def _export(project, out, language="en", evaluation=None):
    evaluation = evaluation or project.evaluate(resamples=50)
    data = dataclasses.replace(report_data(project.db, evaluation), language=language)
    return write_report(data, out)


@pytest.fixture(scope="module")
def report(judged, tmp_path_factory):
    return _export(judged[0], tmp_path_factory.mktemp("report") / "report.xlsx")


def shown(value: float, digits: int):
    """``value`` as a cell of ``digits`` decimals holds it (half a unit either way: the
    cell's and the test's float may round a last-bit tie differently)."""
    return pytest.approx(value, abs=0.5 * 10**-digits + 1e-9)


def _rows(ws):
    return list(ws.iter_rows(values_only=True))


def _table(rows, judge: str, first: str, raw: bool = False) -> tuple[list, list]:
    """(headers, rows as dicts) of the judge's table whose header row starts with
    ``first``; its rows end at the first without a number in the third column. ``raw``:
    the rows as tuples (a table with two columns of the same name)."""
    start = next(i for i, r in enumerate(rows) if r[0] == judge)
    at = next(i for i, r in enumerate(rows[start:], start) if r[0] == first)
    headers = [h if h is not None else n for n, h in enumerate(rows[at])]
    body = []
    for row in rows[at + 1 :]:
        if len(row) < 3 or not isinstance(row[2], int | float):
            break
        body.append(row if raw else dict(zip(headers, row, strict=False)))
    return headers, body


def _human_vs_judge(human, judge, dimension):
    h = human[human.dimension == dimension].groupby("item_id")["score"].agg(["mean", "median"])
    j = judge[judge.dimension == dimension].set_index("item_id")["score"]
    both = h.join(j, how="inner")
    return both["score"].to_numpy(float), both["mean"].to_numpy(), both["median"].to_numpy()


def test_the_sheet_is_written_after_side_by_side_and_prints_landscape(report):
    wb = load_workbook(report)
    assert wb.sheetnames.index(SHEET) == wb.sheetnames.index("Side by side") + 1
    ws = wb[SHEET]
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["A1"].value.startswith("LLM judges against the human raters")
    assert "epsilon = 0.2" in ws["A2"].value and ws["A2"].value.startswith("Judges (")


def test_the_agreement_cells_match_scipy_and_sklearn(judged, report):
    rows = _rows(load_workbook(report)[SHEET])
    human, judges, _ = sql_frames(judged[0].path)
    for name in ("close", "guess"):
        headers, body = _table(rows, name, DIMENSION_HEADER)
        by_dimension = {r[DIMENSION_HEADER]: r for r in body}
        assert list(by_dimension) == ["Relevance", "Fluency", "Style consistency",
                                      "Compliance", "all dimensions"]  # fmt: skip
        judge = judges[judges.judge == name]
        for key, label in zip(DIMS, by_dimension, strict=False):
            x, y, median = _human_vs_judge(human, judge, key)
            cells = by_dimension[label]
            assert cells["n"] == len(x) == 60  # 30 samples of 2 models with human scores
            assert cells["Spearman"] == shown(sps.spearmanr(x, y).statistic, 3)
            assert cells["Pearson"] == shown(sps.pearsonr(x, y).statistic, 3)
            assert cells["MAE"] == shown(np.mean(np.abs(x - y)), 2)
            assert cells["Bias (judge - humans)"] == shown(np.mean(x - y), 2)
            kappa = cohen_kappa_score(x.astype(int), np.floor(median + 0.5).astype(int),
                                      weights="quadratic", labels=[1, 2, 3, 4, 5])  # fmt: skip
            assert cells["Kappa (quadratic)"] == shown(kappa, 3)
            assert cells["epsilon"] == pytest.approx(0.2)
        tests = {r["Alternative annotator test"] for r in body}
        # the close judge gives the truth, the humans a point of noise: it replaces one;
        # a judge that guesses cannot
        assert tests == ({"passed"} if name == "close" else {"not passed"})


def test_numbers_are_numbers_with_formats_and_readings_are_words(report):
    ws = load_workbook(report)[SHEET]
    rows = _rows(ws)
    at = next(i for i, r in enumerate(rows) if r[0] == DIMENSION_HEADER) + 2  # 1-based, body
    formats = {2: "0", 3: "0.000", 4: "0.000", 5: "0.00", 6: "+0.00;-0.00;0.00", 7: "0.000",
               10: "0.00", 11: "0.00", 12: "0.00"}  # fmt: skip
    for column, fmt in formats.items():
        cell = ws.cell(at, column)
        assert isinstance(cell.value, int | float), (column, cell.value)
        assert cell.number_format == fmt, column
    texts = [c for r in rows for c in r if isinstance(c, str)]
    assert "the judge can replace a rater on relevance (omega = 1.00, epsilon = 0.2)" in texts
    assert any(t.startswith("the judge cannot replace a rater on relevance") for t in texts)


def test_the_side_by_side_row_holds_the_consistency_of_the_judges_file(judged, report):
    rows = _rows(load_workbook(report)[SHEET])
    for name in ("close", "guess"):
        with open(judged[1][f"{name}_battles"], encoding="utf-8") as fh:
            battles = list(csv.DictReader(fh))
        seen: dict[str, list[str]] = {}
        for b in battles:  # the winner named by model, whichever side it was on
            won = {"model_a": b["model_a"], "model_b": b["model_b"]}.get(b["winner"], "tie")
            seen.setdefault(b["question_id"], []).append(won)
        agree = sum(len(set(v)) == 1 for v in seen.values()) / len(seen)
        _, body = _table(rows, name, "Side by side")
        (row,) = body
        assert row["Side by side"] == "Verdicts (both orders)"
        assert row["Seen in both orders"] == len(seen) == 40
        assert row["The two orders agree"] == shown(agree, 3)
        assert 0 <= row["Accuracy against the human majority"] <= 1


def test_the_ppi_cells_match_ppi_python(judged, report):
    ppi_py = pytest.importorskip("ppi_py")
    rows = _rows(load_workbook(report)[SHEET])
    human, judges, items = sql_frames(judged[0].path)
    judge = judges[judges.judge == "close"]
    headers, body = _table(rows, "close", PPI_HEADER, raw=True)
    assert headers.count("95% CI low") == 2 and headers.count("95% CI high") == 2
    assert headers[2] == "PPI++ mean" and headers[5] == "Human-only mean"
    table = {(r[0], r[1]): r for r in body}
    assert len(table) == 2 * (len(DIMS) + 1)  # per model, each dimension and the composite
    for model in ("base", "lora-v2"):
        ids = set(items[items.model == model].item_id)
        h = human[human.item_id.isin(ids) & (human.dimension == "fluency")]
        y = h.groupby("item_id").score.mean()
        yhat = judge[judge.item_id.isin(ids) & (judge.dimension == "fluency")]
        yhat = yhat.set_index("item_id").score.astype(float)
        labeled, unlabeled = yhat.loc[y.index].to_numpy(), yhat.drop(y.index).to_numpy()
        mean = float(np.squeeze(ppi_py.ppi_mean_pointestimate(y.to_numpy(), labeled, unlabeled)))
        low, high = ppi_py.ppi_mean_ci(y.to_numpy(), labeled, unlabeled, alpha=0.05)
        c_low, c_high = ppi_py.classical_mean_ci(y.to_numpy(), alpha=0.05)
        cells = list(table[(model, "Fluency")])
        assert cells[2:10] == pytest.approx([
            mean, float(np.squeeze(low)), float(np.squeeze(high)),
            y.mean(), float(np.squeeze(c_low)), float(np.squeeze(c_high)), 30, 40,
        ], abs=0.005 + 1e-9)  # fmt: skip
        assert all(round(c, 2) == c for c in cells[2:8])  # the cell holds what it shows
    texts = [c for r in rows for c in r if isinstance(c, str)]
    assert any(t.startswith("Prediction-powered inference (PPI++") for t in texts)
    assert any(t.startswith("The verdicts use the human-only means") for t in texts)


def _summary_texts(path) -> list[str]:
    ws = load_workbook(path)["Summary"]
    return [c for r in ws.iter_rows(values_only=True) for c in r if isinstance(c, str)]


@pytest.mark.slow
def test_the_summary_points_to_the_sheet_and_says_who_counts_as_a_rater(judged, tmp_path):
    project = judged[0]
    texts = _summary_texts(_export(project, tmp_path / "none.xlsx"))
    pointer = [t for t in texts if t.startswith("LLM judges in this project: close, guess.")]
    assert pointer and "Judges sheet" in pointer[0]
    assert not any("counts as a rater (" in t for t in texts)
    project.judges.use("close")
    try:
        out = _export(project, tmp_path / "promoted.xlsx")
    finally:
        project.judges.use("close", on=False)
    texts = _summary_texts(out)
    said = [t for t in texts if t.startswith("The judge close counts as a rater")]
    assert len(said) == 1 and said[0].endswith(".") and "guess" not in said[0]
    assert not any(t.startswith("LLM judges in this project") for t in texts)
    rows = _rows(load_workbook(out)[SHEET])
    start = next(i for i, r in enumerate(rows) if r[0] == "close")
    at = next(i for i, r in enumerate(rows[start:], start) if r[4] == "Counts as a rater")
    assert rows[at + 1][4] == "yes"


def test_no_sheet_and_no_sentence_without_a_judge(judged, tmp_path):
    project = judged[0]
    plain = dataclasses.replace(project.evaluate(resamples=20), judges=None)
    for language in ("zh_CN", "en"):
        out = _export(project, tmp_path / f"plain-{language}.xlsx", language, plain)
        assert Message("Judges").text(language) not in load_workbook(out).sheetnames
    texts = _summary_texts(out)  # the English one
    assert not any("LLM judge" in t or "counts as a rater" in t for t in texts)


def test_chinese_sheet_name_and_widths_fit_the_text(judged, tmp_path):
    out = _export(judged[0], tmp_path / "zh.xlsx", "zh_CN")
    wb = load_workbook(out)
    ws = wb[Message("Judges").text("zh_CN")]
    assert ws.column_dimensions["A"].width >= 10
    rows = _rows(ws)
    assert any(Message("passed").text("zh_CN") in r for r in rows)
    assert any(r[0] == "相关性" for r in rows)  # the rubric's Chinese names


def test_long_sentences_are_broken_into_lines_at_spaces():
    text = "word " * 60 + "end"
    got = lines(text, 40)
    assert " ".join(got) == text and all(len(line) <= 40 for line in got) and len(got) > 5
    chinese = "评判模型" * 30
    assert "".join(lines(chinese, 20)) == chinese
    assert all(len(line) * 2 <= 20 for line in lines(chinese, 20))


# -- blindness: the demo's judge reaches no rater ---------------------------------------------
def test_the_demo_judge_is_in_no_package_or_sheet(tmp_path):
    project = Project.demo(tmp_path / "demo.annotator")
    try:
        assert [j.name for j in project.judges.evaluate().judges] == ["sim-judge"]
        raters = ["王小明", "Alice", "李娜"]
        project.assign(raters, per_item=2, seed=5)
        package = project.create_package("李娜", tmp_path / "lina.annotator").path
        sheet = project.create_sheet("Alice", tmp_path / "alice.xlsx").path
    finally:
        project.close()
    con = sqlite3.connect(package)
    try:
        dump = "\n".join(con.iterdump())
    finally:
        con.close()
    with zipfile.ZipFile(sheet) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for text in (dump, xml):
        for word in ("sim-judge", "切题，覆盖了要求", "Fluent and natural", "judge.csv"):
            assert word not in text, word
