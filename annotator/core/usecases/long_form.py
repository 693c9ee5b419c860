"""A long-form file (one row per score: ratings, a judge's scores, gold): its columns and cells.

Each importer names its roles and the headers each may go by (English or Chinese, any
case, width or spacing); a column serves one role, the first role that claims it. A file
without a required column is refused with what was found and what each missing role may
be called.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message, Verbatim
from annotator.core.domain.rubric import DimensionResolver, parse_score


def norm(text: str) -> str:
    """A header as compared: NFKC, trimmed, lower case, spaces and dashes as ``_``."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return text.replace(" ", "_").replace("-", "_")


def joined(parts: list[Message], sep: Message | str) -> Verbatim:
    """``parts`` one after the other with ``sep`` between them, each shown in the language
    of the sentence that holds them (nothing is translated before it is shown)."""
    template = "{sep}".join(f"{{part{n}}}" for n in range(len(parts)))
    return Verbatim(template, sep=sep, **{f"part{n}": part for n, part in enumerate(parts)})


def match_columns(columns: Iterable[str], headers: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """role -> the file's column, for every role one of whose headers the file has."""
    columns = list(columns)
    found: dict[str, str] = {}
    for role, names in headers.items():
        wanted = {norm(n) for n in names}
        hit = next((c for c in columns if norm(c) in wanted and c not in found.values()), None)
        if hit is not None:
            found[role] = hit
    return found


def find_columns(
    columns: Iterable[str], headers: Mapping[str, Sequence[str]], required: Sequence[str], file: str
) -> dict[str, str]:
    """``match_columns``, refusing a file without a ``required`` role (row 1 named, with
    the headers each missing role may go by)."""
    columns = list(columns)
    found = match_columns(columns, headers)
    missing = [r for r in required if r not in found]
    if missing:
        hints = joined(
            [
                Message("; {role} may be called {names}", role=r, names=" / ".join(headers[r][:4]))
                for r in missing
            ],
            "",
        )
        raise InputError(
            Problem(
                Message(
                    "missing column(s) {missing}; found {found}{hints}",
                    missing=", ".join(missing),
                    found=", ".join(columns),
                    hints=hints,
                ),
                file=file,
                row=1,
            )
        )
    return found


def read_dimension(resolver: DimensionResolver, raw: str, problem: Callable) -> str | None:
    """The rubric key a cell names (key, English or Chinese name, short form), or None
    after ``problem(message, "dimension")``."""
    key = resolver.resolve(raw)
    if key is None:
        problem(
            Message(
                'unknown dimension "{dimension}"; expected one of {expected}',
                dimension=str(raw).strip(),
                expected=resolver.expected(),
            ),
            "dimension",
        )
    return key


def read_score(raw: str, problem: Callable, role: str = "score") -> int | None:
    """A score from 1 to 5, or None after ``problem(message, role)``."""
    score = parse_score(raw)
    if score is None:
        text = str(raw).strip()
        message = (
            Message('expected score "{score}" is not a score from 1 to 5', score=text)
            if role == "expected"
            else Message('score "{score}" is not a score from 1 to 5', score=text)
        )
        problem(message, role)
    return score
