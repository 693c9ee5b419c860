"""Rubric TOML files a person got wrong or an attacker wrote: messages, never tracebacks.

Every case is a real file read by ``load_rubric`` and, for the key clash, by ``annotator init``
in a real subprocess: no project file may be left behind and no traceback printed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.domain.rubric import load_rubric
from annotator.core.project import Project

ANCHORS = 'anchors_en = ["a", "b", "c", "d", "e"]\nanchors_zh = ["一", "二", "三", "四", "五"]\n'


def rubric_file(tmp_path, *dimensions: str):
    path = tmp_path / "rubric.toml"
    path.write_text("".join(f"[[dimensions]]\n{body}\n" for body in dimensions), encoding="utf-8")
    return path


def dim(key: str = "relevance", extra: str = "", anchors: str = ANCHORS) -> str:
    return f'key = "{key}"\n{extra}\n{anchors}'


def refused(path) -> str:
    with pytest.raises(InputError) as info:
        load_rubric(path)
    return str(info.value)


@pytest.mark.parametrize("weight", ["nan", "inf", "-inf", "-1", "-0.5"])
def test_nan_inf_or_negative_weight_names_file_and_dimension(tmp_path, weight):
    path = rubric_file(tmp_path, dim("fluency"), dim("relevance", f"weight = {weight}"))
    text = refused(path)
    assert str(path) in text and "dimension 2 (relevance)" in text and "weight" in text


@pytest.mark.parametrize("weight", ['"heavy"', "true", "[1, 2]", "{ a = 1 }"])
def test_non_numeric_weight(tmp_path, weight):
    text = refused(rubric_file(tmp_path, dim("relevance", f"weight = {weight}")))
    assert "dimension 1 (relevance)" in text and "weight must be a number" in text


def test_zero_total_weight(tmp_path):
    path = rubric_file(tmp_path, dim("a", "weight = 0"), dim("b", "weight = 0.0"))
    text = refused(path)
    assert str(path) in text and "add up to 0" in text


def test_one_zero_weight_among_others_is_fine(tmp_path):
    rubric = load_rubric(rubric_file(tmp_path, dim("a", "weight = 0"), dim("b", "weight = 2")))
    assert [d.weight for d in rubric.dimensions] == [0.0, 2.0]


@pytest.mark.parametrize(
    "anchors",
    [
        'anchors_en = ["a", "b", "c", "d"]\n',  # four
        'anchors_en = "abcde"\n',  # a string of five letters is not five anchors
        "anchors_en = 5\n",  # a number (len() raised TypeError)
        "anchors_en = [1, 2, 3, 4, 5]\n",
        'anchors_en = [["a"], "b", "c", "d", "e"]\n',
        "anchors_en = { one = 1 }\n",
    ],
)
def test_anchors_of_the_wrong_count_or_type(tmp_path, anchors):
    text = refused(rubric_file(tmp_path, dim("style", anchors=anchors)))
    assert "dimension 1 (style)" in text and "anchors_en" in text


@pytest.mark.parametrize(
    "key",
    [
        "comment",
        "Comment",
        "id",
        "item_id",
        "rater",
        "score",
        "flag",
        "dimension",
        "sample_id",
        "model",
        "instruction",
        "reference",
        "generated",
        "sample-id",
        "备注",
    ],
)
def test_reserved_keys_are_refused(tmp_path, key):
    path = rubric_file(tmp_path, dim("relevance"), dim(key))
    text = refused(path)
    assert f"dimension 2 ({key})" in text and "column name" in text


@pytest.mark.parametrize(
    "body",
    [
        "key = 3\n" + ANCHORS,
        ANCHORS,
        'key = ""\n' + ANCHORS,
        'key = " x"\n' + ANCHORS,
        'key = "a\\tb"\n' + ANCHORS,
    ],
)
def test_missing_or_odd_keys(tmp_path, body):
    text = refused(rubric_file(tmp_path, body))
    assert "dimension 1" in text and "key" in text


def test_repeated_key(tmp_path):
    text = refused(rubric_file(tmp_path, dim("fluency"), dim("Fluency")))
    assert "dimension 2 (Fluency)" in text and "already used by dimension 1" in text


@pytest.mark.parametrize(
    "content",
    ["dimensions = 3\n", "dimensions = [1, 2]\n", '[[dimensions]]\nkey = "a"\nname_en = 5\n'],
)
def test_wrong_shapes(tmp_path, content):
    path = tmp_path / "rubric.toml"
    path.write_text(content, encoding="utf-8")
    assert str(path) in refused(path)


def test_not_utf8_and_missing_file(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes('[[dimensions]]\nkey = "相关性"\n'.encode("gb18030"))
    assert "UTF-8" in refused(path)
    assert "not found" in refused(tmp_path / "nope.toml")


def test_project_create_with_a_reserved_key_writes_nothing(tmp_path):
    path = rubric_file(tmp_path, dim("relevance"), dim("comment"))
    target = tmp_path / "eval.annotator"
    with pytest.raises(InputError):
        Project.create(target, "x", rubric=path)
    assert not target.exists()


def test_cli_init_with_hostile_rubrics_prints_messages(tmp_path):
    for n, body in enumerate(
        [
            dim("comment"),
            dim("a", "weight = nan"),
            dim("a", "weight = -2"),
            dim("a", anchors="anchors_en = 5\n"),
        ]
    ):
        path = rubric_file(tmp_path, body)
        target = tmp_path / f"eval{n}.annotator"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "annotator",
                "init",
                str(target),
                "--name",
                "x",
                "--rubric",
                str(path),
            ],
            capture_output=True,
            text=True,
            env={"ANNOTATOR_LANG": "en", "PATH": ""},
        )
        assert done.returncode != 0
        assert "Traceback" not in done.stderr + done.stdout
        assert "rubric.toml" in done.stderr + done.stdout
        assert not target.exists()
