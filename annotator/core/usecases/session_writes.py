"""What a rater changed that is not in the file yet, and why.

A rater's window keeps every change it could not write (the file locked by another
program, the disk full) in an ordered queue and writes the whole queue, in order, in
one transaction when it can. Until then the session shows the rater their own work
as if it were saved: these helpers lay the queue over what was read from the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage.patience import DISK_FULL, LOCKED, OTHER, READ_ONLY
from annotator.core.storage.rater_names import rater_key

__all__ = ["DISK_FULL", "LOCKED", "OTHER", "READ_ONLY", "Unsaved", "Write", "overlay_scores"]


@dataclass(frozen=True, eq=False)
class Write:
    """One change a rater made. Compared by identity: two equal scores are two writes.

    A score when ``dimension`` is set (``score`` None takes it back); otherwise a note
    (``comment`` and/or ``flag``; None leaves that part as it is).
    """

    item_id: int
    dimension: str | None = None
    score: int | None = None
    origin: str = "app"
    comment: str | None = None
    flag: str | None = None

    @property
    def is_score(self) -> bool:
        return self.dimension is not None


@dataclass(frozen=True)
class Unsaved:
    """Why the waiting changes are not in the file.

    Attributes:
        kind: LOCKED, DISK_FULL, READ_ONLY or OTHER.
        detail: the error as SQLite or the system said it (for OTHER).
        count: how many changes are waiting.
    """

    kind: str
    detail: str
    count: int


def overlay_scores(stored: dict[str, int], queue: list[Write], item_id: int) -> dict[str, int]:
    """The scores of ``item_id`` the rater sees: ``stored`` with the waiting writes applied."""
    scores = dict(stored)
    for write in queue:
        if write.item_id != item_id or not write.is_score:
            continue
        if write.score is None:
            scores.pop(write.dimension, None)
        else:
            scores[write.dimension] = write.score
    return scores


def overlay_note(comment: str, flag: str, queue: list[Write], item_id: int) -> tuple[str, str]:
    """The comment and flag of ``item_id`` with the waiting writes applied."""
    for write in queue:
        if write.item_id == item_id and not write.is_score:
            comment = comment if write.comment is None else write.comment
            flag = flag if write.flag is None else write.flag
    return comment, flag


def waiting_dimensions(queue: list[Write], item_id: int) -> set[str]:
    """Dimensions of ``item_id`` whose score (or its removal) is not in the file yet."""
    return {w.dimension for w in queue if w.item_id == item_id and w.is_score}


def refuse_rater(rater: str, package_rater: str | None) -> None:
    """Refuse an empty name, or another rater than a package's (in any spelling of theirs).

    Raises:
        AnnotatorError: no name, or not the package's rater.
    """
    if not rater.strip():
        raise AnnotatorError(Message("a rater needs a name"))
    if package_rater and rater_key(rater) != rater_key(package_rater):
        raise AnnotatorError(
            Message(
                'this package is for rater "{package_rater}", not "{rater}"',
                package_rater=package_rater,
                rater=rater,
            )
        )
