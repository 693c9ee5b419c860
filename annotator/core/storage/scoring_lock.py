"""Who is scoring in a file: one window per rater and file (issue 14, point 6).

Two windows on one package used to overwrite each other, the last writer winning. A
scoring session now holds an operating-system lock on a sidecar file beside the project
or package: ``<file>.lock`` (a package has one rater; in a lead's project each rater has
their own, ``<file>.<key>.lock``, so raters sharing a project do not shut each other out).

Why an OS lock on a sidecar and not SQLite: SQLite's locks last a transaction, not a
window's life, and a row saying "in use" outlives a killed process. ``fcntl.flock`` (and
``msvcrt.locking`` on Windows) is released by the system when the process dies, however
it dies, so a stale lock is simply taken over: the sidecar's JSON (rater, host, process
id, since) is only there to say who holds a live one. ``flock`` belongs to the open file,
so a second window in the same process is refused too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import sys
import time
from pathlib import Path

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage.rater_names import rater_key

_WINDOWS = sys.platform == "win32"
_LOCK_OFFSET = 1 << 20  # Windows locks a byte past the JSON, which stays readable


class HeldError(AnnotatorError):
    """The file is open for scoring elsewhere (another window, process or computer)."""

    def __init__(self, message: Message, *, holder: dict):
        super().__init__(message)
        self.holder = holder


def lock_path(path: Path, rater: str | None = None) -> Path:
    """The sidecar holding the lock: ``<file>.lock``, or per rater in a lead's project."""
    path = Path(path)
    if rater is None:
        return path.with_name(path.name + ".lock")
    digest = hashlib.sha1(rater_key(rater).encode("utf-8")).hexdigest()[:10]
    return path.with_name(f"{path.name}.{digest}.lock")


def _try_lock(fd: int) -> bool:
    if _WINDOWS:  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _read_holder(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        data = json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
    except (ValueError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def holder_fields(holder: dict) -> dict[str, object]:
    """Who holds a lock, as a message's values (rater, host, pid, since; "?" if unknown)."""
    return {key: holder.get(key, "?") for key in ("rater", "host", "pid", "since")}


def held_message(path: Path, holder: dict) -> Message:
    return Message(
        "{path} is already open for scoring by {rater} on {host} (process {pid}, since "
        "{since}). Close that window first; a window whose process has ended holds nothing.",
        path=path,
        **holder_fields(holder),
    )


class ScoringLock:
    """A held lock; ``release`` (or the process ending) lets the next window in."""

    def __init__(self, path: Path, fd: int, sidecar: Path):
        self.path = path
        self.sidecar = sidecar
        self._fd: int | None = fd

    @classmethod
    def take(cls, path: Path, rater: str, *, per_rater: bool) -> ScoringLock:
        """Take the lock for ``rater`` on ``path``; a stale one (dead process) is taken over.

        Raises:
            HeldError: a live process holds it (its rater, host, pid and since are named).
        """
        sidecar = lock_path(path, rater if per_rater else None)
        try:
            fd = os.open(sidecar, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            # A folder nobody may write to (a read-only share): nothing can be written
            # there either, so there is nothing to protect.
            return cls(Path(path), -1, sidecar)
        if not _try_lock(fd):
            holder = _read_holder(fd)
            os.close(fd)
            raise HeldError(held_message(Path(path), holder), holder=holder)
        who = {
            "rater": rater,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(who, ensure_ascii=False).encode("utf-8"))
        return cls(Path(path), fd, sidecar)

    @property
    def held(self) -> bool:
        return self._fd is not None and self._fd >= 0

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None or fd < 0:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the file releases flock (and msvcrt's lock)

    def __del__(self) -> None:
        self.release()


def check_free(path: Path, rater: str | None = None) -> None:
    """Raise ``HeldError`` when a live process holds the scoring lock of ``path``."""
    sidecar = lock_path(path, rater)
    if not sidecar.exists():
        return
    try:
        fd = os.open(sidecar, os.O_RDWR)
    except OSError:
        return
    try:
        if _try_lock(fd):
            return  # nobody holds it (closing the fd below lets go again)
        holder = _read_holder(fd)
        raise HeldError(held_message(Path(path), holder), holder=holder)
    finally:
        os.close(fd)
