"""Honest intervals (issue 15, point 5): a model's 95% bootstrap interval covers its true mean.

The simulator is the benchmark's (``benchmarks/bench_coverage.py``, loaded by path so the
test and the benchmark simulate the same evaluations); its docstring says which mean is true.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

_PATH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_coverage.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_coverage", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up while being built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_expected_rounded_score_by_monte_carlo(bench):
    rng = np.random.default_rng(11)
    for location, sigma in [(3.2, 0.9), (1.1, 0.5), (4.8, 1.3), (2.5, 0.2)]:
        x = np.clip(np.rint(rng.normal(location, sigma, 400_000)), 1, 5)
        se = x.std() / np.sqrt(x.size)
        assert abs(bench.expected_score(location, sigma) - x.mean()) < 4 * se


def test_the_conditional_target_is_what_these_raters_give_over_all_prompts(bench):
    """The exact target against a very large draw of the same simulator with the same raters."""
    rng = np.random.default_rng(5)
    severity = rng.normal(0, bench.SEVERITY_SD, bench.RATERS)
    n = 300_000
    item, _, score = bench.draw_scores(rng, n, severity)
    composite = np.bincount(item, weights=score.mean(axis=1), minlength=n) / np.bincount(item)
    se = composite.std() / np.sqrt(n)
    assert abs(bench.conditional_mean(severity) - composite.mean()) < 4 * se


def test_the_unconditional_target_averages_over_rater_teams(bench):
    rng = np.random.default_rng(6)
    teams = rng.normal(0, bench.SEVERITY_SD, (20_000, bench.RATERS))
    means = np.array([bench.conditional_mean(s) for s in teams])
    se = means.std() / np.sqrt(means.size)
    assert abs(bench.unconditional_mean() - means.mean()) < 4 * se


@pytest.mark.slow  # a few hundred simulated evaluations: ~8 s
def test_bootstrap_interval_covers_the_conditional_mean_about_95_percent(bench):
    """300 seeded evaluations of 60 prompts: the composite interval covers the mean these
    raters would give over all prompts in 90-99% of them (Monte-Carlo se about 1.3%).

    60, not 30: a percentile bootstrap is a little narrow for few samples (normal theory:
    93.6% at 30, 94.3% at 60; the benchmark measures 92.8% at 30 over 1000 runs), and a
    test with its expected value 2 se from the bound would only be testing its seed.
    """
    result = bench.coverage(n=60, runs=300, seed=1, resamples=1000)
    assert 0.90 <= result["conditional"] <= 0.99, result
    # what the interval does not cover: another team of raters would score differently
    assert result["unconditional"] < result["conditional"] - 0.05, result
