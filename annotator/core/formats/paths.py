"""File names from the user: shown safely, and checked before anything is written to them.

A name typed on a command line or picked in a dialog may hold bytes that are not UTF-8,
be longer than the system allows, go through a file as if it were a folder, or be the
project itself under another name (a symbolic or hard link, ``./``, a ``-wal`` beside it,
one of its backups). Each of these is a plain message before any work is done, never a
traceback and never an overwritten project.
"""

from __future__ import annotations

import errno
import os
from fnmatch import fnmatch
from pathlib import Path

from annotator.core.domain.errors import AnnotatorError, name_too_long_message
from annotator.core.domain.message import Message
from annotator.core.storage.access import sidecar
from annotator.core.storage.backup import backup_paths

_SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def shown(path: str | os.PathLike) -> str:
    """``path`` as text that can be stored in SQLite and printed anywhere.

    A name holding bytes that are not UTF-8 (a file copied from an old system) keeps
    them as ``\\xff`` escapes instead of the lone surrogates Python decodes them to.
    """
    try:
        raw = os.fsencode(path)
    except (TypeError, UnicodeError):
        return str(path).encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def check_target_name(out: str | os.PathLike) -> None:
    """Refuse a file name nothing can be written to, before any work is done.

    Raises:
        AnnotatorError: the name is longer than the system allows, or a part of its
            folder is a file (``items.csv/out.xlsx``).
    """
    out = Path(out)
    try:
        os.stat(out)
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise AnnotatorError(_through_a_file(out)) from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise AnnotatorError(name_too_long_message(shown(out))) from None
        # anything else (no permission to look) is said by the write itself


def _through_a_file(out: Path) -> Message:
    for parent in out.parents:  # nearest first: the file that stands in the way
        if parent.exists() and not parent.is_dir():
            return Message(
                "cannot write {file}: {part} is a file, not a folder",
                file=shown(out),
                part=shown(parent),
            )
    return Message("cannot write {file}: a part of its folder is a file", file=shown(out))


def refuse_project_files(out: str | os.PathLike, project: str | os.PathLike) -> None:
    """Refuse to write ``out`` when it is the project or one of the files it lives by.

    The project file, SQLite's ``-wal``, ``-shm`` and ``-journal`` beside it and its
    backups are compared by what they are (``os.path.samefile``: hard and symbolic links
    included) and by where they resolve to (for those that do not exist yet).

    Raises:
        AnnotatorError: ``out`` is one of them; nothing was written.
    """
    if is_project_file(out, project):
        raise AnnotatorError(
            Message(
                "{file} is the project {project} itself (or a file that belongs to it: its "
                "-wal, -shm or a backup); writing there would destroy the project. "
                "Choose another file name.",
                file=shown(out),
                project=shown(project),
            )
        )


def is_project_file(out: str | os.PathLike, project: str | os.PathLike) -> bool:
    """Whether writing ``out`` would replace ``project`` or one of its own files."""
    out, project = Path(out), Path(project)
    protected = [
        project,
        *(sidecar(project, s) for s in _SQLITE_SIDECARS),
        *_quietly(backup_paths, project),
    ]
    target = _resolved(out)
    if any(_same(out, f) or _resolved(f) == target for f in protected):
        return True
    # A name that does not exist yet but would be taken for one of the project's files.
    for base in {_resolved(project), _resolved(project.parent) / project.name}:
        if target.parent == base.parent and _belongs_to(target.name, base.name):
            return True
    return False


def _belongs_to(name: str, project_name: str) -> bool:
    if name in (project_name + s for s in _SQLITE_SIDECARS):
        return True
    return any(
        fnmatch(name, f"{project_name}.{pattern}")
        for pattern in ("*.bak", "*.bak.part", "*.bak.*.part")
    )


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False  # one of them does not exist (or cannot be looked at): not the same


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a name too long
        return Path(os.path.abspath(path))


def _quietly(find, path: Path) -> list[Path]:
    try:
        return list(find(path))
    except OSError:
        return []
