"""A project with hostile text in every field, and the database read back with sqlite3.

Shared by the report tests (``test_report_hostile.py``, ``test_export_safety.py``). The
payloads are what a spreadsheet program would run or mangle: formula and DDE starts,
tabs, carriage returns, leading spaces, full-width equals, newlines, error literals.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.core.project import Project

PAYLOADS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    " leading space",
    "＝1+1",
    "line\nbreak",
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "+1",
    "#N/A",
    "\t=1+1\r",
)
MODELS = ("+sft", "base", "=cmd|' /C calc'!A0")
RATERS = ("@alice", "bob", '=HYPERLINK("http://x","y")', "-2+3")
PROJECT_NAME = '=HYPERLINK("http://x","y")'
# Rubric keys may not hold control characters or spaces; names may hold anything.
DIMENSIONS = (
    ("=rel", "=1+1", "＝相关"),
    ("+flu", "-2+3", "@流畅"),
    ("@sty", "\tstyle\nname", "=cmd|' /C calc'!A0"),
    ("-com", "@SUM(1+1)*cmd|' /C calc'!A0", "+合规"),
)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def write_rubric(path: Path) -> Path:
    """A rubric TOML whose dimension keys and names are hostile."""
    parts = []
    for key, name_en, name_zh in DIMENSIONS:
        anchors = ", ".join(_toml_string(f"{p} level {k}") for k, p in enumerate(PAYLOADS[:5]))
        parts.append(
            "[[dimensions]]\n"
            f"key = {_toml_string(key)}\n"
            f"name_en = {_toml_string(name_en)}\n"
            f"name_zh = {_toml_string(name_zh)}\n"
            f"anchors_en = [{anchors}]\n"
            f"anchors_zh = [{anchors}]\n"
        )
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def build(folder: Path, *, language: str = "en") -> Project:
    """Items for every model and payload, 4 raters' scores, comments, flags, adjudications."""
    project = Project.create(
        folder / "hostile.annotator",
        PROJECT_NAME,
        language=language,
        rubric=write_rubric(folder / "rubric.toml"),
    )
    for n, model in enumerate(MODELS):
        records = [
            {
                "id": payload if k % 2 and payload.strip() else f"{payload}s{k}",
                "instruction": payload,
                "reference": f"{payload} reference {k}",
                "generated": payload if n else f"{payload}{k}",
                "=meta|' /C calc'!A0": payload,
                "@SUM(1)": f"-{k}",
            }
            for k, payload in enumerate(PAYLOADS)
        ]
        path = folder / f"model{n}.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        project.import_file(path, model=model)
    keys = [key for key, _, _ in DIMENSIONS]
    for r, rater in enumerate(RATERS):
        session = project.session(rater)
        for index in range(len(session)):
            item_id = session.item(index).id
            for d, key in enumerate(keys):
                session.set_score(item_id, key, 1 + (index * 3 + r * (d + 1) + d) % 5)
            payload = PAYLOADS[(index + r) % len(PAYLOADS)]
            if index % 3 == 0:
                session.set_comment(item_id, payload)
            if index % 4 == 1:
                session.set_flag(item_id, PAYLOADS[(index * 7 + r) % len(PAYLOADS)])
    for k, item_id in enumerate(sorted(database_items(project.path))[:6]):
        project.adjudicate(
            item_id, keys[k % 4], 1 + k % 5, note=PAYLOADS[k + 3], by=PAYLOADS[k + 6]
        )
    return project


def _query(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def database_items(path: Path) -> dict[int, tuple]:
    """item id -> (uid, model, sample_id, instruction, reference, generated)."""
    rows = _query(
        path,
        "SELECT i.id, i.uid, m.name, i.sample_id, i.instruction, i.reference, i.generated "
        "FROM items i JOIN models m ON m.id = i.model_id",
    )
    return {r[0]: tuple(r[1:]) for r in rows}


def database_ratings(path: Path, name_column: str = "name_en") -> list[tuple]:
    """(uid, model, sample_id, rater, dimension name, score, time, origin) per score."""
    return _query(
        path,
        f"SELECT i.uid, m.name, i.sample_id, ra.name, d.{name_column}, r.score, r.updated_at, "
        "r.origin FROM ratings r JOIN items i ON i.id = r.item_id "
        "JOIN models m ON m.id = i.model_id JOIN raters ra ON ra.id = r.rater_id "
        "JOIN dimensions d ON d.id = r.dimension_id",
    )


def database_ratings_by_key(path: Path) -> list[tuple]:
    """(item id, uid, model, sample_id, rater, dimension key, score, time, origin)."""
    return _query(
        path,
        "SELECT i.id, i.uid, m.name, i.sample_id, ra.name, d.key, r.score, r.updated_at, "
        "r.origin FROM ratings r JOIN items i ON i.id = r.item_id "
        "JOIN models m ON m.id = i.model_id JOIN raters ra ON ra.id = r.rater_id "
        "JOIN dimensions d ON d.id = r.dimension_id",
    )


def database_adjudications(path: Path, name_column: str = "name_en") -> list[tuple]:
    """(uid, dimension name, score, by whom, note, time) per adjudicated score."""
    return _query(
        path,
        f"SELECT i.uid, d.{name_column}, a.score, a.by_whom, a.note, a.updated_at "
        "FROM adjudications a JOIN items i ON i.id = a.item_id "
        "JOIN dimensions d ON d.id = a.dimension_id",
    )


def database_comments(path: Path) -> dict[str, str]:
    """uid -> the Items sheet's comments cell: "rater: [flag] comment | ..." in rater order."""
    rows = _query(
        path,
        "SELECT i.uid, ra.name, a.flag, a.comment FROM annotations a "
        "JOIN items i ON i.id = a.item_id JOIN raters ra ON ra.id = a.rater_id "
        "ORDER BY a.item_id, ra.id",
    )
    out: dict[str, list[str]] = {}
    for uid, rater, flag, comment in rows:
        parts = [p for p in (flag and f"[{flag}]", comment) if p]
        if parts:
            out.setdefault(uid, []).append(f"{rater}: {' '.join(parts)}")
    return {k: " | ".join(v) for k, v in out.items()}


def database_names(path: Path, table: str) -> list[str]:
    return [r[0] for r in _query(path, f"SELECT name FROM {table} ORDER BY id")]
