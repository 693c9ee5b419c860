"""The Excel report, read back with openpyxl: every sheet, safe text, numbers that match."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from annotator.core.formats.xlsx_report.cells import EXCEL_CELL_LIMIT
from annotator.core.project import Project


@pytest.fixture
def rated(tmp_path):
    """A project with awkward texts, two raters and metrics."""
    project = Project.create(tmp_path / "eval.annotator", "report test", language="en")
    f = tmp_path / "items.csv"
    long_text = "很长的输出" * 8000  # 40,000 characters: over Excel's cell limit
    rows = [
        ("s1", '=HYPERLINK("http://x")', "+1 reference", "-generated"),
        ("s2", "@SUM(A1)", "ref\x07with bell", long_text),
        ("s3", "写一句口红文案", "这款口红显白又平价", "学生党必入这款平价口红"),
    ]
    import csv

    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "instruction", "reference", "generated"])
        w.writerows(rows)
    project.import_file(f, model="m1")
    ratings = tmp_path / "ratings.csv"
    lines = ["item,rater,dimension,score"]
    for sample, a, b in (("s1", 5, 4), ("s2", 2, 4), ("s3", 4, 4)):
        for dim in ("relevance", "fluency", "style", "compliance"):
            lines += [f"{sample},alice,{dim},{a}", f"{sample},bob,{dim},{b}"]
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project.import_ratings(ratings)
    project.compute_metrics(workers=1)
    yield project
    project.close()


def test_every_sheet_is_there_and_readable(rated, tmp_path):
    seen = []
    out = rated.export(tmp_path / "report.xlsx", progress=lambda d, t: seen.append((d, t)))
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Summary",
        "Raters",
        "Items",
        "Ratings",
        "Agreement",
        "Disagreements",
        "Charts",
    ]
    items = wb["Items"]
    assert items.freeze_panes == "B2" and items.auto_filter.ref.startswith("A1:")
    assert items.max_row == 1 + 3
    assert wb["Ratings"].max_row == 1 + 24
    assert len(wb["Charts"]._charts) == 2
    disputed = list(wb["Disagreements"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in disputed] == ["s2"]  # alice 2 vs bob 4 on every dimension
    assert "alice 2, bob 4" in disputed[0][6] and disputed[0][3] == 2
    assert seen and seen[-1][0] == seen[-1][1]


def test_text_is_never_a_formula_and_never_breaks_the_file(rated, tmp_path):
    wb = load_workbook(rated.export(tmp_path / "report.xlsx"))
    ws = wb["Items"]
    head = [c.value for c in ws[1]]
    col = {name: head.index(name) for name in ("Instruction", "Reference", "Generated")}
    cells = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    by_sample = {row[2].value: row for row in cells.values()}
    s1 = by_sample["s1"]
    assert s1[col["Instruction"]].value == '=HYPERLINK("http://x")'
    assert s1[col["Instruction"]].data_type == "s"
    assert s1[col["Reference"]].value == "+1 reference"
    s2 = by_sample["s2"]
    assert s2[col["Instruction"]].data_type == "s"
    assert s2[col["Reference"]].value == "refwith bell"  # the control character is gone
    generated = s2[col["Generated"]].value
    assert len(generated) <= EXCEL_CELL_LIMIT and "cut:" in generated
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_numbers_equal_the_statistics(rated, tmp_path):
    evaluation = rated.evaluate()
    wb = load_workbook(rated.export(tmp_path / "report.xlsx", evaluation=evaluation))
    ws = wb["Summary"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if r[:3] == ["Model", "Items", "Complete"])
    model_row = rows[header_at + 1]
    summary = evaluation.stats.model("m1")
    assert model_row[0] == "m1"
    assert model_row[7] == round(summary.means["composite"].mean, 2)
    alpha_rows = {r[0]: r for r in rows if r and r[0] in ("Relevance", "all")}
    assert alpha_rows["all"][1] == round(evaluation.stats.alpha_for("all").alpha, 3)
    verdicts = {r[2]: r for r in wb["Items"].iter_rows(min_row=2, values_only=True)}
    head = [c.value for c in wb["Items"][1]]
    expected = evaluation.verdicts.items.set_index("item_id")["verdict"]
    assert sorted(v[head.index("Verdict")] for v in verdicts.values()) == sorted(
        expected.str.replace("_", " ").tolist()
    )


def test_chinese_headers_for_a_chinese_project(tmp_path):
    with Project.create(tmp_path / "zh.annotator", "中文项目", language="zh_CN") as p:
        wb = load_workbook(p.export(tmp_path / "r.xlsx"))
    assert wb.sheetnames[:3] == ["总览", "条目", "评分明细"]
    assert [c.value for c in wb["条目"][1]][:3] == ["条目", "模型", "样本"]


def test_csv_and_json_exports(rated, tmp_path):
    import csv
    import json

    out = rated.export(tmp_path / "ratings.csv")
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 24 and {r["rater"] for r in rows} == {"alice", "bob"}
    data = json.loads(rated.export(tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert data["stats"]["models"][0]["model"] == "m1"


def test_a_failed_export_leaves_no_file(rated, tmp_path):
    target = tmp_path / "report.xlsx"

    def boom(done, total):
        raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        rated.export(target, progress=boom)
    assert not target.exists()
    assert not list(tmp_path.glob("*.part"))
