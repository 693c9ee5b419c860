"""The use-case facade: the CLI and the GUI call this and nothing below it.

A ``Project`` wraps one open project file. Each method is one thing a lead or a
rater does; the work itself lives in small use-case modules next to this one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.core.i18n import LANGUAGES, tr
from annotator.core.importing import ImportReport, import_plan
from annotator.core.models import Rubric
from annotator.core.project_lead import LeadUseCases
from annotator.core.rubric import load_rubric
from annotator.core.session import RaterSession
from annotator.core.storage import (
    SCHEMA_VERSION,
    Database,
    ItemsRepo,
    MetaRepo,
    ModelsRepo,
    RatersRepo,
    RatingsRepo,
    RubricRepo,
    create_db,
    open_db,
    utcnow,
)
from annotator.core.storage.connection import remove_project_file

# The lead's use cases pull in scipy, the metrics and openpyxl: they are imported
# where they are used, so a rater's window opens without paying for them.
if TYPE_CHECKING:
    from annotator.core.metrics_run import MetricsRunReport
    from annotator.core.ratings_import import RatingsImportReport

Progress = Callable[[int, int], None]
# LANGUAGES (from i18n) stays importable from here: the project's language is one of them.


class Project(LeadUseCases):
    """One evaluation project (or a rater package: the same file format)."""

    def __init__(self, db: Database):
        self.db = db

    @property
    def meta(self) -> MetaRepo:
        """Project settings, read through the calling thread's connection."""
        return MetaRepo(self.db.conn)

    # -- lifecycle -----------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | Path,
        name: str,
        *,
        language: str = "zh_CN",
        rubric: Rubric | Path | None = None,
        min_raters: int = 2,
    ) -> Project:
        """Create a new project file with the default (or given) rubric."""
        if language not in LANGUAGES:
            raise AnnotatorError(
                tr(
                    'language "{language}" is not one of {languages}',
                    language=language,
                    languages=", ".join(LANGUAGES),
                )
            )
        rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
        db = create_db(Path(path))
        try:
            now = utcnow()
            with db.transaction():
                meta = MetaRepo(db.conn)
                for key, value in {
                    "uuid": str(uuid.uuid4()),
                    "name": name,
                    "created_at": now,
                    "modified_at": now,
                    "language": language,
                    "min_raters": str(min_raters),
                    "kind": "project",
                    "created_by": f"annotator {__version__}",
                }.items():
                    meta.set(key, value)
                RubricRepo(db.conn).save(rubric)
        except BaseException:
            db.close()
            remove_project_file(Path(path))  # with its -wal and -shm: nothing half-made
            raise
        return cls(db)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Project:
        """Open and check a project file (see ``storage.open_db`` for what is checked).

        A file on a read-only drive or in a read-only folder, or one that is itself
        read-only, opens for reading; so does any file with ``read_only=True``. Changing
        it then raises ``ReadOnlyError`` (``read_only`` says why).
        """
        return cls(open_db(Path(path), read_only=read_only))

    @property
    def read_only(self) -> str | None:
        """Why the project is open for reading only, or None when it can be changed."""
        return self.db.read_only

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- properties ----------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def name(self) -> str:
        return self.meta.get("name") or self.path.stem

    @property
    def uuid(self) -> str:
        return self.meta.get("uuid") or ""

    @property
    def language(self) -> str:
        return self.meta.get("language") or "zh_CN"

    @property
    def kind(self) -> str:
        return self.meta.get("kind") or "project"

    @property
    def min_raters(self) -> int:
        return int(self.meta.get("min_raters") or 2)

    @property
    def rubric(self) -> Rubric:
        return RubricRepo(self.db.conn).load()

    def raters(self) -> list[str]:
        return RatersRepo(self.db.conn).names()

    # -- use cases -----------------------------------------------------------------------------
    def info(self) -> dict:
        """A summary of the project for `annotator info` and the window title."""
        meta = self.meta.all()
        ratings = RatingsRepo(self.db.conn)
        return {
            "path": str(self.path),
            "name": self.name,
            "uuid": self.uuid,
            "kind": self.kind,
            "language": self.language,
            "created_at": meta.get("created_at"),
            "modified_at": meta.get("modified_at"),
            "schema_version": SCHEMA_VERSION,
            "items": ItemsRepo(self.db.conn).count(),
            "models": [{"name": n, "items": c} for n, c in ModelsRepo(self.db.conn).counts()],
            "raters": self.raters(),
            "ratings": ratings.count(),
            "dimensions": [
                {"key": d.key, "name_en": d.name_en, "name_zh": d.name_zh, "weight": d.weight}
                for d in self.rubric.dimensions
            ],
            "min_raters": self.min_raters,
            "audit_entries": ratings.audit_count(),
        }

    def plan_import(
        self,
        path: str | Path,
        *,
        model: str | None = None,
        mapping: dict[str, str] | None = None,
        skip_duplicates: bool = False,
        progress: Progress | None = None,
    ):
        """Read and check a file without writing: the ``ImportPlan`` an import would store."""
        from annotator.core.io import read_items  # pandas-heavy: load only when importing

        return read_items(
            Path(path),
            model=model,
            mapping=mapping,
            skip_duplicates=skip_duplicates,
            progress=progress,
        )

    def import_file(
        self,
        path: str | Path | None = None,
        *,
        model: str | None = None,
        mapping: dict[str, str] | None = None,
        update: bool = False,
        skip_duplicates: bool = False,
        progress: Progress | None = None,
        plan=None,
    ) -> ImportReport:
        """Import an automatic-evaluation file; all of it or, on any problem, none of it.

        ``plan`` (from ``plan_import``) imports exactly what a preview showed, without
        reading the file again.
        """
        if plan is None:
            plan = self.plan_import(
                path, model=model, mapping=mapping, skip_duplicates=skip_duplicates
            )
        return import_plan(self.db, plan, model=model, update=update, progress=progress)

    def rater_times(self) -> dict[str, float]:
        """Mean seconds a rater spent per item, over items with a recorded time."""
        return RatingsRepo(self.db.conn).mean_seconds_by_rater()

    def preview_import(
        self, path: str | Path, *, n: int = 20, mapping: dict[str, str] | None = None
    ):
        """What an import would do, without writing: format, encoding, columns, roles, rows."""
        from annotator.core.io import preview

        return preview(Path(path), n=n, mapping=mapping)

    def import_ratings(self, path: str | Path) -> RatingsImportReport:
        """Import long-form ratings (item, rater, dimension, score[, comment]); all or nothing."""
        from annotator.core.ratings_import import import_ratings

        return import_ratings(self.db, Path(path))

    def compute_metrics(
        self,
        preset: str = "default",
        *,
        workers: int | None = None,
        progress: Progress | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> MetricsRunReport:
        """Compute a metric preset for every item and store the values with signatures."""
        from annotator.core.metrics_run import compute_metrics

        return compute_metrics(self.db, preset, workers=workers, progress=progress, cancel=cancel)

    def metric_runs(self) -> dict[str, dict]:
        """The stored metric runs by preset (signatures, per-model means, corpus values)."""
        from annotator.core.metrics_run import last_runs

        return last_runs(self.db)

    def session(self, rater: str) -> RaterSession:
        """Open a rater's blind scoring session."""
        if not rater.strip():
            raise AnnotatorError(tr("a rater needs a name"))
        package_rater = self.meta.get("package_rater")
        if package_rater and rater != package_rater:
            raise AnnotatorError(
                tr(
                    'this package is for rater "{package_rater}", not "{rater}"',
                    package_rater=package_rater,
                    rater=rater,
                )
            )
        return RaterSession(self.db, rater.strip())
