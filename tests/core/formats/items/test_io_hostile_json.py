"""JSON built to break a recursive reader: a message naming the file (and line), no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.formats.items import preview, read_items

DEEP = 100_000
GOOD = {"id": "s1", "instruction": "写一句文案", "reference": "参考", "generated": "输出"}


def deep_array(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl", "deep.txt"])
def test_deeply_nested_array_file(tmp_path, name):
    path = tmp_path / name
    path.write_text(deep_array(), encoding="utf-8")
    for read in (read_items, preview):
        with pytest.raises(InputError) as info:
            read(path)
        assert str(path) in str(info.value) and "nested too deeply" in str(info.value)


def test_deeply_nested_value_inside_a_record(tmp_path):
    path = tmp_path / "records.json"
    record = json.dumps(GOOD)[:-1] + ', "meta": ' + deep_array() + "}"
    path.write_text("[" + record + "]", encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        read_items(path)


def test_one_deep_line_among_good_json_lines_is_named_by_line(tmp_path):
    path = tmp_path / "preds.jsonl"
    deep = '{"id": "s2", "instruction": ' + deep_array() + "}"
    lines = [json.dumps(GOOD, ensure_ascii=False), deep, json.dumps({**GOOD, "id": "s3"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_items(path)
    [problem] = info.value.problems
    assert problem.line == 2 and problem.file == str(path)
    assert "nested too deeply" in str(problem.message)


def test_nesting_just_under_the_limit_is_kept_as_text(tmp_path):
    """Nesting the reader can take must not fail later, when the value is turned into text."""
    path = tmp_path / "ok.jsonl"
    for depth in (100, sys.getrecursionlimit() - 50):
        path.write_text(json.dumps({**GOOD, "meta": json.loads(deep_array(depth))}) + "\n")
        try:
            plan = read_items(path, model="m")
        except InputError as exc:  # refusing is fine; a traceback is not
            assert "nested too deeply" in str(exc)
        else:
            assert plan.items[0].metadata["meta"].startswith("[[")


def test_cli_import_of_a_json_bomb_prints_a_message(tmp_path):
    project = tmp_path / "eval.annotator"
    env = {"ANNOTATOR_LANG": "en", "PATH": ""}
    cli = [sys.executable, "-m", "annotator"]
    subprocess.run(
        [*cli, "init", str(project), "--name", "x"], check=True, env=env, capture_output=True
    )
    bomb = tmp_path / "bomb.json"
    bomb.write_text(deep_array(), encoding="utf-8")
    done = subprocess.run(
        [*cli, "import", str(project), str(bomb), "--model", "m"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    assert "bomb.json" in done.stderr and "nested too deeply" in done.stderr
