"""Agreement on the same comparison: alpha against the krippendorff package, percent by hand."""

from __future__ import annotations

from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from test_pairwise_data import judgments

from annotator.core.stats.pairwise import pairwise_report

VALUE = {"a": 1, "tie": 0, "both_bad": 0, "b": -1}


@pytest.fixture(scope="module")
def frame():
    df = judgments(("base", "lora", "qwen"), samples=50, dimensions=("", "style"), seed=31)
    # raters follow a shared per-sample verdict most of the time, so alpha is clearly > 0
    rng = np.random.default_rng(2)
    shared = {s: rng.choice(["a", "b", "tie"]) for s in df.sample_id.unique()}
    follow = rng.random(len(df)) < 0.6
    df.loc[follow, "outcome"] = df.sample_id[follow].map(shared)
    return df


def _matrix(rows: pd.DataFrame) -> np.ndarray:
    """raters x samples, -1 / 0 / +1, NaN where a rater did not judge."""
    return (
        rows.assign(v=rows.outcome.map(VALUE))
        .pivot(index="rater", columns="sample_id", values="v")
        .to_numpy(dtype=float)
    )


def test_alpha_is_the_krippendorff_packages_ordinal_alpha_on_minus_one_zero_one(frame):
    report = pairwise_report(frame, seed=3, resamples=100)
    for p in report.pairs:
        rows = frame[
            (frame.model_a == p.model_a)
            & (frame.model_b == p.model_b)
            & (frame.dimension == p.dimension)
        ]
        expected = krippendorff.alpha(
            reliability_data=_matrix(rows), level_of_measurement="ordinal"
        )
        assert p.agreement.alpha.alpha == pytest.approx(expected, abs=1e-9)
        assert p.agreement.alpha.alpha > 0.2
        assert p.agreement.alpha.level == "ordinal"


def test_percent_agreement_is_the_share_of_agreeing_rater_pairs_on_a_sample(frame):
    report = pairwise_report(frame, resamples=0)
    for p in report.pairs:
        rows = frame[
            (frame.model_a == p.model_a)
            & (frame.model_b == p.model_b)
            & (frame.dimension == p.dimension)
        ]
        agree = total = 0
        for _, g in rows.groupby("sample_id"):
            for x, y in combinations(g.outcome.map(VALUE), 2):
                agree, total = agree + (x == y), total + 1
        assert p.agreement.rater_pairs == total
        assert p.agreement.percent == pytest.approx(agree / total)


def test_a_pair_judged_by_one_rater_has_no_agreement():
    df = judgments(samples=20, raters=("solo",), missing=0.0)
    p = pairwise_report(df, resamples=0).pair("base", "lora")
    assert p.agreement.alpha.alpha is None and p.agreement.percent is None
    assert p.agreement.rater_pairs == 0
