"""Benchmark: does the 95% bootstrap interval of a model's composite cover the true mean?

Run: ``python benchmarks/bench_coverage.py [runs] [n ...]`` (default 1000 runs, n = 30 100 300).

Each simulated evaluation (seeded numpy):

- a pool of ``RATERS`` (6) raters, each with a severity drawn once per evaluation
  (``N(0, SEVERITY_SD)``, 0.3 points): the rater team of this evaluation;
- ``n`` prompts from a population, each with a true quality ``N(MU, TAU)`` and, per
  dimension, a fixed dimension offset plus an item-specific deviation ``N(0, SPECIFIC_SD)``;
- each item scored on 4 dimensions by 2 or 3 raters of the pool (chosen at random), each
  score the latent value + the rater's severity + noise ``N(0, NOISE_SD)`` (0.7), rounded and
  clipped to 1-5;
- ``annotator.core.stats.compute(..., resamples=1000)`` gives the model's composite (equal
  weights, dimension means of the raters) and its 95% bootstrap interval, which resamples items.

Which mean is "true"? The interval resamples prompts (and with them the raters drawn for
each item), so the mean it targets is the **conditional** mean: the mean composite these six
raters, with their severities, would give over the whole population of prompts. Because every
rater is equally likely on every item, it is, exactly,

    mean over dimensions d and raters r of  E[clip(round(X))],  X ~ N(MU + b_d + s_r, sigma)
    E[clip(round(X))] = 1 + sum_{j=1..4} P(X >= j + 0.5),  sigma^2 = TAU^2 + SPECIFIC^2 + NOISE^2

(``conditional_mean``; the tests check it against a large Monte-Carlo draw of the simulator).
The **unconditional** mean averages over rater teams as well (the severities integrated out,
``unconditional_mean``). The interval is not built to cover that one: a new team of raters
would shift every score, and nothing in one evaluation measures how much. The benchmark prints
both coverages, each with its Monte-Carlo standard error sqrt(p (1 - p) / runs).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.stats import compute  # noqa: E402

DIMS = ("relevance", "fluency", "style", "compliance")
OFFSETS = np.array([0.2, 0.0, -0.2, 0.3])  # per-dimension shift of the latent quality
MU, TAU = 3.5, 0.6  # population of prompts: true quality
SPECIFIC_SD = 0.3  # an item's deviation on one dimension from its overall quality
RATERS = 6
SEVERITY_SD = 0.3
NOISE_SD = 0.7
SIGMA = float(np.sqrt(TAU**2 + SPECIFIC_SD**2 + NOISE_SD**2))
_CUTS = np.arange(1, 5) + 0.5  # round(x) >= j + 1  <=>  x >= j + 0.5


@dataclass(frozen=True)
class Evaluation:
    """One simulated evaluation: the frames ``compute`` takes and the two true means."""

    ratings: pd.DataFrame
    items: pd.DataFrame
    conditional: float
    unconditional: float


def expected_score(location: np.ndarray, sigma: float) -> np.ndarray:
    """E[clip(round(X), 1, 5)] for X ~ N(location, sigma), exactly (ties have measure 0)."""
    z = (np.asarray(location, dtype=np.float64)[..., None] - _CUTS) / sigma
    return 1.0 + stats.norm.cdf(z).sum(axis=-1)


def conditional_mean(severity: np.ndarray) -> float:
    """The population mean composite these raters would give (equal dimension weights)."""
    locations = MU + OFFSETS[:, None] + np.asarray(severity)[None, :]  # (D, R)
    return float(expected_score(locations, SIGMA).mean())


def unconditional_mean() -> float:
    """The mean composite over prompts and over rater teams (severity integrated out)."""
    sigma = float(np.sqrt(SIGMA**2 + SEVERITY_SD**2))
    return float(expected_score(MU + OFFSETS, sigma).mean())


def draw_scores(rng: np.random.Generator, n: int, severity: np.ndarray) -> tuple:
    """Scores of ``n`` items: (item, rater, dimension, score) arrays, 2-3 raters per item."""
    k = rng.integers(2, 4, n)  # raters per item
    team = np.argsort(rng.random((n, RATERS)), axis=1)  # a random order of the pool per item
    quality = rng.normal(MU, TAU, n)
    latent = quality[:, None] + OFFSETS[None, :] + rng.normal(0, SPECIFIC_SD, (n, len(DIMS)))
    slot = np.arange(3)
    item, place = np.nonzero(slot[None, :] < k[:, None])  # one row per (item, rater)
    rater = team[item, place]
    base = latent[item] + severity[rater][:, None]  # (rows, D)
    score = np.clip(np.rint(base + rng.normal(0, NOISE_SD, base.shape)), 1, 5).astype(np.int64)
    return item, rater, score


def simulate(n: int, seed: int) -> Evaluation:
    """One evaluation of ``n`` prompts by a freshly drawn team of raters."""
    rng = np.random.default_rng(seed)
    severity = rng.normal(0, SEVERITY_SD, RATERS)
    item, rater, score = draw_scores(rng, n, severity)
    d = len(DIMS)
    ratings = pd.DataFrame(
        {
            "item_id": np.repeat(item + 1, d),
            "rater": np.repeat(np.array([f"r{r}" for r in range(RATERS)])[rater], d),
            "dimension": np.tile(DIMS, len(item)),
            "score": score.ravel(),
        }
    )
    items = pd.DataFrame(
        {"item_id": np.arange(1, n + 1), "model": "m", "sample_id": [f"p{i}" for i in range(n)]}
    )
    return Evaluation(ratings, items, conditional_mean(severity), unconditional_mean())


def interval(ev: Evaluation, resamples: int = 1000, seed: int = 0) -> tuple[float, float]:
    """The model's composite 95% bootstrap interval, as the product computes it."""
    report = compute(ev.ratings, ev.items, dimensions=DIMS, resamples=resamples, seed=seed)
    ci = report.model("m").means["composite"].ci
    return ci.low, ci.high


def coverage(n: int, runs: int, seed: int = 0, resamples: int = 1000) -> dict:
    """How often the interval covers each true mean over ``runs`` seeded evaluations."""
    hit_c = hit_u = 0
    for run in range(runs):
        ev = simulate(n, seed=seed * 1_000_003 + run)
        low, high = interval(ev, resamples, seed=run)
        hit_c += low <= ev.conditional <= high
        hit_u += low <= ev.unconditional <= high
    out = {"n": n, "runs": runs}
    for name, hits in (("conditional", hit_c), ("unconditional", hit_u)):
        p = hits / runs
        out[name] = p
        out[f"{name}_se"] = float(np.sqrt(p * (1 - p) / runs))
    return out


def main(argv: list[str]) -> None:
    runs = int(argv[1]) if len(argv) > 1 else 1000
    sizes = [int(a) for a in argv[2:]] or [30, 100, 300]
    print(__doc__.split("\n\n")[0])
    print(
        f"raters: pool of {RATERS}, severity sd {SEVERITY_SD}, noise sd {NOISE_SD}, 2-3 per item;"
        f" prompts: quality N({MU}, {TAU}), item x dimension sd {SPECIFIC_SD}; {runs} runs each"
    )
    print("conditional target: the mean these raters would give over all prompts (exact);")
    print("unconditional target: also averaged over rater teams "
          f"(= {unconditional_mean():.4f}), which the interval does not resample")  # fmt: skip
    for n in sizes:
        start = time.perf_counter()
        c = coverage(n, runs)
        print(
            f"n = {n:4d}: covers the conditional mean {c['conditional']:.1%}"
            f" (MC se {c['conditional_se']:.1%}), the unconditional mean"
            f" {c['unconditional']:.1%} (MC se {c['unconditional_se']:.1%})"
            f"  [{time.perf_counter() - start:.0f} s]"
        )


if __name__ == "__main__":
    main(sys.argv)
