"""Side-by-side judgments made up for the tests of the lead's page and the Excel sheet.

Until the storage of comparisons lands, ``Evaluation.pairwise`` is None for real projects:
these tests build a judgments frame on the demo's samples (lora-v2 clearly better than
base, qwen in between, so Bradley-Terry has three models) and put its report into the
demo's evaluation with ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from annotator.core.stats.pairwise import pairwise_report

# (candidate, other, dimension) -> probabilities of a, tie, b, both_bad
PLAN = {
    ("lora-v2", "base", ""): (0.60, 0.20, 0.12, 0.08),
    ("lora-v2", "base", "relevance"): (0.50, 0.30, 0.15, 0.05),
    ("qwen", "base", ""): (0.40, 0.25, 0.30, 0.05),
    ("lora-v2", "qwen", ""): (0.45, 0.25, 0.25, 0.05),
}
OUTCOMES = ("a", "tie", "b", "both_bad")


def judgments(samples, raters=("r1", "r2", "r3"), plan=PLAN, seed=16, left_bias=0.5):
    """One judgment per (sample, rater, pair, dimension); ``left`` random per rater and
    sample (``left_bias``: the chance a decisive judgment goes to the left answer is
    forced towards it, for the position-bias warning)."""
    rng = np.random.default_rng(seed)
    rows = []
    for (a, b, dim), probs in plan.items():
        for sample in samples:
            for rater in raters:
                outcome = OUTCOMES[rng.choice(4, p=probs)]
                left = a if rng.random() < 0.5 else b
                if left_bias != 0.5 and outcome in ("a", "b"):
                    chosen_left = rng.random() < left_bias
                    outcome = (
                        ("a" if left == a else "b") if chosen_left else ("b" if left == a else "a")
                    )
                rows.append(
                    {"sample_id": str(sample), "rater": rater, "dimension": dim, "model_a": a,
                     "model_b": b, "left": left, "outcome": outcome, "strength": np.nan}
                )  # fmt: skip
    return pd.DataFrame(rows)


def with_pairwise(evaluation, frame, resamples=200):
    """The evaluation with the side-by-side report of ``frame`` (baseline "base")."""
    report = pairwise_report(frame, baseline="base", resamples=resamples)
    return dataclasses.replace(evaluation, pairwise=report)


def expected_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """G / S / B / both-bad, judgments and samples per (model_a, model_b, dimension),
    computed here with pandas, independently of the statistics module."""
    key = ["model_a", "model_b", "dimension"]
    table = pd.crosstab([frame[k] for k in key], frame["outcome"]).reindex(
        columns=["a", "tie", "b", "both_bad"], fill_value=0
    )
    table["judgments"] = table[["a", "tie", "b", "both_bad"]].sum(axis=1)
    table["samples"] = frame.groupby(key)["sample_id"].nunique()
    table["win_rate"] = (table["a"] + (table["tie"] + table["both_bad"]) / 2) / table["judgments"]
    table["net"] = (table["a"] - table["b"]) / table["judgments"]
    return table
