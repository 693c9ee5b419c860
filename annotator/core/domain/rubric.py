"""Rubrics from TOML files: four dimensions by default, each level anchored.

A rubric file comes from a person's editor, so every field is checked: a bad
weight, an anchor list of the wrong length or type, a key that is missing,
repeated or one of the words the sheets and exports use for their own columns
is reported with the file and the dimension, never a traceback.
"""

from __future__ import annotations

import math
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.models import Dimension, Rubric
from annotator.core.i18n import tr
from annotator.core.resources import resource

# Column names of rating sheets, ratings files, packages and the report: a dimension keyed
# like one of them would be read back as that column (a "comment" dimension's scores were
# stored as comments). Compared after _key_norm.
RESERVED_KEYS = frozenset(
    {
        "comment",
        "comments",
        "note",
        "notes",
        "id",
        "uid",
        "item",
        "item_id",
        "sample",
        "sample_id",
        "rater",
        "score",
        "flag",
        "flags",
        "dimension",
        "model",
        "instruction",
        "reference",
        "generated",
        "input",
        "composite",
        "verdict",
        "编号",
        "指令",
        "参考答案",
        "模型输出",
        "备注",
        "维度",
        "评分人",
        "模型",
    }
)
_TEXT_FIELDS = ("name_en", "name_zh", "description_en", "description_zh")


def default_rubric_path() -> Path:
    return resource("rubrics", "default.toml")


def _key_norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return text.replace(" ", "_").replace("-", "_")


def load_rubric(path: Path | None = None) -> Rubric:
    """Read a rubric TOML file (``[[dimensions]]`` tables with 5 anchors per language).

    Raises:
        InputError: the file cannot be read or is not TOML, or any dimension is invalid
            (every problem is listed with the dimension's number and key).
    """
    path = Path(path) if path else default_rubric_path()
    file = str(path)
    data = _read_toml(path, file)
    entries = data.get("dimensions", [])
    if not isinstance(entries, list):
        raise InputError(
            Problem(tr("expected [[dimensions]] tables, found a single value"), file=file)
        )
    problems: list[Problem] = []
    dims: list[Dimension] = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(entries, start=1):
        dim = _dimension(n, entry, file, problems, seen)
        if dim is not None:
            dims.append(dim)
    if not dims and not problems:
        problems.append(Problem(tr("the rubric has no [[dimensions]]"), file=file))
    if dims and not problems and sum(d.weight for d in dims) <= 0:
        problems.append(
            Problem(
                tr("the weights of the dimensions add up to 0; at least one must be above 0"),
                file=file,
            )
        )
    if problems:
        raise InputError(problems, file=file)
    return Rubric(tuple(dims))


def _read_toml(path: Path, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(tr("not valid TOML: {error}", error=exc), file=file) from None
    except RecursionError:  # tomllib recurses once per level of [ or {: a [[[[...]]]] bomb
        raise InputError(
            Problem(
                tr(
                    "the TOML is nested too deeply to be a rubric "
                    "(brackets or braces inside each other)"
                ),
                file=file,
            )
        ) from None
    except FileNotFoundError:
        raise InputError(Problem(tr("file not found"), file=file)) from None
    except UnicodeDecodeError:
        raise InputError(
            Problem(tr("the rubric is not UTF-8 text; save it as UTF-8"), file=file)
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            Problem(tr("cannot read the file: {reason}", reason=reason), file=file)
        ) from None


def _dimension(
    n: int, entry: Any, file: str, problems: list[Problem], seen: dict[str, int]
) -> Dimension | None:
    """One ``[[dimensions]]`` table as a Dimension, or None after adding its problems."""
    if not isinstance(entry, dict):
        problems.append(
            Problem(tr("dimension {number}: expected a [[dimensions]] table", number=n), file=file)
        )
        return None
    key = entry.get("key")
    shown = key if isinstance(key, str) and key else "?"
    before = len(problems)

    def bad(message: str) -> None:
        problems.append(
            Problem(
                tr("dimension {number} ({key}): {problem}", number=n, key=shown, problem=message),
                file=file,
            )
        )

    _check_key(key, n, seen, bad)
    texts = _texts(entry, bad)
    anchors = {lang: _anchors(entry, lang, bad) for lang in ("en", "zh")}
    weight = _weight(entry.get("weight", 1.0), bad)
    if len(problems) > before:
        return None
    name_en = texts.get("name_en") or key
    return Dimension(
        key=key,
        name_en=name_en,
        name_zh=texts.get("name_zh") or name_en,
        description_en=texts.get("description_en", ""),
        description_zh=texts.get("description_zh", ""),
        anchors_en=anchors["en"],
        anchors_zh=anchors["zh"],
        weight=weight,
    )


def _check_key(key: Any, n: int, seen: dict[str, int], bad) -> None:
    if not isinstance(key, str) or not key.strip():
        bad(tr('a key is required (a text such as key = "relevance")'))
        return
    if key != key.strip() or any(unicodedata.category(c).startswith("C") for c in key):
        bad(tr("the key must not start or end with spaces or hold control characters"))
        return
    norm = _key_norm(key)
    if norm in RESERVED_KEYS:
        bad(
            tr(
                'the key "{key}" is a column name that rating sheets and exports use '
                'themselves ({reserved}); choose another key, e.g. "{key}_score"',
                key=key,
                reserved=", ".join(sorted(k for k in RESERVED_KEYS if k.isascii())),
            )
        )
    elif norm in seen:
        bad(
            tr(
                'the key "{key}" is already used by dimension {other}',
                key=key,
                other=seen[norm],
            )
        )
    else:
        seen[norm] = n


def _texts(entry: dict, bad) -> dict[str, str]:
    texts: dict[str, str] = {}
    for name in _TEXT_FIELDS:
        value = entry.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            texts[name] = value
        else:
            bad(tr("{field} must be a text in quotes", field=name))
    return texts


def _anchors(entry: dict, lang: str, bad) -> tuple[str, ...]:
    name = f"anchors_{lang}"
    values = entry.get(name, [""] * 5)
    if not isinstance(values, list):
        bad(tr('{field} must be a list of 5 texts ["...", ...]', field=name))
        return ("",) * 5
    if len(values) != 5:
        bad(
            tr(
                "{field} must have 5 entries, has {count}",
                field=name,
                count=len(values),
            )
        )
    elif not all(isinstance(v, str) for v in values):
        bad(tr('{field} must be a list of 5 texts ["...", ...]', field=name))
    return tuple(str(v) for v in values)


def _weight(value: Any, bad) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        bad(tr('the weight must be a number, found "{value}"', value=value))
        return 0.0
    weight = float(value)
    if not math.isfinite(weight):
        bad(tr("the weight must be a finite number, found {value}", value=value))
    elif weight < 0:
        bad(tr("the weight must not be negative, found {value}", value=value))
    return weight


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
