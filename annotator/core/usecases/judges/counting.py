"""A promoted judge counted with the humans: its scores and verdicts added to the frames
the evaluation computes from, as the rater "judge: NAME".

Only here does a judge reach a human statistic, and only when the lead promoted it
(``judges.promoted``); a judge that is not promoted is never read. A side-by-side judge
saw each comparison in both orders: its verdict is the two combined (two that disagree
are a tie), one judgment per comparison and dimension, shown on the side of the first
order stored.
"""

from __future__ import annotations

import pandas as pd

from annotator.core.storage import Database
from annotator.core.storage.judges import JudgesRepo

PREFIX = "judge: "


def rater_name(judge: str) -> str:
    """The rater a promoted judge counts as: never a human's name (a judge is not one)."""
    return f"{PREFIX}{judge}"


def promoted(db: Database) -> list[str]:
    return [j["name"] for j in JudgesRepo(db.conn).judges() if j["promoted"]]


def with_promoted_scores(db: Database, ratings: pd.DataFrame) -> pd.DataFrame:
    """``ratings`` (item_id, rater, dimension, score) with every promoted judge's scores."""
    names = promoted(db)
    if not names:
        return ratings
    repo = JudgesRepo(db.conn)
    added = []
    for name in names:
        frame = repo.scores_frame(judge=name)
        added.append(
            pd.DataFrame(
                {
                    "item_id": frame["item_id"].to_numpy(),
                    "rater": rater_name(name),
                    "dimension": frame["dimension"].to_numpy(),
                    "score": frame["score"].to_numpy(),
                }
            )
        )
    humans = ratings.astype({"rater": str, "dimension": str})
    combined = pd.concat([humans, *added], ignore_index=True)
    return combined.astype({"rater": "category", "dimension": "category"})


def with_promoted_judgments(db: Database, judgments: pd.DataFrame) -> pd.DataFrame:
    """``judgments`` (the raters' frame) with every promoted judge's combined verdicts."""
    names = promoted(db)
    if not names:
        return judgments
    repo = JudgesRepo(db.conn)
    added = []
    for name in names:
        frame = repo.judgments_frame(judge=name)
        if not len(frame):
            continue
        keys = ["comparison_id", "dimension"]
        first = frame.groupby(keys, sort=False).first().reset_index()
        agree = frame.groupby(keys, sort=False)["outcome"].nunique().to_numpy() == 1
        first["outcome"] = first["outcome"].where(agree, "tie")
        first["rater"] = rater_name(name)
        first["strength"] = float("nan")
        first["origin"] = f"judge:{name}"
        first["updated_at"] = ""
        added.append(first[list(judgments.columns)])
    if not added:
        return judgments
    return pd.concat([judgments, *added], ignore_index=True)
