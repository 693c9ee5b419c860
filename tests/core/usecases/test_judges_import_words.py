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
