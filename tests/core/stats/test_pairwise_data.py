"""Seeded judgments frames (issue 16's columns) for the side-by-side statistics tests.

Imported by the other test_pairwise*.py files; its one test checks the builder itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OUTCOMES = np.array(["a", "b", "tie", "both_bad"], dtype=object)


def judgments(
    models=("base", "lora"),
    *,
    samples: int = 60,
    raters=("ann", "bo", "cy"),
    dimensions=("",),
    strength=None,
    seed: int = 3,
    missing: float = 0.15,
) -> pd.DataFrame:
    """Every rater judges every pair of ``models`` on every sample and dimension (some
    judgments dropped); outcomes follow latent strengths, so results are not symmetric."""
    rng = np.random.default_rng(seed)
    if strength is None:  # from +0.6 down to -0.6 (natural log odds), in a seeded order
        strength = rng.permutation(np.linspace(0.6, -0.6, len(models)))
    rows = []
    for s in range(samples):
        for i, a in enumerate(models):
            for j, b in enumerate(models):
                if j <= i:
                    continue
                p_a = 1 / (1 + np.exp(strength[j] - strength[i]))
                for dim in dimensions:
                    for rater in raters:
                        if rng.random() < missing:
                            continue
                        u = rng.random()
                        outcome = (
                            "tie"
                            if u < 0.2
                            else "both_bad"
                            if u < 0.27
                            else "a"
                            if rng.random() < p_a
                            else "b"
                        )
                        rows.append(
                            {
                                "sample_id": f"s{s:03d}",
                                "rater": rater,
                                "dimension": dim,
                                "model_a": a,
                                "model_b": b,
                                "left": a if rng.random() < 0.6 else b,
                                "outcome": outcome,
                                "strength": float(rng.choice([1.0, 2.0, np.nan])),
                            }
                        )
    return pd.DataFrame(rows)


def one(outcome="a", *, sample="s1", rater="r", a="base", b="lora", left=None, dim=""):
    """A frame of one judgment."""
    return pd.DataFrame(
        [
            {
                "sample_id": sample,
                "rater": rater,
                "dimension": dim,
                "model_a": a,
                "model_b": b,
                "left": a if left is None else left,
                "outcome": outcome,
                "strength": np.nan,
            }
        ]
    )


def test_the_builder_gives_every_column_and_outcome():
    df = judgments(samples=40)
    assert list(df.columns) == [
        "sample_id",
        "rater",
        "dimension",
        "model_a",
        "model_b",
        "left",
        "outcome",
        "strength",
    ]
    assert set(df.outcome) == set(OUTCOMES)
    assert (df.left.eq(df.model_a) | df.left.eq(df.model_b)).all()
