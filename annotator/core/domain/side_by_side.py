"""The words of a side-by-side (GSB) judgment, as a rater gives it and as it is stored.

A rater chooses by *side* (the answer on the left, on the right, the same, both
unacceptable); the project stores the *outcome* by model order (``a`` is the candidate's
answer, ``b`` the other's), so the side each answer was shown on never changes what a
judgment means. ``strength`` 2 is "much better" on the optional five-level scale.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.domain.message import Message

LEFT, RIGHT, SAME, BOTH_BAD = "left", "right", "tie", "both_bad"
CHOICES = (LEFT, SAME, RIGHT, BOTH_BAD)
OUTCOMES = ("a", "b", "tie", "both_bad")
OVERALL = ""  # the dimension of an overall judgment
SCALE_KEY = "sbs_scale"  # project setting: 3 (A better / same / B better) or 5 levels
DIMENSIONS_KEY = "sbs_dimensions"  # project setting: "1" asks per rubric dimension too


@dataclass(frozen=True)
class Choice:
    """One judgment as the rater sees it: a side (``CHOICES``) and, for a side, a strength."""

    side: str
    strength: int | None = None  # 1 better, 2 much better (five-level scale); None otherwise

    def __post_init__(self):
        if self.side not in CHOICES:
            raise ValueError(f"{self.side!r} is not one of {', '.join(CHOICES)}")
        if self.strength not in (None, 1, 2) or (
            self.strength is not None and self.side not in (LEFT, RIGHT)
        ):
            raise ValueError(f"strength {self.strength!r} does not fit {self.side!r}")


def outcome_of(choice: Choice, left_item: int, item_a: int) -> str:
    """The stored outcome of a choice, given which item was shown on the left."""
    if choice.side in (SAME, BOTH_BAD):
        return choice.side
    left_is_a = left_item == item_a
    return "a" if (choice.side == LEFT) == left_is_a else "b"


def choice_of(outcome: str, strength: int | None, left_item: int, item_a: int) -> Choice:
    """The side a stored outcome was given on, for the rater who saw ``left_item`` left."""
    if outcome in (SAME, BOTH_BAD):
        return Choice(outcome)
    left_is_a = left_item == item_a
    return Choice(LEFT if (outcome == "a") == left_is_a else RIGHT, strength)


def level_labels(scale: int) -> list[tuple[Choice, Message]]:
    """The levels a rater can give, left to right on screen, with their anchor words."""
    if scale == 5:
        return [
            (Choice(LEFT, 2), Message("A much better")),
            (Choice(LEFT, 1), Message("A better")),
            (Choice(SAME), Message("About the same")),
            (Choice(RIGHT, 1), Message("B better")),
            (Choice(RIGHT, 2), Message("B much better")),
            (Choice(BOTH_BAD), Message("Both unacceptable")),
        ]
    return [
        (Choice(LEFT), Message("A better")),
        (Choice(SAME), Message("About the same")),
        (Choice(RIGHT), Message("B better")),
        (Choice(BOTH_BAD), Message("Both unacceptable")),
    ]
