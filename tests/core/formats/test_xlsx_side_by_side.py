"""The report's Side by side sheet, read back with openpyxl and from the chart's XML.

The demo's evaluation gets a side-by-side report of judgments made up here
(``tests.gsb_judgments``). The GSB counts, rates and sign tests are checked against
pandas and ``scipy.stats.binomtest``, the chart against the cells it points to, the gate
against the Summary it must appear in; one LibreOffice render (slow).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import numpy as np
import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from scipy.stats import binomtest

from annotator.core.domain.gates import Gate
from annotator.core.domain.message import Message
from annotator.core.formats.xlsx_report import write_report
from annotator.core.project import Project
from annotator.core.usecases.exporting import report_data
from annotator.core.verdicts import evaluate
from tests.gsb_judgments import PLAN, expected_counts, judgments, with_pairwise

SHEET = "Side by side"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo project (open for the module), its evaluation and a judgments frame."""
    path = tmp_path_factory.mktemp("demo") / "demo.annotator"
    project = Project.demo(path)
    evaluation = project.evaluate(resamples=50)
    frame = judgments(sorted(evaluation.stats.items["sample_id"].unique()))
    yield project, evaluation, frame
    project.close()


def _write(demo, out, evaluation, language="en"):
    project = demo[0]
    data = dataclasses.replace(report_data(project.db, evaluation), language=language)
    return write_report(data, out)


@pytest.fixture(scope="module")
def report(demo, tmp_path_factory):
    project, evaluation, frame = demo
    out = tmp_path_factory.mktemp("report") / "report.xlsx"
    return _write(demo, out, with_pairwise(evaluation, frame))


def _table(ws, *, header: str | None = None, after: str | None = None):
    """(headers, rows) of the table whose header row starts with ``header``, or follows
    the section title starting with ``after``; its rows end at the first empty row."""
    rows = list(ws.iter_rows(values_only=True))
    if after is not None:
        at = next(i for i, r in enumerate(rows) if str(r[0]).startswith(after)) + 1
    else:
        at = next(i for i, r in enumerate(rows) if r[0] == header)
    headers = [h if h is not None else i for i, h in enumerate(rows[at])]  # unnamed: by place
    body = []
    for row in rows[at + 1 :]:
        if all(c is None for c in row) or str(row[0]).startswith(("(", "Warning")):
            break
        body.append(dict(zip(headers, row, strict=False)))
    return headers, body


def _key(label: str, dimension: str) -> tuple[str, str, str]:
    a, b = label.split(" vs ")
    return a, b, "" if dimension == "overall" else dimension.lower()


def _p_cell(p: float):
    return "<0.001" if p < 0.001 else round(p, 3)


def test_the_gsb_table_holds_the_counts_pandas_finds(demo, report):
    ws = load_workbook(report)[SHEET]
    headers, body = _table(ws, header="Pair")
    expected = expected_counts(demo[2])
    shown = {_key(r["Pair"], r["Dimension"]): r for r in body}
    assert set(shown) == set(expected.index) == set(PLAN)
    for key, row in expected.iterrows():
        cells = shown[key]
        counts = [cells[h] for h in ("G: A better", "S: same", "B: B better", "Both bad")]
        assert counts == [int(row[k]) for k in ("a", "tie", "b", "both_bad")]
        assert (cells["Samples"], cells["Judgments"]) == (row["samples"], row["judgments"])
        assert cells["Win rate of A"] == pytest.approx(round(row["win_rate"], 2))
        assert cells["Net score"] == pytest.approx(round(row["net"], 2))
        assert cells["Sign test p"] == _p_cell(
            binomtest(int(row["a"]), int(row["a"] + row["b"])).pvalue
        )
    assert headers.count("95% CI") == 2  # the win rate's and the net score's
    lora = shown[("lora-v2", "base", "")]
    assert lora["Reading"] == "better"  # lora-v2 is clearly better: the interval is above 0
    low, high = (float(x) for x in re.findall(r"[-+]\d\.\d\d", lora[headers[9]]))
    assert 0 < low < lora["Net score"] < high


def test_position_bias_pools_one_choice_per_screen_and_warns_in_words(demo, report, tmp_path):
    frame = demo[2]
    ws = load_workbook(report)[SHEET]
    _, body = _table(ws, after="Position bias")
    pooled = body[0]
    overall = frame[frame["dimension"] == ""] if (frame["dimension"] == "").any() else frame
    decisive = overall[overall["outcome"].isin(["a", "b"])]  # the overall choice of a screen
    chose = np.where(decisive["outcome"] == "a", decisive["model_a"], decisive["model_b"])
    left = int((chose == decisive["left"]).sum())
    assert pooled["Pair"] == "all pairs"
    assert (pooled["Chose the left answer"], pooled["Chose a side"]) == (left, len(decisive))
    assert pooled["Share left"] == pytest.approx(round(left / len(decisive), 3))
    assert pooled["p (binomial test against 50%)"] == _p_cell(binomtest(left, len(decisive)).pvalue)
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any(t.startswith("Warning: raters chose") for t in texts)
    biased = judgments(sorted(frame["sample_id"].unique()), left_bias=0.8)
    out = _write(demo, tmp_path / "biased.xlsx", with_pairwise(demo[1], biased))
    texts = [c for row in load_workbook(out)[SHEET].iter_rows(values_only=True) for c in row]
    assert any(str(t).startswith("Warning: raters chose the answer on the left") for t in texts)


def test_bradley_terry_leaderboard_and_matrix(demo, report):
    ws = load_workbook(report)[SHEET]
    _, board = _table(ws, after="Bradley-Terry ratings")
    expected = expected_counts(demo[2])
    against_base = {a: expected.loc[(a, "base", ""), "win_rate"] for a in ("lora-v2", "qwen")}
    order = sorted(against_base, key=against_base.get, reverse=True) + ["base"]
    assert [r["Model"] for r in board] == order and [r["Rank"] for r in board] == [1, 2, 3]
    ratings = {r["Model"]: r["Rating (Elo)"] for r in board}
    assert (
        ratings["base"] == 1000
        and next(r for r in board if r["Model"] == "base")["95% CI"] == "anchor"
    )
    heads, matrix = _table(ws, after="Predicted win probability")
    models = heads[1 : 1 + len(board)]
    assert sorted(models) == sorted(ratings)
    rows = {r[heads[0]]: r for r in matrix}
    for a in models:
        for b in models:
            if a == b:
                assert rows[a][b] is None
                continue
            elo = 1 / (1 + 10 ** ((ratings[b] - ratings[a]) / 400))
            assert rows[a][b] == pytest.approx(elo, abs=0.002)  # ratings shown rounded
            assert rows[a][b] + rows[b][a] == pytest.approx(1, abs=0.0011)


def _charts(path):
    """(chart XML root, its anchor sheet unknown) for every chart in the file."""
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml", n))
        return [ElementTree.fromstring(z.read(n)) for n in names]


def _cells(ws, ref: str):
    sheet, cells = ref.rsplit("!", 1)
    assert sheet.strip("'") == SHEET
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    return [
        ws.cell(row, col).value
        for row in range(min_row, max_row + 1)
        for col in range(min_col, max_col + 1)
    ]


def test_the_chart_is_a_percent_stacked_bar_over_the_gsb_counts(demo, report):
    bars = [r for r in _charts(report) if r.find(f".//{C}barDir").get("val") == "bar"]
    assert len(bars) == 1  # the Charts sheet's two are columns
    chart = bars[0]
    assert chart.find(f".//{C}grouping").get("val") == "percentStacked"
    assert chart.find(f".//{C}overlap").get("val") == "100"
    series = chart.findall(f".//{C}ser")
    assert len(series) == 4
    ws = load_workbook(report)[SHEET]
    expected = expected_counts(demo[2])
    labels = _cells(ws, series[0].find(f"{C}cat//{C}f").text)
    keys = [_key(*label.split(" · ")) for label in labels]
    assert sorted(keys) == sorted(expected.index)
    titles = ("G: A better", "S: same", "B: B better", "Both bad")
    for ser, outcome, title in zip(series, ("a", "tie", "b", "both_bad"), titles, strict=True):
        assert _cells(ws, ser.find(f"{C}tx//{C}f").text) == [title]
        values = _cells(ws, ser.find(f"{C}val//{C}f").text)
        assert values == [int(expected.loc[k, outcome]) for k in keys]


def test_no_sheet_without_judgments(demo, tmp_path):
    for language in ("en", "zh_CN"):
        plain = dataclasses.replace(demo[1], pairwise=None, judges=None, rater_quality=None)
        out = _write(demo, tmp_path / f"plain-{language}.xlsx", plain, language)
        names = load_workbook(out).sheetnames
        assert Message("Side by side").text(language) not in names and len(names) == 6
        assert not [r for r in _charts(out) if r.find(f".//{C}barDir").get("val") == "bar"]
    out = _write(demo, tmp_path / "zh.xlsx", with_pairwise(demo[1], demo[2]), "zh_CN")
    assert load_workbook(out).sheetnames[1] == Message("Side by side").text("zh_CN")


def test_the_summary_names_the_side_by_side_gate_and_its_reasons(demo, tmp_path):
    project, evaluation, frame = demo
    withp = with_pairwise(evaluation, frame)
    net = expected_counts(frame).loc[("lora-v2", "base", ""), "net"]
    gate = Gate("gsb-net", "pair:net", ">=", 0.7, True, False, "edited")  # above lora's net
    gates = (*[g for g in evaluation.verdicts.gates if g.key != "gsb-net"], gate)
    verdicts = evaluate(
        evaluation.stats, gates, rubric=project.rubric, pairwise=withp.pairwise, baseline="base"
    )
    out = _write(demo, tmp_path / "gate.xlsx", dataclasses.replace(withp, verdicts=verdicts))
    rows = list(load_workbook(out)["Summary"].iter_rows(values_only=True))
    gate_row = next(r for r in rows if str(r[0]).startswith("side-by-side net score"))
    assert gate_row[0] == "side-by-side net score >= 0.70" and gate_row[1] == "✓"
    reasons = [str(r[1]) for r in rows if r[0] == "lora-v2" and str(r[1]).startswith("Reasons")]
    said = [r for r in reasons if "side-by-side net score" in r]
    assert len(said) == 1
    assert said[0].startswith(f"Reasons: side-by-side net score {net:+.2f} < +0.70")
    assert not [r for r in rows if r[0] == "base" and "side-by-side" in str(r[1])]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_prints_the_sheet_with_its_chart(demo, report, tmp_path):
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(report)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    page = next(i for i, text in enumerate(pages, start=1) if "Side by side (GSB)" in text)
    text = pages[page - 1]
    for words in ("Position bias", "Bradley-Terry ratings", "Share of judgments per pair",
                  "lora-v2 vs base", "100%"):  # fmt: skip
        assert words in text, words
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), str(pdf),
         str(tmp_path / "page")],
        check=True, timeout=120,
    )  # fmt: skip
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 10_000  # the tables and the bars, not a blank page
