"""How a rater session gets its queue of changes into the file: now, or on a writer thread.

Every change joins the queue and the head of the queue is written, in order, in one
transaction. Without ``keep_unsaved`` a change that cannot be written leaves the queue
again and its error is raised (the caller's operation did nothing); with it, the change
waits, the session shows it as given, and ``failure`` says why.

By default a write commits before the method returns (the CLI, scripts, tests). The
rater's window calls ``start_writer``: a write then returns at once, one thread commits
the batches in order, and ``settle`` (on the window's thread) takes each outcome in.
A change leaves the queue only once a commit that holds it has returned, so until then
every read lays it over the file and the window says "Saving…", never "Saved".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.domain.errors import AnnotatorError
from annotator.core.storage import RatingsRepo
from annotator.core.storage.errors import converting
from annotator.core.storage.patience import failure_kind, ready_for_write
from annotator.core.usecases.session_writer import Batch, SessionWriter
from annotator.core.usecases.session_writes import Unsaved, Write, overlay_scores

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from annotator.core.storage import Database

# What can keep a write from the file: a lock, a full or read-only disk, a vanished file
# (every read and write of the file runs in ``_patience``: SQLite's errors arrive as ours).
WRITE_ERRORS = (AnnotatorError, OSError)


@converting(lambda session: session.db.path)
class SessionSaving:
    """The writing half of ``RaterSession`` (which sets the attributes used here)."""

    db: Database
    rater_id: int
    keep_unsaved: bool
    failure: Unsaved | None
    _dim_ids: dict[str, int]
    _queue: list[Write]
    _pending_time: dict[int, float]
    _last_time_flush: float
    _read_scores: dict[int, dict[str, int]]
    _writer: SessionWriter | None = None
    _in_flight: Batch | None = None

    def _patience(self, wait_ms: int | None = None) -> AbstractContextManager[None]: ...

    # -- the window's writer thread ------------------------------------------------------------
    def start_writer(self, notify: Callable[[], None]) -> None:
        """Commit on a writer thread from now on; changes that fail wait (``keep_unsaved``).

        Args:
            notify: called on the writer thread after each commit or failure; the owner
                then calls ``settle()`` on its own thread (a queued signal, not a widget).
        """
        self.keep_unsaved = True
        if self._writer is None:
            self._writer = SessionWriter(self._commit, notify)

    @property
    def saving(self) -> bool:
        """True while a commit is in flight on the writer thread."""
        return self._in_flight is not None

    def settle(self) -> bool:
        """Take in what the writer finished; send what waits behind it. True if any finished.

        Call it on the thread that makes the changes (the window's), never the writer's.
        """
        if self._writer is None:
            return False
        outcomes = self._writer.finished()
        for batch, error in outcomes:
            self._finish(batch, error)
        if outcomes and self.failure is None:
            self._send(None)  # keys pressed during the commit: their commit, in order
        return bool(outcomes)

    def stop_writer(self) -> None:
        """Commit what is in flight and what waits behind it (one attempt), then end the
        thread (closing the window). Later writes are committed before they return."""
        if self._writer is not None:
            self._collect()
            if self._queue or self._pending_time:
                self._send(None)
                self._collect()
            self._writer.stop()
            self._writer = None

    def _send(self, wait_ms: int | None) -> None:
        """Hand the queue and the time counted to the writer, unless a commit is in flight."""
        if self._writer is None or self._in_flight is not None:
            return
        if not self._queue and not self._pending_time:
            return
        batch = Batch(tuple(self._queue), dict(self._pending_time), wait_ms)
        self._pending_time.clear()  # counted again on top if the batch fails
        self._in_flight = batch
        self._writer.send(batch)

    def _collect(self) -> None:
        """Wait for the commit in flight (if any) and take its outcome in."""
        while self._in_flight is not None and self._writer is not None:
            for batch, error in self._writer.finished(block=True):
                self._finish(batch, error)

    def _finish(self, batch: Batch, error: BaseException | None) -> None:
        self._in_flight = None
        if error is None:
            self._written(batch.writes)
            return
        for item_id, seconds in batch.times.items():
            self._pending_time[item_id] = self._pending_time.get(item_id, 0.0) + seconds
        if self._queue:  # time alone waits silently for the next write
            self.failure = Unsaved(failure_kind(error), str(error), len(self._queue))

    def in_flight(self, write: Write) -> bool:
        """True when ``write`` is in the commit the writer is making (it cannot be dropped)."""
        return self._in_flight is not None and any(w is write for w in self._in_flight.writes)

    # -- writing -------------------------------------------------------------------------------
    def flush_time(self) -> None:
        """Write the time counted since the last write (on close, and now and then)."""
        if self._pending_time:
            self._flush_or_keep(None)

    def save_pending(self, wait_ms: int | None = None) -> bool:
        """Try again to write every waiting change, in order; True when none is left.

        With the writer thread, ``wait_ms`` None sends the queue and returns at once (the
        window's retry timer); a ``wait_ms`` waits for the commit in flight and then for
        one more attempt (closing the window).

        Args:
            wait_ms: how long to wait for a lock (default ``WAIT_MS``); closing the window
                waits longer.
        """
        if self._writer is not None:
            self.settle()
            if wait_ms is None:
                self._send(None)
                return not self._queue
            self._collect()
            if self._queue or self._pending_time:
                self._send(wait_ms)
                self._collect()
            return not self._queue
        if self._queue or self._pending_time:
            self._flush_or_keep(wait_ms)
        return not self._queue

    def _submit(self, write: Write) -> None:
        self._queue.append(write)
        if self._writer is not None:
            self._send(None)
            return
        try:
            self._flush_or_keep(None)
        except BaseException:
            self._queue.remove(write)
            raise

    def _flush_or_keep(self, wait_ms: int | None) -> None:
        """Write the queue; raise its error, or with ``keep_unsaved`` record it in ``failure``."""
        if self._writer is not None:
            self._send(wait_ms)
            return
        batch = Batch(tuple(self._queue), dict(self._pending_time), wait_ms)
        try:
            self._commit(batch)
        except WRITE_ERRORS as exc:
            if not self.keep_unsaved:
                raise
            if self._queue:  # time alone waits silently for the next write
                self.failure = Unsaved(failure_kind(exc), str(exc), len(self._queue))
            return
        self._pending_time.clear()
        self._written(batch.writes)

    def _written(self, writes: tuple[Write, ...]) -> None:
        """A commit holding ``writes`` (the head of the queue) has returned."""
        assert all(a is b for a, b in zip(writes, self._queue, strict=False))
        del self._queue[: len(writes)]
        for write in writes:  # what was read before is now what the file holds
            if write.is_score and write.item_id in self._read_scores:
                self._read_scores[write.item_id] = overlay_scores(
                    self._read_scores[write.item_id], [write], write.item_id
                )
        self._last_time_flush = time.monotonic()
        self._settled()

    def _settled(self) -> None:
        if not self._queue:
            self.failure = None
        elif self.failure is not None:
            self.failure = Unsaved(self.failure.kind, self.failure.detail, len(self._queue))

    def _commit(self, batch: Batch) -> None:
        """One transaction with the batch's changes and time, on the calling thread's
        connection (the writer thread has its own: ``Database.conn`` is per thread)."""
        with self._patience(batch.wait_ms):
            if self.keep_unsaved:
                ready_for_write(self.db.conn)  # a failed commit on a full disk can linger
            ratings = RatingsRepo(self.db.conn)
            with self.db.transaction():
                for write in batch.writes:
                    self._write(ratings, write)
                for item_id, seconds in batch.times.items():
                    ratings.set_annotation(item_id, self.rater_id, add_seconds=seconds)

    def _write(self, ratings: RatingsRepo, write: Write) -> None:
        """Inside a transaction: one change."""
        if not write.is_score:
            ratings.set_annotation(
                write.item_id, self.rater_id, comment=write.comment, flag=write.flag
            )
        elif write.score is None:
            ratings.clear_score(write.item_id, self.rater_id, self._dim_ids[write.dimension])
        else:
            ratings.set_score(
                write.item_id,
                self.rater_id,
                self._dim_ids[write.dimension],
                write.score,
                write.origin,
            )
