"""Errors a person can act on.

Every error the core raises for bad input or a bad file is an ``AnnotatorError``
whose message names the file, the row or line, the column or cell, and what was
expected. The CLI prints the message as it is; the GUI shows it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.i18n import tr


class AnnotatorError(Exception):
    """Base class: the message is written for the person who has to fix it."""


class ProjectFileError(AnnotatorError):
    """The project file cannot be opened or used (not SQLite, newer schema, damaged, locked)."""


class ProjectLockedError(ProjectFileError):
    """Another program holds a lock on the project file."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, with where it is."""

    message: str
    file: str | None = None
    row: int | None = None  # spreadsheet-style row (header = 1) or line number for JSON lines
    line: int | None = None
    column: str | None = None
    cell: str | None = None  # e.g. "ratings!E17"

    def __str__(self) -> str:
        where = []
        if self.cell:
            where.append(self.cell)
        else:
            if self.file:
                where.append(self.file)
            if self.line is not None:
                where.append(tr("line {line}", line=self.line))
            if self.row is not None:
                where.append(tr("row {row}", row=self.row))
            if self.column:
                where.append(tr('column "{column}"', column=self.column))
        return (tr(", ").join(where) + tr(": ") if where else "") + self.message


class InputError(AnnotatorError):
    """An input file (import, ratings, sheet, package) has problems; nothing was written."""

    def __init__(self, problems: list[Problem] | Problem | str, *, file: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems, file=file)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.file = file
        shown = [str(p) for p in self.problems[:20]]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown)
        if more > 0:
            text += "\n" + tr("... and {count} more problem(s)", count=more)
        super().__init__(text)


@dataclass
class Notice:
    """Something the user should know about an operation that still succeeded."""

    message: str
    count: int = 1
    examples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message
