"""Opening a file that came from outside (a rater's package) to read it, and nothing else.

``open_db`` migrates an older file to the current schema, switches its journal mode and
may write beside it: done to a rater's package on merge, that would silently alter the
very file being judged. Here the file is opened read-only (``mode=ro``) and checked whole.
A package of an older schema that is sealed (schema 3 on) is read from a migrated copy in
the system's temporary folder, removed when it is closed: the rater's file is never
written. Older packages carry no seal and are refused.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from annotator.core.domain.errors import ProjectFileError
from annotator.core.domain.message import Message
from annotator.core.storage import access, checks
from annotator.core.storage.connection import Database, open_db, remove_project_file
from annotator.core.storage.schema import SCHEMA_VERSION

# The first schema whose packages carry a seal (the hand-outs table and the keyed blind ids).
SEALED_SINCE = 3


def schema_version_of(path: Path) -> int | None:
    """The schema version a file says it has, read without writing; None if unreadable."""
    try:
        conn = sqlite3.connect(access.read_only_target(path), uri=True, timeout=0.5)
    except (sqlite3.Error, ValueError, OSError):
        return None
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()


def open_untrusted(path: Path) -> Database:
    """Open ``path`` read-only, fully checked, at exactly the current schema.

    Raises:
        ProjectFileError: the checks of ``open_db`` (missing, not SQLite, not ours, newer,
            tables missing, damaged, locked), or a schema older than this version's (the
            file would have to be migrated, i.e. changed, to be read).
    """
    path = Path(path)
    checks.check_file(path)
    version = schema_version_of(path)
    if version is not None and 0 < version < SEALED_SINCE:
        raise ProjectFileError(
            Message(
                "{path} was made by an older version of annotator (schema {version}): it "
                "carries no seal, so it cannot be checked and is not merged. Make a new "
                "package for this rater (package create) and ask them to score in it.",
                path=path,
                version=version,
            )
        )
    journal = access.sidecar(path, "-journal")
    try:
        if version is not None and version < SCHEMA_VERSION and not journal.exists():
            return _open_migrated_copy(path)
        return open_db(path, read_only=True, integrity_budget=None)
    except ProjectFileError as exc:
        if not journal.exists():
            raise
        # SQLite would have to roll the journal back into the file, i.e. write to it.
        raise ProjectFileError(
            Message(
                "{path} was left in the middle of saving ({journal} is beside it: the app "
                "was closed or crashed while writing). Open it once in annotator, which "
                "finishes the repair, then merge it again.",
                path=path,
                journal=journal.name,
            )
        ) from exc


def _open_migrated_copy(path: Path) -> Database:
    """A sealed package of an older schema, read through a migrated temporary copy."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-package-"))
    copy = folder / path.name  # messages about the copy name the rater's file
    try:
        shutil.copyfile(path, copy)
        db = open_db(copy, integrity_budget=None)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    def remove() -> None:
        remove_project_file(copy)
        shutil.rmtree(folder, ignore_errors=True)  # and the migration's backup

    db.on_close(remove)
    return db
