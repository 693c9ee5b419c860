"""SQLite's errors as the core's own: the one place that reads SQLite's result codes.

Nothing above storage sees a ``sqlite3.Error``. A lock becomes a ``ProjectLockedError``,
a full disk a ``DiskFullError``, a read-only file, folder or drive a ``ReadOnlyError``,
damaged contents or anything else SQLite refuses a ``ProjectFileError``; each names the
file and keeps SQLite's error as its ``__cause__``. ``converted(path)`` does it around a
block, ``converting`` around every public method of a class (the facade, the rater's
session): the two ways out of the core to the CLI and the GUI.
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from annotator.core.domain import errors as domain
from annotator.core.domain.errors import ProjectFileError, ProjectLockedError
from annotator.core.domain.message import Message

# SQLite's primary result codes that are about the machine, not about the file's contents.
_MACHINE = {3: "permission", 8: "read-only", 10: "io", 13: "full", 14: "cannot-open"}
# ... and those that say the file's contents are damaged.
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26
_BUSY, _LOCKED = 5, 6

T = TypeVar("T")


def is_locked(exc: BaseException) -> bool:
    """Another connection or program holds a lock SQLite waited for in vain."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (_BUSY, _LOCKED):
        return True
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def is_damage(exc: BaseException) -> bool:
    """SQLite says the file's contents are damaged (or not a database at all)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(exc, sqlite3.Error) or code is None:
        return False
    return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def environment_kind(exc: BaseException) -> str | None:
    """ "full", "read-only", "permission", "io", "cannot-open" for a ``sqlite3.Error`` of the
    machine; an ``OSError`` as ``domain.errors.environment_kind`` reads it; else None."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return None if code is None else _MACHINE.get(code & 0xFF)
    return domain.environment_kind(exc)


def environment_error(exc: BaseException, path: str | Path) -> ProjectFileError | None:
    """``domain.errors.environment_error`` for SQLite's errors as well as the system's."""
    if not isinstance(exc, sqlite3.Error):
        return domain.environment_error(exc, path)
    kind = environment_kind(exc)
    if kind is None:
        return None
    return domain.environment_error(exc, path, kind=kind, detail=sqlite_detail(exc))


def sqlite_detail(exc: BaseException) -> str:
    """SQLite's own name of an error ("SQLITE_FULL"), else the error's class."""
    return getattr(exc, "sqlite_errorname", None) or type(exc).__name__


def locked_message(path: Path) -> Message:
    return Message(
        "{path} is locked by another program (another annotator window or a sync tool?). "
        "Close it there and try again.",
        path=path,
    )


def damaged_message(path: Path, what: str, detail: str) -> Message:
    """The words for damaged contents; ``what`` failed: "read", "configure" or "check".

    The ``.bak`` copies are advised only when there are some: a rater's package has none
    (its rater is told to ask the lead for a new package).
    """
    if not any(Path(path).parent.glob(f"{Path(path).name}.*.bak")):
        reasons = {
            "configure": Message("cannot be configured"),
            "check": Message("integrity check failed"),
            "read": Message("cannot be read"),
        }
        return Message(
            "{path} is damaged ({reason}: {detail}) and there is no backup of it beside it. "
            "If it is a rater's package, ask the lead for a new package; if it is a project, "
            "restore it from a copy of your own.",
            path=path,
            reason=reasons.get(what, reasons["read"]),
            detail=detail,
        )
    if what == "configure":
        return Message(
            "{path} is damaged (cannot be configured: {detail}). "
            "Open one of its .bak copies next to it instead.",
            path=path,
            detail=detail,
        )
    if what == "check":
        return Message(
            "{path} is damaged (integrity check failed: {detail}). "
            "Open one of its .bak copies next to it instead.",
            path=path,
            detail=detail,
        )
    return Message(
        "{path} is damaged (cannot be read: {detail}). "
        "Open one of its .bak copies next to it instead.",
        path=path,
        detail=detail,
    )


def project_error(exc: sqlite3.Error, path: str | Path) -> ProjectFileError:
    """The core's error for any ``sqlite3.Error`` met on the file ``path``."""
    path = Path(path)
    if is_locked(exc):
        return ProjectLockedError(locked_message(path))
    found = environment_error(exc, path)
    if found is not None:
        return found
    if is_damage(exc) or type(exc) is sqlite3.DatabaseError:
        return ProjectFileError(damaged_message(path, "read", sqlite_detail(exc)))
    return ProjectFileError(
        Message(
            "{path} could not be read or changed (SQLite said: {detail}: {error}).",
            path=path,
            detail=sqlite_detail(exc),
            error=str(exc),
        )
    )


@contextmanager
def converted(path: str | Path) -> Iterator[None]:
    """Inside the block, a ``sqlite3.Error`` leaves as ``project_error(exc, path)``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise project_error(exc, path) from exc


def converting(path_of: Callable[[object], str | Path]) -> Callable[[type[T]], type[T]]:
    """A class decorator: every public method and property converts SQLite's errors.

    ``path_of(self)`` names the file. Class and static methods are left as they are (they
    open or create the file, and ``open_db``/``create_db`` say what is wrong themselves).
    """

    def wrap(func: Callable) -> Callable:
        @functools.wraps(func)
        def method(self, *args, **kwargs):
            try:
                return func(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise project_error(exc, path_of(self)) from exc

        return method

    def decorate(cls: type[T]) -> type[T]:
        for name, attr in list(vars(cls).items()):
            if name.startswith("_") and name not in ("__len__", "__exit__"):
                continue
            if isinstance(attr, property) and attr.fget is not None:
                setattr(cls, name, property(wrap(attr.fget), attr.fset, attr.fdel, attr.__doc__))
            elif inspect.isfunction(attr):
                setattr(cls, name, wrap(attr))
        return cls

    return decorate
