"""The report's layout read back with openpyxl: widths, number formats, print settings,
no empty rows, the Raters section (checked against pandas on the Ratings sheet), and one
LibreOffice render (slow)."""

from __future__ import annotations

import math
import shutil
import sqlite3
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from annotator.core.formats.xlsx_report.layout import FORMATS, width_units
from annotator.core.i18n import display_width
from annotator.core.project import Project

DIMS = ("relevance", "fluency", "style", "compliance")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """The demo (Chinese) with some recorded times, and its report."""
    folder = tmp_path_factory.mktemp("demo")
    with Project.demo(folder / "demo.annotator") as project:
        path = project.db.path
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE annotations SET seconds = 10 + (item_id * 7 + rater_id * 3) % 50 WHERE item_id % 3"
    )
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        out = project.export(folder / "report.xlsx")
    return path, out


def _rows(ws):
    return [list(r) for r in ws.iter_rows()]


def _kind_formats(ws):
    """number_format of every numeric cell, by (row, column)."""
    return {
        (c.row, c.column): c.number_format
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, int | float) and not isinstance(c.value, bool)
    }


def test_every_label_fits_its_column_or_wraps_in_a_tall_enough_row(demo_report):
    _, out = demo_report
    ws = load_workbook(out)["总览"]
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    heights = {k: v.height for k, v in ws.row_dimensions.items() if v.height}
    seen = set()
    for row in ws.iter_rows():
        for c in row:
            if not isinstance(c.value, str) or (c.alignment and not c.alignment.wrap_text):
                continue  # titles, notes: they spill into the empty cells to their right
            seen.add(c.value)
            width = widths[c.column_letter]
            fits = width_units(display_width(c.value)) <= width + 0.01
            lines = math.ceil(width_units(display_width(c.value)) / width)
            assert fits or heights.get(c.row, 15) >= 15 * lines, (c.coordinate, c.value)
    for label in ("与综合分的 Spearman 相关", "p 值(Wilcoxon)", "95%置信区间", "条目通过率"):
        assert label in seen
    kinds = [r[0] for r in ws.iter_rows() if str(r[0].value).startswith(("参考答案", "形似"))]
    assert len(kinds) == 2 and all(c.alignment.wrap_text for c in kinds)  # the diagnostic labels


def test_one_number_format_per_kind_of_value(demo_report):
    _, out = demo_report
    wb = load_workbook(out)
    ws = wb["总览"]
    rows = _rows(ws)
    formats = _kind_formats(ws)

    def table(first_label: str, second_label: str):
        at = next(
            i
            for i, r in enumerate(rows)
            if r[0].value == first_label and r[1].value == second_label
        )
        body = []
        for r in rows[at + 1 :]:
            if r[0].value is None:
                break
            body.append(r)
        return [c.value for c in rows[at]], body

    head, body = table("模型", "条目")
    kind_of = {"条目": "count", "已完成": "count", "综合分": "score", "BLEU": "metric"}
    kind_of.update({"相关性": "score", "流畅度": "score", "条目通过率": "percent"})
    for r in body:
        for name, kind in kind_of.items():
            cell = r[head.index(name)]
            if isinstance(cell.value, int | float):
                assert formats[(cell.row, cell.column)] == FORMATS[kind], (name, cell.coordinate)
    head, body = table("维度", "α")
    assert body and all(r[1].number_format == "0.000" and r[4].number_format == "0" for r in body)
    head, body = table("指标", "配对数")
    assert head[4] == "差值" and head[7] == "d_z" and len(body) == 9  # 4 + composite + 4 metrics
    for r in body:
        kind = (
            "score"
            if r[0].value in ("相关性", "流畅度", "风格一致性", "合规性", "综合分")
            else "metric"
        )
        assert r[1].number_format == "0" and r[2].number_format == FORMATS[kind]
        assert r[3].number_format == FORMATS[kind]
        assert r[4].number_format == FORMATS[f"signed_{kind}"]  # +0.80: candidate − baseline
        assert isinstance(r[5].value, str) and r[5].value.startswith("[")  # its interval
        p = r[6].value
        assert p == "<0.001" or (r[6].number_format == "0.000" and p == round(p, 3) and p >= 0.001)
        assert r[7].number_format == FORMATS["effect"]  # d_z
    items = wb["条目"]
    head = [c.value for c in items[1]]
    for name, fmt in (("bleu", "0.000"), ("相关性 均值", "0.00"), ("综合分", "0.00")):
        column = head.index(name) + 1
        cells = [row[column - 1] for row in items.iter_rows(min_row=2)]
        assert cells and all(c.number_format == fmt for c in cells if c.value is not None), name
    rater_cols = [k for k, h in enumerate(head) if ": " in str(h)]
    assert rater_cols and all(
        row[k].number_format == "0"
        for row in items.iter_rows(min_row=2)
        for k in rater_cols
        if row[k].value is not None
    )
    agreement = wb["一致性"]
    for (r, c), fmt in _kind_formats(agreement).items():
        value = agreement.cell(r, c).value
        assert fmt in ("0.000", "0.0%", "0"), (r, c, fmt)
        if fmt == "0":
            assert value == int(value)
    ratings = wb["评分明细"]
    assert {f for f in _kind_formats(ratings).values()} == {"0"}


def test_print_settings_on_every_sheet(demo_report):
    _, out = demo_report
    wb = load_workbook(out)
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.page_margins.left <= 0.5 and ws.page_margins.top <= 0.6, ws.title


def test_header_rows_are_tall_enough_for_their_labels(demo_report):
    _, out = demo_report
    wb = load_workbook(out)
    for name in ("条目", "评分明细", "分歧"):
        ws = wb[name]
        widths = {k: v.width for k, v in ws.column_dimensions.items()}
        height = ws.row_dimensions[1].height
        for c in ws[1]:
            lines = math.ceil(width_units(display_width(c.value)) / widths[c.column_letter])
            assert height >= 15 * min(lines, 8), (name, c.value)


def test_a_comparison_without_pairs_is_not_a_row(tmp_path):
    project = Project.create(tmp_path / "p.annotator", "pairs", language="en")
    for model, bleu in (("base", True), ("lora", False)):
        f = tmp_path / f"{model}.csv"
        head = "id,instruction,reference,generated" + (",bleu" if bleu else "")
        rows = [f"s{k},ask {k},ref {k},out {k}" + (",0.5" if bleu else "") for k in range(3)]
        f.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
        project.import_file(f, model=model)
    lines = ["item,rater,dimension,score"]
    for model in ("base", "lora"):
        for k in range(3):
            for dim in DIMS:
                lines += [f"{model}/s{k},a,{dim},{3 + k % 2}", f"{model}/s{k},b,{dim},4"]
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    project.import_ratings(tmp_path / "r.csv")
    out = project.export(tmp_path / "r.xlsx")
    project.close()
    rows = list(load_workbook(out)["Summary"].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[:2] == ("Measure", "Pairs"))
    body = []
    for r in rows[at + 1 :]:
        if r[0] is None:
            break
        body.append(r)
    measures = [r[0] for r in body if r[1] is not None]
    assert measures and "bleu" not in measures  # only base has BLEU (imported): no pairs
    assert all(r[1] > 0 for r in body if r[1] is not None)
    note = body[-1][0]
    assert note.startswith("No pairs (left out)") and note.endswith("bleu")
    # both models got the same scores on every sample: no test, and the table says why
    remarks = [r[0] for r in body if r[1] is None][:-1]
    assert remarks == [f"{m}: every pair is equal" for m in measures]
    assert {r[6] for r in body if r[1] is not None} == {None}  # no p without a test
    for r in rows:  # no row of a table is all empty past its label
        if r[0] in measures:
            assert any(v is not None for v in r[1:])


def test_raters_section_against_pandas_on_the_ratings_sheet(demo_report):
    path, out = demo_report
    wb = load_workbook(out)
    ratings = pd.DataFrame(
        list(wb["评分明细"].iter_rows(min_row=2, values_only=True)),
        columns=[c.value for c in wb["评分明细"][1]],
    ).dropna(subset=["分数"])
    ratings = ratings[ratings["评分人"].notna() & ratings["分数"].map(lambda v: isinstance(v, int))]
    rows = list(wb["总览"].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "评分人" and r[1] == "已评条目")
    head = rows[at]
    body = {}
    for r in rows[at + 1 :]:
        if r[1] is None:
            break
        body[r[0]] = dict(zip(head, r, strict=True))
    assert set(body) == set(ratings["评分人"])
    key = ratings["条目"].astype(str) + "|" + ratings["维度"]
    ratings = ratings.assign(unit=key, score=ratings["分数"].astype(float))
    unit_sum = ratings.groupby("unit")["score"].transform("sum")
    unit_n = ratings.groupby("unit")["score"].transform("count")
    shared = ratings[unit_n > 1].copy()
    others = (unit_sum[unit_n > 1] - shared["score"]) / (unit_n[unit_n > 1] - 1)
    shared["diff"] = shared["score"] - others
    times = pd.read_sql_query(
        "SELECT ra.name AS rater, a.seconds FROM annotations a JOIN raters ra "
        "ON ra.id = a.rater_id WHERE a.seconds > 0",
        sqlite3.connect(path),
    )
    for rater, got in body.items():
        mine = ratings[ratings["评分人"] == rater]
        assert got["已评条目"] == mine["条目"].nunique()
        assert got["总体均值"] == round(mine["score"].mean(), 2)
        for dim in ("相关性", "流畅度", "风格一致性", "合规性"):
            assert got[dim] == round(mine.loc[mine["维度"] == dim, "score"].mean(), 2)
        assert got["宽松度"] == round(shared.loc[shared["评分人"] == rater, "diff"].mean(), 2)
        secs = times.loc[times["rater"] == rater, "seconds"]
        assert got["每条用时中位数（秒）"] == round(secs.median())
        assert got["每条平均用时（秒）"] == round(secs.mean())


def test_no_times_recorded_says_so(tmp_path):
    with Project.demo(tmp_path / "demo.annotator") as project:
        out = project.export(tmp_path / "r.xlsx")
    values = [v for r in load_workbook(out)["总览"].iter_rows(values_only=True) for v in r if v]
    assert "每条平均用时（秒）" not in values
    assert any(str(v).startswith("未记录每条用时") for v in values)


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_prints_the_demo_in_few_pages_with_whole_labels(demo_report, tmp_path):
    _, out = demo_report
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages"))
    )
    assert pages <= 45  # 92 before the print settings (96 items, 912 ratings)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "评分人：均值、宽松度与每条用时" in text
    assert "参考答案过窄" in text and "形似神不似" in text
