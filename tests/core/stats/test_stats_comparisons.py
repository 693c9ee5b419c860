"""Model comparisons are computed once, with the report, and only read afterwards (issue 13).

``StatsReport.compare`` used to rerun the paired Wilcoxon tests on every call, and the lead
overview called it on the UI thread. Calls to ``compare_models`` are counted with a
profiler on this thread: our code runs unchanged, nothing is replaced.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from scipy.stats import wilcoxon
from stats_helpers import DIMS, random_project

from annotator.core.stats import compute
from annotator.core.stats.compare import compare_models


@contextmanager
def counting_compare_calls():
    """Record every call of ``compare_models`` made on this thread."""
    calls: list[str] = []
    code = compare_models.__code__
    previous = sys.getprofile()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code is code:
            calls.append(frame.f_locals.get("model_b"))

    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def _three_models():
    ratings, items = random_project(n_items=90, missing=0.05, seed=4, models=("base", "a", "b"))
    return compute(ratings, items, dimensions=DIMS, resamples=0), ratings, items


def test_compare_reads_what_compute_stored_and_never_recomputes():
    report, _, _ = _three_models()
    with counting_compare_calls() as calls:
        first = report.compare("base", "a")
        again = report.compare("base", "a")
        other = report.compare("base", "b")
    assert calls == []  # reading a report runs no test
    assert first is again
    assert other is not first


def test_report_carries_the_baseline_against_every_other_model():
    from annotator.core.stats import ModelComparison

    report, ratings, items = _three_models()
    pairs = [(c.baseline, c.candidate) for c in report.comparisons]
    assert pairs == [("base", "a"), ("base", "b")]  # the first model is the baseline
    assert all(isinstance(c, ModelComparison) for c in report.comparisons)
    # The stored numbers are the oracle's: paired on complete items, scipy's Wilcoxon.
    t = report.items
    a = t[(t.model == "base") & t.complete].set_index("sample_id")["composite"]
    b = t[(t.model == "b") & t.complete].set_index("sample_id")["composite"]
    both = pd.concat([a, b], axis=1, join="inner").dropna()
    row = report.compare("base", "b").set_index("measure").loc["composite"]
    assert row.n_pairs == len(both)
    assert row["diff"] == pytest.approx((both.iloc[:, 1] - both.iloc[:, 0]).mean())
    # Composites are means of whole scores: equal differences are ties, whatever float
    # noise their sums carry (rounded to 9 decimals here, exact for any rubric's weights).
    exact = np.round((both.iloc[:, 1] - both.iloc[:, 0]).to_numpy(), 9)
    assert row.p_value == pytest.approx(wilcoxon(exact).pvalue)


def test_pairs_asked_for_are_the_pairs_stored():
    ratings, items = random_project(n_items=90, missing=0.05, seed=4, models=("base", "a", "b"))
    report = compute(ratings, items, dimensions=DIMS, resamples=0, pairs=[("a", "b")])
    assert [(c.baseline, c.candidate) for c in report.comparisons] == [("a", "b")]
    with pytest.raises(KeyError):
        report.compare("base", "a")  # not computed: never computed behind the caller's back


def test_one_model_has_nothing_to_compare():
    ratings, items = random_project(n_items=30, seed=1, models=("only",))
    report = compute(ratings, items, dimensions=DIMS, resamples=0)
    assert report.comparisons == ()
    assert "comparisons" not in report.to_dict()  # the JSON report reads as before
