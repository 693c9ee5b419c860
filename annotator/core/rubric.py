"""Rubrics from TOML files: four dimensions by default, each level anchored."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

from annotator.core.errors import InputError, Problem
from annotator.core.i18n import tr
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
        raise InputError(tr("not valid TOML: {error}", error=exc), file=str(path)) from exc
    problems: list[Problem] = []
    dims: list[Dimension] = []
    for n, entry in enumerate(data.get("dimensions", []), start=1):
        key = entry.get("key", "?")
        anchors = {}
        for lang in ("en", "zh"):
            values = entry.get(f"anchors_{lang}", [""] * 5)
            if len(values) != 5:
                problems.append(
                    Problem(
                        tr(
                            "dimension {number} ({key}): anchors_{language} must have 5 entries, "
                            "has {count}",
                            number=n,
                            key=key,
                            language=lang,
                            count=len(values),
                        ),
                        file=str(path),
                    )
                )
            anchors[lang] = tuple(str(v) for v in values)
        if not entry.get("key"):
            problems.append(
                Problem(
                    tr("dimension {number} ({key}): a key is required", number=n, key=key),
                    file=str(path),
                )
            )
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
        problems.append(Problem(tr("the rubric has no [[dimensions]]"), file=str(path)))
    if problems:
        raise InputError(problems, file=str(path))
    return Rubric(tuple(dims))


def _norm(text: str) -> str:
    return " ".join(
        unicodedata.normalize("NFKC", str(text)).lower().replace("_", " ").replace("-", " ").split()
    )


class DimensionResolver:
    """Finds the rubric dimension a person meant: key, English or Chinese name, any case,
    or an obvious short form ("style" for style consistency, "风格" for 风格一致性)."""

    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        self._exact: dict[str, str] = {}
        for d in rubric.dimensions:
            for name in (d.key, d.name_en, d.name_zh):
                self._exact[_norm(name)] = d.key

    def resolve(self, text: str) -> str | None:
        wanted = _norm(text)
        if not wanted:
            return None
        if wanted in self._exact:
            return self._exact[wanted]
        # A unique prefix of a name (or of its first word) is an obvious short form.
        hits = {
            key
            for name, key in self._exact.items()
            if name.startswith(wanted) or name.split(" ")[0] == wanted
        }
        return hits.pop() if len(hits) == 1 else None

    def expected(self) -> str:
        return ", ".join(f"{d.key} ({d.name_en} / {d.name_zh})" for d in self.rubric.dimensions)


def parse_score(value: object) -> int | None:
    """A score from 1 to 5 as people type it: 4, "4", "4.0", " ４ " (full-width). Else None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 5 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and 1 <= value <= 5 else None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1 <= number <= 5 else None
