"""SQL as text: splitting a migration script into the statements SQLite runs one by one.

Below ``connection`` (which migrates) and ``shape`` (which rebuilds the expected schema
in memory to compare a file's tables with): both split the same scripts the same way.
"""

from __future__ import annotations

import sqlite3


def split_statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain ';' inside BEGIN...END)."""
    statements, buf = [], []
    for line in script.splitlines():
        if not buf and (not line.strip() or line.strip().startswith("--")):
            continue
        buf.append(line)
        text = "\n".join(buf)
        if sqlite3.complete_statement(text):
            statements.append(text)
            buf = []
    if buf and "\n".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
