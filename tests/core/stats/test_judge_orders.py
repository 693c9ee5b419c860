"""The one rule for a judge's two orders: agreeing, the verdict; disagreeing, a tie; one
order seen, that verdict and no consistency."""

import pandas as pd

from annotator.core.stats.judge_orders import combine_orders


def test_two_orders_agree_disagree_or_one_seen():
    frame = pd.DataFrame(
        [(1, "", "a"), (1, "", "a"), (2, "", "a"), (2, "", "b"), (3, "", "both_bad"),
         (4, "style", "tie"), (4, "style", "b")],
        columns=["comparison_id", "dimension", "outcome"],
    )  # fmt: skip
    out = combine_orders(frame, ["comparison_id", "dimension"])
    assert out.to_dict("records") == [
        {"comparison_id": 1, "dimension": "", "outcome": "a", "orders": 2, "agree": True},
        {"comparison_id": 2, "dimension": "", "outcome": "tie", "orders": 2, "agree": False},
        {"comparison_id": 3, "dimension": "", "outcome": "both_bad", "orders": 1, "agree": None},
        {"comparison_id": 4, "dimension": "style", "outcome": "tie", "orders": 2, "agree": False},
    ]
    assert list(combine_orders(frame.iloc[:0], ["comparison_id"]).columns) == [
        "comparison_id", "outcome", "orders", "agree"
    ]  # fmt: skip
