"""The command line speaks the project's language: Chinese for a zh_CN project, English for
an en one; ANNOTATOR_LANG overrides it, and without a project the system's language counts.
The help (--help, usage errors) is written before any project is known: ANNOTATOR_LANG, else
the system's language."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

import pytest

from annotator.cli import build_parser, main
from annotator.cli._common import help_language
from annotator.cli._help import wrap_columns
from annotator.core.i18n import display_width, set_language
from annotator.core.project import Project


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
    demo = Project.demo(tmp_path / "demo.annotator")
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


CJK = re.compile(r"[\u4e00-\u9fff]")


def _help(args, lang):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "ANNOTATOR_LANG")}
    done = subprocess.run(
        [sys.executable, "-m", "annotator", *args, "--help"],
        env={**env, "LANG": lang, "COLUMNS": "100"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_follows_the_system_language():
    zh, zh_import = _help([], "zh_CN.UTF-8"), _help(["import"], "zh_CN.UTF-8")
    assert zh.startswith("用法：annotator [-h]")
    assert "微调语言模型的人工评测" in zh and "从 CSV、TSV、XLSX" in zh
    assert "位置参数:" in zh and "选项:" in zh and "显示此帮助信息并退出" in zh
    assert zh_import.startswith("用法：annotator import [-h]")
    assert "导入（指令，参考答案，模型输出）三元组" in zh_import and "要导入的文件" in zh_import
    assert "位置参数:" in zh_import and "--skip-duplicates" in zh_import
    for text in (zh, zh_import):
        assert "usage:" not in text and "positional arguments" not in text
        assert "options:" not in text and "show this help" not in text
    en, en_import = _help([], "C.UTF-8"), _help(["import"], "C.UTF-8")
    assert en.startswith("usage: annotator [-h]") and "Human evaluation of fine-tuned" in en
    assert en_import.startswith("usage: annotator import [-h]")
    assert "Import (instruction, reference, generated) triples" in en_import
    for text in (en, en_import):
        assert "positional arguments:" in text and "options:" in text
        assert "show this help message and exit" in text and not CJK.search(text)


def _main_help(capsys, *argv):
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_annotator_lang_sets_the_help_language_over_the_system(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("ANNOTATOR_LANG", "en")
    assert _main_help(capsys, "package", "create").startswith("usage: annotator package create")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("ANNOTATOR_LANG", "zh_CN")
    out = _main_help(capsys, "package", "create")
    assert out.startswith("用法：annotator package create")
    assert "生成评分包" in out and "覆盖已有的输出文件" in out and "位置参数:" in out


def test_a_usage_error_is_reported_in_chinese(capsys, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_LANG", "zh_CN")
    with pytest.raises(SystemExit) as exit_:
        main(["sheet", "import"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith("用法：annotator sheet import")
    assert "annotator sheet import：错误：" in err  # argparse's own reason stays English


def _parsers(parser):
    """The parser and every subparser under it, with their command paths."""
    yield (), parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                for path, found in _parsers(sub):
                    yield (name, *path), found


def test_every_help_text_is_chinese_and_fits_the_terminal(capsys, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_LANG", "zh_CN")
    monkeypatch.setenv("COLUMNS", "60")
    set_language(help_language())
    parsers = list(_parsers(build_parser()))
    assert len(parsers) > 20
    for path, parser in parsers:
        texts = [parser.description] + [
            a.help for a in parser._actions if a.help and a.help is not argparse.SUPPRESS
        ]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                texts += [choice.help for choice in action._choices_actions]
        assert all(CJK.search(text) for text in texts), (path, texts)
        out = _main_help(capsys, *path)
        usage, _, body = out.partition("\n\n")  # a long usage may overflow, in English too
        assert all(display_width(line) <= 58 for line in body.splitlines()), out
        usage = usage.splitlines()
        for line in usage[1:]:  # wrapped usage lines align under the first, after the prefix
            start = usage[0].index(" [") + 1
            assert len(line) - len(line.lstrip()) == display_width(usage[0][:start]), out


def test_chinese_wraps_by_columns_and_never_before_a_closing_mark():
    lines = wrap_columns("一二三，四五（六七）八 and nine ten", 6)
    assert lines == ["一二", "三，四", "五（六", "七）八", "and", "nine", "ten"]
    assert wrap_columns("a sentence in English only", 12) == ["a sentence", "in English", "only"]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US.UTF-8", "en"),
        ("de_DE.UTF-8", "en"),
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh_TW", "zh_CN"),
        ("C.UTF-8", "en"),
    ],
)
def test_a_new_project_speaks_the_systems_language(tmp_path, locale, expected):
    """Issue 14, point 3: `init` without --language follows the locale (it used to be zh_CN
    on every machine, so an English system got Chinese messages and a Chinese report)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.pop("ANNOTATOR_LANG", None)
    env["LANG"] = locale
    path = tmp_path / "eval.annotator"
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "init", str(path)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Project.open(path) as project:
        assert project.language == expected
    assert ("已创建" in done.stdout) == (expected == "zh_CN"), done.stdout


def test_language_on_the_command_line_wins_over_the_system(tmp_path):
    env = {**os.environ, "LANG": "zh_CN.UTF-8"}
    env.pop("ANNOTATOR_LANG", None)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    path = tmp_path / "eval.annotator"
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "init", str(path), "--language", "en"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Project.open(path) as project:
        assert project.language == "en"
