"""Rubrics from TOML files: four dimensions by default, each level anchored."""

from __future__ import annotations

import tomllib
from pathlib import Path

from annotator.core.errors import InputError, Problem
from annotator.core.models import Dimension, Rubric
from annotator.core.resources import resource


def default_rubric_path() -> Path:
    return resource("rubrics", "default.toml")


def load_rubric(path: Path | None = None) -> Rubric:
    """Read a rubric TOML file (``[[dimensions]]`` tables with 5 anchors per language)."""
    path = Path(path) if path else default_rubric_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=str(path)) from exc
    problems: list[Problem] = []
    dims: list[Dimension] = []
    for n, entry in enumerate(data.get("dimensions", []), start=1):
        where = f"dimension {n} ({entry.get('key', '?')})"
        anchors = {}
        for lang in ("en", "zh"):
            values = entry.get(f"anchors_{lang}", [""] * 5)
            if len(values) != 5:
                problems.append(
                    Problem(f"{where}: anchors_{lang} must have 5 entries, has {len(values)}",
                            file=str(path))
                )
            anchors[lang] = tuple(str(v) for v in values)
        if not entry.get("key"):
            problems.append(Problem(f"{where}: a key is required", file=str(path)))
            continue
        dims.append(
            Dimension(
                key=entry["key"],
                name_en=entry.get("name_en", entry["key"]),
                name_zh=entry.get("name_zh", entry.get("name_en", entry["key"])),
                description_en=entry.get("description_en", ""),
                description_zh=entry.get("description_zh", ""),
                anchors_en=anchors["en"],
                anchors_zh=anchors["zh"],
                weight=float(entry.get("weight", 1.0)),
            )
        )
    if not dims and not problems:
        problems.append(Problem("the rubric has no [[dimensions]]", file=str(path)))
    if problems:
        raise InputError(problems, file=str(path))
    return Rubric(tuple(dims))
