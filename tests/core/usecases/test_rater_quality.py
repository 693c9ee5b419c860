"""The planted team of issue 18 in a real project file: six raters, one speeding with
random scores, one straight-lining all 4s, one failing the gold items by 2 points, three
honest; exactly the three are flagged, each with its code, and no honest rater is."""

from __future__ import annotations

import csv
import json
import sqlite3

import numpy as np
import pytest

from annotator.cli.report_text import format_report
from annotator.core.project import Project
from tests.factories import add_items

N_SAMPLES = 60  # per model, two models
GOLD = range(1, 9)  # sample ids s1..s8 of "base": rated by everyone, as assign hands them out
RATERS = ("honest1", "honest2", "honest3", "speeder", "flat", "goldfail")


def _plant(seed: int = 7):
    """Scores, seconds and rating times per (model, sample, rater); the gold rows.

    The times go in with the scores, as a ratings file's ``seconds`` and ``rated_at``."""
    rng = np.random.default_rng(seed)
    dims = ("relevance", "fluency", "style", "compliance")
    items = [(m, f"s{k}") for m in ("base", "lora") for k in range(1, N_SAMPLES + 1)]
    quality = {it: rng.uniform(2.2, 4.8, len(dims)) for it in items}
    expected = {it: np.clip(np.round(quality[it]), 1, 5).astype(int) for it in items}
    gold = {("base", f"s{k}") for k in GOLD}
    scores, seconds, order = {}, {}, {}
    for n, rater in enumerate(RATERS):
        mine = [it for j, it in enumerate(items) if it in gold or (j % 6) in
                {n, (n + 1) % 6, (n + 2) % 6}]  # fmt: skip
        for rank, k in enumerate(rng.permutation(len(mine))):
            it = mine[k]
            honest = np.clip(np.round(quality[it] + rng.normal(0, 0.5, len(dims))), 1, 5)
            if rater == "speeder":
                s, sec = rng.integers(1, 6, len(dims)), rng.uniform(1, 2)
            elif rater == "flat":
                s, sec = np.full(len(dims), 4), rng.lognormal(np.log(30), 0.3)
            elif rater == "goldfail" and it in gold:
                e = expected[it]
                s, sec = np.where(e <= 3, e + 2, e - 2), rng.lognormal(np.log(30), 0.3)
            else:
                s, sec = honest, rng.lognormal(np.log(30), 0.3)
            scores[(*it, rater)] = dict(zip(dims, (int(v) for v in s), strict=True))
            seconds[(*it, rater)] = float(sec)
            order[(*it, rater)] = f"2026-11-02T09:{rank // 60:02d}:{rank % 60:02d}.000Z"
    gold_rows = [(m, s, d, int(expected[(m, s)][k])) for m, s in sorted(gold)
                 for k, d in enumerate(dims)]  # fmt: skip
    return scores, seconds, order, gold_rows


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("team")
    scores, seconds, order, gold_rows = _plant()
    path = tmp / "team.annotator"
    project = Project.create(path, "planted team", language="en")
    add_items(project, N_SAMPLES, "base")
    add_items(project, N_SAMPLES, "lora")
    with open(tmp / "ratings.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["model", "sample_id", "rater", "dimension", "score", "seconds", "rated_at"])
        for (model, sample, rater), dims in scores.items():
            sec, at = repr(seconds[(model, sample, rater)]), order[(model, sample, rater)]
            w.writerows([model, sample, rater, d, v, sec, at] for d, v in dims.items())
    project.import_ratings(tmp / "ratings.csv")
    with open(tmp / "gold.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["model", "sample_id", "dimension", "expected"])
        w.writerows(gold_rows)
    project.gold.import_file(tmp / "gold.csv")
    evaluation = project.evaluate(resamples=0)
    project.close()
    return path, scores, seconds, gold_rows, evaluation


def test_exactly_the_three_planted_raters_are_flagged(team):
    _, _, _, _, evaluation = team
    quality = evaluation.rater_quality
    flagged = quality.flagged()
    assert set(flagged) == {"speeder", "flat", "goldfail"}
    assert "speeding" in flagged["speeder"]
    assert "straight_lining" in flagged["flat"]
    assert "gold" in flagged["goldfail"]
    # each behaviour is seen in its rater only
    assert [r for r, c in flagged.items() if "speeding" in c] == ["speeder"]
    assert [r for r, c in flagged.items() if "straight_lining" in c] == ["flat"]
    for honest in ("honest1", "honest2", "honest3"):
        assert quality.get(honest).flags == ()


def test_signals_against_the_planted_numbers(team):
    _, scores, seconds, gold_rows, evaluation = team
    quality = evaluation.rater_quality
    gold = {(m, s, d): e for m, s, d, e in gold_rows}
    for rater in RATERS:
        mine = {k: v for k, v in seconds.items() if k[2] == rater}
        got = quality.get(rater)
        assert got.items_done == len(mine)
        assert got.median_seconds == pytest.approx(np.median(list(mine.values())), rel=1e-9)
        errors = [abs(scores[(m, s, rater)][d] - e) for (m, s, d), e in gold.items()]
        assert got.gold.n == len(errors)
        assert got.gold.accuracy == pytest.approx(np.mean(np.array(errors) <= 1))
        assert got.gold.mae == pytest.approx(np.mean(errors))
    assert quality.get("goldfail").gold.accuracy == 0.0
    assert len(quality.get("goldfail").gold.missed) == len(GOLD)


def test_report_json_carries_the_signals_and_the_adjusted_means(team):
    path, *_ = team
    with Project.open(path) as project:
        data = project.evaluate(resamples=0).to_dict()
    json.dumps(data, allow_nan=False)
    raters = {r["rater"]: r for r in data["stats"]["raters"]}
    assert raters["speeder"]["flags"][0] == "speeding"
    assert raters["speeder"]["flag_reasons"][0].startswith("median 1.")
    assert raters["honest1"]["flags"] == [] and raters["honest1"]["flag_reasons"] == []
    for key in ("median_seconds", "gold_accuracy", "gold_mae", "gold_missed", "leniency"):
        assert key in raters["flat"]
    # missed gold items are the project's item ids, read back with SQL
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    gold_ids = {r[0] for r in conn.execute("SELECT DISTINCT item_id FROM gold")}
    conn.close()
    assert set(raters["goldfail"]["gold_missed"]) == gold_ids
    means = {(m["model"], m["dimension"]): m for m in data["adjusted_means"]}
    assert set(means) == {
        (m, d)
        for m in ("base", "lora")
        for d in ("relevance", "fluency", "style", "compliance", "composite")
    }
    assert all(m["adjusted"] is not None and m["note"] is None for m in means.values())
    assert means[("lora", "relevance")]["n"] == N_SAMPLES


def test_the_text_report_names_each_flag_with_its_reason(team):
    *_, evaluation = team
    text = format_report(evaluation.to_dict())
    section = text[text.index("Raters (gold") :]
    lines = section.splitlines()
    flat = lines.index(next(line for line in lines if line.startswith("flat ")))
    assert lines[flat].rstrip().endswith("straight_lining")
    assert lines[flat + 1].startswith("    - the same score on every dimension for 100%")
    honest = next(line for line in lines if line.startswith("honest1 "))
    assert honest.rstrip().endswith("-")
    assert "Rater-adjusted means" in section


def test_rating_order_and_seconds_are_read_from_the_file(team):
    path, _, seconds, _, evaluation = team
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    stored = conn.execute(
        "SELECT ra.name, MAX(r.updated_at), a.seconds FROM ratings r "
        "JOIN raters ra ON ra.id = r.rater_id JOIN annotations a "
        "ON a.item_id = r.item_id AND a.rater_id = r.rater_id GROUP BY r.item_id, r.rater_id"
    ).fetchall()
    conn.close()
    assert len(stored) == len(seconds)
    assert len({at for _, at, _ in stored}) > 60  # distinct times: the order is known
    for rater in RATERS:
        got = evaluation.rater_quality.get(rater)
        assert got.drift.order_known and got.drift.p is not None
        assert got.median_seconds == pytest.approx(
            np.median([sec for name, _, sec in stored if name == rater]), rel=1e-12
        )
