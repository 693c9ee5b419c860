"""The alternative annotator test: may a judge take a human rater's place?

Calderon, Reichart and Dror (2025), "The Alternative Annotator Test for LLM-as-a-Judge".
Each human j is left out in turn. On every unit j scored that the judge and at least one
other human also scored, the judge's alignment S_f and j's alignment S_h with the OTHER
humans are compared: for scores the negative root mean squared difference to the others'
scores, for side-by-side verdicts the share of the others who gave the same verdict.
W_f = 1 when S_f >= S_h and W_h = 1 when S_h >= S_f (a tie counts for both, as in the
paper). With d = W_h - W_f, a one-sided t-test of H0: mean(d) >= epsilon against
H1: mean(d) < epsilon per human (epsilon, the cost-benefit margin, favours the cheaper
judge: 0.2 for expert raters, 0.15 skilled, 0.1 crowd); the Benjamini-Yekutieli procedure
at q over the humans. The winning rate omega is the share of humans whose H0 is rejected
(the judge "wins" against them), the advantage probability rho the mean over humans of
mean(W_f). The judge passes when omega >= 0.5.

The paper's conditions: units with at least 2 humans, humans with at least 30 such units
(others are left out), and (ours, as the issue asks) at least 3 humans tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.domain.message import Message
from annotator.core.stats.jsonsafe import clean
from annotator.core.stats.judge_orders import combine_orders

SCORE, CHOICE = "score", "choice"
Q = 0.05
MIN_HUMANS, MIN_PER_UNIT, MIN_ITEMS = 3, 2, 30
EPSILONS = {"expert": 0.2, "skilled": 0.15, "crowd": 0.1}


@dataclass(frozen=True)
class AltTest:
    """The test on one dimension (``""``: all dimensions pooled, or the overall verdict).

    Per tested human (``humans``, sorted): the units used, the p-value, whether H0 was
    rejected and the judge's advantage (mean W_f). ``missing`` says in words what the data
    lacks when the test could not run (then ``passed`` and the rates are None); ``note``
    names the humans left out for too few units when it could.
    """

    dimension: str
    kind: str
    epsilon: float
    q: float
    humans: tuple[str, ...] = ()
    items_per_human: tuple[int, ...] = ()
    p_values: tuple[float, ...] = ()
    rejected: tuple[bool, ...] = ()
    advantages: tuple[float, ...] = ()
    winning_rate: float | None = None
    advantage_probability: float | None = None
    passed: bool | None = None
    missing: Message | None = None
    note: Message | None = None

    def reading(self, dimension: object | None = None) -> Message:
        """The outcome in words; ``dimension`` is the name to show (a label or a Message)."""
        name = dimension if dimension is not None else self.dimension
        if name == "":  # scores pooled over dimensions; a side-by-side overall verdict
            name = Message("overall") if self.kind == CHOICE else Message("all dimensions")
        if self.passed is None:
            return Message(
                "the alternative annotator test cannot be run on {dimension}: {missing}",
                dimension=name,
                missing=self.missing or Message("not enough data"),
            )
        if self.passed:
            return Message(
                "the judge can replace a rater on {dimension} (omega = {omega:.2f}, "
                "epsilon = {epsilon})",
                dimension=name,
                omega=self.winning_rate,
                epsilon=self.epsilon,
            )
        return Message(
            "the judge cannot replace a rater on {dimension} (omega = {omega:.2f}, "
            "epsilon = {epsilon})",
            dimension=name,
            omega=self.winning_rate,
            epsilon=self.epsilon,
        )

    def to_dict(self, language: str | None = None) -> dict:
        def text(m: Message | None) -> str | None:
            return None if m is None else m.text(language)

        return clean(
            {
                "dimension": self.dimension,
                "kind": self.kind,
                "epsilon": self.epsilon,
                "q": self.q,
                "humans": list(self.humans),
                "items_per_human": list(self.items_per_human),
                "p_values": list(self.p_values),
                "rejected": list(self.rejected),
                "advantages": list(self.advantages),
                "winning_rate": self.winning_rate,
                "advantage_probability": self.advantage_probability,
                "passed": self.passed,
                "missing": text(self.missing),
                "note": text(self.note),
                "reading": self.reading().text(language),
            }
        )


def benjamini_yekutieli(p_values: np.ndarray, q: float = Q) -> np.ndarray:
    """Which hypotheses the Benjamini-Yekutieli step-up procedure rejects at FDR ``q``.

    The k smallest p-values are rejected for the largest k with
    p_(k) <= k q / (m H_m), H_m = 1 + 1/2 + ... + 1/m. A NaN p-value is never rejected.
    """
    p = np.asarray(p_values, dtype=np.float64)
    m = len(p)
    rejected = np.zeros(m, dtype=bool)
    if m == 0:
        return rejected
    order = np.argsort(np.where(np.isnan(p), np.inf, p), kind="stable")
    harmonic = np.sum(1.0 / np.arange(1, m + 1))
    below = p[order] <= np.arange(1, m + 1) * q / (m * harmonic)
    if below.any():
        rejected[order[: np.flatnonzero(below).max() + 1]] = True
    return rejected


def one_sided_p(d: np.ndarray, epsilon: float) -> float:
    """p of H0: mean(d) >= epsilon against mean(d) < epsilon (one-sample t-test).

    With no spread the t statistic is infinite: p is 0 below epsilon and 1 otherwise
    (scipy's limit, without its warning; at mean = epsilon exactly scipy gives NaN).
    """
    mean = float(np.mean(d))
    if np.ptp(d) == 0:
        return 0.0 if mean < epsilon else 1.0
    from scipy.stats import ttest_1samp  # loaded with a judge only

    return float(ttest_1samp(d, epsilon, alternative="less").pvalue)


def _alignment(value, others: np.ndarray, kind: str) -> float:
    if kind == CHOICE:
        return float(np.mean(others == value))
    return -float(np.sqrt(np.mean((others.astype(np.float64) - float(value)) ** 2)))


def _indicators(mine: pd.DataFrame, table: dict, verdict: pd.Series, rater: str, kind: str):
    """W_f and W_h of one left-out human over its units."""
    w_judge, w_human = [], []
    for unit, own in zip(mine["unit"], mine["value"], strict=True):
        others = np.asarray([v for r, v in table[unit] if r != rater], dtype=object)
        s_f = _alignment(verdict[unit], others, kind)
        s_h = _alignment(own, others, kind)
        w_judge.append(s_f >= s_h)
        w_human.append(s_h >= s_f)
    return np.asarray(w_judge, np.float64), np.asarray(w_human, np.float64)


def _too_few(counts: dict[str, int], min_items: int) -> Message:
    short = ", ".join(f"{r} ({n})" for r, n in sorted(counts.items()) if n < min_items)
    return Message(
        "it needs at least 3 human raters with {min_items} or more items also scored by "
        "the judge and by another rater; {tested} have that, too few: {short}",
        min_items=min_items,
        tested=sum(n >= min_items for n in counts.values()),
        short=short or "-",
    )


def alt_test_units(
    human: pd.DataFrame,
    judge: pd.Series,
    *,
    dimension: str,
    epsilon: float,
    kind: str = SCORE,
    q: float = Q,
    min_items: int = MIN_ITEMS,
) -> AltTest:
    """The test on units: the core of ``alt_test`` and ``alt_test_judgments``.

    Args:
        human: one row per human verdict: unit, rater, value (one per rater and unit).
        judge: unit -> the judge's value.
        dimension: the label of the result.
        epsilon: the cost-benefit margin (0.2 expert, 0.15 skilled, 0.1 crowd).
        kind: ``"score"`` (negative RMSE) or ``"choice"`` (accuracy).
        q: the false discovery rate of the Benjamini-Yekutieli correction.
        min_items: units a human needs to be tested (30 in the paper).
    """
    base = {"dimension": dimension, "kind": kind, "epsilon": float(epsilon), "q": q}
    human = human[human["unit"].isin(judge.index)]
    raters = sorted(human["rater"].astype(str).unique())
    if len(raters) < MIN_HUMANS:
        return AltTest(
            **base,
            missing=Message(
                "it needs at least 3 human raters who scored what the judge scored; "
                "there are {count}",
                count=len(raters),
            ),
        )
    per_unit = human.groupby("unit")["rater"].transform("nunique")
    shared = human[per_unit >= MIN_PER_UNIT]
    table: dict = {}
    names = shared["rater"].astype(str)
    for unit, rater, value in zip(shared["unit"], names, shared["value"], strict=True):
        table.setdefault(unit, []).append((rater, value))
    counts = {r: int((shared["rater"].astype(str) == r).sum()) for r in raters}
    tested = [r for r in raters if counts[r] >= min_items]
    if len(tested) < MIN_HUMANS:
        return AltTest(**base, missing=_too_few(counts, min_items))
    p_values, advantages = [], []
    for rater in tested:
        mine = shared[shared["rater"].astype(str) == rater]
        w_judge, w_human = _indicators(mine, table, judge, rater, kind)
        p_values.append(one_sided_p(w_human - w_judge, epsilon))
        advantages.append(float(w_judge.mean()))
    rejected = benjamini_yekutieli(np.asarray(p_values), q)
    omega = float(rejected.mean())
    left_out = [r for r in raters if r not in tested]
    note = None
    if left_out:
        note = Message(
            "left out for fewer than {min_items} items: {raters}",
            min_items=min_items,
            raters=", ".join(f"{r} ({counts[r]})" for r in left_out),
        )
    return AltTest(
        **base,
        humans=tuple(tested),
        items_per_human=tuple(counts[r] for r in tested),
        p_values=tuple(p_values),
        rejected=tuple(bool(x) for x in rejected),
        advantages=tuple(advantages),
        winning_rate=omega,
        advantage_probability=float(np.mean(advantages)),
        passed=omega >= 0.5,
        note=note,
    )


def _score_units(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    if dimension != "":
        frame = frame[frame["dimension"] == dimension]
    unit = frame["item_id"].astype(str) + "\x1f" + frame["dimension"].astype(str)
    return pd.DataFrame({"unit": unit, "rater": frame["rater"], "value": frame["score"]})


def alt_test(
    human: pd.DataFrame,
    judge: pd.DataFrame,
    *,
    dimensions: list[str] | tuple[str, ...],
    epsilon: float = EPSILONS["expert"],
    q: float = Q,
    min_items: int = MIN_ITEMS,
) -> tuple[AltTest, ...]:
    """The test on scores, per dimension and over all of them (``""``, units pooled).

    Args:
        human: the humans' scores, long (item_id, rater, dimension, score).
        judge: one judge's scores, the same columns (a repeated score is averaged).
        dimensions: the dimensions to test, in order; the pooled result follows.
        epsilon, q, min_items: as ``alt_test_units``.
    """
    out = []
    for dimension in (*dimensions, ""):
        units = _score_units(judge, dimension)
        verdict = units.groupby("unit")["value"].mean()
        out.append(
            alt_test_units(
                _score_units(human, dimension),
                verdict,
                dimension=dimension,
                epsilon=epsilon,
                kind=SCORE,
                q=q,
                min_items=min_items,
            )
        )
    return tuple(out)


def _choice_units(frame: pd.DataFrame) -> pd.DataFrame:
    """unit (sample, the two models in either order, dimension) and the verdict named by
    the winning model (or tie / both_bad), so the order a model was listed in is moot."""
    a, b = frame["model_a"].astype(str), frame["model_b"].astype(str)
    first, second = a.where(a <= b, b), b.where(a <= b, a)
    unit = (
        frame["sample_id"].astype(str) + "\x1f" + first + "\x1f" + second + "\x1f"
        + frame["dimension"].astype(str)
    )  # fmt: skip
    outcome = frame["outcome"].astype(str)
    value = np.where(outcome == "a", a, np.where(outcome == "b", b, outcome))
    return pd.DataFrame(
        {"unit": unit, "rater": frame["rater"], "value": value, "dimension": frame["dimension"]}
    )


def combined_verdicts(judge: pd.DataFrame) -> pd.Series:
    """unit -> the judge's verdict over the orders it saw; orders that disagree: a tie."""
    combined = combine_orders(_choice_units(judge), ["unit"], "value")
    return combined.set_index("unit")["value"]


def alt_test_judgments(
    human: pd.DataFrame,
    judge: pd.DataFrame,
    *,
    epsilon: float = EPSILONS["expert"],
    dimensions: list[str] | tuple[str, ...] | None = None,
    q: float = Q,
    min_items: int = MIN_ITEMS,
) -> tuple[AltTest, ...]:
    """The test on side-by-side verdicts (accuracy against the other humans), per dimension.

    Args:
        human: the humans' judgments (sample_id, rater, dimension, model_a, model_b, left,
            outcome), as ``stats.pairwise_frame``.
        judge: one judge's judgments, the same columns, one row per order it saw; two
            orders that disagree count as a tie.
        epsilon, q, min_items: as ``alt_test_units``.
        dimensions: the dimensions to test (``""`` is the overall verdict); by default
            every dimension of ``human``, sorted.
    """
    h = _choice_units(human)
    verdict = combined_verdicts(judge)
    if dimensions is None:
        dimensions = sorted(h["dimension"].astype(str).unique())
    out = []
    for dimension in dimensions:
        mine = h[h["dimension"].astype(str) == dimension]
        out.append(
            alt_test_units(
                mine[["unit", "rater", "value"]],
                verdict,
                dimension=dimension,
                epsilon=epsilon,
                kind=CHOICE,
                q=q,
                min_items=min_items,
            )
        )
    return tuple(out)
