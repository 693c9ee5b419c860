"""Errors a person can act on.

Every error the core raises for bad input or a bad file is an ``AnnotatorError``
whose message names the file, the row or line, the column or cell, and what was
expected. The CLI prints the message as it is; the GUI shows it in place.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.domain.message import Message, as_text
from annotator.core.i18n import tr, use_language


class AnnotatorError(Exception):
    """Base class: the message is written for the person who has to fix it.

    The message may be a ``Message``: it is then translated when shown (``str(exc)`` in
    the current language, ``exc.text(language)`` in another), and code that needs more
    than words reads the error's attributes, never its text.
    """

    def __init__(self, message: str | Message = "", *args: object) -> None:
        super().__init__(message, *args)
        self.message = message

    def text(self, language: str | None = None) -> str:
        """The message in ``language`` (the current language when None)."""
        return as_text(self.message, language)

    def __str__(self) -> str:
        if isinstance(self.message, Message):
            return self.message.text()
        return super().__str__()


class ThresholdScaleError(AnnotatorError):
    """A gate's threshold is on the wrong scale (BLEU 40 where BLEU runs from 0 to 1).

    Attributes:
        suggestion: the threshold it most likely means (0.40 for 40), or None.
    """

    def __init__(self, message: str | Message, *, suggestion: float | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


class ProjectFileError(AnnotatorError):
    """The project file cannot be opened or used (not SQLite, newer schema, damaged, locked)."""


class ProjectLockedError(ProjectFileError):
    """Another program holds a lock on the project file."""


class ReadOnlyError(ProjectFileError):
    """A file cannot be written: it, its folder or its drive is read-only."""


class DiskFullError(ProjectFileError):
    """The disk (or the user's quota) holding a file is full."""


class TargetExistsError(ProjectFileError):
    """A file to be written exists already; the caller may ask to replace it.

    The message says only that; the CLI adds its own flag (``--force``), the GUI asks.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        super().__init__(tr("{file} already exists; choose another name", file=path))


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, with where it is."""

    message: str | Message
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
        return (tr(", ").join(where) + tr(": ") if where else "") + as_text(self.message)


class InputError(AnnotatorError):
    """An input file (import, ratings, sheet, package) has problems; nothing was written."""

    def __init__(self, problems: list[Problem] | Problem | str, *, file: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems, file=file)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.file = file
        super().__init__(self._text())

    def _text(self) -> str:
        shown = [str(p) for p in self.problems[:20]]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown)
        if more > 0:
            text += "\n" + tr("... and {count} more problem(s)", count=more)
        return text

    def text(self, language: str | None = None) -> str:
        """The problems in ``language`` (the current language when None)."""
        if language is None:
            return self._text()
        with use_language(language):
            return self._text()

    def __str__(self) -> str:
        return self._text()  # in the language of the moment it is shown


@dataclass
class Notice:
    """Something the user should know about an operation that still succeeded."""

    message: str
    count: int = 1
    examples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def read_only_reason(path: str | Path) -> Message | None:
    """Why ``path`` (a file, or one to be created) cannot be written; None if it can.

    The drive, then the folder, then the file: the first one that stops a write is named.
    """
    file = Path(path)
    folder = file.parent if not file.is_dir() else file
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return Message("its drive is mounted read-only")
    except OSError:
        return None  # the folder is missing: that is another message
    if not os.access(folder, os.W_OK):
        return Message("its folder is read-only")
    if file.is_file() and not os.access(file, os.W_OK):
        return Message("the file is read-only")
    return None


def environment_error(
    exc: BaseException,
    path: str | Path,
    *,
    kind: str | None = None,
    detail: str | None = None,
) -> ProjectFileError | None:
    """The plain message for an error of the machine while writing ``path``, or None.

    A full disk or quota, a read-only file, folder or drive, a denied permission and an
    input/output error raised by the operating system (``OSError``) become a
    ``ProjectFileError`` naming the file and its folder. Anything else (a bug, damaged
    contents) gives None: the caller re-raises it as it is. Callers remove what they half
    wrote before raising the result. SQLite's errors are storage's to read
    (``storage.errors.environment_error`` passes their ``kind`` and ``detail`` here).
    """
    file = Path(path)
    kind = kind or environment_kind(exc)
    if kind is None:
        return None
    folder = file.parent
    if kind == "full":
        return DiskFullError(
            Message(
                "The disk holding {folder} is full: {path} could not be written. "
                "Free some space there and try again.",
                folder=folder,
                path=file,
            )
        )
    if kind == "read-only" or (kind == "cannot-open" and read_only_reason(file)):
        reason = read_only_reason(file) or Message("the file is read-only")
        return ReadOnlyError(
            Message(
                "{path} cannot be written: {reason}. Use a folder you can write to "
                "(copy the file there first if it is the one to change).",
                path=file,
                reason=reason,
            )
        )
    if kind == "permission":
        return ProjectFileError(
            Message(
                "{path} cannot be written: permission denied. Use a folder you can write to, "
                "or ask the owner of {folder} for access.",
                path=file,
                folder=folder,
            )
        )
    if kind == "io":
        return ProjectFileError(
            Message(
                "{path} could not be written: the disk holding {folder} reported an "
                "input/output error ({detail}). Check that the drive is still connected "
                "and try again.",
                path=file,
                folder=folder,
                detail=detail or _detail(exc),
            )
        )
    if kind == "name-too-long":
        return ProjectFileError(name_too_long_message(file))
    return None


def name_too_long_message(path: str | Path) -> Message:
    """The words for a file name (or path) longer than the system allows."""
    return Message(
        "{path}: the file name is too long for this system. Choose a shorter name.", path=path
    )


def environment_kind(exc: BaseException) -> str | None:
    """ "full", "read-only", "permission", "io", "name-too-long" for an error of the machine
    (an ``OSError``, by its errno); None for anything else. ``storage.errors.environment_kind``
    reads SQLite's result codes (and adds "cannot-open")."""
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return "full"
        if exc.errno == errno.EROFS:
            return "read-only"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "permission"
        if exc.errno == errno.EIO:
            return "io"
        if exc.errno == errno.ENAMETOOLONG:
            return "name-too-long"
    return None


def _detail(exc: BaseException) -> str:
    return os.strerror(exc.errno) if isinstance(exc, OSError) and exc.errno else type(exc).__name__


@dataclass(frozen=True)
class MissingColumn(Problem):
    """No column of an input file holds a required ``role`` ("reference", "generated").

    The message says what was found and which names are known; the CLI adds its own
    way to choose the column (``--map role=COLUMN``), the app its mapping page.
    """

    role: str = ""


class NotADemoError(AnnotatorError):
    """The demo was asked to replace ``path``, a file that is not a demo project.

    The message asks for another file name; the CLI names its flag (``--path``).
    """

    def __init__(self, message: str | Message, *, path: str | Path):
        super().__init__(message)
        self.path = Path(path)


@dataclass(frozen=True)
class ModelNotNamed(Problem):
    """An items file without a model column was imported without naming its model.

    The message asks for the model's name; the CLI adds its flag (``--model``), the app
    has a field for it.
    """


@dataclass(frozen=True)
class ChangedTexts(Problem):
    """An item of ``model`` with id ``sample`` is in the project with other texts.

    Importing again with updates allowed replaces them; the CLI names its flag
    (``--update``), the app asks.
    """

    sample: str = ""
    model: str = ""
