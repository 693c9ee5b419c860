"""The command line speaks the project's language: Chinese for a zh_CN project, English for
an en one; ANNOTATOR_LANG overrides it, and without a project the system's language counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from annotator.cli import main
from annotator.core.demo import build_demo


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def projects(tmp_path, capsys):
    items = tmp_path / "items.csv"
    items.write_text(
        "id,instruction,reference,generated\n1,写一句口红文案,显白又平价,口红很好\n",
        encoding="utf-8",
    )
    made = {}
    for language in ("zh_CN", "en"):
        path = str(tmp_path / f"{language}.annotator")
        assert run(capsys, "init", path, "--language", language)[0] == 0
        assert run(capsys, "import", path, str(items), "--model", "base")[0] == 0
        made[language] = path
    return made


def test_info_follows_the_project_language(capsys, projects):
    _, zh, _ = run(capsys, "info", projects["zh_CN"])
    _, en, _ = run(capsys, "info", projects["en"])
    assert "条目：1" in zh and "评分标准：" in zh and "items:" not in zh
    assert "items: 1" in en and "rubric: " in en and "条目" not in en


def test_annotator_lang_overrides_the_project(capsys, projects, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_LANG", "en")
    _, out, _ = run(capsys, "info", projects["zh_CN"])
    assert "items: 1" in out
    monkeypatch.setenv("ANNOTATOR_LANG", "zh_CN")
    _, out, _ = run(capsys, "info", projects["en"])
    assert "条目：1" in out


def test_an_import_problem_is_located_in_chinese(capsys, projects, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,instruction,reference,generated\n1,,参考,输出\n", encoding="utf-8")
    code, out, err = run(capsys, "import", projects["zh_CN"], str(bad), "--model", "base")
    assert code == 1
    assert err.startswith("错误：")
    assert "bad.csv，第 2 行" in err


def test_json_keys_stay_english_and_messages_follow_the_language(capsys, projects, tmp_path):
    missing = str(tmp_path / "nowhere.csv")
    code, out, _ = run(capsys, "import", projects["zh_CN"], missing, "--json")
    payload = json.loads(out)
    assert code == 1 and set(payload) >= {"error", "type"}
    assert "nowhere.csv" in payload["error"] and any(
        "\u4e00" <= c <= "\u9fff" for c in payload["error"]
    )


def test_the_report_speaks_chinese_on_a_chinese_project(capsys, tmp_path):
    demo = build_demo(tmp_path / "demo.annotator")
    demo.close()
    code, out, _ = run(capsys, "report", str(tmp_path / "demo.annotator"))
    assert code == 0
    assert "相关性" in out and "综合分" in out and "结论" in out
    assert "不通过" in out  # the base model fails its gates
    assert "mean BLEU" not in out  # its reasons are Chinese too


def test_without_a_project_the_system_language_counts(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "ANNOTATOR_LANG")}
    missing = str(tmp_path / "missing.annotator")
    results = {}
    for lang in ("zh_CN.UTF-8", "C.UTF-8"):
        done = subprocess.run(
            [sys.executable, "-m", "annotator", "info", missing],
            env={**env, "LANG": lang},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1
        results[lang] = done.stderr
    assert (
        results["zh_CN.UTF-8"].startswith("错误：")
        and "missing.annotator" in results["zh_CN.UTF-8"]
    )
    assert results["C.UTF-8"].startswith("error: ") and "missing.annotator" in results["C.UTF-8"]
