"""judges import names a judge as a judge, not a rater, in its refusals (issue 17)."""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import InputError


def test_a_score_given_twice_names_the_judge(project, tmp_path):
    f = tmp_path / "twice.csv"
    f.write_text(
        "item_id,model,judge,dimension,score\ns2,base,gpt-j,relevance,4\ns2,base,gpt-j,relevance,5\n",
        encoding="utf-8",
    )
    before = project.path.read_bytes()
    with pytest.raises(InputError) as err:
        project.judges.import_scores(f)
    text = str(err.value)
    assert 'the score of the judge "gpt-j" for "relevance" on sample "s2" of model "base"' in text
    assert "more than once (rows 2 and 3)" in text
    assert 'rater "gpt-j"' not in text
    assert project.path.read_bytes() == before


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_judges_battle_file_without_a_judge_column_says_judge_and_the_option(project, tmp_path):
    f = _write(tmp_path / "b.csv", "question_id,model_a,model_b,winner\ns1,lora-v2,base,model_a\n")
    before = project.path.read_bytes()
    with pytest.raises(InputError) as err:
        project.judges.import_preferences(f)
    text = str(err.value)
    assert "row 1: missing column(s) judge; found question_id, model_a" in text
    assert "name the judge with --judge" in text
    assert project.path.read_bytes() == before
    # the raters' import keeps its own words
    with pytest.raises(InputError) as err:
        project.side_by_side.import_preferences(f)
    assert "missing column(s) rater;" in str(err.value) and "--judge" not in str(err.value)


def test_a_judges_verdict_in_the_same_order_twice_names_the_judge_and_the_order(project, tmp_path):
    f = _write(
        tmp_path / "b.csv",
        "question_id,judge,model_a,model_b,winner\n"
        "s1,gpt,lora-v2,base,model_a\ns1,gpt,base,lora-v2,model_b\ns1,gpt,lora-v2,base,tie\n",
    )
    before = project.path.read_bytes()
    with pytest.raises(InputError) as err:
        project.judges.import_preferences(f)
    text = str(err.value)
    assert 'row 4, column "question_id": the judge "gpt" judges sample "s1"' in text
    assert "in the same order more than once (rows 2 and 4)" in text
    assert project.path.read_bytes() == before
