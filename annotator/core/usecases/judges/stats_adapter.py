"""The one place the judges' use cases meet the pure statistics of judges (issue 17).

Frames in, plain numbers out: ``report`` turns them into ``results.Judge*`` values. The
statistics themselves (agreement with the human mean, the alternative annotator test,
prediction-powered means) are pure functions in ``annotator.core.stats``; this module
only shapes the frames for them and reads their results.

Frames: human and judge scores long (item_id, rater, dimension, score); side-by-side
judgments as ``stats.pairwise_frame`` (sample_id, rater, dimension, model_a, model_b,
left, outcome) with ``comparison_id``; items (item_id, model, sample_id).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from annotator.core.domain.message import Message
from annotator.core.stats.judge_orders import combine_orders

ALL = "all"
AGREEMENT = ("n", "spearman", "pearson", "mae", "bias", "kappa", "alpha_humans",
             "alpha_with_judge")  # fmt: skip


def score_numbers(human: pd.DataFrame, judge: pd.DataFrame, dimension: str) -> dict:
    """spearman, pearson, mae, bias, kappa, alpha_humans, alpha_with_judge and n of one
    judge on one dimension (or "all"): ``stats.judges.agreement_on``."""
    from annotator.core.stats.judges import OVERALL, agreement_on

    found = agreement_on(human, judge, OVERALL if dimension == ALL else dimension)
    return {key: getattr(found, key) for key in AGREEMENT}


def _test(found) -> dict:
    """What ``report`` reads of a ``stats.alt_test.AltTest``."""
    return {
        "winning_rate": found.winning_rate,
        "advantage_probability": found.advantage_probability,
        "passed": found.passed,
        "missing": found.missing,
    }


def alt_tests_scores(
    human: pd.DataFrame, judge: pd.DataFrame, dimensions: list[str], epsilon: float
) -> dict[str, dict]:
    """The alternative annotator test on scores (negative RMSE against the other humans)
    per dimension and "all": winning_rate, advantage_probability, passed (None when it
    cannot run) and missing (a Message saying what the data lacks, or None)."""
    from annotator.core.stats.alt_test import alt_test

    found = alt_test(human, judge, dimensions=dimensions, epsilon=epsilon)
    return {(ALL if t.dimension == "" else t.dimension): _test(t) for t in found}


def combined_verdicts(judge: pd.DataFrame) -> pd.DataFrame:
    """A judge's verdict per comparison and dimension over both orders (``stats.
    judge_orders``). Columns: comparison_id, dimension, outcome, orders, agree."""
    return combine_orders(judge, ["comparison_id", "dimension"])


def pairwise_numbers(human: pd.DataFrame, judge: pd.DataFrame, epsilon: float) -> dict:
    """n, accuracy (against the human majority), consistency and both_orders of a judge's
    verdicts, and the alternative annotator test on accuracy (as ``alt_tests_scores``)."""
    from annotator.core.stats.alt_test import alt_test_judgments

    verdicts = combined_verdicts(judge)
    twice = verdicts[verdicts["orders"] >= 2]
    unit = human["comparison_id"].astype(str) + "/" + human["dimension"].astype(str)
    h = pd.DataFrame({"unit": unit, "rater": human["rater"], "score": human["outcome"]})
    j = pd.DataFrame(
        {
            "unit": verdicts["comparison_id"].astype(str) + "/" + verdicts["dimension"],
            "score": verdicts["outcome"],
        }
    )
    accuracy, n = _majority_accuracy(h, j)
    tests = {t.dimension: t for t in alt_test_judgments(human, judge, epsilon=epsilon)}
    # the overall verdict ("") when the humans gave one, else their first dimension
    found = tests.get("") or next(iter(tests.values()), None)
    test = _test(found) if found is not None else _NO_HUMANS
    return test | {
        "n": n,
        "accuracy": accuracy,
        "consistency": float(twice["agree"].astype(bool).mean()) if len(twice) else None,
        "both_orders": int(len(twice)),
    }


_NO_HUMANS = {
    "winning_rate": None,
    "advantage_probability": None,
    "passed": None,
    "missing": Message("no rater has judged these comparisons"),
}


def _majority_accuracy(human: pd.DataFrame, judge: pd.DataFrame) -> tuple[float | None, int]:
    """Share of units where the judge's verdict is the humans' strict plurality."""
    counts = human.groupby(["unit", "score"]).size().rename("n").reset_index()
    top = counts.sort_values("n", ascending=False).groupby("unit")
    first = top.nth(0).set_index("unit")
    second = top.nth(1).set_index("unit")["n"].reindex(first.index).fillna(0)
    majority = first.loc[first["n"] > second, "score"]
    joined = judge.set_index("unit")["score"].reindex(majority.index).dropna()
    if not len(joined):
        return None, 0
    hits = joined.to_numpy() == majority.loc[joined.index].to_numpy()
    return float(np.mean(hits)), int(len(joined))


def ppi_means(
    human: pd.DataFrame,
    judge: pd.DataFrame,
    items: pd.DataFrame,
    dimensions: list[str],
    weights: dict[str, float],
) -> list[dict]:
    """Per model and dimension (and the composite): the PPI++ mean and 95% interval, the
    human-only mean and interval, n_human and n_judge (``stats.ppi.ppi_model_means``)."""
    from annotator.core.stats.ppi import ppi_model_means

    return [
        {
            "model": m.model,
            "dimension": m.dimension,
            "mean": m.ppi.mean,
            "ci": (m.ppi.ci_low, m.ppi.ci_high),
            "n_human": m.n_human,
            "n_judge": m.n_judge,
            "human_mean": m.human.mean,
            "human_ci": (m.human.ci_low, m.human.ci_high),
        }
        for m in ppi_model_means(human, judge, items, dimensions, weights)
    ]


def reading(dimension_name, test: dict, epsilon: float) -> Message:
    """The test's outcome in words."""
    if test.get("passed") is None:
        return Message(
            "the alternative annotator test cannot be run on {dimension}: {missing}",
            dimension=dimension_name,
            missing=test.get("missing") or Message("not enough data"),
        )
    if test["passed"]:
        return Message(
            "the judge can replace a rater on {dimension} (omega = {omega:.2f}, "
            "epsilon = {epsilon})",
            dimension=dimension_name,
            omega=test["winning_rate"],
            epsilon=epsilon,
        )
    return Message(
        "the judge cannot replace a rater on {dimension} (omega = {omega:.2f}, "
        "epsilon = {epsilon})",
        dimension=dimension_name,
        omega=test["winning_rate"],
        epsilon=epsilon,
    )
