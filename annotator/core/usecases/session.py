"""Use case: one rater scoring, blind, every score committed the moment it is given
(before the call returns; in the rater's window, on its writer thread: ``session_saving``).

A session only ever reads the texts of items and its own rater's scores: the
queries it runs are ``ItemsRepo.get_blind`` and the ``RatingsRepo.own_*`` methods,
so another rater's scores or an item's model cannot reach the rater's screen.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from annotator.core.domain.models import BlindItem, Rubric
from annotator.core.domain.scoring import FILTERS, FLAG_PRESETS
from annotator.core.storage import Database, ItemsRepo, MetaRepo, RatersRepo, RatingsRepo
from annotator.core.storage.assignments import AssignmentsRepo
from annotator.core.storage.errors import converted, converting
from annotator.core.storage.patience import waiting_at_most
from annotator.core.storage.rubric_repo import RubricRepo
from annotator.core.storage.scoring_lock import ScoringLock
from annotator.core.usecases.session_saving import WRITE_ERRORS as _WRITE_ERRORS
from annotator.core.usecases.session_saving import SessionSaving
from annotator.core.usecases.session_writes import (
    Unsaved,
    Write,
    overlay_note,
    overlay_scores,
    waiting_dimensions,
)
from annotator.core.usecases.team.seal import project_secret, rater_order

__all__ = ["FILTERS", "FLAG_PRESETS", "ItemState", "RaterSession"]

TIME_FLUSH_S = 30.0
# With ``keep_unsaved`` (the rater's window) a locked file is waited for this long per
# attempt, not the 3 s busy timeout: the change waits in the queue instead of the window.
WAIT_MS = 100


@dataclass(frozen=True)
class ItemState:
    """What the item list shows for one item: how far the rater got, and their notes."""

    scored: int
    total: int
    flagged: bool
    commented: bool

    @property
    def done(self) -> bool:
        return self.scored >= self.total


def session_order(db: Database, rater: str, item_ids: list[int]) -> list[int]:
    """The order a rater works in.

    In the lead's project: the rater's own shuffle, keyed with the project's secret
    (``team.seal.rater_order``). A package holds its items already in that order (its
    row ids follow it), and no secret, so there the order is the ids' order.
    """
    if (MetaRepo(db.conn).get("kind") or "project") == "package":
        return sorted(item_ids)
    return rater_order(project_secret(db), rater, item_ids)


@converting(lambda session: session.db.path)
class RaterSession(SessionSaving):
    """A rater's view of a project: their items in their order, their scores only.

    No ``sqlite3.Error`` leaves it: a locked, full, read-only or damaged file raises a
    ``ProjectFileError`` naming it (``storage.errors``).
    """

    def __init__(self, db: Database, rater: str, *, origin: str = "app"):
        self.db = db
        self.rater = rater
        self.origin = origin
        self.lock: ScoringLock | None = None
        with converted(db.path):
            package = (MetaRepo(db.conn).get("kind") or "project") == "package"
            # One window per rater and file (a second is refused, naming the first); a
            # file open for reading only cannot overwrite anything and takes none.
            if db.read_only is None:
                self.lock = ScoringLock.take(db.path, rater, per_rater=not package)
                # Closing the project lets go of it too (a session dropped unclosed does).
                release = weakref.WeakMethod(self.lock.release)
                db.on_close(lambda: (r := release()) is not None and r())
            try:
                self._load(db, rater)
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        """Wait for the writer thread's commit, then let another window in (the lock also
        dies with the process)."""
        self.stop_writer()
        if self.lock is not None:
            self.lock.release()

    def _load(self, db: Database, rater: str) -> None:
        raters = RatersRepo(db.conn)
        self.rater_id = raters.id_for(rater)  # a known rater: nothing to write
        if self.rater_id is None:
            with db.transaction():
                self.rater_id = raters.id_for(rater, create=True)
        # Another spelling of a known rater ("wang  wu" for "Wang Wu") is that rater, under
        # the first spelling: their order, their scores.
        self.rater = rater = raters.display_name(rater) or rater
        self._items = ItemsRepo(db.conn)
        self._ratings = RatingsRepo(db.conn)
        self.rubric: Rubric = RubricRepo(db.conn).load()
        self._dim_ids = RubricRepo(db.conn).ids()
        self._dim_keys = {v: k for k, v in self._dim_ids.items()}
        assigned = AssignmentsRepo(db.conn).items_for(self.rater_id)
        ids = assigned or ([] if MetaRepo(db.conn).get("assigned_only") else self._items.ids())
        self.order: list[int] = session_order(db, rater, ids)
        self._position = {item_id: n for n, item_id in enumerate(self.order)}
        self._scored = self._ratings.own_scored_counts(self.rater_id)
        self._notes = {
            k: (v[0], v[1]) for k, v in self._ratings.own_annotations(self.rater_id).items()
        }
        self._undo: list[tuple[int, str, int | None, Write]] = []
        self._pending_time: dict[int, float] = {}
        self._last_time_flush = time.monotonic()
        # The window sets this: a change that cannot be written waits in ``_queue`` (and is
        # retried in order) instead of raising; without it every write raises as it fails.
        self.keep_unsaved = False
        self.failure: Unsaved | None = None  # why ``_queue`` is not in the file yet
        self._queue: list[Write] = []
        self._read_scores: dict[int, dict[str, int]] = {}  # last read, for a locked file
        self._read_seconds: dict[int, float] = {}
        self._writer = None  # the window's writer thread (``start_writer``)
        self._in_flight = None  # the batch it is committing

    # -- reading -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.order)

    def item(self, index: int) -> BlindItem:
        with self._patience():
            return self._items.get_blind(self.order[index])

    def index_of(self, item_id: int) -> int:
        return self._position[item_id]

    def scores(self, item_id: int) -> dict[str, int]:
        """This rater's scores of the item, including those not in the file yet."""
        if self.failure is not None and item_id in self._read_scores:
            # The file is known not to answer now: no wait per key press for a re-read.
            return overlay_scores(self._read_scores[item_id], self._queue, item_id)
        try:
            with self._patience():
                own = self._ratings.own_scores(item_id, self.rater_id)
            stored = {self._dim_keys[d]: s for d, s in own.items()}
            self._read_scores[item_id] = stored
        except _WRITE_ERRORS:
            # A file locked against reading too (a package under an exclusive lock): what
            # was read before is still true, as nothing but this window writes these rows.
            if not self.keep_unsaved or item_id not in self._read_scores:
                raise
            stored = self._read_scores[item_id]
        return overlay_scores(stored, self._queue, item_id)

    def annotation(self, item_id: int) -> tuple[str, str, float]:
        """(comment, flag, seconds spent) of this rater on the item, waiting changes included."""
        try:
            with self._patience():
                comment, flag, seconds = self._ratings.own_annotation(item_id, self.rater_id)
            self._read_seconds[item_id] = seconds
        except _WRITE_ERRORS:
            if not self.keep_unsaved:
                raise
            comment, flag = self._notes.get(item_id, ("", ""))
            seconds = self._read_seconds.get(item_id, 0.0)
        comment, flag = overlay_note(comment, flag, self._queue, item_id)
        # Time in the commit in flight is counted too (if that commit lands between the
        # read and here it counts twice on screen once; the file counts it once).
        flying = self._in_flight.times.get(item_id, 0.0) if self._in_flight is not None else 0.0
        return comment, flag, seconds + self._pending_time.get(item_id, 0.0) + flying

    def unsaved_dimensions(self, item_id: int) -> set[str]:
        """Dimensions of the item whose latest score is not in the file yet."""
        return waiting_dimensions(self._queue, item_id)

    def unsaved_count(self) -> int:
        """How many changes (scores, taken-back scores, comments, flags) wait to be written."""
        return len(self._queue)

    def state(self, index: int) -> ItemState:
        item_id = self.order[index]
        comment, flag = self._notes.get(item_id, ("", ""))
        return ItemState(
            self._scored.get(item_id, 0), len(self.rubric.dimensions), bool(flag), bool(comment)
        )

    def done_count(self) -> int:
        total = len(self.rubric.dimensions)
        return sum(1 for item_id in self.order if self._scored.get(item_id, 0) >= total)

    def next_unscored(self, start: int = 0) -> int | None:
        """The first index at or after ``start`` (wrapping) whose item is not fully scored."""
        total = len(self.rubric.dimensions)
        n = len(self.order)
        for k in range(n):
            index = (start + k) % n
            if self._scored.get(self.order[index], 0) < total:
                return index
        return None

    def indexes(self, kind: str = "all") -> list[int]:
        """Positions in the rater's order that pass an item-list filter.

        Args:
            kind: one of ``FILTERS``: "all", "unscored" (not every dimension scored),
                "flagged" or "commented".

        Returns:
            The matching indexes, in the rater's order.
        """
        if kind == "all":
            return list(range(len(self.order)))
        if kind == "unscored":
            total = len(self.rubric.dimensions)
            return [n for n, i in enumerate(self.order) if self._scored.get(i, 0) < total]
        if kind in ("flagged", "commented"):
            part = 1 if kind == "flagged" else 0
            return [n for n, i in enumerate(self.order) if self._notes.get(i, ("", ""))[part]]
        raise ValueError(f'unknown filter "{kind}" (one of {", ".join(FILTERS)})')

    def search(self, text: str, start: int = 0, *, backwards: bool = False) -> int | None:
        """The next index (after ``start``, wrapping) whose instruction or generated text
        contains ``text``, ignoring case; None when no item does.

        The query reads the items' instruction and generated texts only, so a search can
        never reach a model name or another rater's work.
        """
        needle = text.strip()
        n = len(self.order)
        if not needle or n == 0:
            return None
        with self._patience():
            hits = self._items.search_texts(needle)  # one query over the texts, no ratings
        if not hits:
            return None
        step = -1 if backwards else 1
        for k in range(1, n + 1):
            index = (start + step * k) % n
            if self.order[index] in hits:
                return index
        return None

    # -- writing (committed by ``SessionSaving``: now, or on the window's writer thread) -------

    def set_score(self, item_id: int, dimension: str, score: int) -> None:
        """Score one dimension of an item (1-5)."""
        if score not in (1, 2, 3, 4, 5):
            raise ValueError(f"{score!r} is not a score from 1 to 5")
        previous = self.scores(item_id).get(dimension)
        write = Write(item_id, dimension, score, self.origin)
        self._submit(write)
        if previous is None:
            self._scored[item_id] = self._scored.get(item_id, 0) + 1
        self._undo.append((item_id, dimension, previous, write))

    def undo(self) -> tuple[int, str, int | None] | None:
        """Take back the last score given in this session; returns (item, dimension, restored).

        A score still waiting to be written is simply dropped from the queue: it never
        reaches the file, and the one before it stays.
        """
        if not self._undo:
            return None
        item_id, dimension, previous, write = self._undo.pop()
        if self._queue and self._queue[-1] is write and not self.in_flight(write):
            self._queue.pop()
            self._settled()
        else:
            try:
                self._submit(Write(item_id, dimension, previous, "undo"))
            except BaseException:
                self._undo.append((item_id, dimension, previous, write))
                raise
        if previous is None:
            self._scored[item_id] = max(0, self._scored.get(item_id, 0) - 1)
        return item_id, dimension, previous

    def set_comment(self, item_id: int, comment: str) -> None:
        self._submit(Write(item_id, comment=comment))
        self._notes[item_id] = (comment, self._notes.get(item_id, ("", ""))[1])

    def set_flag(self, item_id: int, flag: str) -> None:
        self._submit(Write(item_id, flag=flag))
        self._notes[item_id] = (self._notes.get(item_id, ("", ""))[0], flag)

    def add_time(self, item_id: int, seconds: float) -> None:
        """Count time spent on an item. It is written with the next score (one commit, not
        two), by ``flush_time``, or within ``TIME_FLUSH_S`` seconds: moving between items
        then costs no disk sync. Scores never wait."""
        if seconds <= 0:
            return
        self._pending_time[item_id] = self._pending_time.get(item_id, 0.0) + seconds
        if time.monotonic() - self._last_time_flush > TIME_FLUSH_S:
            self.flush_time()

    @contextmanager
    def _patience(self, wait_ms: int | None = None) -> Iterator[None]:
        """A short wait for locks in the window (``keep_unsaved``); SQLite's 3 s otherwise.

        Every read and write of the file runs in it: a ``sqlite3.Error`` leaves as the
        core's own error, naming the file.
        """
        with converted(self.db.path):
            if not self.keep_unsaved and wait_ms is None:
                yield
            else:
                with waiting_at_most(self.db.conn, WAIT_MS if wait_ms is None else wait_ms):
                    yield
