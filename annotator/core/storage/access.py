"""Read-only opening: how SQLite is asked to read a file it must not (or cannot) write.

A project on a read-only drive, in a read-only folder or itself read-only is opened for
reading (``mode=ro``); when its folder cannot even hold SQLite's ``-shm`` index and no
``-wal`` or ``-journal`` file is beside it, as ``immutable`` (nothing can be changing it:
nobody can write there). Writing then fails with a plain ``ReadOnlyError``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from annotator.core.domain.errors import ReadOnlyError
from annotator.core.domain.message import Message


def sidecar(path: Path, suffix: str) -> Path:
    """SQLite's file beside ``path``: ``-wal``, ``-shm`` or ``-journal``."""
    return path.with_name(path.name + suffix)


def read_only_target(path: Path) -> str:
    """The URI that opens ``path`` for reading only (``immutable`` where that is safe)."""
    uri = "file:" + quote(str(Path(path).resolve())) + "?mode=ro"
    folder_writable = os.access(Path(path).parent, os.W_OK)
    pending = any(sidecar(path, s).exists() for s in ("-wal", "-journal"))
    if not folder_writable and not pending:
        uri += "&immutable=1"
    return uri


def write_refused(path: Path, reason: str | Message) -> ReadOnlyError:
    """The error for a write to a project opened read-only."""
    return ReadOnlyError(
        Message(
            "{path} is read-only ({reason}): it can be read here but not changed. "
            "Copy it to a folder you can write to and open the copy.",
            path=path,
            reason=reason,
        )
    )


def upgrade_refused(path: Path, reason: str | Message, version: int) -> ReadOnlyError:
    """The error for a read-only file whose schema is older than this version's."""
    return ReadOnlyError(
        Message(
            "{path} is read-only ({reason}) and was written by an older version of annotator "
            "(schema {version}); it must be upgraded before it can be used. Copy it to a "
            "folder you can write to and open the copy.",
            path=path,
            reason=reason,
            version=version,
        )
    )


def unreadable_in_place(path: Path, reason: str | Message, detail: str) -> ReadOnlyError:
    """The error for a read-only file SQLite could not read where it is."""
    return ReadOnlyError(
        Message(
            "{path} cannot be read where it is ({reason}; SQLite said: {detail}). Copy it, "
            "with the {wal} file beside it if there is one, to a folder you can write to "
            "and open the copy.",
            path=path,
            reason=reason,
            detail=detail,
            wal=sidecar(path, "-wal").name,
        )
    )


def opened_read_only() -> Message:
    """The reason given when read-only opening was asked for."""
    return Message("it was opened read-only")
