"""Checks of a returned package's scores, notes and times (untrusted values).

Each value is checked for what the app writes before it is believed: a score is a whole
number of the scale on a dimension of the rubric, on an item the package hands out for
scoring; a note is text, text and seconds; a time is a real past time (else the merge
time is used, so a time from the future never shadows the rater's later re-scores).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.models import SCORES
from annotator.core.storage import Database, RubricRepo, utcnow
from annotator.core.usecases.team.merge import Note, Score

# Clocks of raters' laptops are off by a little; beyond this a time is from the future.
CLOCK_SKEW = timedelta(minutes=5)
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class Clock:
    """Merge time, and the times in the package that had to be replaced by it."""

    def __init__(self) -> None:
        self.now = utcnow()
        self.latest = datetime.now(UTC) + CLOCK_SKEW
        self.clamped = 0

    def time(self, value: object) -> str:
        """A time of the package as stored, or the merge time if it is not a real past time."""
        if isinstance(value, str) and _TIME.fullmatch(value):
            try:
                when = datetime.strptime(value, _TIME_FORMAT).replace(tzinfo=UTC)
            except ValueError:
                when = None
            if when is not None and when <= self.latest:
                return value
        self.clamped += 1
        return self.now


def sound_note(comment: object, flag: object, seconds: object) -> bool:
    """True for a note the app writes: a comment and a flag as text, finite seconds >= 0."""
    return (
        isinstance(comment, str)
        and isinstance(flag, str)
        and type(seconds) in (int, float)
        and math.isfinite(seconds)
        and seconds >= 0
    )


def package_scores(
    db: Database,
    raw: list,
    to_project: dict,
    blind: dict,
    clock: Clock,
    file: str,
    scored: set | None = None,
) -> list[Score]:
    """The package's scores in project terms; each one a whole number on a known dimension.

    ``scored``: the package rows handed out for scoring (None: all of them); the others
    are in the package only for a side-by-side comparison.
    """
    dims = set(RubricRepo(db.conn).ids())
    problems: list[Problem] = []
    scores: list[Score] = []
    for pid, dim, score, at in raw:
        where = blind.get(pid, str(pid))
        if pid not in to_project:
            problems.append(
                Problem(
                    Message(
                        "a score is given to row {row}, which is not an item of the package",
                        row=pid,
                    ),
                    file=file,
                )
            )
        elif scored is not None and pid not in scored:
            problems.append(
                Problem(
                    Message(
                        'item "{item}" is in the package only for a side-by-side comparison, '
                        "not to be scored; its scores are not accepted",
                        item=where,
                    ),
                    file=file,
                )
            )
        elif dim not in dims:
            problems.append(
                Problem(
                    Message(
                        'item "{item}": the package scores dimension "{dimension}", which this '
                        "project's rubric does not have",
                        item=where,
                        dimension=dim,
                    ),
                    file=file,
                )
            )
        elif type(score) is not int or score not in SCORES:
            problems.append(
                Problem(
                    Message(
                        'item "{item}", dimension "{dimension}": {value} is not a score (a '
                        "whole number from {low} to {high})",
                        item=where,
                        dimension=dim,
                        value=repr(score),
                        low=SCORES[0],
                        high=SCORES[-1],
                    ),
                    file=file,
                )
            )
        else:
            scores.append((to_project[pid], dim, score, clock.time(at)))
    if problems:
        raise InputError(problems, file=file)
    return scores


def package_notes(
    raw: list, to_project: dict, blind: dict, clock: Clock, file: str, scored: set | None = None
) -> list[Note]:
    """The package's comments, flags and times spent, each of the kind the app writes,
    on items handed out for scoring (``scored``, None: all)."""
    problems: list[Problem] = []
    notes: list[Note] = []
    for pid, comment, flag, seconds, at in raw:
        sound = (
            pid in to_project
            and (scored is None or pid in scored)
            and sound_note(comment, flag, seconds)
        )
        if not sound:
            problems.append(
                Problem(
                    Message(
                        'item "{item}": the comment, flag or time spent is not one the app '
                        "writes (text, text, seconds)",
                        item=blind.get(pid, str(pid)),
                    ),
                    file=file,
                )
            )
            continue
        notes.append((to_project[pid], comment, flag, float(seconds), clock.time(at)))
    if problems:
        raise InputError(problems, file=file)
    return notes
