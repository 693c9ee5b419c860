"""Bradley-Terry ratings against choix and evalica (test oracles), and hand formulas."""

from __future__ import annotations

import choix
import evalica
import numpy as np
import pandas as pd
import pytest
from test_pairwise_data import judgments, one

from annotator.core.stats.pairwise import pairwise_report
from annotator.core.stats.pairwise_bt import PRIOR_WINS

ELO = 400 / np.log(10)
MODELS = ("base", "lora", "qwen", "glm")


@pytest.fixture(scope="module")
def frame():
    return judgments(MODELS, samples=70, dimensions=("", "fluency"), seed=21)


def _choix_elo(df: pd.DataFrame, models) -> np.ndarray:
    """choix's ML strengths, a tie as one win each way and every decisive judgment twice
    (the same likelihood, doubled, as a tie counting half a win for each side)."""
    code = {m: i for i, m in enumerate(models)}
    data = []
    for a, b, outcome in zip(df.model_a, df.model_b, df.outcome, strict=True):
        i, j = code[a], code[b]
        data += {"a": [(i, j)] * 2, "b": [(j, i)] * 2}.get(outcome, [(i, j), (j, i)])
    theta = choix.ilsr_pairwise(len(models), data, alpha=0.0, max_iter=100_000, tol=1e-14)
    return ELO * theta


def _evalica(df: pd.DataFrame, extra=None) -> pd.Series:
    winner = {"a": evalica.Winner.X, "b": evalica.Winner.Y}
    xs, ys = list(df.model_a), list(df.model_b)
    won = [winner.get(o, evalica.Winner.Draw) for o in df.outcome]
    weights = [1.0] * len(xs)
    for a, b, w in extra or ():
        xs.append(a), ys.append(b), won.append(evalica.Winner.Draw), weights.append(w)
    result = evalica.bradley_terry(
        xs, ys, won, weights=weights, tie_weight=0.5, tolerance=1e-13, limit=100_000
    )
    return ELO * np.log(result.scores)


def test_strength_differences_match_choix(frame):
    bt = pairwise_report(frame, resamples=0).bradley_terry
    overall = frame[frame.dimension == ""]
    reference = _choix_elo(overall, bt.models)
    ours = np.array(bt.ratings)
    assert bt.judgments == len(overall)
    np.testing.assert_allclose(ours - ours[0], reference - reference[0], atol=1e-6)
    assert bt.prior_wins == 0.0 and bt.note is None


def test_strength_differences_match_evalica(frame):
    bt = pairwise_report(frame, resamples=0).bradley_terry
    reference = _evalica(frame[frame.dimension == ""]).reindex(list(bt.models)).to_numpy()
    ours = np.array(bt.ratings)
    np.testing.assert_allclose(ours - ours[0], reference - reference[0], atol=1e-6)


def test_the_baseline_is_rated_1000_and_the_gaps_stay(frame):
    first = pairwise_report(frame, resamples=50).bradley_terry
    anchored = pairwise_report(frame, baseline="qwen", resamples=50).bradley_terry
    assert first.anchor == "base" and first.ratings[0] == 1000.0
    q = anchored.models.index("qwen")
    assert anchored.anchor == "qwen" and anchored.ratings[q] == 1000.0
    assert anchored.intervals[q].low == anchored.intervals[q].high == 1000.0
    np.testing.assert_allclose(
        np.subtract(anchored.ratings, first.ratings), 1000.0 - first.ratings[q], atol=1e-9
    )


def test_win_probabilities_follow_the_elo_formula_and_a_100_point_gap_is_64_percent(frame):
    bt = pairwise_report(frame, resamples=0).bradley_terry
    r = np.array(bt.ratings)
    expected = 1 / (1 + 10 ** ((r[None, :] - r[:, None]) / 400))
    np.testing.assert_allclose(bt.win_probability, expected, atol=1e-12)
    board = bt.leaderboard()
    assert [row["rating"] for row in board] == sorted(r, reverse=True)
    assert [row["rank"] for row in board] == [1, 2, 3, 4]


def test_a_64_percent_win_rate_is_a_gap_of_about_100_points():
    wins = pd.concat([one("a", sample=f"w{i}") for i in range(64)])
    losses = pd.concat([one("b", sample=f"l{i}") for i in range(36)])
    bt = pairwise_report(pd.concat([wins, losses]), resamples=0).bradley_terry
    gap = bt.ratings[0] - bt.ratings[1]
    assert gap == pytest.approx(400 * np.log10(64 / 36), abs=1e-9)
    assert gap == pytest.approx(100, abs=0.1)


def test_with_two_models_the_predicted_probability_is_the_win_rate():
    df = judgments(samples=90, seed=4)
    report = pairwise_report(df, resamples=0)
    p = report.pair("base", "lora")
    assert report.bradley_terry.win_probability[0][1] == pytest.approx(p.win_rate, abs=1e-10)


def test_a_model_that_always_wins_gets_the_prior_and_says_so():
    df = judgments(MODELS[:3], samples=30, seed=5)
    df.loc[df.model_a == "base", "outcome"] = "a"  # base never loses
    bt = pairwise_report(df, resamples=100).bradley_terry
    assert bt.prior_wins == PRIOR_WINS and bt.note is not None
    assert "0.01" in bt.note.text("en")
    assert bt.to_dict()["note"] == bt.note.text("en")
    assert all(np.isfinite(bt.ratings)) and bt.resamples_with_prior == 100
    pairs = [(a, b, 2 * PRIOR_WINS) for i, a in enumerate(bt.models) for b in bt.models[i + 1 :]]
    reference = _evalica(df, extra=pairs).reindex(list(bt.models)).to_numpy()
    ours = np.array(bt.ratings)
    np.testing.assert_allclose(ours - ours[0], reference - reference[0], atol=1e-6)


def test_one_judgment_and_only_ties():
    bt = pairwise_report(one("a")).bradley_terry
    assert bt.prior_wins == PRIOR_WINS
    # one win plus the prior: odds (1 + 0.01) / 0.01
    assert bt.ratings[0] - bt.ratings[1] == pytest.approx(ELO * np.log(1.01 / 0.01), abs=1e-6)
    ties = pd.concat([one("tie"), one("both_bad", sample="s2")])
    bt = pairwise_report(ties).bradley_terry
    assert bt.ratings == (1000.0, 1000.0) and bt.prior_wins == 0.0


def test_only_dimension_judgments_give_no_ratings():
    assert pairwise_report(one("a", dim="fluency")).bradley_terry is None


def _direct_bt_bootstrap(df: pd.DataFrame, models, resamples: int) -> np.ndarray:
    """The oracle: draw sample ids with replacement, fit evalica on the drawn judgments."""
    rng = np.random.default_rng(13)
    ids = df.sample_id.unique()
    groups = {s: g for s, g in df.groupby("sample_id")}
    out = []
    for _ in range(resamples):
        drawn = pd.concat([groups[s] for s in rng.choice(ids, size=len(ids))])
        elo = _evalica(drawn).reindex(list(models)).to_numpy()
        out.append(elo - elo[0] + 1000)
    return np.percentile(out, [2.5, 97.5], axis=0)


def test_the_rating_intervals_agree_with_resampling_sample_ids_directly():
    df = judgments(MODELS[:3], samples=60, seed=8)
    bt = pairwise_report(df, resamples=3000, seed=4).bradley_terry
    low, high = _direct_bt_bootstrap(df, bt.models, 600)
    for i in (1, 2):
        width = high[i] - low[i]
        assert bt.intervals[i].low == pytest.approx(low[i], abs=0.1 * width)
        assert bt.intervals[i].high == pytest.approx(high[i], abs=0.1 * width)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sparse_comparisons_among_six_models_match_choix(seed):
    """Not every pair meets (a random 40% of the judgments kept): still choix's MLE."""
    models = ("m1", "m2", "m3", "m4", "m5", "m6")
    full = judgments(models, samples=25, raters=("x", "y"), seed=seed, missing=0.0)
    df = full[np.random.default_rng(seed).random(len(full)) < 0.4]
    bt = pairwise_report(df, resamples=0).bradley_terry
    assert bt.prior_wins == 0.0  # the win graph holds together: the MLE exists
    reference = _choix_elo(df, bt.models)
    ours = np.array(bt.ratings)
    np.testing.assert_allclose(ours - ours[0], reference - reference[0], atol=1e-6)


def test_no_resamples_give_no_rating_intervals(frame):
    bt = pairwise_report(frame, resamples=0).bradley_terry
    assert all(i.low is None and i.high is None for i in bt.intervals)
