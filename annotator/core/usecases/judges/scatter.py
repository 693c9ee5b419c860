"""Use case: a judge's score beside the human mean, per item, for the lead window's scatter.

The same units as ``stats.judges.agreement_on`` (an item and a dimension that the judge
and at least one human scored; ``"all"`` pools every dimension), so the points drawn are
the ones the correlations on the Judges page were computed on. The humans only: a
promoted judge is never on the human side.
"""

from __future__ import annotations

import pandas as pd

from annotator.core.storage import Database, ItemsRepo
from annotator.core.usecases.judges.report import human_scores, judge_scores

ALL = "all"
COLUMNS = ["item_id", "model", "dimension", "judge", "human_mean", "humans"]


def judge_pairs(
    human: pd.DataFrame, judge: pd.DataFrame, items: pd.DataFrame, dimension: str
) -> pd.DataFrame:
    """Per (item, dimension): the judge's score and the mean of the humans' scores.

    Args:
        human: the humans' scores, long (item_id, rater, dimension, score).
        judge: one judge's scores, the same columns (a repeated score is averaged).
        items: item_id and model.
        dimension: a rubric key, or ``"all"`` for every dimension.

    Returns:
        item_id, model, dimension, judge, human_mean, humans (how many humans scored),
        in item and dimension order; empty when no unit has both.
    """
    if dimension != ALL:
        human = human[human["dimension"] == dimension]
        judge = judge[judge["dimension"] == dimension]
    keys = ["item_id", "dimension"]
    by_judge = judge.groupby(keys)["score"].mean().rename("judge")
    by_human = human.groupby(keys)["score"].agg(human_mean="mean", humans="size")
    both = by_judge.to_frame().join(by_human, how="inner").reset_index()
    if not len(both):
        return pd.DataFrame(columns=COLUMNS)
    both = both.merge(items[["item_id", "model"]], on="item_id", how="left")
    both = both.astype({"judge": float, "human_mean": float, "humans": int})
    return both[COLUMNS].sort_values(keys, kind="stable").reset_index(drop=True)


def pairs(db: Database, name: str, dimension: str) -> pd.DataFrame:
    """``judge_pairs`` of the judge ``name`` as the project is now."""
    items = ItemsRepo(db.conn).frame()[["item_id", "model"]]
    return judge_pairs(human_scores(db), judge_scores(db, name), items, dimension)
