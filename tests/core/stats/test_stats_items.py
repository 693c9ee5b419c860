"""Per-item and per-model statistics against plain pandas, input errors, disagreements."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from stats_helpers import DIMS, random_project

from annotator.core.domain.errors import InputError
from annotator.core.stats import compute


def _frame(rows):
    return pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])


def _items(n, model="m"):
    return pd.DataFrame({"item_id": range(1, n + 1), "model": model,
                         "sample_id": [f"s{i}" for i in range(1, n + 1)]})  # fmt: skip


def test_item_means_and_spread_match_pandas():
    ratings, items = random_project(n_items=50, missing=0.25, seed=2)
    table = compute(ratings, items, dimensions=DIMS, resamples=0).items.set_index("item_id")
    g = ratings.groupby(["item_id", "dimension"])["score"]
    ref = pd.DataFrame({"mean": g.mean(), "std": g.std(), "min": g.min(), "max": g.max(),
                        "n": g.size()})  # fmt: skip
    for (item, dim), row in ref.iterrows():
        got = table.loc[item]
        assert got[f"{dim}_mean"] == pytest.approx(row["mean"])
        assert got[f"{dim}_min"] == row["min"] and got[f"{dim}_max"] == row["max"]
        assert got[f"{dim}_n"] == row["n"]
        if row["n"] > 1:
            assert got[f"{dim}_std"] == pytest.approx(row["std"])
        else:
            assert np.isnan(got[f"{dim}_std"])
    complete = ref["n"].unstack().reindex(columns=list(DIMS)).fillna(0).ge(2).all(axis=1)
    assert table["complete"].to_dict() == complete.reindex(table.index, fill_value=False).to_dict()


def test_composite_is_weighted_and_incomplete_items_stay_out_of_model_means():
    rows = [
        (1, "a", "relevance", 5), (1, "b", "relevance", 3),
        (1, "a", "fluency", 2), (1, "b", "fluency", 2),
        (2, "a", "relevance", 1), (2, "a", "fluency", 1),  # one rater only: incomplete
    ]  # fmt: skip
    report = compute(_frame(rows), _items(2), dimensions=["relevance", "fluency"],
                     weights={"relevance": 3, "fluency": 1}, resamples=0)  # fmt: skip
    t = report.items.set_index("item_id")
    assert t.loc[1, "composite"] == pytest.approx((4 * 3 + 2 * 1) / 4)
    assert not t.loc[2, "complete"] and np.isnan(t.loc[2, "composite"])
    m = report.model("m")
    assert (m.n_items, m.n_complete) == (2, 1)
    assert m.means["composite"].mean == pytest.approx(3.5)
    assert m.means["relevance"].mean == pytest.approx(4.0)
    assert m.distribution["relevance"] == (0, 0, 1, 0, 1)  # complete items only


def test_model_means_and_bootstrap_ci():
    ratings, items = random_project(n_items=200, missing=0.05, seed=3)
    a = compute(ratings, items, dimensions=DIMS, resamples=800, seed=1)
    b = compute(ratings, items, dimensions=DIMS, resamples=800, seed=1)
    t = a.items
    for s in a.models:
        mine = t[(t.model == s.model) & t.complete]
        for d in DIMS:
            assert s.means[d].mean == pytest.approx(mine[f"{d}_mean"].mean())
        comp = mine["composite"].to_numpy()
        m = s.means["composite"]
        assert m.mean == pytest.approx(comp.mean()) and m.n == len(comp)
        assert m.ci.low < m.mean < m.ci.high
        assert m.ci == b.model(s.model).means["composite"].ci
        # Same distribution as resampling rows: compare with a naive bootstrap.
        rng = np.random.default_rng(0)
        naive = comp[rng.integers(0, len(comp), (3000, len(comp)))].mean(axis=1)
        lo, hi = np.percentile(naive, [2.5, 97.5])
        assert m.ci.low == pytest.approx(lo, abs=0.1 * (hi - lo))
        assert m.ci.high == pytest.approx(hi, abs=0.1 * (hi - lo))


def test_continuous_metric_ci_matches_naive_bootstrap():
    ratings, items = random_project(n_items=400, seed=8, models=("m",))
    rng = np.random.default_rng(4)
    bleu = rng.gamma(2.0, 0.1, len(items))  # skewed, all distinct
    metrics = pd.DataFrame({"item_id": items.item_id, "bleu": bleu})
    got = compute(ratings, items, metrics, dimensions=DIMS, resamples=4000).model("m")
    naive = bleu[rng.integers(0, len(bleu), (4000, len(bleu)))].mean(axis=1)
    lo, hi = np.percentile(naive, [2.5, 97.5])
    assert got.metrics["bleu"].mean == pytest.approx(bleu.mean())
    assert got.metrics["bleu"].ci.low == pytest.approx(lo, abs=0.08 * (hi - lo))
    assert got.metrics["bleu"].ci.high == pytest.approx(hi, abs=0.08 * (hi - lo))


def test_adjudication_replaces_mean_and_resolves_disagreement():
    rows = [(1, "a", "relevance", 1), (1, "b", "relevance", 5),
            (1, "a", "fluency", 4), (1, "b", "fluency", 4)]  # fmt: skip
    dims = ["relevance", "fluency"]
    plain = compute(_frame(rows), _items(1), dimensions=dims, resamples=0)
    assert plain.items.loc[0, "disagreement"]
    assert plain.disagreements.loc[0, "resolved"] == False  # noqa: E712
    adj = pd.DataFrame({"item_id": [1], "dimension": ["relevance"], "score": [4]})
    fixed = compute(_frame(rows), _items(1), dimensions=dims, adjudicated=adj, resamples=0)
    row = fixed.items.loc[0]
    assert row["relevance_mean"] == 4 and row["relevance_raw_mean"] == 3
    assert not row["disagreement"] and row["composite"] == pytest.approx(4.0)
    assert fixed.disagreements.loc[0, "resolved"] == True  # noqa: E712


def test_disagreements_most_severe_first():
    rows = []
    spec = {1: {"relevance": (1, 3)}, 2: {"relevance": (1, 5)},
            3: {"relevance": (2, 4), "fluency": (1, 3)}, 4: {"relevance": (3, 4)}}  # fmt: skip
    for item, dims in spec.items():
        for d in ("relevance", "fluency"):
            lo, hi = dims.get(d, (3, 3))
            rows += [(item, "a", d, lo), (item, "b", d, hi)]
    dis = compute(_frame(rows), _items(4), dimensions=["relevance", "fluency"],
                  resamples=0).disagreements  # fmt: skip
    assert dis["item_id"].tolist() == [2, 3, 1]
    assert dis["max_range"].tolist() == [4, 2, 2]
    assert dis["n_dimensions"].tolist() == [1, 2, 1]
    assert dis.loc[1, "dimensions"] == "relevance, fluency"


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ([(1, "a", "relevance", 6)], "score must be an integer 1-5"),
        ([(1, "a", "relevance", 2.5)], "score must be an integer 1-5"),
        ([(9, "a", "relevance", 3)], "unknown item_id"),
        ([(1, "a", "tone", 3)], "unknown dimension"),
        ([(1, "a", "relevance", 3), (1, "a", "relevance", 4)], "more than once"),
    ],
)
def test_bad_ratings_raise_input_error(rows, needle):
    with pytest.raises(InputError, match=needle):
        compute(_frame(rows), _items(1), dimensions=["relevance"])


def test_report_is_json_safe():
    ratings, items = random_project(n_items=30, missing=0.4, seed=1)
    metrics = pd.DataFrame({"item_id": items.item_id[:10], "bleu": np.linspace(0, 1, 10)})
    report = compute(ratings, items, metrics, dimensions=DIMS, resamples=50)
    text = json.dumps(report.to_dict(), allow_nan=False)
    back = json.loads(text)
    assert back["settings"]["metrics"] == ["bleu"]
    assert any(item["bleu"] is None for item in back["items"])
