"""Spellings of one rater's name are one rater (issue 14, point 9): facade and CLI.

Hostile spellings: case, doubled and odd white space (a tab, an ideographic space),
full-width letters, and a zero-width space pasted in from a chat (dropped: a name that
looks the same is the same rater).
"""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.storage.rater_names import rater_key
from annotator.core.usecases.team import create_package

from .test_team_cli import project, run  # noqa: F401 - the fixture

SPELLINGS = ["wang  wu", "WANG WU", "ｗａｎｇ\u3000ｗｕ", "Wang\u200b Wu", " wang\twu "]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_hostile_spelling_has_the_same_key(spelling):
    assert rater_key(spelling) == rater_key("Wang Wu")
    assert rater_key("Wang Wu") != rater_key("Wang Wuu")
    assert rater_key("Wang Wu") != rater_key("WangWu")  # a missing space is another name


def test_assign_matches_the_first_spelling_and_says_so(capsys, project):  # noqa: F811
    code, out, _ = run(capsys, "assign", project, "--raters", "Wang Wu,bob")
    assert code == 0
    code, out, err = run(capsys, "assign", project, "--raters", "ｗａｎｇ  ｗｕ,bob")
    assert code == 0
    said = out + err
    assert '"ｗａｎｇ  ｗｕ" is taken as the rater "Wang Wu"' in said
    with Project.open(project) as p:
        assert p.raters() == ["Wang Wu", "bob"]  # the first spelling kept, no third rater


def test_two_spellings_in_one_list_are_refused_naming_both(capsys, project):  # noqa: F811
    code, out, err = run(capsys, "assign", project, "--raters", "Wang Wu,wang\u200b wu")
    assert code != 0
    assert '"Wang Wu" and "wang\\u200b wu" are the same rater' in out + err  # shown, escaped
    with Project.open(project) as p:
        assert p.raters() == []


def test_a_package_and_a_session_accept_another_spelling(project, tmp_path):  # noqa: F811
    with Project.open(project) as p:
        p.assign(["Wang Wu", "bob"])
        first = p.session("Wang Wu")
        order = first.order
        first.close()
        again = p.session("WANG  WU")
        assert again.rater == "Wang Wu" and again.order == order  # same rater, same order
        again.close()
        out = tmp_path / "wang.annotator"
        create_package(p.db, "wang wu", out)  # the lead types it differently
    with Project.open(out) as pkg:
        s = pkg.session("ｗａｎｇ ｗｕ")
        assert s.rater == "Wang Wu"
        with pytest.raises(AnnotatorError, match="for rater"):
            pkg.session("bob")


def _cli(capsys, *argv):
    from annotator.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_ratings_import_matches_another_spelling_and_says_so(capsys, project, tmp_path):  # noqa: F811
    assert run(capsys, "assign", project, "--raters", "Wang Wu,bob")[0] == 0
    scores = tmp_path / "scores.csv"
    scores.write_text(
        "item,model,rater,dimension,score\n"
        "s1,base,ｗａｎｇ  ｗｕ,relevance,4\ns2,base,wang wu,relevance,5\n",
        encoding="utf-8",
    )
    code, out, err = _cli(capsys, "ratings", "import", project, scores)
    assert code == 0, err
    assert '"ｗａｎｇ  ｗｕ" is taken as the rater "Wang Wu"' in out
    assert '"wang wu" is taken as the rater "Wang Wu"' in out
    with Project.open(project) as p:
        assert p.raters() == ["Wang Wu", "bob"]  # no third rater
    # Both rows are Wang Wu's: the same file again changes nothing.
    code, out, _ = _cli(capsys, "ratings", "import", project, scores, "--json")
    assert code == 0 and '"unchanged": 2' in out and '"new": 0' in out


def test_one_score_given_twice_under_two_spellings_is_refused(capsys, project, tmp_path):  # noqa: F811
    scores = tmp_path / "scores.csv"
    scores.write_text(
        "item,model,rater,dimension,score\n"
        "s1,base,Wang Wu,relevance,4\ns1,base,WANG  WU,relevance,2\n",
        encoding="utf-8",
    )
    code, out, err = _cli(capsys, "ratings", "import", project, scores)
    assert code != 0
    said = out + err
    assert "given more than once (rows 2 and 3)" in said, said
    with Project.open(project) as p:
        assert p.raters() == []  # nothing written
