"""The team workflow's messages in Chinese: errors by cell, merge summaries, the status table."""

from __future__ import annotations

import openpyxl
import pytest

from annotator.core.domain.errors import AnnotatorError, InputError
from annotator.core.formats.xlsx_safety import load_workbook_safely
from annotator.core.i18n import display_width, use_language
from annotator.core.usecases.team import (
    assign,
    create_package,
    create_sheet,
    format_status,
    import_sheet,
    team_status,
)


def test_sheet_problems_and_the_merge_summary_in_chinese(team_project, tmp_path):
    sheet = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", sheet)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["ratings"]
    ws["E2"], ws["E17"], ws["A9"] = 4, 6, "s9"
    wb.save(sheet)
    with use_language("zh_CN"):
        with pytest.raises(InputError) as err:
            import_sheet(team_project.db, sheet)
        report = import_sheet(team_project.db, sheet, skip_invalid=True)
        summary = report.summary()
    text = err.value.text("zh_CN")  # raised in Chinese; read in the language of its reader
    assert "ratings!E17" in text and "“6”不是 1-5 的分数" in text
    assert "条目“s9”不在本项目中" in text
    english = err.value.text("en")
    assert 'ratings!A9: item "s9" is not in this project' in english
    assert 'ratings!E17: "6" is not a score from 1 to 5' in english
    assert "（bob 的评分表）：评分新增 1 个、修改 0 个、未变 0 个" in summary
    assert "跳过了 2 个无效单元格：" in summary and "已写入备份：" in summary
    assert "is not a score" not in summary


def test_assign_package_and_xlsx_refusals_in_chinese(team_project, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a zip")
    with use_language("zh_CN"):
        with pytest.raises(AnnotatorError, match="评分人重复：bob"):
            assign(team_project.db, ["bob", "alice", "bob"])
        assign(team_project.db, ["alice", "bob"], per_item=1)
        with pytest.raises(AnnotatorError, match="评分人“carol”没有分配到条目"):
            create_package(team_project.db, "carol", tmp_path / "carol.annotator")
        with pytest.raises(InputError, match=r"这不是 Excel \.xlsx 文件"):
            load_workbook_safely(bad)


def test_status_table_in_chinese_is_aligned_for_double_width_characters(team_project):
    assign(team_project.db, ["alice", "张三丰"], per_item=1, seed=3)
    with use_language("zh_CN"):
        text = format_status(team_status(team_project.db))
    first, head, *rows = text.splitlines()
    assert first == "项目：16 个条目，4 个维度"
    assert head.split() == ["评分人", "已分配", "已完成", "未完成", "最近合并", "最近评分"]
    assert len(rows) == 2 and {r.split()[0] for r in rows} == {"alice", "张三丰"}
    # every line is as wide on screen, and each column starts at the same screen position
    assert len({display_width(line) for line in (head, *rows)}) == 1
    starts = head.index("已分配")
    for row in rows:
        name, count = row.split()[:2]
        assert display_width(row[: row.index(count, len(name))]) == display_width(head[:starts])


def test_status_table_in_english_pads_chinese_names_by_screen_width(team_project):
    assign(team_project.db, ["alice", "张三丰"], per_item=1, seed=3)
    first, head, *rows = format_status(team_status(team_project.db)).splitlines()
    assert first == "project: 16 items, 4 dimensions"
    assert head.startswith("rater   assigned")  # "张三丰" is 6 columns wide, "rater" 5
    assert len({display_width(line) for line in (head, *rows)}) == 1
