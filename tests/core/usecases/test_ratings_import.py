"""Ratings in long form from outside: headers, dimension names, errors with row and column."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from annotator.core.domain.errors import InputError
from annotator.core.domain.rubric import DimensionResolver, parse_score
from annotator.core.storage import RatingsRepo


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def scores(project):
    frame = RatingsRepo(project.db.conn).frame()
    return sorted(
        zip(frame["item_id"], frame["rater"], frame["dimension"], frame["score"], strict=True)
    )


def test_english_headers_and_model_column(project, tmp_path):
    f = write(
        tmp_path / "r.csv",
        "item_id,model,rater,dimension,score,comment\n"
        "s1,base,alice,relevance,4,ok\n"
        "s1,lora-v2,alice,Fluency,5,\n"
        "s2,base,bob,style,3,\n",
    )
    report = project.import_ratings(f)
    assert (report.new, report.changed, report.unchanged, report.comments) == (3, 0, 0, 1)
    got = {(r, d, s) for _, r, d, s in scores(project)}
    assert got == {("alice", "relevance", 4), ("alice", "fluency", 5), ("bob", "style", 3)}


def test_chinese_headers_names_and_gbk_file(project, tmp_path):
    f = write(
        tmp_path / "r.csv",
        "条目,模型,评分人,维度,分数\ns3,base,王小明,相关性,５\ns3,base,王小明,风格,2\n",
        encoding="gb18030",
    )
    project.import_ratings(f)
    assert {(r, d, s) for _, r, d, s in scores(project)} == {
        ("王小明", "relevance", 5),
        ("王小明", "style", 2),
    }


def test_xlsx_ratings(project, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Item", "Annotator", "Criterion", "Rating"])
    ws.append(["base/s4", "carol", "compliance", 4.0])
    wb.save(tmp_path / "r.xlsx")
    project.import_ratings(tmp_path / "r.xlsx")
    assert [(r, d, s) for _, r, d, s in scores(project)] == [("carol", "compliance", 4)]


def test_every_bad_row_is_named_and_nothing_is_written(project, tmp_path):
    f = write(
        tmp_path / "r.csv",
        "item_id,model,rater,dimension,score\n"
        "s1,base,alice,relevance,4\n"
        "s99,base,alice,relevance,4\n"
        "s1,base,alice,tone,4\n"
        "s1,base,alice,fluency,6\n"
        "s1,base,,fluency,3\n",
    )
    with pytest.raises(InputError) as err:
        project.import_ratings(f)
    text = str(err.value)
    assert 'row 3, column "item_id": unknown item "s99"' in text
    assert 'row 4, column "dimension": unknown dimension "tone"' in text
    assert 'row 5, column "score": score "6" is not a score from 1 to 5' in text
    assert 'row 6, column "rater": the rater is empty' in text
    assert scores(project) == []


def test_ambiguous_sample_id_without_model_column(project, tmp_path):
    f = write(tmp_path / "r.csv", "item,rater,dimension,score\ns1,alice,relevance,4\n")
    with pytest.raises(InputError, match='exists for several models .*"base/s1"'):
        project.import_ratings(f)


def test_missing_columns_are_named(project, tmp_path):
    f = write(tmp_path / "r.csv", "item,who,dimension,score\ns1,alice,relevance,4\n")
    with pytest.raises(InputError, match="missing column.*rater"):
        project.import_ratings(f)


def test_reimport_changes_nothing_and_a_changed_score_is_audited(project, tmp_path):
    body = "item,model,rater,dimension,score\ns1,base,alice,relevance,{}\ns2,base,alice,style,3\n"
    f = write(tmp_path / "r.csv", body.format(4))
    project.import_ratings(f)
    repo = RatingsRepo(project.db.conn)
    audit_before = repo.audit_count()
    again = project.import_ratings(f)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert repo.audit_count() == audit_before
    changed = project.import_ratings(write(tmp_path / "r2.csv", body.format(2)))
    assert (changed.new, changed.changed, changed.unchanged) == (0, 1, 1)
    audit = repo.audit_frame()
    last = audit.iloc[-1]
    assert (last["rater"], last["dimension"], last["old_value"], last["new_value"]) == (
        "alice",
        "relevance",
        "4",
        "2",
    )
    assert last["origin"] == "import:r2.csv"
    assert changed.backup is not None


@pytest.mark.parametrize(
    "text,key",
    [
        ("relevance", "relevance"),
        ("RELEVANCE", "relevance"),
        ("Style consistency", "style"),
        ("style_consistency", "style"),
        ("style", "style"),
        ("风格一致性", "style"),
        ("风格", "style"),
        ("合规", "compliance"),
        ("flu", "fluency"),
        ("tone", None),
        ("", None),
    ],
)
def test_dimension_resolver(project, text, key):
    assert DimensionResolver(project.rubric).resolve(text) == key


@pytest.mark.parametrize(
    "value,score",
    [
        (4, 4),
        ("4", 4),
        ("4.0", 4),
        ("４", 4),
        (" 5 ", 5),
        (3.0, 3),
        ("6", None),
        ("4.5", None),
        ("", None),
        (None, None),
        ("abc", None),
        (0, None),
        (True, None),
    ],
)
def test_parse_score(value, score):
    assert parse_score(value) == score


def test_row_errors_in_chinese(project, tmp_path):
    from annotator.core.i18n import use_language

    f = write(
        tmp_path / "r.csv",
        "item_id,model,rater,dimension,score\ns99,base,alice,relevance,4\ns1,base,alice,style,6\n",
    )
    with use_language("zh_CN"), pytest.raises(InputError) as err:
        project.import_ratings(f)
    text = err.value.text("zh_CN")  # raised in Chinese, shown in whatever language reads it
    assert "未知条目“s99”：本项目中没有这个条目" in text
    assert "“6”不是 1-5 的分数" in text
    with use_language("en"):
        english = str(err.value)
    assert 'unknown item "s99": it is not in this project' in english
    assert '"6" is not a score from 1 to 5' in english and "分数" not in english
