"""Benchmark: statistics for 100,000 items x 3 raters x 4 dimensions (1.2M ratings).

Run: ``python benchmarks/bench_stats.py [n_items] [resamples]``. Prints the time of
the whole ``compute`` call (and of ``evaluate`` with the default gates) and, as a
reference measured in the same run on the same data, the time of a naive pandas
groupby of the per-item means alone, as a ratio.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.stats import compute  # noqa: E402
from annotator.core.verdicts import evaluate  # noqa: E402

DIMS = ("relevance", "fluency", "style", "compliance")
RATERS = ("alice", "bob", "carol")


def build(n_items: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Seeded data: two models on the same prompts, scores tied to a latent quality."""
    rng = np.random.default_rng(seed)
    half = n_items // 2
    ids = np.arange(1, n_items + 1)
    items = pd.DataFrame(
        {
            "item_id": ids,
            "model": np.where(ids <= half, "base", "lora"),
            "sample_id": [f"s{(i - 1) % half}" for i in ids],
        }
    )
    quality = rng.normal(3.6, 0.8, n_items) + np.where(ids > half, 0.3, 0.0)
    n = n_items * len(RATERS) * len(DIMS)
    item_col = np.repeat(ids, len(RATERS) * len(DIMS))
    noise = rng.normal(0, 0.7, n)
    score = np.clip(np.rint(np.repeat(quality, len(RATERS) * len(DIMS)) + noise), 1, 5)
    ratings = pd.DataFrame(
        {
            "item_id": item_col,
            "rater": np.tile(np.repeat(RATERS, len(DIMS)), n_items),
            "dimension": np.tile(DIMS, n_items * len(RATERS)),
            "score": score.astype(np.int64),
        }
    )
    # Drop 2% of ratings so some items are incomplete.
    ratings = ratings[rng.random(n) > 0.02].reset_index(drop=True)
    metrics = pd.DataFrame(
        {
            "item_id": ids,
            "bleu": np.clip(quality / 8 + rng.normal(0, 0.1, n_items), 0, 1),
            "rouge-l": np.clip(quality / 7 + rng.normal(0, 0.1, n_items), 0, 1),
        }
    )
    return ratings, items, metrics


def naive_means(ratings: pd.DataFrame) -> pd.DataFrame:
    """The reference: per item and dimension mean with a plain pandas groupby."""
    return ratings.groupby(["item_id", "dimension"])["score"].mean().unstack()


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    n_items = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    resamples = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    ratings, items, metrics = build(n_items)
    print(f"{len(items):,} items, {len(ratings):,} ratings, {resamples} bootstrap resamples")

    def stats():
        return compute(ratings, items, metrics, dimensions=DIMS, resamples=resamples)

    report = stats()
    t_compute = best_of(stats)
    t_verdict = best_of(lambda: evaluate(report))
    t_naive = best_of(lambda: naive_means(ratings))
    print(f"compute            {t_compute:7.3f} s")
    print(f"evaluate (gates)   {t_verdict:7.3f} s")
    print(f"total              {t_compute + t_verdict:7.3f} s   (target < 2 s)")
    print(f"naive groupby mean {t_naive:7.3f} s   (reference)")
    print(f"ratio compute / naive groupby: {t_compute / t_naive:.2f}")
    print(f"ratio total / naive groupby:   {(t_compute + t_verdict) / t_naive:.2f}")
    a = report.alpha_for("all")
    print(f"alpha(all) = {a.alpha:.3f} [{a.ci.low:.3f}, {a.ci.high:.3f}] {a.interpretation}")


if __name__ == "__main__":
    main()
