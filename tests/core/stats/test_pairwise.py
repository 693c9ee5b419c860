"""Side-by-side statistics per pair: counts, rates, sign test, position bias, bootstrap.

Every number is checked against an oracle written here: a pandas groupby for the counts,
``scipy.stats.binomtest`` for the sign and position tests, a direct resampling of sample
ids for the cluster bootstrap.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest
from test_pairwise_data import judgments, one

from annotator.core.domain.errors import InputError
from annotator.core.stats.pairwise import pairwise_report

KEY = ["model_a", "model_b", "dimension"]


@pytest.fixture(scope="module")
def frame():
    return judgments(("base", "lora", "qwen"), samples=80, dimensions=("", "fluency"))


@pytest.fixture(scope="module")
def report(frame):
    return pairwise_report(frame, seed=5, resamples=400)


def test_counts_and_rates_match_a_pandas_groupby(frame, report):
    expected = (
        frame.assign(n=1)
        .pivot_table(index=KEY, columns="outcome", values="n", aggfunc="sum", fill_value=0)
        .join(frame.groupby(KEY)["sample_id"].nunique().rename("samples"))
    )
    assert len(report.pairs) == len(expected) == 6
    for p in report.pairs:
        row = expected.loc[(p.model_a, p.model_b, p.dimension)]
        n = row[["a", "b", "tie", "both_bad"]].sum()
        assert (p.wins, p.losses, p.ties, p.both_bad) == (
            row["a"],
            row["b"],
            row["tie"],
            row["both_bad"],
        )
        assert (p.judgments, p.samples) == (n, row["samples"])
        assert p.win_rate == pytest.approx((row["a"] + (row["tie"] + row["both_bad"]) / 2) / n)
        assert p.net == pytest.approx((row["a"] - row["b"]) / n)


def test_the_sign_test_is_scipys_binomtest_on_wins_and_losses(report):
    for p in report.pairs:
        expected = binomtest(p.wins, p.wins + p.losses, 0.5).pvalue
        assert p.sign_p == pytest.approx(expected, rel=1e-12)


def test_position_bias_counts_the_left_answer_and_tests_it_against_a_half(frame, report):
    decisive = frame[frame.outcome.isin(["a", "b"])]
    chosen = np.where(decisive.outcome == "a", decisive.model_a, decisive.model_b)
    left = decisive.assign(left_won=chosen == decisive.left)
    for p in report.pairs:
        rows = left[(left[KEY] == [p.model_a, p.model_b, p.dimension]).all(axis=1)]
        k, n = int(rows.left_won.sum()), len(rows)
        assert (p.position.left, p.position.decisive) == (k, n)
        assert p.position.share == pytest.approx(k / n)
        assert p.position.p_value == pytest.approx(binomtest(k, n, 0.5).pvalue, rel=1e-12)
    overall = left[left.dimension == ""]  # pooled: one choice per screen, the overall one
    k, n = int(overall.left_won.sum()), len(overall)
    assert 0 < n < len(left)
    assert (report.position_bias.left, report.position_bias.decisive) == (k, n)
    assert report.position_bias.p_value == pytest.approx(binomtest(k, n).pvalue, rel=1e-12)


def test_a_strong_left_preference_is_found():
    df = judgments(samples=200, seed=9)
    df["left"] = np.where(df.outcome == "b", df.model_b, df.model_a)  # the left one always won
    p = pairwise_report(df, resamples=0).pair("base", "lora")
    assert p.position.share == 1.0 and p.position.p_value < 1e-10


def _direct_bootstrap(df: pd.DataFrame, resamples: int, seed: int):
    """The oracle: draw sample ids with replacement, keep all their judgments."""
    rng = np.random.default_rng(seed)
    ids = df.sample_id.unique()
    by_sample = {s: g.outcome.to_numpy() for s, g in df.groupby("sample_id")}
    rates, nets = [], []
    for _ in range(resamples):
        drawn = np.concatenate([by_sample[s] for s in rng.choice(ids, size=len(ids))])
        win, loss = (drawn == "a").mean(), (drawn == "b").mean()
        rates.append(win + (1 - win - loss) / 2)
        nets.append(win - loss)
    return np.percentile(rates, [2.5, 97.5]), np.percentile(nets, [2.5, 97.5])


def _correlated(seed: int) -> pd.DataFrame:
    """Judgments where the raters of a sample mostly share one verdict."""
    df = judgments(samples=150, raters=("a1", "a2", "a3", "a4"), seed=seed, missing=0.3)
    rng = np.random.default_rng(seed)
    shared = {s: rng.choice(["a", "a", "b", "tie"]) for s in df.sample_id.unique()}
    follow = rng.random(len(df)) < 0.8
    df.loc[follow, "outcome"] = df.sample_id[follow].map(shared)
    return df


def test_the_cluster_bootstrap_agrees_with_resampling_sample_ids_directly():
    df = _correlated(11)
    p = pairwise_report(df, seed=2, resamples=4000).pair("base", "lora")
    rate, net = _direct_bootstrap(df, 4000, seed=8)
    # Monte-Carlo error of a 2.5% percentile of 4000 draws: about 0.002 (win rate) and
    # 0.004 (net score) here; the tolerances are about 3 of those for the two runs
    assert p.win_rate_ci.low == pytest.approx(rate[0], abs=0.008)
    assert p.win_rate_ci.high == pytest.approx(rate[1], abs=0.008)
    assert p.net_ci.low == pytest.approx(net[0], abs=0.016)
    assert p.net_ci.high == pytest.approx(net[1], abs=0.016)


def test_resampling_judgments_one_by_one_would_give_a_narrower_interval():
    """Why samples are resampled: the raters of a sample agree, so they are not 4 times the
    evidence; an interval from independent judgments is too narrow by far."""
    df = _correlated(12)
    p = pairwise_report(df, seed=2, resamples=2000).pair("base", "lora")
    rng = np.random.default_rng(1)
    v = df.outcome.map({"a": 1, "b": -1}).fillna(0).to_numpy()
    naive = np.percentile(rng.choice(v, size=(2000, len(v))).mean(axis=1), [2.5, 97.5])
    assert (p.net_ci.high - p.net_ci.low) > 1.4 * (naive[1] - naive[0])


def test_the_intervals_are_seeded_and_the_seed_matters(frame):
    first = pairwise_report(frame, seed=1, resamples=200).pairs[0].net_ci
    again = pairwise_report(frame, seed=1, resamples=200).pairs[0].net_ci
    other = pairwise_report(frame, seed=2, resamples=200).pairs[0].net_ci
    assert first == again and first != other


def test_to_dict_is_json_and_holds_every_pair(report):
    out = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert set(out) == {"settings", "pairs", "position_bias", "bradley_terry"}
    assert len(out["pairs"]) == 6
    row = out["pairs"][0]
    assert set(row) >= {"wins", "ties", "losses", "both_bad", "win_rate_ci", "net_ci", "sign_p"}
    assert row["agreement"]["alpha"]["level"] == "ordinal"


def test_an_empty_frame_gives_an_empty_report():
    out = pairwise_report(one().iloc[:0]).to_dict()
    assert out["pairs"] == [] and out["bradley_terry"] is None
    assert out["position_bias"] == {"left": 0, "decisive": 0, "share_left": None, "p_value": None}


def test_one_judgment_gives_counts_without_intervals():
    p = pairwise_report(one("b")).pair("base", "lora")
    assert (p.wins, p.losses, p.judgments, p.samples) == (0, 1, 1, 1)
    assert p.win_rate == 0.0 and p.net == -1.0 and p.sign_p == 1.0
    assert p.net_ci.low is None and p.agreement.alpha.alpha is None


def test_only_ties_have_no_sign_test_and_no_position_bias():
    df = pd.concat([one("tie", rater="x"), one("both_bad", rater="y"), one("tie", sample="s2")])
    p = pairwise_report(df).pair("base", "lora")
    assert p.sign_p is None and p.position.share is None and p.position.p_value is None
    assert p.win_rate == 0.5 and p.net == 0.0


def test_an_unknown_outcome_is_refused_with_its_row():
    df = pd.concat([one("a"), one("A better", sample="s2"), one("tie", sample="s3")])
    with pytest.raises(InputError) as err:
        pairwise_report(df)
    assert [p.row for p in err.value.problems] == [0]  # the index label of the bad row
    assert len(err.value.problems) == 1 and "'A better'" in str(err.value)
    assert "row 0" in str(err.value)


def test_a_second_verdict_of_a_rater_on_the_same_comparison_is_refused():
    df = pd.concat([one("a"), one("b", rater="other"), one("tie")], ignore_index=True)
    with pytest.raises(InputError) as err:
        pairwise_report(df)
    assert [p.row for p in err.value.problems] == [2]
    assert "rater r judged" in str(err.value)
    again = pd.concat([one("a"), one("tie", dim="style")], ignore_index=True)
    assert len(pairwise_report(again).pairs) == 2  # another dimension is another verdict


def test_a_left_that_is_neither_model_and_a_model_against_itself_are_refused():
    df = pd.concat([one(left="gpt"), one(a="lora", b="lora")], ignore_index=True)
    with pytest.raises(InputError) as err:
        pairwise_report(df)
    assert sorted(p.row for p in err.value.problems) == [0, 1]


def test_a_missing_column_and_an_empty_cell_are_refused():
    with pytest.raises(InputError, match="left"):
        pairwise_report(one().drop(columns="left"))
    with pytest.raises(InputError, match="rater"):
        pairwise_report(one(rater=None))
