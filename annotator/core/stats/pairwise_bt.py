"""Bradley-Terry ratings of many models from pairwise judgments, with a sample bootstrap.

The likelihood depends on the judgments only through the win matrix ``W`` (``W[i, j]`` =
wins of model i over model j, a tie or both-bad counting as half a win for each side),
so a fit is a few Newton steps on an M x M matrix, never a pass over the judgments. The
bootstrap resamples samples (all judgments of a sample together): each resample's win
matrix is the resample's sample counts times a sparse (samples x cells) matrix, and the
resamples are fitted together as one batch of small Newton problems.

Ratings are on the Elo scale, ``400 * log10(odds)``: a 100-point gap is a win probability
of 1 / (1 + 10 ** (-100 / 400)) = 64%.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from annotator.core.domain.message import Message
from annotator.core.stats.bootstrap import CONFIDENCE, Interval, percentile

if TYPE_CHECKING:
    import scipy.sparse as sp

ANCHOR = 1000.0
ELO = 400.0 / np.log(10.0)  # Elo points per natural-log unit of odds
# Added to every ordered pair of models, each way, when the win graph is not strongly
# connected (a model that never lost or never won, or groups never compared): without it
# the maximum-likelihood strengths run to infinity. 0.01 of a win is a symmetric prior
# (it pulls every pair towards even odds by the same amount) small next to one judgment.
PRIOR_WINS = 0.01
_MAX_STEP = 5.0  # Newton steps are capped so a far start cannot overshoot into overflow
_TOL = 1e-12
_ITERATIONS = 200
_CHUNK = 2_000_000  # resample x sample counts held at once (16 MB)


@dataclass(frozen=True)
class BradleyTerry:
    """Bradley-Terry ratings (Elo scale, ``anchor`` = 1000) and what they rest on.

    Attributes:
        models: the models, in the frame's order of first appearance.
        ratings: one rating per model.
        intervals: the bootstrap interval of each rating (the anchor's is a point).
        win_probability: ``[i][j]`` = predicted probability that model i beats model j.
        prior_wins: 0, or ``PRIOR_WINS`` when the point estimate needed the prior.
        resamples_with_prior: bootstrap resamples that needed the prior.
        judgments: the overall judgments the fit rests on.
    """

    models: tuple[str, ...]
    ratings: tuple[float, ...]
    intervals: tuple[Interval, ...]
    win_probability: tuple[tuple[float, ...], ...]
    anchor: str
    prior_wins: float
    resamples_with_prior: int
    judgments: int
    note: Message | None = None

    def leaderboard(self) -> list[dict]:
        """Models from the highest rating down, ranked 1, 2, ... (equal ratings share a rank)."""
        order = sorted(range(len(self.models)), key=lambda i: (-self.ratings[i], self.models[i]))
        rows, rank, previous = [], 0, None
        for place, i in enumerate(order, start=1):
            if previous is None or not np.isclose(self.ratings[i], previous, atol=1e-9):
                rank, previous = place, self.ratings[i]
            rows.append(
                {
                    "rank": rank,
                    "model": self.models[i],
                    "rating": self.ratings[i],
                    "ci": self.intervals[i].to_dict(),
                }
            )
        return rows

    def to_dict(self, language: str | None = None) -> dict:
        return {
            "scale": "elo",
            "anchor": self.anchor,
            "anchor_rating": ANCHOR,
            "models": list(self.models),
            "leaderboard": self.leaderboard(),
            "win_probability": {
                a: dict(zip(self.models, row, strict=True))
                for a, row in zip(self.models, self.win_probability, strict=True)
            },
            "prior_wins": self.prior_wins,
            "resamples_with_prior": self.resamples_with_prior,
            "judgments": self.judgments,
            "note": self.note.text(language) if self.note is not None else None,
        }


def strongly_connected(wins: np.ndarray) -> np.ndarray:
    """(B,) whether each win matrix (B, M, M) has a finite maximum-likelihood estimate.

    Zermelo's / Hunter's condition: for every split of the models in two groups, some
    model of each group beat some model of the other, i.e. the graph "i beat j" is
    strongly connected. Reachability by repeated squaring: log2(M) batched products.
    """
    m = wins.shape[-1]
    reach = ((wins > 0) | np.eye(m, dtype=bool)).astype(np.float64)
    for _ in range(max(1, int(np.ceil(np.log2(max(m, 2)))))):
        reach = np.minimum(reach @ reach, 1.0)
    return reach.min(axis=(1, 2)) > 0


def fit(wins: np.ndarray) -> np.ndarray:
    """Natural-log strengths (B, M) maximising the likelihood of each win matrix, model 0 at 0.

    Newton's method on the concave log-likelihood with model 0 held at 0 (the strengths
    are defined up to a constant); every matrix must be strongly connected.
    """
    batch, m, _ = wins.shape
    total = wins + wins.transpose(0, 2, 1)
    won = wins.sum(axis=2)
    theta = np.zeros((batch, m))
    if m < 2:
        return theta
    for _ in range(_ITERATIONS):
        p = 1.0 / (1.0 + np.exp(theta[:, None, :] - theta[:, :, None]))  # P(i beats j)
        grad = won - (total * p).sum(axis=2)
        curve = total * p * (1.0 - p)
        neg_hessian = np.eye(m) * curve.sum(axis=2)[:, :, None] - curve
        step = np.linalg.solve(neg_hessian[:, 1:, 1:], grad[:, 1:, None])[:, :, 0]
        biggest = np.abs(step).max(axis=1, keepdims=True)
        step *= np.minimum(1.0, _MAX_STEP / np.maximum(biggest, 1e-300))
        theta[:, 1:] += step
        if biggest.max() < _TOL:
            break
    return theta


def _fit_with_prior(wins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strengths of each matrix, the prior added to those that need it; which needed it."""
    needs = ~strongly_connected(wins)
    if needs.any():
        m = wins.shape[-1]
        wins = wins + needs[:, None, None] * PRIOR_WINS * (1.0 - np.eye(m))
    return fit(wins), needs


def _elo(theta: np.ndarray, anchor: int) -> np.ndarray:
    return ELO * (theta - theta[:, anchor : anchor + 1]) + ANCHOR


def _cells(
    sample: np.ndarray, winner: np.ndarray, loser: np.ndarray, amount: np.ndarray, m: int
) -> sp.csr_matrix:
    """(samples, M * M) sparse: each sample's share of each win-matrix cell."""
    n_samples = int(sample.max()) + 1 if sample.size else 0
    import scipy.sparse as sp  # loaded with judgments only

    return sp.csr_matrix(
        (amount, (sample, winner * m + loser)), shape=(n_samples, m * m), dtype=np.float64
    )


def _sample_counts(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(size, n) how often each of n samples is drawn in each of ``size`` resamples of n."""
    draws = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
    return np.bincount(draws.ravel(), minlength=size * n).reshape(size, n).astype(np.float64)


def bootstrap_ratings(
    per_sample: sp.csr_matrix, m: int, anchor: int, resamples: int, rng: np.random.Generator
) -> tuple[np.ndarray, int]:
    """(resamples, M) ratings of the resampled samples, and how many needed the prior."""
    n = per_sample.shape[0]
    chunk = max(1, min(resamples, _CHUNK // max(n, 1)))
    transposed = per_sample.T.tocsr()
    out, with_prior = [], 0
    for start in range(0, resamples, chunk):
        counts = _sample_counts(n, min(chunk, resamples - start), rng)
        wins = np.asarray(transposed @ counts.T).T.reshape(-1, m, m)
        theta, needs = _fit_with_prior(wins)
        out.append(_elo(theta, anchor))
        with_prior += int(needs.sum())
    return np.concatenate(out), with_prior


def bradley_terry(
    models: tuple[str, ...],
    sample: np.ndarray,
    model_a: np.ndarray,
    model_b: np.ndarray,
    score_a: np.ndarray,
    *,
    anchor: int,
    rng: np.random.Generator,
    resamples: int,
    confidence: float = CONFIDENCE,
) -> BradleyTerry:
    """Ratings from judgments given as codes: sample, both models (indices into ``models``)
    and A's share of the win (1 a, 0.5 tie or both-bad, 0 b)."""
    m = len(models)
    per_sample = _cells(
        np.concatenate([sample, sample]),
        np.concatenate([model_a, model_b]),
        np.concatenate([model_b, model_a]),
        np.concatenate([score_a, 1.0 - score_a]),
        m,
    )
    wins = np.asarray(per_sample.sum(axis=0)).reshape(1, m, m)
    theta, needs = _fit_with_prior(wins)
    ratings = _elo(theta, anchor)[0]
    intervals = tuple(Interval(None, None, confidence, 0) for _ in models)
    with_prior = 0
    if resamples > 0 and per_sample.shape[0] > 1:
        boot, with_prior = bootstrap_ratings(per_sample, m, anchor, resamples, rng)
        intervals = tuple(percentile(boot[:, i], confidence, resamples) for i in range(m))
    gap = ratings[None, :] - ratings[:, None]
    win_probability = 1.0 / (1.0 + 10.0 ** (gap / 400.0))
    note = None
    if needs[0]:
        note = Message(
            "a model never lost or never won against the others (or some were never "
            "compared): each pair of models got {prior} of a win each way so that the "
            "ratings exist",
            prior=PRIOR_WINS,
        )
    elif with_prior:
        note = Message(
            "in {count} of {resamples} resamples a model never lost or never won: there each "
            "pair of models got {prior} of a win each way so that the ratings exist",
            count=with_prior,
            resamples=resamples,
            prior=PRIOR_WINS,
        )
    return BradleyTerry(
        models=models,
        ratings=tuple(float(r) for r in ratings),
        intervals=intervals,
        win_probability=tuple(tuple(float(p) for p in row) for row in win_probability),
        anchor=models[anchor],
        prior_wins=PRIOR_WINS if needs[0] else 0.0,
        resamples_with_prior=with_prior,
        judgments=int(sample.size),
        note=note,
    )
