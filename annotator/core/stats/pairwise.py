"""Side-by-side (GSB) statistics: win rates, net scores, agreement, position bias, ratings.

``pairwise_report`` takes the judgments frame of issue 16 (one row per rater's verdict on
one comparison: ``sample_id``, ``rater``, ``dimension`` ("" = overall), ``model_a``,
``model_b``, ``left``, ``outcome`` in a / b / tie / both_bad, ``strength``) and gives,
per (model_a, model_b, dimension):

- counts, the win rate ``(wins + (ties + both_bad) / 2) / judgments`` (both-bad counts as
  a tie, as Chatbot Arena's "tie (bothbad)" does) and the GSB net score
  ``(wins - losses) / judgments``, each with a cluster-bootstrap interval: samples are
  resampled, all judgments of a sample together, since the raters of one sample judge
  the same two answers and are not independent;
- the two-sided sign test on wins against losses (ties and both-bad left out);
- Krippendorff's ordinal alpha on -1 / 0 / +1 (B / tie or both-bad / A), units = samples,
  and the share of rater pairs on the same sample that agree;
- position bias: the share of decisive judgments that chose the answer on the left (pooled
  over the overall judgments when there are any: one screen, one choice);

and, over the overall judgments, Bradley-Terry ratings (``pairwise_bt``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.stats import agreement
from annotator.core.stats.agreement import AlphaResult
from annotator.core.stats.bootstrap import (
    CONFIDENCE,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    Interval,
    percentile,
    resample_counts,
    rng_for,
)
from annotator.core.stats.jsonsafe import clean
from annotator.core.stats.pairwise_bt import BradleyTerry, bradley_terry
from annotator.core.stats.pairwise_frame import OVERALL, Judgments, encode


@dataclass(frozen=True)
class PositionBias:
    """How often a decisive judgment (a or b) chose the answer shown on the left."""

    left: int
    decisive: int
    share: float | None
    p_value: float | None  # two-sided binomial test against 0.5

    def to_dict(self) -> dict:
        return {
            "left": self.left,
            "decisive": self.decisive,
            "share_left": self.share,
            "p_value": self.p_value,
        }


@dataclass(frozen=True)
class PairAgreement:
    """Raters on the same comparison: ordinal alpha on -1/0/+1 and exact agreement."""

    alpha: AlphaResult
    rater_pairs: int
    percent: float | None  # share of rater pairs on the same sample that agree

    def to_dict(self) -> dict:
        return {
            "alpha": self.alpha.to_dict(),
            "rater_pairs": self.rater_pairs,
            "percent": self.percent,
        }


@dataclass(frozen=True)
class PairStats:
    """One (model_a, model_b, dimension): A is the candidate, so "wins" is G in GSB."""

    model_a: str
    model_b: str
    dimension: str
    wins: int
    ties: int
    losses: int
    both_bad: int
    judgments: int
    samples: int
    win_rate: float
    win_rate_ci: Interval
    net: float
    net_ci: Interval
    sign_p: float | None  # two-sided sign test, wins vs losses; None without either
    agreement: PairAgreement
    position: PositionBias

    def to_dict(self) -> dict:
        return {
            "model_a": self.model_a,
            "model_b": self.model_b,
            "dimension": self.dimension,
            "wins": self.wins,
            "ties": self.ties,
            "losses": self.losses,
            "both_bad": self.both_bad,
            "judgments": self.judgments,
            "samples": self.samples,
            "win_rate": self.win_rate,
            "win_rate_ci": self.win_rate_ci.to_dict(),
            "net": self.net,
            "net_ci": self.net_ci.to_dict(),
            "sign_p": self.sign_p,
            "agreement": self.agreement.to_dict(),
            "position_bias": self.position.to_dict(),
        }


@dataclass(frozen=True)
class PairwiseReport:
    """Everything ``pairwise_report`` computes; ``to_dict`` is JSON-safe."""

    pairs: tuple[PairStats, ...]
    position_bias: PositionBias  # every judgment pooled
    bradley_terry: BradleyTerry | None  # None without overall judgments
    baseline: str | None
    seed: int
    resamples: int
    confidence: float

    def pair(self, model_a: str, model_b: str, dimension: str = OVERALL) -> PairStats:
        """The statistics of one pair and dimension; KeyError when it was not judged."""
        for p in self.pairs:
            if (p.model_a, p.model_b, p.dimension) == (model_a, model_b, dimension):
                return p
        raise KeyError((model_a, model_b, dimension))

    def to_dict(self, language: str | None = None) -> dict:
        bt = self.bradley_terry
        return clean(
            {
                "settings": {
                    "baseline": self.baseline,
                    "seed": self.seed,
                    "resamples": self.resamples,
                    "confidence": self.confidence,
                },
                "pairs": [p.to_dict() for p in self.pairs],
                "position_bias": self.position_bias.to_dict(),
                "bradley_terry": bt.to_dict(language) if bt is not None else None,
            }
        )


def _binomial_p(k: int, n: int) -> float | None:
    from scipy.stats import binomtest  # loaded with judgments only (a second per process)

    return float(binomtest(k, n, 0.5, alternative="two-sided").pvalue) if n else None


def _position(chose_left: np.ndarray, decisive: np.ndarray) -> PositionBias:
    n, k = int(decisive.sum()), int((chose_left & decisive).sum())
    return PositionBias(k, n, k / n if n else None, _binomial_p(k, n))


def _rates_ci(
    per_sample: np.ndarray, rng: np.random.Generator, resamples: int, confidence: float
) -> tuple[Interval, Interval]:
    """Cluster-bootstrap intervals of the win rate and the net score.

    ``per_sample`` is (S, 3): each sample's wins, ties + both-bad, losses. Drawing S
    samples with replacement is drawing a multinomial count for each distinct row (a
    sample with 3 raters has one of 10 rows), so a resample costs O(distinct rows).
    """
    none = Interval(None, None, confidence, resamples)
    if resamples <= 0 or len(per_sample) < 2:
        return none, none
    rows, freq = np.unique(per_sample, axis=0, return_counts=True)
    draws = resample_counts(freq.astype(np.float64), len(per_sample), resamples, rng)
    wins, ties, losses = (draws @ rows.astype(np.float64)).T
    n = wins + ties + losses
    win_rate = (wins + ties / 2) / n
    net = (wins - losses) / n
    return percentile(win_rate, confidence, resamples), percentile(net, confidence, resamples)


def _agreement(units: np.ndarray, label: str, rng, resamples: int, confidence) -> PairAgreement:
    """Alpha and exact agreement from each sample's counts of -1 / 0 / +1 (S, 3).

    The counts go into the agreement module's 5-level value counts as levels 1, 2, 3:
    the ordinal metric depends only on the order and the marginals, and levels 4 and 5
    are never used, so alpha is that of -1 / 0 / +1 (the tests check it against the
    ``krippendorff`` package on the raters x samples matrix).
    """
    counts = np.zeros((len(units), agreement.N_LEVELS), np.int64)
    counts[:, :3] = units
    kinds, freq = agreement.patterns(counts)
    alpha = agreement.alpha_from_patterns(kinds, freq, label, "ordinal", rng, resamples, confidence)
    pairs = agreement.pair_agreement(kinds, freq)
    return PairAgreement(alpha, pairs["pairs"], pairs["exact"])


def _pair_stats(group: Judgments, seed: int, resamples: int, confidence: float) -> PairStats:
    """The statistics of the judgments of one (model_a, model_b, dimension)."""
    a, b, dim = group.model_a[0], group.model_b[0], group.dimension[0]
    outcome = group.outcome
    wins, ties = int((outcome == "a").sum()), int((outcome == "tie").sum())
    losses, both_bad = int((outcome == "b").sum()), int((outcome == "both_bad").sum())
    n = len(outcome)
    _, sample = np.unique(group.sample_id, return_inverse=True)
    value = np.where(outcome == "a", 2, np.where(outcome == "b", 0, 1))  # +1 / 0 / -1 as 2/1/0
    units = np.zeros((int(sample.max()) + 1, 3), np.int64)
    np.add.at(units, (sample, value), 1)
    labels = ("pairwise", a, b, dim)
    win_ci, net_ci = _rates_ci(units[:, ::-1], rng_for(seed, *labels), resamples, confidence)
    decisive = outcome != "tie"
    decisive &= outcome != "both_bad"
    return PairStats(
        model_a=a,
        model_b=b,
        dimension=dim,
        wins=wins,
        ties=ties,
        losses=losses,
        both_bad=both_bad,
        judgments=n,
        samples=len(units),
        win_rate=(wins + (ties + both_bad) / 2) / n,
        win_rate_ci=win_ci,
        net=(wins - losses) / n,
        net_ci=net_ci,
        sign_p=_binomial_p(wins, wins + losses),
        agreement=_agreement(
            units, dim, rng_for(seed, "pairwise alpha", a, b, dim), resamples, confidence
        ),
        position=_position(group.chose_left, decisive),
    )


def _ratings(data: Judgments, baseline: str | None, seed, resamples, confidence):
    """Bradley-Terry on the overall judgments (None without any)."""
    overall = data.select(data.dimension == OVERALL)
    if not len(overall.outcome):
        return None
    models = tuple(pd.unique(np.column_stack([overall.model_a, overall.model_b]).ravel()))
    code = {m: i for i, m in enumerate(models)}
    _, sample = np.unique(overall.sample_id, return_inverse=True)
    score = np.where(overall.outcome == "a", 1.0, np.where(overall.outcome == "b", 0.0, 0.5))
    return bradley_terry(
        models,
        sample,
        np.array([code[m] for m in overall.model_a]),
        np.array([code[m] for m in overall.model_b]),
        score,
        anchor=code.get(baseline, 0),
        rng=rng_for(seed, "bradley-terry"),
        resamples=resamples,
        confidence=confidence,
    )


def pairwise_report(
    judgments: pd.DataFrame,
    *,
    baseline: str | None = None,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = CONFIDENCE,
) -> PairwiseReport:
    """The side-by-side statistics of a judgments frame (see the module docstring).

    Args:
        judgments: one row per judgment (issue 16's frame); an empty frame gives an empty
            report.
        baseline: the model rated 1000 by Bradley-Terry; the first model of the overall
            judgments (in the frame's order) when None or when it was not judged.
        seed: every interval's seed (each statistic draws from its own generator).
        resamples: bootstrap resamples of samples (0: no intervals).
        confidence: the intervals' coverage.

    Raises:
        InputError: a missing column, an unknown outcome, a ``left`` that is neither
            model, a model compared with itself, an empty cell (each named by its row).
    """
    data = encode(judgments)
    groups = data.groups()
    pairs = tuple(_pair_stats(data.select(rows), seed, resamples, confidence) for rows in groups)
    decisive = (data.outcome == "a") | (data.outcome == "b")
    # One left/right choice per judged comparison: with per-dimension judgments the same
    # screen would otherwise count up to once per dimension and the test be too sure.
    overall = data.dimension == OVERALL
    if overall.any():
        decisive = decisive & overall
    return PairwiseReport(
        pairs=pairs,
        position_bias=_position(data.chose_left, decisive),
        bradley_terry=_ratings(data, baseline, seed, resamples, confidence),
        baseline=baseline,
        seed=seed,
        resamples=resamples,
        confidence=confidence,
    )
