"""The judgments frame of the side-by-side statistics, checked once and held as arrays.

Every refusal names the frame's row (its index label), so a lead can find the judgment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.stats.data import refused

OVERALL = ""  # the dimension of an overall judgment
OUTCOMES = ("a", "b", "tie", "both_bad")
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


def _problems(df: pd.DataFrame) -> list[Problem]:
    """Row-addressed problems of the frame (empty cells, unknown outcomes, bad ``left``)."""
    problems = []
    for column in COLUMNS:
        blank = df[column].isna() | (df[column].astype(str).str.strip() == "")
        if column == "dimension":
            blank = df[column].isna()
        for label in df.index[blank.to_numpy()]:
            problems.append(
                Problem(Message("judgments: column {column} is empty", column=column), row=label)
            )
    outcome = df["outcome"].astype(str)
    for label, value in outcome[~outcome.isin(OUTCOMES) & df["outcome"].notna()].items():
        problems.append(
            Problem(
                Message(
                    "judgments: unknown outcome {outcome}; expected a, b, tie or both_bad",
                    outcome=repr(value),
                ),
                row=label,
            )
        )
    a, b, left = (df[c].astype(str) for c in ("model_a", "model_b", "left"))
    for label in df.index[((left != a) & (left != b)).to_numpy()]:
        problems.append(
            Problem(
                Message("judgments: left {left} is neither model_a nor model_b", left=left[label]),
                row=label,
            )
        )
    for label in df.index[(a == b).to_numpy()]:
        problems.append(
            Problem(
                Message("judgments: model {model} is compared with itself", model=a[label]),
                row=label,
            )
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
