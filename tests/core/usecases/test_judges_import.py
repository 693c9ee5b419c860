"""judges import: an LLM judge's scores in the long form of ratings import, into the
judges' own tables; every bad row named, nothing written on a refusal, the same file twice
changes nothing. Expectations are read from the file with SQL, not from the import."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from annotator.core.domain.errors import AnnotatorError, InputError


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def judge_scores(project):
    """(judge, model, sample, dimension, score, reason) straight from the file."""
    con = sqlite3.connect(project.path)
    try:
        return sorted(
            con.execute(
                "SELECT j.name, m.name, i.sample_id, d.key, s.score, s.reason "
                "FROM judge_scores s JOIN judges j ON j.id = s.judge_id "
                "JOIN items i ON i.id = s.item_id JOIN models m ON m.id = i.model_id "
                "JOIN dimensions d ON d.id = s.dimension_id"
            ).fetchall()
        )
    finally:
        con.close()


def table_dump(path):
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def test_judge_column_reasons_and_signature(project, tmp_path):
    f = write(
        tmp_path / "gpt.csv",
        "item_id,model,judge,dimension,score,reason\n"
        "s1,base,gpt-judge,relevance,4,on topic\n"
        "s1,lora-v2,gpt-judge,Fluency,5,\n"
        "s2,base,gpt-judge,风格,3,平淡\n",
    )
    report = project.judges.import_scores(f)
    assert (report.new, report.changed, report.unchanged, report.reasons) == (3, 0, 0, 2)
    assert report.judges == ["gpt-judge"]
    assert judge_scores(project) == [
        ("gpt-judge", "base", "s1", "relevance", 4, "on topic"),
        ("gpt-judge", "base", "s2", "style", 3, "平淡"),
        ("gpt-judge", "lora-v2", "s1", "fluency", 5, ""),
    ]
    (judge,) = project.judges.list()
    sha = hashlib.sha256(f.read_bytes()).hexdigest()
    assert judge["signature"] == {"kind": "imported", "file": "gpt.csv", "sha256": sha}
    assert judge["promoted"] is False and judge["scores"] == 3 and judge["items"] == 3
    # nothing in the raters' tables
    con = sqlite3.connect(project.path)
    assert con.execute("SELECT count(*) FROM ratings").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM raters").fetchone() == (0,)
    con.close()


def test_judge_named_on_the_command_line_and_gbk_chinese_headers(project, tmp_path):
    f = write(
        tmp_path / "j.csv",
        "条目,模型,维度,分数,理由\ns3,base,相关性,５,切题\ns3,base,风格,2,\n",
        encoding="gb18030",
    )
    report = project.judges.import_scores(f, judge="qwen-72b")
    assert report.new == 2
    assert judge_scores(project) == [
        ("qwen-72b", "base", "s3", "relevance", 5, "切题"),
        ("qwen-72b", "base", "s3", "style", 2, ""),
    ]


def test_same_file_twice_changes_nothing_then_a_changed_score(project, tmp_path):
    text = "item_id,model,judge,dimension,score\ns1,base,j,relevance,4\ns2,base,j,relevance,2\n"
    f = write(tmp_path / "j.csv", text)
    project.judges.import_scores(f)
    before = table_dump(project.path)
    again = project.judges.import_scores(f)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert table_dump(project.path) == before
    write(f, text.replace("s2,base,j,relevance,2", "s2,base,j,relevance,5"))
    changed = project.judges.import_scores(f)
    assert (changed.new, changed.changed, changed.unchanged) == (0, 1, 1)
    assert ("j", "base", "s2", "relevance", 5, "") in judge_scores(project)


def test_every_bad_row_is_named_and_the_file_is_byte_identical(project, tmp_path):
    project.judges.import_scores(
        write(tmp_path / "ok.csv", "item_id,model,judge,dimension,score\ns1,base,j,fluency,3\n")
    )
    before = project.path.read_bytes()
    f = write(
        tmp_path / "bad.csv",
        "item_id,model,judge,dimension,score\n"
        "s1,base,j,relevance,4\n"
        "s99,base,j,relevance,4\n"
        "s1,base,j,tone,4\n"
        "s1,base,j,fluency,6\n"
        "s1,base,,style,3\n"
        "s2,base,j,relevance,4\n"
        "s2,base,j,relevance,5\n",
    )
    with pytest.raises(InputError) as err:
        project.judges.import_scores(f)
    text = str(err.value)
    assert 'row 3, column "item_id": unknown item "s99"' in text
    assert 'row 4, column "dimension": unknown dimension "tone"' in text
    assert 'row 5, column "score": score "6" is not a score from 1 to 5' in text
    assert 'row 6, column "judge": the judge is empty' in text
    assert "more than once (rows 7 and 8)" in text
    assert project.path.read_bytes() == before


def test_ambiguous_item_without_model_is_refused(project, tmp_path):
    f = write(tmp_path / "j.csv", "item_id,judge,dimension,score\ns1,j,relevance,4\n")
    with pytest.raises(InputError, match="exists for several models"):
        project.judges.import_scores(f)
    assert judge_scores(project) == []


def test_missing_columns_and_no_judge(project, tmp_path):
    f = write(tmp_path / "j.csv", "item_id,model,dimension,score\ns1,base,relevance,4\n")
    with pytest.raises(InputError) as err:
        project.judges.import_scores(f)
    assert "missing column(s) judge" in str(err.value)
    assert "--judge" in str(err.value)
    f = write(tmp_path / "k.csv", "item_id,judge,score\ns1,j,4\n")
    with pytest.raises(InputError, match="missing column"):
        project.judges.import_scores(f)


def test_judge_column_and_option_that_differ(project, tmp_path):
    f = write(
        tmp_path / "j.csv",
        "item_id,model,judge,dimension,score\ns1,base,gpt,relevance,4\ns2,base,GPT,relevance,4\n",
    )
    with pytest.raises(InputError) as err:
        project.judges.import_scores(f, judge="qwen")
    assert 'row 2, column "judge": the row names the judge "gpt"' in str(err.value)
    assert judge_scores(project) == []
    # the same judge in another case is the same judge
    report = project.judges.import_scores(f, judge="gpt")
    assert report.judges == ["gpt"] and report.same_as == {"GPT": "gpt"}


def test_a_judge_with_a_human_raters_name_is_refused(project, tmp_path):
    project.import_ratings(
        write(tmp_path / "r.csv", "item_id,model,rater,dimension,score\ns1,base,Alice,fluency,4\n")
    )
    before = project.path.read_bytes()
    f = write(tmp_path / "j.csv", "item_id,model,judge,dimension,score\ns1,base,alice,fluency,4\n")
    with pytest.raises(InputError, match='the judge "alice" has the name of the rater "Alice"'):
        project.judges.import_scores(f)
    with pytest.raises(InputError, match="a judge is not a person"):
        project.judges.import_scores(f, judge="ALICE")
    assert project.path.read_bytes() == before


def test_a_human_with_a_judges_name_is_refused(project, tmp_path):
    project.judges.import_scores(
        write(
            tmp_path / "j.csv", "item_id,model,judge,dimension,score\ns1,base,Qwen-72B,fluency,4\n"
        )
    )
    before = project.path.read_bytes()
    f = write(tmp_path / "h.csv", "item_id,model,rater,dimension,score\n"
              "s1,base,bob,fluency,4\ns1,base,qwen-72b,fluency,4\n")  # fmt: skip
    with pytest.raises(InputError) as err:
        project.import_ratings(f)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "rater")
    assert 'the rater "qwen-72b" has the name of the LLM judge "Qwen-72B"' in str(err.value)
    assert project.path.read_bytes() == before  # bob's good row is not written either


def test_a_rater_package_refuses_a_judge(project, tmp_path):
    project.assign(["alice"])
    package = project.create_package("alice", tmp_path / "alice.annotator").path
    from annotator.core.project import Project

    with Project.open(package) as p:
        f = write(tmp_path / "j.csv", "item_id,model,judge,dimension,score\ns1,base,j,fluency,4\n")
        with pytest.raises(AnnotatorError, match="rater package"):
            p.judges.import_scores(f)


def test_xlsx_judge_file(project, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Item", "Rater", "Criterion", "Rating", "Reason"])
    ws.append(["base/s4", "judge-x", "compliance", 4.0, "合规"])
    wb.save(tmp_path / "j.xlsx")
    project.judges.import_scores(tmp_path / "j.xlsx")
    assert judge_scores(project) == [("judge-x", "base", "s4", "compliance", 4, "合规")]


# -- side-by-side verdicts of a judge ---------------------------------------------------------
def battles(path, rows, header="question_id,judge,model_a,model_b,winner,dimension"):
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def judge_verdicts(project):
    """(judge, sample, model a, model b, model shown left, outcome) read with SQL."""
    con = sqlite3.connect(project.path)
    try:
        return sorted(
            con.execute(
                "SELECT j.name, c.sample_id, ma.name, mb.name, ml.name, g.outcome "
                "FROM judge_judgments g JOIN judges j ON j.id = g.judge_id "
                "JOIN comparisons c ON c.id = g.comparison_id "
                "JOIN items a ON a.id = c.item_a JOIN models ma ON ma.id = a.model_id "
                "JOIN items b ON b.id = c.item_b JOIN models mb ON mb.id = b.model_id "
                "JOIN items l ON l.id = g.left_item JOIN models ml ON ml.id = l.model_id"
            ).fetchall()
        )
    finally:
        con.close()


def test_judge_verdicts_one_row_per_order_never_in_human_judgments(project, tmp_path):
    f = battles(
        tmp_path / "b.csv",
        [
            ("s1", "gpt", "lora-v2", "base", "model_a", ""),
            ("s1", "gpt", "base", "lora-v2", "model_b", ""),  # the other order: same verdict
            ("s2", "gpt", "base", "lora-v2", "model_a", ""),
            ("s2", "gpt", "lora-v2", "base", "tie", ""),
        ],
    )
    report = project.judges.import_preferences(f)
    assert (report.new, report.changed, report.unchanged) == (4, 0, 0)
    # the comparison's model order is lora-v2 (a) against the baseline base (b)
    assert judge_verdicts(project) == [
        ("gpt", "s1", "lora-v2", "base", "base", "a"),
        ("gpt", "s1", "lora-v2", "base", "lora-v2", "a"),
        ("gpt", "s2", "lora-v2", "base", "base", "b"),
        ("gpt", "s2", "lora-v2", "base", "lora-v2", "tie"),
    ]
    con = sqlite3.connect(project.path)
    assert con.execute("SELECT count(*) FROM judgments").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM raters").fetchone() == (0,)
    con.close()
    before = table_dump(project.path)
    again = project.judges.import_preferences(f)
    assert (again.new, again.unchanged) == (0, 4)
    assert table_dump(project.path) == before


def test_judge_verdicts_same_order_twice_and_another_judge_refused(project, tmp_path):
    before = project.path.read_bytes()
    f = battles(
        tmp_path / "b.csv",
        [
            ("s1", "gpt", "lora-v2", "base", "model_a", ""),
            ("s1", "gpt", "lora-v2", "base", "model_b", ""),
            ("s2", "other", "lora-v2", "base", "model_a", ""),
            ("s3", "gpt", "lora-v2", "nosuch", "model_a", ""),
        ],
    )
    with pytest.raises(InputError) as err:
        project.judges.import_preferences(f, judge="gpt")
    text = str(err.value)
    assert "more than once (rows 2 and 3)" in text
    assert 'row 4, column "judge": the row names the judge "other"' in text
    assert 'row 5, column "model_b": unknown model "nosuch"' in text
    assert project.path.read_bytes() == before


def test_judge_verdicts_without_a_judge_column(project, tmp_path):
    f = battles(
        tmp_path / "b.csv", [("s1", "lora-v2", "base", "model_a")],
        header="question_id,model_a,model_b,winner",
    )  # fmt: skip
    with pytest.raises(InputError, match="missing column"):
        project.judges.import_preferences(f)
    project.judges.import_preferences(f, judge="gpt")
    assert judge_verdicts(project) == [("gpt", "s1", "lora-v2", "base", "lora-v2", "a")]
