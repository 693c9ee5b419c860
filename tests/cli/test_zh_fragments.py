"""A Chinese project shows no English fragments (issue 14, point 3): the metrics' warnings,
the preset flags in the report, and an adjudication naming its dimension."""

from __future__ import annotations

import sqlite3

from openpyxl import load_workbook

from annotator.cli import main
from annotator.core.project import Project
from annotator.core.usecases.exporting import PRESET_FLAGS
from annotator.core.usecases.session import FLAG_PRESETS

DIMS = ("relevance", "fluency", "style", "compliance")


def _project(tmp_path):
    path = tmp_path / "zh.annotator"
    with Project.create(path, "中文项目", language="zh_CN") as project:
        f = tmp_path / "m.csv"
        f.write_text(
            "id,instruction,reference,generated\ns0,写文案,参考答案,\ns1,写文案,参考,一句输出\n",
            encoding="utf-8",
        )
        project.import_file(f, model="m")
    lines = ["item,rater,dimension,score"]
    for sample in ("s0", "s1"):
        for dim in DIMS:
            lines += [f"{sample},王小明,{dim},4", f"{sample},Alice,{dim},3"]
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["ratings", "import", str(path), str(tmp_path / "r.csv")]) == 0
    return path


def test_the_metrics_warning_is_translated(tmp_path, capsys):
    path = _project(tmp_path)
    capsys.readouterr()
    assert main(["metrics", str(path), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "模型输出为空" in out and "empty generated text" not in out


def test_preset_flags_are_translated_in_the_report_and_free_text_kept(tmp_path):
    assert set(PRESET_FLAGS) == set(FLAG_PRESETS)
    path = _project(tmp_path)
    conn = sqlite3.connect(path)
    rater = dict(conn.execute("SELECT name, id FROM raters"))
    conn.executemany(
        "INSERT INTO annotations (item_id, rater_id, comment, flag, seconds, updated_at) "
        "VALUES (?, ?, ?, ?, 0, '2026-01-01T00:00:00.000Z')",
        [(1, rater["王小明"], "", "unclear instruction"), (2, rater["Alice"], "太短", "看不懂")],
    )
    conn.commit()
    conn.close()
    assert main(["export", str(path), str(tmp_path / "r.xlsx")]) == 0
    ws = load_workbook(tmp_path / "r.xlsx")["条目"]
    head = [c.value for c in ws[1]]
    comments = [row[head.index("评语")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert comments == ["王小明: [指令不清]", "Alice: [看不懂] 太短"]


def test_an_adjudication_names_the_dimension_as_the_rubric_does(tmp_path, capsys):
    path = _project(tmp_path)
    capsys.readouterr()
    assert main(["adjudicate", str(path), "m/s1", "fluency", "4"]) == 0
    out = capsys.readouterr().out
    assert "流畅度 裁定为 4 分" in out and "fluency" not in out
