"""``Judges.pairs``: the judge's score beside the human mean per item, the scatter's points."""

from __future__ import annotations

import pandas as pd
import pytest

from annotator.core.usecases.judges.scatter import judge_pairs

HUMAN = pd.DataFrame(
    [  # item, rater, dimension, score
        (1, "ann", "fluency", 4),
        (1, "bo", "fluency", 5),
        (1, "ann", "style", 2),
        (2, "ann", "fluency", 3),
        (3, "bo", "fluency", 1),  # the judge did not score item 3
    ],
    columns=["item_id", "rater", "dimension", "score"],
)
JUDGE = pd.DataFrame(
    [(1, "j", "fluency", 5), (1, "j", "style", 3), (2, "j", "fluency", 2), (4, "j", "fluency", 4)],
    columns=["item_id", "rater", "dimension", "score"],
)
ITEMS = pd.DataFrame({"item_id": [1, 2, 3, 4], "model": ["a", "b", "a", "b"]})


def test_one_dimension_keeps_the_items_both_scored():
    found = judge_pairs(HUMAN, JUDGE, ITEMS, "fluency")
    assert found["item_id"].tolist() == [1, 2]  # 3: no judge, 4: no human
    assert found["judge"].tolist() == [5.0, 2.0]
    assert found["human_mean"].tolist() == pytest.approx([4.5, 3.0])
    assert found["humans"].tolist() == [2, 1]
    assert found["model"].tolist() == ["a", "b"]


def test_all_pools_every_dimension_and_nothing_is_an_empty_frame():
    found = judge_pairs(HUMAN, JUDGE, ITEMS, "all")
    assert list(zip(found["item_id"], found["dimension"], strict=True)) == [
        (1, "fluency"),
        (1, "style"),
        (2, "fluency"),
    ]
    empty = judge_pairs(HUMAN, JUDGE, ITEMS, "compliance")
    assert len(empty) == 0 and "human_mean" in empty.columns
