"""Use case: create a new project file (a project, or the start of a rater package).

Both the facade's ``Project.create`` and the package writer start a file here, through
storage alone: nothing below the facade imports it.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from annotator import __version__
from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.domain.models import Rubric
from annotator.core.domain.rubric import load_rubric
from annotator.core.i18n import LANGUAGES
from annotator.core.storage import Database, MetaRepo, RubricRepo, create_db, utcnow
from annotator.core.storage.connection import remove_project_file


def check_language(language: str) -> None:
    """Raise an ``AnnotatorError`` naming the languages when ``language`` is not one of them."""
    if language not in LANGUAGES:
        raise AnnotatorError(
            Message(
                'language "{language}" is not one of {languages}',
                language=language,
                languages=", ".join(LANGUAGES),
            )
        )


def initial_meta(name: str, language: str, min_raters: int) -> dict[str, str]:
    """The settings every new file starts with (a package overwrites kind and uuid)."""
    now = utcnow()
    return {
        "uuid": str(uuid.uuid4()),
        "name": name,
        "created_at": now,
        "modified_at": now,
        "language": language,
        "min_raters": str(min_raters),
        "kind": "project",
        "created_by": f"annotator {__version__}",
    }


def write_start(db: Database, meta: dict[str, str], rubric: Rubric) -> None:
    """Inside the caller's transaction: the settings and the rubric of a new file."""
    repo = MetaRepo(db.conn)
    for key, value in meta.items():
        repo.set(key, value)
    RubricRepo(db.conn).save(rubric)


def create_project(
    path: Path,
    name: str,
    *,
    language: str = "zh_CN",
    rubric: Rubric | Path | None = None,
    min_raters: int = 2,
) -> Database:
    """Create the project file at ``path``, whole or not at all, and return it open.

    Raises:
        AnnotatorError: an unknown language, a rubric that cannot be read.
        ProjectFileError: the file cannot be created (exists, missing folder, full disk).
    """
    check_language(language)
    rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    db = create_db(path)
    try:
        with db.transaction():
            write_start(db, initial_meta(name, language, min_raters), rubric)
    except BaseException:
        db.close()
        remove_project_file(path)  # with its -wal and -shm: nothing half-made
        raise
    return db
