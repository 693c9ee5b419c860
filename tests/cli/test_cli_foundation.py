"""The CLI as a lead runs it: init, import, info, demo, --json, --help, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    return code, json.loads(out)


LF_LINES = [
    {
        "prompt": "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
        "写一句学生党平价口红的文案<|im_end|>\n<|im_start|>assistant\n",
        "predict": "学生党必入!这款平价口红显白不挑皮",
        "label": "这款口红显白又平价,学生党闭眼冲",
    },
    {
        "prompt": "<|im_start|>user\nSummarise: the parcel is late.<|im_end|>\n"
        "<|im_start|>assistant\n",
        "predict": "Your parcel is delayed.",
        "label": "The parcel is late.",
    },
]


@pytest.fixture
def files(tmp_path):
    lf = tmp_path / "generated_predictions.jsonl"
    lf.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in LF_LINES) + "\n", encoding="utf-8"
    )
    csv = tmp_path / "base_model.csv"
    csv.write_text(
        "id,instruction,reference,generated,bleu\n"
        "1,写一句学生党平价口红的文案,这款口红显白又平价,口红很好,31.5\n"
        "2,Summarise: the parcel is late.,The parcel is late.,Late parcel.,12\n",
        encoding="utf-8-sig",
    )
    return lf, csv


def test_the_issue_story(capsys, tmp_path, files):
    lf, csv = files
    project = str(tmp_path / "eval.annotator")
    assert run(capsys, "init", project, "--name", "Qwen2.5-1.5B LoRA v2")[0] == 0
    code, data = run_json(capsys, "import", project, str(lf), "--model", "lora-v2")
    assert code == 0 and data["format"] == "llamafactory" and data["added"] == 2
    code, data = run_json(capsys, "import", project, str(csv), "--model", "base")
    assert code == 0 and data["added"] == 2 and data["metric_columns"] == {"bleu": "bleu"}
    code, info = run_json(capsys, "info", project)
    assert info["name"] == "Qwen2.5-1.5B LoRA v2" and info["items"] == 4
    assert info["models"] == [{"name": "lora-v2", "items": 2}, {"name": "base", "items": 2}]
    # importing the same file again is recognised and adds nothing
    code, data = run_json(capsys, "import", project, str(lf), "--model", "lora-v2")
    assert data["added"] == 0 and data["already_imported"] is True
    assert run_json(capsys, "info", project)[1]["items"] == 4


def test_errors_are_messages_not_tracebacks(capsys, tmp_path):
    code, out, err = run(capsys, "info", str(tmp_path / "missing.annotator"))
    assert code == 1 and err.startswith("error: ") and "does not exist" in err
    assert "Traceback" not in err
    code, data = run_json(capsys, "info", str(tmp_path / "missing.annotator"))
    assert code == 1 and "does not exist" in data["error"]


def test_import_problems_are_listed_with_row_and_column_and_nothing_is_written(capsys, tmp_path):
    project = str(tmp_path / "eval.annotator")
    run(capsys, "init", project)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,instruction,generated\n1,a,b\n", encoding="utf-8")
    code, data = run_json(capsys, "import", project, str(bad), "--model", "m")
    assert code == 1 and "reference" in data["error"] and data["problems"]
    assert run_json(capsys, "info", project)[1]["items"] == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "expected an object {...}, found a number"), ("zh_CN", "应为对象 {...}，实际为数字")],
)
def test_json_problems_are_text_in_the_command_language(
    capsys, tmp_path, monkeypatch, language, expected
):
    # The reader's problems are messages translated when shown: --json shows them as text.
    monkeypatch.setenv("ANNOTATOR_LANG", language)
    project = str(tmp_path / "eval.annotator")
    run(capsys, "init", project)
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    code, data = run_json(capsys, "import", project, str(bad), "--model", "m")
    assert code == 1 and data["type"] == "InputError"
    assert [p["file"] for p in data["problems"]] == [str(bad)] * 2
    assert all(expected in p["message"] for p in data["problems"]), data["problems"]
    assert expected in data["error"]


def test_import_without_model_name(capsys, tmp_path, files):
    _, csv = files
    project = str(tmp_path / "eval.annotator")
    run(capsys, "init", project)
    code, out, err = run(capsys, "import", project, str(csv))
    assert code == 1 and "--model" in err


def test_map_overrides_a_role(capsys, tmp_path):
    project = str(tmp_path / "eval.annotator")
    run(capsys, "init", project)
    f = tmp_path / "x.csv"
    f.write_text("q,gold,answer_a\nhi,hello,hey\n", encoding="utf-8")
    code, data = run_json(
        capsys,
        "import",
        project,
        str(f),
        "--model",
        "m",
        "--map",
        "instruction=q",
        "--map",
        "reference=gold",
        "--map",
        "generated=answer_a",
    )
    assert code == 0 and data["added"] == 1
    code, out, err = run(capsys, "import", project, str(f), "--model", "m", "--map", "nonsense")
    assert code == 1 and "ROLE=COLUMN" in err


def test_demo_builds_a_project_with_two_models(capsys, tmp_path):
    code, info = run_json(capsys, "demo", "--path", str(tmp_path / "demo.annotator"))
    assert code == 0 and info["items"] >= 80
    assert {m["name"] for m in info["models"]} == {"base", "lora-v2"}
    assert len(info["raters"]) == 3 and info["ratings"] > 500


def test_help_for_every_command():
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("init", "import", "info", "demo", "open", "ratings"):
        assert command in out
        sub = subprocess.run(
            [sys.executable, "-m", "annotator", command, "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "usage: annotator " + command in sub
