"""A project with four simulated human raters, a judge close to the truth and a judge that
guesses, written as CSV files and imported through the real imports (issue 17 tests).

Each (model, sample, dimension) has a true score; a human gives it with a point of noise
either way half of the time; the "close" judge gives the true score; the "guess" judge a
random one. Humans score the first ``human_items`` samples of each model, the judges all.
Side by side: every sample of lora-v2 against base, each human once (a random side), each
judge in both orders.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from annotator.core.project import Project
from tests.factories import add_items

DIMS = ("relevance", "fluency", "style", "compliance")
HUMANS = ("ann", "bo", "cy", "dee")
MODELS = ("base", "lora-v2")
WINNERS = {"a": "model_a", "b": "model_b", "tie": "tie"}


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def build(
    folder: Path,
    *,
    n: int = 40,
    human_items: int | None = None,
    seed: int = 17,
    judges: tuple[str, ...] = ("close", "guess"),
    battles: bool = True,
) -> tuple[Project, dict[str, Path]]:
    """The project (humans imported, judges not) and the judges' files by name."""
    rng = np.random.default_rng(seed)
    human_items = n if human_items is None else human_items
    project = Project.create(folder / "judged.annotator", "judged")
    for model in MODELS:
        add_items(project, n, model)
    truth = {
        (m, k, d): int(rng.integers(1, 6)) for m in MODELS for k in range(1, n + 1) for d in DIMS
    }
    human_rows, judge_rows = [], {j: [] for j in judges}
    for (m, k, d), true in truth.items():
        if k <= human_items:
            for rater in HUMANS:
                noise = int(rng.choice([-1, 0, 1], p=[0.25, 0.5, 0.25]))
                human_rows.append([f"s{k}", m, rater, d, int(np.clip(true + noise, 1, 5))])
        if "close" in judge_rows:
            judge_rows["close"].append([f"s{k}", m, "close", d, true, f"理由 {k}"])
        if "guess" in judge_rows:
            judge_rows["guess"].append([f"s{k}", m, "guess", d, int(rng.integers(1, 6)), ""])
    header = ["item_id", "model", "rater", "dimension", "score"]
    project.import_ratings(_write(folder / "humans.csv", header, human_rows))
    files = {
        j: _write(
            folder / f"{j}.csv", ["item_id", "model", "judge", "dimension", "score", "reason"], rows
        )  # fmt: skip
        for j, rows in judge_rows.items()
    }
    if battles:
        files |= _battles(project, folder, rng, n, judges)
    return project, files


def _battles(project, folder: Path, rng, n: int, judges) -> dict[str, Path]:
    """lora-v2 against base on every sample: the better answer by its true composite."""
    header = ["question_id", "judge", "model_a", "model_b", "winner"]
    human, files = [], {}
    by_judge = {j: [] for j in judges}
    for k in range(1, n + 1):
        better = ("model_a", "model_b", "tie")[int(rng.integers(0, 3))]
        for rater in HUMANS:
            left = ("lora-v2", "base") if rng.random() < 0.5 else ("base", "lora-v2")
            winner = better if rng.random() < 0.75 else ("model_a", "model_b", "tie")[
                int(rng.integers(0, 3))]  # fmt: skip
            human.append([f"s{k}", rater, *left, _seen(winner, left)])
        for judge in judges:
            for left in (("lora-v2", "base"), ("base", "lora-v2")):
                winner = better
                if judge == "guess" or (judge == "close" and left[0] == "base" and k % 5 == 0):
                    winner = ("model_a", "model_b", "tie")[int(rng.integers(0, 3))]
                by_judge[judge].append([f"s{k}", judge, *left, _seen(winner, left)])
    project.side_by_side.import_preferences(_write(folder / "human_battles.csv", header, human))
    for judge, rows in by_judge.items():
        files[f"{judge}_battles"] = _write(folder / f"{judge}_battles.csv", header, rows)
    return files


def _seen(winner: str, left: tuple[str, str]) -> str:
    """``winner`` names lora-v2 (model_a) or base (model_b); as the row shows them."""
    if winner == "tie" or left[0] == "lora-v2":
        return winner
    return "model_b" if winner == "model_a" else "model_a"


def sql_frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Human scores, judge scores and items read straight from the file with SQL."""
    con = sqlite3.connect(path)
    try:
        human = pd.read_sql_query(
            "SELECT r.item_id, t.name AS rater, d.key AS dimension, r.score FROM ratings r "
            "JOIN raters t ON t.id = r.rater_id JOIN dimensions d ON d.id = r.dimension_id",
            con,
        )
        judge = pd.read_sql_query(
            "SELECT s.item_id, j.name AS judge, d.key AS dimension, s.score "
            "FROM judge_scores s JOIN judges j ON j.id = s.judge_id "
            "JOIN dimensions d ON d.id = s.dimension_id",
            con,
        )
        items = pd.read_sql_query(
            "SELECT i.id AS item_id, m.name AS model, i.sample_id FROM items i "
            "JOIN models m ON m.id = i.model_id",
            con,
        )
    finally:
        con.close()
    return human, judge, items
