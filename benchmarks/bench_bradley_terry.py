"""Benchmark: Bradley-Terry with a bootstrap of samples, ours against evalica's.

100,000 overall judgments among 20 models (5,000 samples, 20 judgments each: random pairs
of models, outcomes drawn from known strengths, ties and both-bad included), rated with
1,000 bootstrap resamples of samples:

- ours: ``annotator.core.stats.pairwise_bt.bradley_terry`` (point estimate + bootstrap);
- the reference: ``evalica.bradley_terry`` (Rust) on the same judgments, the same seeded
  resamples given to it as per-judgment weights (how often each judgment's sample was
  drawn: the same cluster bootstrap), one call per resample, ties as half a win.

It also times the whole ``pairwise_report`` on the same judgments.

Run: ``python benchmarks/bench_bradley_terry.py [judgments] [models] [resamples]``. Prints
both times, the ratio, and the largest gap between the two point estimates (Elo points).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import evalica  # noqa: E402

from annotator.core.stats.bootstrap import rng_for  # noqa: E402
from annotator.core.stats.pairwise import pairwise_report  # noqa: E402
from annotator.core.stats.pairwise_bt import ELO, _sample_counts, bradley_terry  # noqa: E402

PER_SAMPLE = 20


def build(n: int, m: int, seed: int = 16):
    """Seeded judgments as codes: sample, model a, model b, A's share of the win."""
    rng = np.random.default_rng(seed)
    strength = rng.normal(0, 0.6, m)
    a = rng.integers(0, m, n)
    b = (a + rng.integers(1, m, n)) % m
    p_a = 1 / (1 + np.exp(strength[b] - strength[a]))
    u = rng.random(n)
    tie = u < 0.25
    score = np.where(tie, 0.5, (rng.random(n) < p_a).astype(np.float64))
    sample = np.arange(n) // PER_SAMPLE
    return sample, a, b, score


def ours(models, sample, a, b, score, resamples):
    start = time.perf_counter()
    result = bradley_terry(
        models, sample, a, b, score, anchor=0, rng=rng_for(1, "bench"), resamples=resamples
    )
    return time.perf_counter() - start, np.array(result.ratings)


def reference(models, sample, a, b, score, resamples):
    """evalica with the same bootstrap: each resample's sample counts as judgment weights."""
    xs, ys = np.asarray(models, dtype=object)[a], np.asarray(models, dtype=object)[b]
    winners = [
        evalica.Winner.X if s == 1 else evalica.Winner.Y if s == 0 else evalica.Winner.Draw
        for s in score
    ]
    rng = rng_for(1, "bench reference")
    n_samples = int(sample.max()) + 1
    start = time.perf_counter()
    point = evalica.bradley_terry(xs, ys, winners, tie_weight=0.5, tolerance=1e-10, limit=1000)
    for _ in range(resamples):
        weights = _sample_counts(n_samples, 1, rng)[0][sample]
        evalica.bradley_terry(xs, ys, winners, weights=weights, tie_weight=0.5, limit=1000)
    elapsed = time.perf_counter() - start
    scores = point.scores.reindex(list(models)).to_numpy()
    return elapsed, ELO * np.log(scores / scores[0]) + 1000


def whole_report(models, sample, a, b, score, resamples) -> float:
    """``pairwise_report`` on the same judgments as a frame (every pair's statistics too)."""
    names = np.asarray(models, dtype=object)
    frame = pd.DataFrame(
        {
            "sample_id": sample.astype(str),
            "rater": [f"r{i}" for i in range(len(a))],
            "dimension": "",
            "model_a": names[a],
            "model_b": names[b],
            "left": np.where(np.arange(len(a)) % 2 == 0, names[a], names[b]),
            "outcome": np.where(score == 1, "a", np.where(score == 0, "b", "tie")),
            "strength": np.nan,
        }
    )
    start = time.perf_counter()
    pairwise_report(frame, resamples=resamples)
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    resamples = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    models = tuple(f"model-{i:02d}" for i in range(m))
    sample, a, b, score = build(n, m)
    t_ours, r_ours = ours(models, sample, a, b, score, resamples)
    t_ref, r_ref = reference(models, sample, a, b, score, resamples)
    print(f"{n:,} judgments, {m} models, {int(sample.max()) + 1:,} samples, {resamples} resamples")
    print(f"ours (numpy Newton, batched bootstrap): {t_ours:.3f} s")
    print(f"evalica {evalica.__version__} bradley_terry, same bootstrap: {t_ref:.3f} s")
    print(f"ratio evalica / ours: {t_ref / t_ours:.1f}x")
    print(f"largest gap between the point estimates: {np.abs(r_ours - r_ref).max():.2e} Elo")
    t_all = whole_report(models, sample, a, b, score, resamples)
    print(f"whole pairwise_report (every ordered pair's statistics + Bradley-Terry): {t_all:.3f} s")


if __name__ == "__main__":
    main()
