"""Run a core callable off the UI thread; call back on the UI thread when it ends.

The one background-op helper of the app (Anki's ``QueryOp`` shape): the op gets a
``progress(done, total)`` callable, never a widget, and reports through Qt signals
that are delivered on the UI thread. Cancelling sets a flag that the next
``progress`` call turns into ``Cancelled`` inside the op, so a core function that
reports progress can be stopped without knowing about Qt.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Progress = Callable[[int, int], None]


_RUNNING: set[Op] = set()


class Cancelled(Exception):
    """Raised inside an op at its next progress report after ``Op.cancel()``."""


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object, str)
    progressed = Signal(int, int)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], op: Op):
        super().__init__()
        self._fn = fn
        self._op = op
        self.setAutoDelete(True)

    def run(self) -> None:
        op = self._op
        try:
            result = self._fn(op._report)
        except BaseException as exc:  # noqa: BLE001 - handed to the failure callback
            op._signals.failed.emit(exc, traceback.format_exc())
        else:
            if op.cancelled:
                op._signals.failed.emit(Cancelled(), "")
            else:
                op._signals.succeeded.emit(result)
        finally:
            op._finished.set()


class Op(QObject):
    """A running background operation: ``cancel()``, ``wait()``, and its callbacks."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._signals = _Signals()
        self._cancel = threading.Event()
        self._finished = threading.Event()
        self._callbacks: dict[str, Callable | None] = {}
        # Connected to this object's slots so the queued calls land on the thread that
        # owns the Op (the UI thread), whatever thread emitted them.
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._signals.progressed.connect(self._on_progressed)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        _RUNNING.discard(self)
        if cb := self._callbacks.get("success"):
            cb(result)

    @Slot(object, str)
    def _on_failed(self, exc: object, trace: str) -> None:
        _RUNNING.discard(self)
        if cb := self._callbacks.get("failure"):
            cb(exc, trace)

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        if cb := self._callbacks.get("progress"):
            cb(done, total)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def cancel(self) -> None:
        """Ask the op to stop at its next progress report (it is not killed)."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the op's function has returned (for shutdown and tests)."""
        return self._finished.wait(timeout)

    def _report(self, done: int, total: int) -> None:
        # Runs on the worker thread: a signal is the only thing that crosses to the UI.
        if self._cancel.is_set():
            raise Cancelled()
        self._signals.progressed.emit(done, total)


def run_in_background(
    fn: Callable[[Progress], Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException, str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    parent: QObject | None = None,
    pool: QThreadPool | None = None,
) -> Op:
    """Run ``fn(progress)`` on a worker thread; callbacks run on the UI thread.

    Args:
        fn: the core callable; it receives ``progress(done, total)`` and must not touch
            widgets. Wrap a core function with a lambda to pass its other arguments.
        on_success: called with the function's result.
        on_failure: called with the exception and its formatted traceback (``Cancelled``
            when the op was cancelled).
        on_progress: called with (done, total) for each progress report.
        parent: owner of the ``Op`` (keeps it alive while running); the op is kept alive
            by its runnable in any case.
        pool: the thread pool (default: the global one).

    Returns:
        The ``Op`` handle, to cancel or wait on.
    """
    op = Op(parent)
    op._callbacks = {"success": on_success, "failure": on_failure, "progress": on_progress}
    if parent is None:
        _RUNNING.add(op)  # an unowned Op would be collected before its signals arrive
    (pool or QThreadPool.globalInstance()).start(_Runnable(fn, op))
    return op
