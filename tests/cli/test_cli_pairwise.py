"""Issue 16 through the command line: pairwise create / status / settings / export and
preferences import, with --json, on a project built as a lead builds it."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main

WINNERS = ("model_a", "model_b", "tie", "tie (bothbad)")


def _run(capsys, *argv) -> tuple[int, dict | str]:
    code = main([*argv, "--json"])
    out = capsys.readouterr()
    text = out.out or out.err
    try:
        return code, json.loads(text)
    except json.JSONDecodeError:
        return code, text


def _items(path: Path, model: str, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "instruction", "reference", "generated"])
        for k in range(n):
            w.writerow([f"s{k}", f"问题 {k}", f"参考 {k}", f"{model} 回答 {k}"])


def _battles(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["question_id", "judge", "model_a", "model_b", "winner"])
        w.writerows(rows)
    return path


@pytest.fixture
def lead(tmp_path, capsys) -> Path:
    """lora-v2 (10 samples) imported before base (10) and qwen (6); English."""
    path = tmp_path / "eval.annotator"
    assert main(["init", str(path), "--name", "t", "--language", "en"]) == 0
    for model, n in (("lora-v2", 10), ("base", 10), ("qwen", 6)):
        _items(tmp_path / f"{model}.csv", model, n)
        assert main(["import", str(path), str(tmp_path / f"{model}.csv"), "--model", model]) == 0
    capsys.readouterr()
    return path


def test_create_says_the_baseline_and_each_pair_and_again_creates_nothing(lead, capsys):
    code, data = _run(capsys, "pairwise", "create", str(lead), "--vs-baseline")
    assert code == 0
    assert data["baseline"] == "base" and "its name says" in data["baseline_text"]
    pairs = {(p["model_a"], p["model_b"]): p for p in data["pairs"]}
    assert pairs == {
        ("lora-v2", "base"): {"model_a": "lora-v2", "model_b": "base", "created": 10,
                              "existing": 0, "samples": 10},
        ("qwen", "base"): {"model_a": "qwen", "model_b": "base", "created": 6, "existing": 0,
                           "samples": 6},
    }  # fmt: skip
    code, again = _run(capsys, "pairwise", "create", str(lead), "--all-pairs")
    assert code == 0
    made = {(p["model_a"], p["model_b"]): (p["created"], p["existing"]) for p in again["pairs"]}
    assert made == {
        ("lora-v2", "base"): (0, 10),
        ("qwen", "base"): (0, 6),
        ("qwen", "lora-v2"): (6, 0),
    }
    assert main(["pairwise", "create", str(lead), "--models", "base,qwen"]) == 0
    text = capsys.readouterr().out
    assert "baseline: base" in text and "0 comparison(s) created" in text


def test_create_without_a_choice_is_a_message(lead, capsys):
    code, data = _run(capsys, "pairwise", "create", str(lead))
    assert code == 1 and "--vs-baseline" in data["error"]
    code, data = _run(capsys, "pairwise", "create", str(lead), "--models", "base,nope")
    assert code == 1 and 'no model "nope"' in data["error"]


def test_status_is_the_default_and_counts_pairs_and_raters(lead, capsys, tmp_path):
    assert main(["pairwise", str(lead)]) == 0
    assert "no comparisons yet" in capsys.readouterr().out
    _run(capsys, "pairwise", "create", str(lead), "--vs-baseline")
    rows = [
        ("s0", "ann", "base", "lora-v2", "model_b"),
        ("s1", "ann", "lora-v2", "base", "tie"),
        ("s0", "bo", "lora-v2", "base", "model_a"),
        ("s2", "bo", "qwen", "base", "model_b"),
    ]
    code, data = _run(
        capsys, "preferences", "import", str(lead), str(_battles(tmp_path / "b.csv", rows))
    )
    assert code == 0 and data["new"] == 4
    code, status = _run(capsys, "pairwise", str(lead))
    assert code == 0
    assert status["comparisons"] == 16
    pairs = {(p["model_a"], p["model_b"]): (p["comparisons"], p["judged"], p["judgments"])
             for p in status["pairs"]}  # fmt: skip
    assert pairs == {("lora-v2", "base"): (10, 2, 3), ("qwen", "base"): (6, 1, 1)}
    raters = {r["rater"]: (r["assigned"], r["judged"], r["judgments"]) for r in status["raters"]}
    assert raters == {"ann": (0, 2, 2), "bo": (0, 2, 2)}
    assert status["settings"] == {"scale": 3, "dimensions": False}
    code, same = _run(capsys, "pairwise", "status", str(lead))
    assert same == status
    assert main(["pairwise", "status", str(lead)]) == 0
    text = capsys.readouterr().out
    assert "lora-v2" in text and "ann" in text and "scale: 3 levels" in text


def test_settings_change_and_show(lead, capsys):
    code, data = _run(
        capsys, "pairwise", "settings", str(lead), "--scale", "5", "--dimensions", "on"
    )
    assert (code, data) == (0, {"scale": 5, "dimensions": True})
    code, data = _run(capsys, "pairwise", "settings", str(lead))
    assert (code, data) == (0, {"scale": 5, "dimensions": True})
    code, data = _run(capsys, "pairwise", "settings", str(lead), "--dimensions", "off")
    assert data == {"scale": 5, "dimensions": False}
    with pytest.raises(SystemExit) as usage:  # a usage error, as argparse says it
        main(["pairwise", "settings", str(lead), "--scale", "4"])
    assert usage.value.code == 2
    capsys.readouterr()


def test_preferences_import_refuses_with_rows_and_columns_and_again_changes_nothing(
    lead, capsys, tmp_path
):
    bad = _battles(
        tmp_path / "bad.csv",
        [
            ("s0", "ann", "base", "lora-v9", "model_a"),
            ("s1", "ann", "base", "lora-v2", "win"),
            ("s7", "ann", "qwen", "base", "tie"),
        ],  # fmt: skip
    )
    before = lead.read_bytes()
    code, data = _run(capsys, "preferences", "import", str(lead), str(bad))
    assert code == 1 and data["type"] == "InputError"
    where = {(p["row"], p["column"]) for p in data["problems"]}
    assert where == {(2, "model_b"), (3, "winner"), (4, "question_id")}
    assert lead.read_bytes() == before
    good = _battles(
        tmp_path / "good.csv", [("s0", "ann", "base", "lora-v2", w) for w in WINNERS[:1]]
    )
    code, first = _run(capsys, "preferences", "import", str(lead), str(good))
    assert (code, first["new"], first["comparisons_created"]) == (0, 1, 1)
    code, again = _run(capsys, "preferences", "import", str(lead), str(good))
    assert (again["new"], again["unchanged"], again["changed"]) == (0, 1, 0)
    assert main(["preferences", "import", str(lead), str(good)]) == 0
    assert "0 new, 0 changed, 1 unchanged judgments" in capsys.readouterr().out


def test_export_writes_preference_pairs_and_battles(lead, capsys, tmp_path):
    rows = [(f"s{k}", r, "base", "lora-v2", "model_b" if k < 7 else "tie")
            for k in range(10) for r in ("ann", "bo", "cy")]  # fmt: skip
    _run(capsys, "preferences", "import", str(lead), str(_battles(tmp_path / "b.csv", rows)))
    out = tmp_path / "dpo"
    out.mkdir()
    code, data = _run(capsys, "export", str(lead), str(out / "preferences.jsonl"))
    assert (code, data["path"]) == (0, str(out / "preferences.jsonl"))
    pairs = [json.loads(line) for line in (out / "preferences.jsonl").read_text().splitlines()]
    assert len(pairs) == 7 and all(p["chosen"].startswith("lora-v2 回答") for p in pairs)
    info = json.loads((out / "dataset_info.json").read_text())
    assert info["preferences"]["ranking"] is True
    code, counts = _run(capsys, "pairwise", "export", str(lead), str(out / "preferences.jsonl"))
    assert (code, counts["rows"], counts["ties"], counts["split"], counts["left_out"]) == (
        0,
        7,
        3,
        0,
        3,
    )
    assert main(["pairwise", "export", str(lead), str(out / "preferences.jsonl")]) == 0
    text = capsys.readouterr().out
    assert "wrote 7 preference pair(s)" in text and "3 mostly about the same" in text
    code, data = _run(capsys, "export", str(lead), str(out / "battles.jsonl"))
    assert code == 0
    assert len((out / "battles.jsonl").read_text().splitlines()) == 30
    code, data = _run(capsys, "export", str(lead), str(out / "other.jsonl"))
    assert code == 1 and "preferences*.jsonl" in data["error"]


def test_export_with_no_judgments_is_a_message_and_writes_nothing(lead, capsys, tmp_path):
    for name in ("preferences.jsonl", "battles.jsonl"):
        code, data = _run(capsys, "export", str(lead), str(tmp_path / name))
        assert code == 1 and "no " in data["error"] and "nothing was written" in data["error"]
        assert not (tmp_path / name).exists()
    assert not (tmp_path / "dataset_info.json").exists()


def test_help_of_each_command():
    commands = [["pairwise"], ["preferences", "import"]]
    commands += [["pairwise", name] for name in ("create", "status", "settings", "export")]
    for words in commands:
        done = subprocess.run(
            [sys.executable, "-m", "annotator", *words, "--help"],
            capture_output=True,
            text=True,
            env={"ANNOTATOR_LANG": "en", "PATH": ""},
        )
        assert done.returncode == 0, done.stderr
        assert "usage: annotator " + " ".join(words) in done.stdout
