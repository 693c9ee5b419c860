"""The rater window's writer thread: a session's changes committed off the UI thread.

A commit with ``synchronous = FULL`` waits for the disk (15-28 ms on a busy machine),
longer than a frame. The window hands each batch of changes to one thread that commits
batches in the order they were sent and reports each outcome; the session takes the
outcomes in on its own thread (``RaterSession.settle``), so the status bar says "Saved"
only for what a finished commit holds. Qt-free: ``threading`` and a queue.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.usecases.session_writes import Write

__all__ = ["Batch", "SessionWriter"]


@dataclass(frozen=True, eq=False)
class Batch:
    """What one commit writes: the head of the session's queue, and the time counted.

    Attributes:
        writes: the changes, in the order given.
        times: seconds spent per item, added to what the file holds.
        wait_ms: how long to wait for a lock (None: the session's usual wait).
    """

    writes: tuple[Write, ...]
    times: dict[int, float] = field(default_factory=dict)
    wait_ms: int | None = None


class SessionWriter:
    """One thread that runs ``commit(batch)`` for each batch sent, in order.

    Args:
        commit: writes one batch in one transaction (on the writer thread); raises on
            failure.
        notify: called on the writer thread after each batch, committed or not; the
            owner then calls ``finished()`` on its own thread.
    """

    def __init__(self, commit: Callable[[Batch], None], notify: Callable[[], None]):
        self._commit = commit
        self._notify = notify
        self._jobs: queue.Queue[Batch | None] = queue.Queue()
        self._done: queue.Queue[tuple[Batch, BaseException | None]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="annotator-writer", daemon=True)
        self._thread.start()

    def send(self, batch: Batch) -> None:
        """Queue a batch; it is committed after every batch sent before it."""
        self._jobs.put(batch)

    def finished(self, *, block: bool = False) -> list[tuple[Batch, BaseException | None]]:
        """The outcomes not taken yet, in order: (batch, None) or (batch, its error).

        Args:
            block: wait for at least one outcome (the caller knows one is due).
        """
        outcomes = []
        if block:
            outcomes.append(self._done.get())
        while True:
            try:
                outcomes.append(self._done.get_nowait())
            except queue.Empty:
                return outcomes

    def stop(self) -> None:
        """Let the thread end once it has committed what was sent (waits for it)."""
        self._jobs.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (batch := self._jobs.get()) is not None:
            error: BaseException | None = None
            try:
                self._commit(batch)
            except BaseException as exc:  # kept and reported: the owner decides
                error = exc
            self._done.put((batch, error))
            # a closed window's signal may fail to emit: the outcome is kept all the same
            with contextlib.suppress(Exception):
                self._notify()
