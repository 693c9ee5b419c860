"""Does a file with annotator's mark have the tables its schema version says it has?

A file whose tables were dropped by another program, or whose ``user_version`` was set
back below its tables (a migration would then fail with "table already exists"), is
refused on open with a message naming what is wrong, before anything is written to it.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

from annotator.core.domain.errors import ProjectFileError
from annotator.core.domain.message import Message
from annotator.core.storage.schema import MIGRATIONS, SCHEMA_VERSION
from annotator.core.storage.sql_text import split_statements


@cache
def tables_at(version: int) -> frozenset[str]:
    """The tables a file of schema ``version`` has (built once, in memory)."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS[:version]:
            for statement in split_statements(script):
                conn.execute(statement)
        return frozenset(_tables(conn))
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {r[0] for r in rows}


def check_shape(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Raise ProjectFileError if the file's tables do not match its schema ``version``."""
    if version < 1:
        raise ProjectFileError(
            Message(
                "{path} is marked as an annotator project file but has no schema version: it "
                "was not written by annotator, or was changed by another program. Open one "
                "of its .bak copies next to it instead.",
                path=path,
            )
        )
    have = _tables(conn)
    missing = sorted(tables_at(version) - have)
    if missing:
        raise ProjectFileError(
            Message(
                "{path} is an annotator project file, but its table(s) {tables} are missing: "
                "it was damaged or changed by another program. Open one of its .bak copies "
                "next to it instead.",
                path=path,
                tables=", ".join(missing),
            )
        )
    ahead = sorted((tables_at(SCHEMA_VERSION) - tables_at(version)) & have)
    if ahead:
        raise ProjectFileError(
            Message(
                "{path} says it has schema version {version}, but it already has the "
                "table(s) {tables} of a later version, so it cannot be upgraded: it was "
                "changed by another program. Open one of its .bak copies next to it instead.",
                path=path,
                version=version,
                tables=", ".join(ahead),
            )
        )
