"""The report is written in the project's language, whatever the caller's."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from annotator.core.i18n import current_language, use_language
from annotator.core.project import Project
from tests.factories import add_items


def _project(tmp_path, language: str) -> Project:
    """Three items, two raters giving 2 on every dimension: the composite and
    compliance gates fail."""
    project = Project.create(tmp_path / f"{language}.annotator", "report", language=language)
    add_items(project, 3, "m1")
    lines = ["item,rater,dimension,score"]
    for sample in ("s1", "s2", "s3"):
        for dim in ("relevance", "fluency", "style", "compliance"):
            lines += [f"{sample},alice,{dim},2", f"{sample},bob,{dim},2"]
    ratings = tmp_path / f"ratings-{language}.csv"
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project.import_ratings(ratings)
    return project


def _summary_reasons(path) -> list[str]:
    ws = load_workbook(path).worksheets[0]
    return [row[1] for row in ws.iter_rows(values_only=True) if row[0] == "m1" and row[1]]


@pytest.mark.parametrize("reuse", [False, True], ids=["fresh", "caller-evaluation"])
def test_a_chinese_project_exported_from_english_has_chinese_reasons(tmp_path, reuse):
    assert current_language() == "en"
    with _project(tmp_path, "zh_CN") as project:
        evaluation = project.evaluate(resamples=0) if reuse else None
        if reuse:  # made in the caller's language: the export redoes the verdicts
            reasons = evaluation.verdicts.model("m1").reasons
            assert "compliance: 3 item(s) with a rater below 3" in reasons
        out = project.export(tmp_path / "r.xlsx", evaluation=evaluation)
    assert current_language() == "en"  # the caller's language is back
    reasons = [r for r in _summary_reasons(out) if isinstance(r, str) and r.startswith("原因")]
    assert "原因：合规性：3 个条目有评分人打分低于 3" in reasons
    assert any(r.startswith("原因：") and "个评分完成；需要 30 个" in r for r in reasons)
    assert not [r for r in _summary_reasons(out) if str(r).startswith("Reasons")]


def test_an_english_project_exported_from_chinese_has_english_reasons(tmp_path):
    with _project(tmp_path, "en") as project, use_language("zh_CN"):
        evaluation = project.evaluate(resamples=0)
        assert "合规性：3 个条目有评分人打分低于 3" in evaluation.verdicts.model("m1").reasons
        out = project.export(tmp_path / "r.xlsx", evaluation=evaluation)
        assert current_language() == "zh_CN"
    reasons = [r for r in _summary_reasons(out) if isinstance(r, str) and r.startswith("Reasons")]
    assert "Reasons: compliance: 3 item(s) with a rater below 3" in reasons
    assert any(r.startswith("Reasons: ") and "complete; 30 needed" in r for r in reasons)
    assert not [r for r in _summary_reasons(out) if str(r).startswith("原因")]


@pytest.mark.parametrize(
    ("language", "dimensions", "gates"),
    [
        ("en", ["Relevance", "all"], {"compliance: no rater below 3", "seed: composite >= 4.0"}),
        (
            "zh_CN",
            ["相关性", "全部维度"],
            {"合规性：所有评分人均不低于 3", "默认值（业内常用）：综合分 >= 4.0"},
        ),
    ],
)
def test_the_summary_names_dimensions_gates_and_sources_in_the_project_language(
    tmp_path, language, dimensions, gates
):
    with _project(tmp_path, language) as project:
        out = project.export(tmp_path / "r.xlsx")
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    title = next(i for i, row in enumerate(rows) if "Krippendorff" in str(row[0]))
    section = []
    for row in rows[title + 2 :]:  # below the title and the header, up to the blank row
        if row[0] is None:
            break
        section.append(row[0])
    assert section[0] == dimensions[0] and section[-1] == dimensions[-1]
    cells = {c for row in rows for c in row if isinstance(c, str)}
    assert gates <= cells
