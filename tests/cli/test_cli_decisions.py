"""Issue 15 through the command line: the baseline, the paired comparison, evidence.

Projects are built as a lead builds them (init, import CSV files, ratings import) and read
back through `report --json`; expected numbers come from the ratings written here.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from annotator.cli import main

DIMS = ("relevance", "fluency", "style", "compliance")


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


def _ratings(path: Path, scores: dict[tuple[str, int], tuple[int, ...]]) -> None:
    """(model, sample) -> one score per rater, given on every dimension."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["item", "rater", "dimension", "score"])
        for (model, k), per_rater in scores.items():
            for r, score in enumerate(per_rater):
                for d in DIMS:
                    w.writerow([f"{model}/s{k}", f"r{r}", d, score])


def _project(tmp_path, capsys, models: dict[str, int], scores) -> Path:
    path = tmp_path / "eval.annotator"
    assert main(["init", str(path), "--name", "t", "--language", "en"]) == 0
    for model, n in models.items():
        _items(tmp_path / f"{model}.csv", model, n)
        assert main(["import", str(path), str(tmp_path / f"{model}.csv"), "--model", model]) == 0
    _ratings(tmp_path / "ratings.csv", scores)
    assert main(["ratings", "import", str(path), str(tmp_path / "ratings.csv")]) == 0
    capsys.readouterr()
    return path


def _two_models(tmp_path, capsys, first="lora-v2", second="base"):
    rng = np.random.default_rng(7)
    scores = {}
    for k in range(40):
        b = int(rng.integers(2, 5))
        scores[("base", k)] = (b, b)
        scores[("lora-v2", k)] = (min(b + 1, 5), min(b + 1, 5))
    return _project(tmp_path, capsys, {first: 40, second: 40}, scores), scores


def _composite_row(data):
    (comparison,) = data["comparisons"]
    return comparison, next(m for m in comparison["measures"] if m["measure"] == "composite")


def test_the_fine_tune_imported_first_still_reads_candidate_minus_base(tmp_path, capsys):
    path, scores = _two_models(tmp_path, capsys)
    code, data = _run(capsys, "report", str(path))
    assert code == 0
    assert data["baseline"] == {**data["baseline"], "model": "base", "chosen": "name"}
    comparison, row = _composite_row(data)
    expected = np.mean([scores[("lora-v2", k)][0] - scores[("base", k)][0] for k in range(40)])
    assert (comparison["baseline"], comparison["candidate"]) == ("base", "lora-v2")
    assert row["diff"] == pytest.approx(expected) and expected > 0
    assert row["n_pairs"] == 40 and row["reading"] == "better"


def test_naming_the_baseline_turns_the_comparison_around_and_back(tmp_path, capsys):
    path, _ = _two_models(tmp_path, capsys)
    code, listed = _run(capsys, "models", str(path), "--baseline", "lora-v2")
    assert code == 0 and listed["baseline"]["chosen"] == "named"
    assert [m["baseline"] for m in listed["models"]] == [True, False]  # import order kept
    _, data = _run(capsys, "report", str(path))
    comparison, row = _composite_row(data)
    assert comparison["baseline"] == "lora-v2" and row["diff"] < 0 and row["reading"] == "worse"
    _, listed = _run(capsys, "models", str(path), "--auto-baseline")
    assert listed["baseline"]["model"] == "base" and listed["baseline"]["chosen"] == "name"


def test_an_unknown_baseline_is_refused_naming_the_models_and_changes_nothing(tmp_path, capsys):
    path, _ = _two_models(tmp_path, capsys)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, text = _run(capsys, "models", str(path), "--baseline", "lora-v3")
    assert code == 1
    message = text["error"] if isinstance(text, dict) else text
    assert "lora-v3" in json.dumps(message, ensure_ascii=False)
    assert "lora-v2" in json.dumps(message, ensure_ascii=False)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_three_models_each_candidate_against_the_baseline(tmp_path, capsys):
    scores = {}
    for k in range(30):
        scores[("v1", k)] = (4, 4)
        scores[("base", k)] = (3, 3)
        scores[("v2", k)] = (3, 3)
    path = _project(tmp_path, capsys, {"v1": 30, "base": 30, "v2": 30}, scores)
    _, data = _run(capsys, "report", str(path))
    pairs = [(c["baseline"], c["candidate"]) for c in data["comparisons"]]
    assert pairs == [("base", "v1"), ("base", "v2")]
    readings = {c["candidate"]: c["measures"][4]["reading"] for c in data["comparisons"]}
    assert readings == {"v1": "better", "v2": "no_difference"}


def test_four_of_two_hundred_needs_more_data_and_says_so(tmp_path, capsys):
    scores = {("base", k): (3, 4) for k in range(4)}
    scores |= {("base", k): (4,) for k in range(4, 200)}  # one rater only: incomplete
    path = _project(tmp_path, capsys, {"base": 200}, scores)
    _, data = _run(capsys, "report", str(path))
    (verdict,) = data["verdicts"]["models"]
    assert verdict["verdict"] == "NEEDS_MORE_DATA"
    assert "4 of 200 items complete; 30 needed" in verdict["reasons"]
    main(["report", str(path)])
    text = capsys.readouterr().out
    assert "NEEDS MORE DATA" in text and "4 of 200" in text


def test_the_decision_rule_is_a_gate_setting(tmp_path, capsys):
    # 34 samples at 4 and 6 at 5 on one model: mean 4.15, an interval across 4.0 or not.
    scores = {("m", k): (4, 4) for k in range(30)}
    scores |= {("m", k): (5, 4) for k in range(30, 36)}
    scores |= {("m", k): (3, 4) for k in range(36, 40)}
    path = _project(tmp_path, capsys, {"m": 40}, scores)
    _, data = _run(capsys, "report", str(path))
    (verdict,) = data["verdicts"]["models"]
    composite = next(e for e in verdict["evidence"] if e["key"] == "composite")
    assert composite["low"] < 4.0 < composite["high"]  # the premise
    assert verdict["verdict"] == "INCONCLUSIVE" and composite["more_samples"] > 0
    assert data["verdicts"]["decision"]["rule"] == "interval"
    code, gates = _run(capsys, "gates", str(path), "--decision", "point", "--minimum", "10")
    assert code == 0 and gates["decision"] == {"rule": "point", "minimum": 10, "confidence": 0.95}
    _, data = _run(capsys, "report", str(path))
    assert data["verdicts"]["models"][0]["verdict"] == "PASS"
    code, _ = _run(capsys, "gates", str(path), "--minimum", "0")
    assert code == 1
    _, gates = _run(capsys, "gates", str(path))
    assert gates["decision"]["minimum"] == 10  # a refused change changes nothing


def test_a_rater_package_has_no_baseline_to_name(tmp_path, capsys):
    path, _ = _two_models(tmp_path, capsys)
    package = tmp_path / "r0.annotator"
    assert main(["assign", str(path), "--raters", "r0"]) == 0
    assert main(["package", "create", str(path), "--rater", "r0", "-o", str(package)]) == 0
    capsys.readouterr()
    before = hashlib.sha256(package.read_bytes()).hexdigest()
    code, text = _run(capsys, "models", str(package), "--baseline", "base")
    assert code == 1 and "rater package" in json.dumps(text)
    assert hashlib.sha256(package.read_bytes()).hexdigest() == before


def test_plan_agrees_with_statsmodels_from_the_reports_own_items(tmp_path, capsys):
    import pandas as pd
    from statsmodels.stats.power import TTestPower

    rng = np.random.default_rng(3)
    scores = {}
    for k in range(40):
        b = int(rng.integers(2, 5))
        scores[("base", k)] = (b, b)
        c = int(np.clip(b + rng.integers(-1, 3), 1, 5))
        scores[("lora-v2", k)] = (c, c)
    path = _project(tmp_path, capsys, {"lora-v2": 40, "base": 40}, scores)
    code, planned = _run(capsys, "plan", str(path), "--delta", "0.4", "--power", "0.9")
    assert code == 0
    (need,) = planned["comparisons"]
    # The oracle: the paired differences from the scores written above, statsmodels' power.
    diffs = np.array([scores[("lora-v2", k)][0] - scores[("base", k)][0] for k in range(40)])
    effect = 0.4 / diffs.std(ddof=1)
    n = TTestPower().solve_power(effect_size=effect, alpha=0.05, power=0.9)
    assert abs(need["samples_needed"] - int(np.ceil(n))) <= 1
    assert (need["candidate"], need["baseline"], need["samples_now"]) == ("lora-v2", "base", 40)
    assert need["basis"]["sd"] == pytest.approx(diffs.std(ddof=1))
    assert main(["plan", str(path), "--delta", "0.4", "--power", "0.9"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "lora-v2 - base" in line)
    assert row.split()[3] == str(need["samples_needed"])  # the text says the JSON's number
    # Before any rating: an assumed spread, said so.
    empty = tmp_path / "empty.annotator"
    assert main(["init", str(empty), "--name", "e", "--language", "en"]) == 0
    for model in ("lora-v2", "base"):
        assert main(["import", str(empty), str(tmp_path / f"{model}.csv"), "--model", model]) == 0
    capsys.readouterr()
    _, planned = _run(capsys, "plan", str(empty))
    (need,) = planned["comparisons"]
    assert need["basis"]["assumed"] is True and "assumed" in need["basis"]["note"]
    assert pd.notna(need["samples_needed"])


def test_a_report_with_comparisons_and_metrics_loads_no_scipy(tmp_path, capsys):
    """The report's rank tests are our own (stats.ranktests, checked against scipy in
    tests/core/stats/test_ranktests.py): a report on two rated models with metrics must not
    pay for importing scipy.stats, which costs more than the report's arithmetic."""
    import subprocess
    import sys

    path, _ = _two_models(tmp_path, capsys)
    assert main(["metrics", str(path)]) == 0
    code = (
        "import sys\n"
        "from annotator.cli import main\n"
        "assert main(['report', sys.argv[1]]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert "lora-v2" in done.stdout and "base" in done.stdout  # the comparison was printed
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_counts_beside_the_lists_count_them(tmp_path, capsys):
    """The text report prints the number of disputed items from disagreement_count, which
    the JSON gives beside the list it counts (the text report builds no list)."""
    scores = {("base", k): ((1, 5) if k % 3 == 0 else (3, 3)) for k in range(12)}
    path = _project(tmp_path, capsys, {"base": 12}, scores)
    code, data = _run(capsys, "report", str(path))
    assert code == 0
    disputed = {d["item_id"] for d in data["stats"]["disagreements"]}
    assert len(disputed) == 4  # samples 0, 3, 6 and 9: one row per item
    assert data["stats"]["disagreement_count"] == len(data["stats"]["disagreements"])
    assert data["verdicts"]["mismatch_count"] == len(data["verdicts"]["mismatches"])
    assert main(["report", str(path)]) == 0
    assert "4 item(s) with a 2+ point disagreement" in capsys.readouterr().out
