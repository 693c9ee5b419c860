"""Use case: one rater judging comparisons side by side, blind, each judgment committed
the moment it is given.

A side-by-side session belongs to a rater's scoring session (``RaterSession``): it shares
its file, rater and lock (one window per rater and file). It reads only the two answers'
texts and this rater's own judgments and notes (``ComparisonsRepo.blind`` and ``own_*``),
so a model's name or another rater's verdict cannot reach the screen. A judgment is given
by side (left / same / right / both bad) and stored by model order with the side the
rater saw on the left, which ``assign`` chose (balanced per rater) or, without an
assignment, ``team.sides.balanced_left`` chooses the same way.

Changes go through an ordered queue as in the scoring session: without ``keep_unsaved``
a change that cannot be written raises and is dropped; with it (the rater's window) the
change waits, is shown as given, and ``failure`` says why until it is written.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.side_by_side import (
    DIMENSIONS_KEY,
    OVERALL,
    SCALE_KEY,
    Choice,
    choice_of,
    outcome_of,
)
from annotator.core.storage import MetaRepo
from annotator.core.storage.comparisons import BlindPair, ComparisonsRepo
from annotator.core.storage.errors import converted
from annotator.core.storage.patience import failure_kind, ready_for_write, waiting_at_most
from annotator.core.usecases.session import WAIT_MS, RaterSession, session_order
from annotator.core.usecases.session_writes import Unsaved
from annotator.core.usecases.team.seal import project_secret
from annotator.core.usecases.team.sides import balanced_left

_WRITE_ERRORS = (AnnotatorError, OSError)


@dataclass(frozen=True, eq=False)
class _Change:
    """One judgment (``choice`` None takes it back) or a note (comment/flag/seconds)."""

    comparison_id: int
    dimension: str | None = None
    choice: Choice | None = None
    origin: str = "app"
    comment: str | None = None
    flag: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class PairState:
    """What the comparison list shows: how far the rater got, and their notes."""

    judged: int
    total: int
    flagged: bool
    commented: bool

    @property
    def done(self) -> bool:
        return self.judged >= self.total


class ComparisonSession:
    """A rater's comparisons in their order, their own judgments only."""

    def __init__(self, scoring: RaterSession):
        self.scoring = scoring
        self.db, self.rater, self.rater_id = scoring.db, scoring.rater, scoring.rater_id
        with converted(self.db.path):
            self._repo = ComparisonsRepo(self.db.conn)
            meta = MetaRepo(self.db.conn)
            self.scale = 5 if meta.get(SCALE_KEY) == "5" else 3
            keys = scoring.rubric.keys if meta.get(DIMENSIONS_KEY) == "1" else []
            self.dimensions: list[str] = [OVERALL, *keys]
            self._sides = self._repo.sides()
            self._left = self._lefts(meta.get("kind") == "package")
            self.order: list[int] = session_order(self.db, self.rater, list(self._left))
            self._judged = self._repo.own_judgments(self.rater_id)
            notes = self._repo.own_notes(self.rater_id)
            self._notes = {k: (v[0], v[1]) for k, v in notes.items()}
            self._seconds = {k: v[2] for k, v in notes.items()}
        self._position = {cid: n for n, cid in enumerate(self.order)}
        self._undo: list[tuple[int, str, Choice | None, _Change]] = []
        self._queue: list[_Change] = []
        self.keep_unsaved = False
        self.failure: Unsaved | None = None

    def _lefts(self, package: bool) -> dict[int, int]:
        """comparison id -> the item on the left, for this rater's comparisons."""
        assigned = self._repo.assigned(self.rater_id)
        if assigned:
            return assigned
        listing = self._repo.listing()
        rows = [(cid, a, b, (ma, mb)) for cid, _, _, a, b, ma, mb in listing]
        secret = None if package else project_secret(self.db)
        return balanced_left(secret, self.rater, rows)

    # -- reading -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.order)

    def pair(self, index: int) -> BlindPair:
        cid = self.order[index]
        with converted(self.db.path):
            return self._repo.blind(cid, self._left[cid])

    def index_of(self, comparison_id: int) -> int:
        return self._position[comparison_id]

    def judgments(self, comparison_id: int) -> dict[str, Choice]:
        """dimension ("" overall) -> this rater's choice, waiting changes included."""
        a = self._sides[comparison_id][0]
        left = self._left[comparison_id]
        found = {
            dim: choice_of(outcome, strength, left, a)
            for dim, (outcome, strength) in self._judged.get(comparison_id, {}).items()
        }
        for change in self._queue:
            if change.comparison_id == comparison_id and change.dimension is not None:
                if change.choice is None:
                    found.pop(change.dimension, None)
                else:
                    found[change.dimension] = change.choice
        return found

    def note(self, comparison_id: int) -> tuple[str, str]:
        """(comment, flag) of this rater on the comparison."""
        return self._notes.get(comparison_id, ("", ""))

    def seconds(self, comparison_id: int) -> float:
        """Seconds this rater spent on the comparison, over every visit."""
        return self._seconds.get(comparison_id, 0.0) + sum(
            c.seconds for c in self._queue if c.comparison_id == comparison_id
        )

    def state(self, index: int) -> PairState:
        cid = self.order[index]
        comment, flag = self.note(cid)
        judged = len(self.judgments(cid))
        return PairState(judged, len(self.dimensions), bool(flag), bool(comment))

    def done_count(self) -> int:
        return sum(1 for n in range(len(self.order)) if self.state(n).done)

    def next_unjudged(self, start: int = 0) -> int | None:
        """The first index at or after ``start`` (wrapping) not judged on every dimension."""
        n = len(self.order)
        for k in range(n):
            if not self.state((start + k) % n).done:
                return (start + k) % n
        return None

    def unsaved_count(self) -> int:
        return len(self._queue)

    # -- writing ------------------------------------------------------------------------------
    def judge(self, comparison_id: int, choice: Choice, dimension: str = OVERALL) -> None:
        """Give a judgment (a side, the same, or both bad) on one dimension ("" overall)."""
        if dimension not in self.dimensions:
            raise ValueError(f"{dimension!r} is not judged in this project")
        if choice.strength is not None and self.scale != 5:
            raise ValueError("this project judges on three levels: no strength")
        previous = self.judgments(comparison_id).get(dimension)
        change = _Change(comparison_id, dimension, choice, self.scoring.origin)
        self._submit(change)
        self._undo.append((comparison_id, dimension, previous, change))

    def undo(self) -> tuple[int, str, Choice | None] | None:
        """Take back the last judgment of this session; (comparison, dimension, restored)."""
        if not self._undo:
            return None
        cid, dimension, previous, change = self._undo.pop()
        if self._queue and self._queue[-1] is change:
            self._queue.pop()
            self._settled()
        else:
            try:
                self._submit(_Change(cid, dimension, previous, "undo"))
            except BaseException:
                self._undo.append((cid, dimension, previous, change))
                raise
        return cid, dimension, previous

    def set_comment(self, comparison_id: int, comment: str) -> None:
        self._submit(_Change(comparison_id, comment=comment))
        self._notes[comparison_id] = (comment, self.note(comparison_id)[1])

    def set_flag(self, comparison_id: int, flag: str) -> None:
        self._submit(_Change(comparison_id, flag=flag))
        self._notes[comparison_id] = (self.note(comparison_id)[0], flag)

    def add_time(self, comparison_id: int, seconds: float) -> None:
        """Count time on a comparison (written with the change, in the same commit)."""
        if seconds > 0:
            self._submit(_Change(comparison_id, seconds=seconds))

    def save_pending(self) -> bool:
        """Try again to write every waiting change, in order; True when none is left."""
        if self._queue:
            self._flush_or_keep()
        return not self._queue

    def _submit(self, change: _Change) -> None:
        self._queue.append(change)
        try:
            self._flush_or_keep()
        except BaseException:
            self._queue.remove(change)
            raise

    def _flush_or_keep(self) -> None:
        try:
            self._flush()
        except _WRITE_ERRORS as exc:
            if not self.keep_unsaved:
                raise
            self.failure = Unsaved(failure_kind(exc), str(exc), len(self._queue))

    def _flush(self) -> None:
        changes = list(self._queue)
        with converted(self.db.path), self._patience():
            if self.keep_unsaved:
                ready_for_write(self.db.conn)  # a failed commit on a full disk can linger
            with self.db.transaction():
                for change in changes:
                    self._write(change)
        del self._queue[: len(changes)]
        for change in changes:
            self._remember(change)
            if change.seconds:
                cid = change.comparison_id
                self._seconds[cid] = self._seconds.get(cid, 0.0) + change.seconds
        self._settled()

    def _patience(self):
        """In the window (``keep_unsaved``) a locked file is waited for ``WAIT_MS``, not
        SQLite's 3 s: the change waits in the queue instead of freezing the window."""
        if self.keep_unsaved:
            return waiting_at_most(self.db.conn, WAIT_MS)
        return contextlib.nullcontext()

    def _settled(self) -> None:
        if not self._queue:
            self.failure = None
        elif self.failure is not None:
            self.failure = Unsaved(self.failure.kind, self.failure.detail, len(self._queue))

    def _write(self, change: _Change) -> None:
        cid = change.comparison_id
        if change.dimension is None:
            self._repo.set_note(
                cid,
                self.rater_id,
                comment=change.comment,
                flag=change.flag,
                add_seconds=change.seconds,
            )
        elif change.choice is None:
            self._repo.clear_judgment(cid, self.rater_id, change.dimension)
        else:
            left, a = self._left[cid], self._sides[cid][0]
            self._repo.set_judgment(
                cid,
                self.rater_id,
                change.dimension,
                outcome_of(change.choice, left, a),
                change.choice.strength,
                left,
                change.origin,
            )

    def _remember(self, change: _Change) -> None:
        """What the file now holds, for the reads that follow (no query per key press)."""
        if change.dimension is None:
            return
        own = self._judged.setdefault(change.comparison_id, {})
        if change.choice is None:
            own.pop(change.dimension, None)
        else:
            left, a = self._left[change.comparison_id], self._sides[change.comparison_id][0]
            own[change.dimension] = (outcome_of(change.choice, left, a), change.choice.strength)
