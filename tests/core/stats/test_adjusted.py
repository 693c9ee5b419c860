"""Rater-adjusted means against statsmodels OLS with item and rater fixed effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from annotator.core.stats.adjusted import adjusted_means, fit_additive

ols = pytest.importorskip("statsmodels.formula.api").ols


def _unbalanced(seed: int = 3, n_items: int = 60, n_raters: int = 5) -> pd.DataFrame:
    """Raters score different, overlapping subsets; rater r is harsh by r/2 points."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_items):
        quality = rng.uniform(1.5, 4.5)
        raters = rng.choice(n_raters, size=rng.integers(1, 4), replace=False)
        for r in raters:
            score = np.clip(np.round(quality - r / 2 + rng.normal(0, 0.4)), 1, 5)
            rows.append((i + 1, f"r{r}", "relevance", int(score)))
    return pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])


def _ols_item_effects(frame: pd.DataFrame) -> pd.Series:
    """Item effects from OLS treatment coding, moved to rater effects summing to zero."""
    df = frame.assign(item=frame["item_id"].astype(str))
    fit = ols("score ~ C(item) + C(rater)", data=df).fit()
    p = fit.params
    raters = sorted(df["rater"].unique())
    rater_fx = np.array([0.0] + [p[f"C(rater)[T.{r}]"] for r in raters[1:]])
    items = sorted(df["item"].unique())
    item_fx = np.array([0.0] + [p[f"C(item)[T.{i}]"] for i in items[1:]])
    a = p["Intercept"] + item_fx + rater_fx.mean()
    return pd.Series(a, index=[int(i) for i in items]).sort_index()


def test_item_effects_match_statsmodels_ols():
    frame = _unbalanced()
    item, item_ids = pd.factorize(frame["item_id"], sort=True)
    rater, names = pd.factorize(frame["rater"], sort=True)
    a, b = fit_additive(item, rater, frame["score"].to_numpy(), len(item_ids), len(names))
    expected = _ols_item_effects(frame)
    assert np.allclose(a, expected.reindex(item_ids).to_numpy(), atol=1e-9, rtol=0)
    assert abs(b.sum()) < 1e-9
    # the fitted values agree too
    fitted = ols("score ~ C(item) + C(rater)", data=frame.assign(item=frame["item_id"].astype(str)))
    assert np.allclose(a[item] + b[rater], fitted.fit().fittedvalues, atol=1e-9, rtol=0)


def test_adjusted_model_means_are_means_of_ols_item_effects():
    frame = _unbalanced(seed=11)
    items = pd.DataFrame(
        {"item_id": range(1, 61), "model": ["A" if i % 2 else "B" for i in range(1, 61)]}
    )
    report = adjusted_means(frame, items, ["relevance"], min_shared=1)
    effects = _ols_item_effects(frame)
    raw = frame.groupby("item_id")["score"].mean()
    for model in ("A", "B"):
        ids = items.loc[items["model"] == model, "item_id"]
        ids = ids[ids.isin(frame["item_id"])]
        got = report.get(model, "relevance")
        assert got.note is None
        assert got.adjusted == pytest.approx(effects.reindex(ids).mean(), abs=1e-9)
        assert got.raw == pytest.approx(raw.reindex(ids).mean(), abs=1e-12)
        assert got.n == len(ids)


def test_a_harsh_rater_on_one_model_is_corrected():
    """Model B is rated mostly by a rater 1.5 points harsher: the raw means differ, the
    adjusted ones do not (both models have the same true quality)."""
    rng = np.random.default_rng(5)
    rows, models = [], []
    for i in range(1, 201):
        model = "A" if i <= 100 else "B"
        models.append((i, model))
        quality = rng.uniform(2, 4)
        raters = ["kind", "mid"] if model == "A" else ["harsh", "mid"]
        if i % 10 == 0:
            raters = ["kind", "harsh", "mid"]
        for r in raters:
            shift = -1.5 if r == "harsh" else 0.0
            rows.append((i, r, "d", quality + shift + rng.normal(0, 0.2)))
    frame = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    items = pd.DataFrame(models, columns=["item_id", "model"])
    report = adjusted_means(frame, items, ["d"])
    a, b = report.get("A", "d"), report.get("B", "d")
    assert a.raw - b.raw > 0.6
    assert abs(a.adjusted - b.adjusted) < 0.15


def test_complete_design_adjusted_equals_raw_and_composite_is_weighted():
    rng = np.random.default_rng(1)
    rows = [(i, r, d, int(rng.integers(1, 6))) for i in range(1, 21) for r in "xyz"
            for d in ("p", "q")]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    items = pd.DataFrame({"item_id": range(1, 21), "model": ["M"] * 20})
    report = adjusted_means(frame, items, ["p", "q"], {"p": 3.0, "q": 1.0})
    p, q, comp = (report.get("M", k) for k in ("p", "q", "composite"))
    assert p.adjusted == pytest.approx(p.raw, abs=1e-12)
    raw_p = frame[frame.dimension == "p"].groupby("item_id")["score"].mean().mean()
    assert p.raw == pytest.approx(raw_p)
    assert comp.adjusted == pytest.approx(0.75 * p.adjusted + 0.25 * q.adjusted)
    assert comp.raw == pytest.approx(0.75 * p.raw + 0.25 * q.raw)
    assert comp.n == 20


def test_disconnected_design_gives_no_adjusted_mean_and_says_why():
    # raters a, b rate model A's items, c and d model B's: no rater links the two groups
    rows = [(i, r, "d", 3 + (i % 2)) for i in range(1, 21) for r in ("a", "b")]
    rows += [(i, r, "d", 2 + (i % 3 == 0)) for i in range(21, 41) for r in ("c", "d")]
    frame = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    items = pd.DataFrame({"item_id": range(1, 41), "model": ["A"] * 20 + ["B"] * 20})
    report = adjusted_means(frame, items, ["d"])
    got = [report.get(m, "d") for m in ("A", "B")]
    # the main group keeps its mean; the other has none, with the reason in words
    assert sum(g.adjusted is None for g in got) == 1
    missing = next(g for g in got if g.adjusted is None)
    assert missing.raw is not None
    assert "too sparse to separate raters from items" in missing.note.text("en")
    assert "2 groups that share no items" in missing.note.text("en")
    assert report.get(missing.model, "composite").adjusted is None


def test_a_rater_sharing_too_few_items_is_named():
    rows = [(i, r, "d", 3) for i in range(1, 31) for r in ("a", "b")]
    rows += [(31, "lone", "d", 1), (31, "a", "d", 3), (32, "lone", "d", 2)]
    frame = pd.DataFrame(rows, columns=["item_id", "rater", "dimension", "score"])
    items = pd.DataFrame({"item_id": range(1, 33), "model": ["A"] * 30 + ["B"] * 2})
    report = adjusted_means(frame, items, ["d"])
    assert report.get("A", "d").adjusted == pytest.approx(3.0)
    b = report.get("B", "d")
    assert b.adjusted is None
    assert "rater lone shares only 1 item(s)" in b.note.text("en")
    assert b.to_dict()["note"] and b.to_dict()["adjustment"] is None


def test_one_rater_alone_gives_the_raw_mean_only():
    frame = pd.DataFrame({"item_id": [1, 2, 3], "rater": "solo", "dimension": "d",
                          "score": [3, 4, 5]})  # fmt: skip
    items = pd.DataFrame({"item_id": [1, 2, 3], "model": ["A", "A", "B"]})
    report = adjusted_means(frame, items, ["d"])
    a = report.get("A", "d")
    assert (a.raw, a.adjusted, a.n) == (3.5, None, 2)
    assert a.note.text("en") == "too sparse to separate raters from items: solo is the only rater"
    assert adjusted_means(frame.iloc[:0], items, ["d"]).means == ()
