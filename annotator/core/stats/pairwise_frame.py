"""The judgments frame of the side-by-side statistics, checked once and held as arrays.

Every refusal names the frame's row (its index label), so a lead can find the judgment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.side_by_side import OUTCOMES
from annotator.core.domain.side_by_side import OVERALL as OVERALL  # re-exported
from annotator.core.stats.data import refused

COLUMNS = ("sample_id", "rater", "dimension", "model_a", "model_b", "left", "outcome")


@dataclass(frozen=True)
class Judgments:
    """The judgments as aligned object arrays (one entry per row)."""

    sample_id: np.ndarray
    rater: np.ndarray
    dimension: np.ndarray
    model_a: np.ndarray
    model_b: np.ndarray
    outcome: np.ndarray
    chose_left: np.ndarray  # bool: the outcome names the answer shown on the left

    def select(self, rows: np.ndarray) -> Judgments:
        """The judgments at ``rows`` (a boolean mask or positions)."""
        return Judgments(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))

    def groups(self) -> list[np.ndarray]:
        """Row positions of each (model_a, model_b, dimension), in sorted order."""
        if not len(self.outcome):
            return []
        keys = pd.DataFrame({"a": self.model_a, "b": self.model_b, "d": self.dimension})
        return [np.asarray(v) for _, v in sorted(keys.groupby(["a", "b", "d"]).indices.items())]


def _at(df: pd.DataFrame, mask: np.ndarray, make) -> list[Problem]:
    """One problem per row where ``mask`` holds: ``make(position)`` gives its message.

    Rows are found by position and named by their index label (labels may repeat)."""
    return [Problem(make(int(i)), row=df.index[i]) for i in np.flatnonzero(mask)]


def _problems(df: pd.DataFrame) -> list[Problem]:
    """Row-addressed problems: empty cells, unknown outcomes, a bad ``left``, a model
    against itself, and one rater's second verdict on the same comparison and dimension."""
    problems = []
    for column in COLUMNS:
        blank = df[column].isna().to_numpy().copy()
        if column != "dimension":  # "" is the overall dimension
            blank |= (df[column].astype(str).str.strip() == "").to_numpy()
        problems += _at(
            df, blank, lambda _, c=column: Message("judgments: column {column} is empty", column=c)
        )
    text = {c: df[c].astype(str).to_numpy(dtype=object) for c in COLUMNS}
    outcome, a, b, left = (text[c] for c in ("outcome", "model_a", "model_b", "left"))
    unknown = ~np.isin(outcome, OUTCOMES) & df["outcome"].notna().to_numpy()
    problems += _at(
        df,
        unknown,
        lambda i: Message(
            "judgments: unknown outcome {outcome}; expected a, b, tie or both_bad",
            outcome=repr(outcome[i]),
        ),
    )
    problems += _at(
        df,
        (left != a) & (left != b),
        lambda i: Message("judgments: left {left} is neither model_a nor model_b", left=left[i]),
    )
    problems += _at(
        df,
        a == b,
        lambda i: Message("judgments: model {model} is compared with itself", model=a[i]),
    )
    twice = df.duplicated(["sample_id", "rater", "dimension", "model_a", "model_b"]).to_numpy()
    problems += _at(
        df,
        twice,
        lambda i: Message(
            "judgments: rater {rater} judged this comparison and dimension before",
            rater=text["rater"][i],
        ),
    )
    return problems


def encode(judgments: pd.DataFrame) -> Judgments:
    """Check the frame and hold it as arrays; every problem is refused at once."""
    missing = [c for c in COLUMNS if c not in judgments.columns]
    if missing:
        raise refused(
            Message(
                "{table}: missing column(s) {missing}; expected {expected}",
                table="judgments",
                missing=", ".join(missing),
                expected=COLUMNS,
            )
        )
    df = judgments.loc[:, list(COLUMNS)]
    problems = _problems(df)
    if problems:
        raise InputError(problems)  # it lists the first 20 and counts the rest
    text = {c: df[c].astype(str).to_numpy(dtype=object) for c in COLUMNS}
    outcome, left = text["outcome"], text["left"]
    chose_left = ((outcome == "a") & (left == text["model_a"])) | (
        (outcome == "b") & (left == text["model_b"])
    )
    return Judgments(
        sample_id=text["sample_id"],
        rater=text["rater"],
        dimension=text["dimension"],
        model_a=text["model_a"],
        model_b=text["model_b"],
        outcome=outcome,
        chose_left=np.asarray(chose_left, dtype=bool),
    )
