"""PPI++ means against the ``ppi_python`` package (a test oracle only)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from annotator.core.stats.ppi import COMPOSITE, classical_mean, ppi_mean, ppi_model_means

ppi_py = pytest.importorskip("ppi_py")


def _data(seed: int, n: int, big_n: int, noise: float):
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, n + big_n).astype(float)
    judge = np.clip(np.round(truth + rng.normal(0, noise, n + big_n)), 1, 5)
    human = np.clip(truth + rng.normal(0, 0.4, n + big_n), 1, 5)
    return human[:n], judge[:n], judge[n:]


@pytest.mark.parametrize(
    ("seed", "n", "big_n", "noise"),
    [(1, 40, 400, 0.5), (2, 25, 60, 1.5), (3, 100, 1000, 0.2), (4, 10, 500, 3.0)],
)
@pytest.mark.parametrize("lam", [None, 0.0, 0.35, 1.0])
def test_matches_ppi_python(seed, n, big_n, noise, lam):
    y, yhat, yhat_u = _data(seed, n, big_n, noise)
    ours = ppi_mean(y, yhat, yhat_u, alpha=0.05, lam=lam)
    low, high = ppi_py.ppi_mean_ci(y, yhat, yhat_u, alpha=0.05, lam=lam)
    point = ppi_py.ppi_mean_pointestimate(y, yhat, yhat_u, lam=lam)
    assert ours.mean == pytest.approx(float(np.ravel(point)[0]), abs=1e-9)
    assert ours.ci_low == pytest.approx(float(np.ravel(low)[0]), abs=1e-9)
    assert ours.ci_high == pytest.approx(float(np.ravel(high)[0]), abs=1e-9)
    assert (ours.n_labeled, ours.n_unlabeled) == (n, big_n)
    assert 0.0 <= ours.lam <= 1.0


def test_tuned_lambda_is_clipped_and_a_good_judge_narrows_the_interval():
    y, yhat, yhat_u = _data(5, 50, 2000, 0.2)
    tuned = ppi_mean(y, yhat, yhat_u)
    human = classical_mean(y)
    assert tuned.ci_high - tuned.ci_low < 0.8 * (human.ci_high - human.ci_low)
    # A judge that says the opposite of the humans: the covariance is negative, lam clips to 0
    opposite = ppi_mean(y, 6 - y, 6 - yhat_u)
    assert opposite.lam == 0.0
    assert opposite.mean == pytest.approx(np.mean(y), abs=1e-12)


def test_classical_mean_matches_ppi_python():
    y, _, _ = _data(6, 37, 0, 0.5)
    ours = classical_mean(y)
    low, high = ppi_py.classical_mean_ci(y, alpha=0.05)
    assert (ours.ci_low, ours.ci_high) == pytest.approx((low, high), abs=1e-9)


def test_small_samples():
    assert ppi_mean([], [], [3.0, 4.0]).mean is None
    one = ppi_mean([4.0], [4.0], [3.0, 5.0])
    assert one.mean is not None and one.ci_low is None
    no_unlabeled = ppi_mean([1.0, 3.0], [2.0, 2.0], [])
    assert no_unlabeled.lam == 0.0 and no_unlabeled.mean == pytest.approx(2.0)
    with pytest.raises(ValueError):
        ppi_mean([1.0, 2.0], [1.0], [1.0])


def _long(table: dict[tuple[str, str], list[int]], rater_names) -> pd.DataFrame:
    rows = []
    for (item, dim), scores in table.items():
        for rater, score in zip(rater_names, scores, strict=False):
            rows.append({"item_id": item, "rater": rater, "dimension": dim, "score": score})
    return pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])


def _value(rows, item, dim):
    """Written here from the rows: an item's mean score on one dimension."""
    scores = [s for (i, _, d, s) in rows if i == item and d == dim]
    return np.mean(scores) if scores else None


def _item_score(rows, item, dimension, dims):
    if dimension != COMPOSITE:
        return _value(rows, item, dimension)
    parts = [_value(rows, item, d) for d in dims]
    if any(p is None for p in parts):
        return None
    return (parts[0] * 1.0 + parts[1] * 3.0) / 4.0


def test_model_means_by_hand_against_ppi_python():
    rng = np.random.default_rng(7)
    dims = ["fluency", "accuracy"]
    weights = {"fluency": 1.0, "accuracy": 3.0}
    items = pd.DataFrame(
        {
            "item_id": [f"i{k}" for k in range(120)],
            "model": ["base"] * 60 + ["tuned"] * 60,
            "sample_id": [f"s{k % 60}" for k in range(120)],
        }
    )
    human_rows, judge_rows = [], []
    for k, item in enumerate(items["item_id"]):
        for dim in dims:
            truth = rng.integers(1, 6)
            judge_rows.append((item, "gpt", dim, int(np.clip(truth + rng.integers(-1, 2), 1, 5))))
            if k % 3 == 0:  # a third of the items have two human scores
                for rater in ("ann", "bob"):
                    h = int(np.clip(truth + rng.integers(-1, 2), 1, 5))
                    human_rows.append((item, rater, dim, h))
    cols = ["item_id", "rater", "dimension", "score"]
    human, judge = pd.DataFrame(human_rows, columns=cols), pd.DataFrame(judge_rows, columns=cols)
    result = ppi_model_means(human, judge, items, dims, weights)
    assert [(m.model, m.dimension) for m in result] == [
        (m, d) for m in ("base", "tuned") for d in (*dims, COMPOSITE)
    ]
    for mean in result:
        ids = set(items.loc[items["model"] == mean.model, "item_id"])

        ordered = sorted(ids)
        y = {i: _item_score(human_rows, i, mean.dimension, dims) for i in ordered}
        yhat = {i: _item_score(judge_rows, i, mean.dimension, dims) for i in ordered}
        labeled = [i for i in ordered if y[i] is not None]
        unlabeled = [i for i in ordered if y[i] is None]
        ys = np.array([y[i] for i in labeled])
        yh = np.array([yhat[i] for i in labeled])
        yu = np.array([yhat[i] for i in unlabeled])
        low, high = ppi_py.ppi_mean_ci(ys, yh, yu, alpha=0.05)
        point = ppi_py.ppi_mean_pointestimate(ys, yh, yu)
        assert mean.ppi.mean == pytest.approx(float(np.ravel(point)[0]), abs=1e-9)
        assert (mean.ppi.ci_low, mean.ppi.ci_high) == pytest.approx(
            (float(np.ravel(low)[0]), float(np.ravel(high)[0])), abs=1e-9
        )
        h_low, h_high = ppi_py.classical_mean_ci(ys, alpha=0.05)
        assert mean.human.mean == pytest.approx(ys.mean(), abs=1e-12)
        assert (mean.human.ci_low, mean.human.ci_high) == pytest.approx((h_low, h_high), abs=1e-9)
        assert (mean.n_human, mean.n_judge) == (20, 60)
        data = json.loads(json.dumps(mean.to_dict(), allow_nan=False))
        assert data["mean"] == pytest.approx(mean.ppi.mean)
        assert len(data["ci"]) == 2 and len(data["human_ci"]) == 2


def test_composite_needs_every_dimension():
    human = _long({("a", "fluency"): [4, 5], ("b", "fluency"): [3, 3]}, ["x", "y"])
    judge = _long({("a", "fluency"): [4], ("a", "accuracy"): [2], ("b", "fluency"): [3]}, ["j"])
    items = pd.DataFrame({"item_id": ["a", "b"], "model": ["m", "m"], "sample_id": ["1", "2"]})
    out = {m.dimension: m for m in ppi_model_means(human, judge, items, ["fluency", "accuracy"])}
    assert out["fluency"].n_human == 2 and out["fluency"].human.mean == pytest.approx(3.75)
    assert out[COMPOSITE].n_human == 0 and out[COMPOSITE].ppi.mean is None
    assert out[COMPOSITE].n_judge == 1
    assert json.dumps(out[COMPOSITE].to_dict(), allow_nan=False)
