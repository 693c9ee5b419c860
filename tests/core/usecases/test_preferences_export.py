"""Exports of side-by-side judgments: LLaMA-Factory preference pairs and Arena battles.

The expected pairs are computed here from the battle rows the test wrote (which model won
each vote) and the answers' texts the test gave each model, independently of the export.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.side_by_side import Choice
from tests.core.usecases.test_preferences_import import (
    make_project,
    random_battles,
    write_csv,
)

# LLaMA-Factory's data/README: the keys of a preference dataset's description
LLAMAFACTORY_COLUMNS = {"prompt", "query", "response", "history", "messages", "system",
                        "tools", "images", "chosen", "rejected", "kto_tag"}  # fmt: skip
COMPARED = ["sample_id", "rater", "dimension", "model_a", "model_b", "left", "outcome", "strength"]


@pytest.fixture
def judged(tmp_path):
    """A project with three raters' overall and relevance judgments on two pairs."""
    project = make_project(tmp_path / "prefs.annotator")
    rows = random_battles(seed=7)
    project.side_by_side.import_preferences(write_csv(tmp_path / "in.csv", rows))
    yield project, rows
    project.close()


def _expected_pairs(rows) -> tuple[list[tuple[str, str, str]], Counter]:
    """(instruction, chosen, rejected) for each sample and pair whose overall votes name
    one answer more than half the time, and the others counted by why."""
    votes: dict[tuple, list[str]] = {}
    for r in rows:
        if r["dimension"]:
            continue
        key = (r["question_id"], frozenset((r["model_a"], r["model_b"])))
        votes.setdefault(key, []).append(
            r[r["winner"]] if r["winner"] in ("model_a", "model_b") else r["winner"]
        )
    pairs, left_out = [], Counter()
    for (sample, models), said in votes.items():
        top, count = Counter(said).most_common(1)[0]
        k = sample[1:]
        if 2 * count > len(said) and top in models:
            (other,) = models - {top}
            pairs.append((f"问题 {k}：介绍这款面霜", f"{top} 的回答 {k}", f"{other} 的回答 {k}"))
        elif 2 * count > len(said):
            left_out["ties" if top == "tie" else "both_bad"] += 1
        else:
            left_out["split"] += 1
    return sorted(pairs), left_out


def test_preference_pairs_are_the_majorities_computed_from_the_votes(judged, tmp_path):
    project, rows = judged
    out = tmp_path / "dpo"
    out.mkdir()
    report = project.side_by_side.export(out / "preferences.jsonl")
    lines = (out / "preferences.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert all(set(r) == {"instruction", "input", "chosen", "rejected"} for r in records)
    assert all(r["input"] == "" for r in records)
    got = sorted((r["instruction"], r["chosen"], r["rejected"]) for r in records)
    want, left_out = _expected_pairs(rows)
    assert got == want and len(want) > 5
    assert report.rows == len(want)
    assert (report.ties, report.both_bad, report.split) == (
        left_out["ties"], left_out["both_bad"], left_out["split"]
    )  # fmt: skip
    assert report.comparisons == 20  # 12 lora-v2/base + 8 qwen/base samples
    assert report.judgments == sum(1 for r in rows if not r["dimension"])


def test_dataset_info_registers_the_file_as_llamafactory_reads_it(judged, tmp_path):
    project, _ = judged
    report = project.side_by_side.export(tmp_path / "preferences.jsonl")
    info = json.loads((tmp_path / "dataset_info.json").read_text(encoding="utf-8"))
    entry = info["preferences"]
    assert entry["ranking"] is True
    assert entry["file_name"] == "preferences.jsonl"
    assert (tmp_path / entry["file_name"]).is_file()  # relative to dataset_info.json
    assert set(entry["columns"]) <= LLAMAFACTORY_COLUMNS
    record = json.loads((tmp_path / "preferences.jsonl").read_text().splitlines()[0])
    assert all(column in record for column in entry["columns"].values())
    assert report.dataset == "preferences" and report.dataset_info == tmp_path / "dataset_info.json"


def test_an_existing_dataset_info_keeps_its_other_entries(judged, tmp_path):
    project, _ = judged
    others = {
        "alpaca_zh_demo": {"file_name": "alpaca_zh_demo.json"},
        "preferences_v2": {"file_name": "old.jsonl"},
    }
    (tmp_path / "dataset_info.json").write_text(json.dumps(others), encoding="utf-8")
    project.side_by_side.export(tmp_path / "preferences_v2.jsonl")
    info = json.loads((tmp_path / "dataset_info.json").read_text(encoding="utf-8"))
    assert list(info) == ["alpaca_zh_demo", "preferences_v2"]
    assert info["alpaca_zh_demo"] == others["alpaca_zh_demo"]
    assert info["preferences_v2"]["file_name"] == "preferences_v2.jsonl"  # replaced


@pytest.mark.parametrize("damaged", ['{"a": ', "[1, 2]", "\xff\xfe{"], ids=["cut", "list", "bytes"])
def test_a_damaged_dataset_info_is_refused_and_nothing_is_written(judged, tmp_path, damaged):
    project, _ = judged
    info = tmp_path / "dataset_info.json"
    info.write_bytes(damaged.encode("latin-1"))
    (tmp_path / "preferences.jsonl").write_text("old\n")
    with pytest.raises(AnnotatorError, match="dataset_info.json cannot be read"):
        project.side_by_side.export(tmp_path / "preferences.jsonl")
    assert info.read_bytes() == damaged.encode("latin-1")
    assert (tmp_path / "preferences.jsonl").read_text() == "old\n"
    assert not any(p.name.startswith(".annotator-export-") for p in tmp_path.iterdir())


def _frame(project) -> pd.DataFrame:
    frame = project.side_by_side.judgments()[COMPARED]
    return frame.sort_values(COMPARED[:5]).reset_index(drop=True)


def test_battles_read_back_into_a_fresh_copy_give_the_same_judgments(judged, tmp_path):
    project, _ = judged
    # a judgment given in the app too (the side the session chose is the one exported)
    scoring = project.session("r9")
    session = project.side_by_side.session(scoring)
    pair = session.pair(0)
    session.judge(pair.comparison_id, Choice("left"))
    session.save_pending()
    scoring.close()
    path = project.export(tmp_path / "battles.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    frame = _frame(project)
    assert len(records) == len(frame)
    for r in records:
        assert set(r) >= {"question_id", "model_a", "model_b", "winner", "judge", "tstamp"}
        assert ("dimension" in r) == (r.get("dimension", "") != "")
        assert isinstance(r["tstamp"], float) and r["tstamp"] > 1.6e9
    # model_a of a battle is the model shown on the left
    shown = Counter(
        (r["question_id"], r["judge"], r.get("dimension", ""), r["model_a"]) for r in records
    )
    assert shown == Counter(
        zip(frame.sample_id, frame.rater, frame.dimension, frame.left, strict=True)
    )
    fresh = make_project(tmp_path / "fresh.annotator")
    try:
        report = fresh.side_by_side.import_preferences(path)
        assert report.new == len(records)
        pd.testing.assert_frame_equal(_frame(fresh), frame)
    finally:
        fresh.close()


def test_nothing_to_export_is_said_and_nothing_is_written(tmp_path):
    project = make_project(tmp_path / "p.annotator")
    out = tmp_path / "out"
    out.mkdir()
    try:
        for name in ("preferences.jsonl", "battles.jsonl"):
            with pytest.raises(AnnotatorError, match="no (overall )?side-by-side judgments"):
                project.export(out / name)
        ties = [{"question_id": f"s{k}", "judge": "r1", "model_a": "base", "model_b": "lora-v2",
                 "winner": "tie", "dimension": ""} for k in range(1, 4)]  # fmt: skip
        project.side_by_side.import_preferences(write_csv(tmp_path / "ties.csv", ties))
        with pytest.raises(AnnotatorError, match=r"majority for one answer \(3 mostly"):
            project.export(out / "preferences.jsonl")
        assert list(out.iterdir()) == []
        # battles of ties are still battles
        assert project.export(out / "battles.jsonl").is_file()
    finally:
        project.close()


@pytest.mark.parametrize(
    ("name", "kind"),
    [("preferences.jsonl", "preferences"), ("Preference-round2.jsonl", "preferences"),
     ("battles_v1.jsonl", "battles"), ("battle.jsonl", "battles")],
)  # fmt: skip
def test_the_file_name_says_what_is_written(judged, tmp_path, name, kind):
    project, _ = judged
    report = project.side_by_side.export(tmp_path / name)
    assert report.kind == kind and report.path.is_file()
    first = json.loads(report.path.read_text(encoding="utf-8").splitlines()[0])
    assert ("chosen" in first) == (kind == "preferences")


@pytest.mark.parametrize("name", ["judgments.jsonl", "preferences.json", "battles.csv"])
def test_other_names_are_not_judgment_exports(judged, tmp_path, name):
    project, _ = judged
    with pytest.raises(AnnotatorError, match=r"preferences\*\.jsonl"):
        project.side_by_side.export(tmp_path / name)
    assert not (tmp_path / name).exists()


def test_the_votes_of_the_export_match_a_majority_by_numpy(judged, tmp_path):
    """The same majorities again, from the project's own judgments frame by numpy, per
    comparison: a second reference that does not read the file the test wrote."""
    project, _ = judged
    frame = project.side_by_side.judgments()
    overall = frame[frame.dimension == ""]
    chosen = 0
    for _, group in overall.groupby("comparison_id"):
        outcomes = group.outcome.to_numpy()
        chosen += int(max(np.sum(outcomes == "a"), np.sum(outcomes == "b")) * 2 > len(outcomes))
    report = project.side_by_side.export(tmp_path / "preferences.jsonl")
    assert report.rows == chosen


@pytest.mark.parametrize("raters", [2, 4])
def test_half_the_votes_is_no_majority(tmp_path, raters):
    """With an even number of raters, two against two (or one against one) is split."""
    project = make_project(tmp_path / "even.annotator")
    try:
        rows = random_battles(seed=3, raters=[f"r{n}" for n in range(raters)], dimensions=("",))
        project.side_by_side.import_preferences(write_csv(tmp_path / "in.csv", rows))
        report = project.side_by_side.export(tmp_path / "preferences.jsonl")
        want, left_out = _expected_pairs(rows)
        got = [json.loads(line) for line in report.path.read_text("utf-8").splitlines()]
        assert sorted((r["instruction"], r["chosen"], r["rejected"]) for r in got) == want
        assert report.split == left_out["split"] > 0
    finally:
        project.close()
