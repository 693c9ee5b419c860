"""The use-case facade: the CLI and the GUI call this and nothing below it.

A ``Project`` wraps one open project file. Each method is one thing a lead or a
rater does; the work itself lives in small use-case modules next to this one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.core.importing import ImportReport, import_plan
from annotator.core.models import Rubric
from annotator.core.rubric import DimensionResolver, load_rubric, parse_score
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
from annotator.core.storage.evaluation_repo import AdjudicationsRepo

# The lead's use cases pull in scipy, the metrics and openpyxl: they are imported
# where they are used, so a rater's window opens without paying for them.
if TYPE_CHECKING:
    from annotator.core.evaluation import Evaluation
    from annotator.core.metrics_run import MetricsRunReport
    from annotator.core.ratings_import import RatingsImportReport
    from annotator.core.verdicts import Gate

Progress = Callable[[int, int], None]
LANGUAGES = ("zh_CN", "en")


class Project:
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
            raise AnnotatorError(f'language "{language}" is not one of {", ".join(LANGUAGES)}')
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
            Path(path).unlink(missing_ok=True)
            raise
        return cls(db)

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Open and check a project file (see ``storage.open_db`` for what is checked)."""
        return cls(open_db(Path(path)))

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

    # -- statistics, gates, verdicts -------------------------------------------------------------
    def evaluate(
        self,
        *,
        level: str = "ordinal",
        resamples: int = 1000,
        gates: tuple[Gate, ...] | None = None,
    ) -> Evaluation:
        """Averages, agreement and verdicts of the project as it is now."""
        from annotator.core.evaluation import evaluate_project

        return evaluate_project(self.db, level=level, resamples=resamples, gates=gates)

    def gates(self) -> tuple[Gate, ...]:
        from annotator.core.evaluation import load_gates

        return load_gates(self.db)

    def edit_gates(
        self,
        *,
        rules: list[str] = (),
        enable: list[str] = (),
        disable: list[str] = (),
        hard: list[str] = (),
        soft: list[str] = (),
        reset: bool = False,
    ) -> tuple[Gate, ...]:
        """Change the gate rules ("bleu >= 0.35"), switch gates on or off, or reset them."""
        from annotator.core.evaluation import parse_rule, save_gates
        from annotator.core.verdicts import DEFAULT_GATES

        gates = list(DEFAULT_GATES if reset else self.gates())
        for rule in rules:
            new = parse_rule(rule, tuple(gates))
            gates = [new if g.key == new.key else g for g in gates]
            if new.key not in {g.key for g in gates}:
                gates.append(new)
        switches = [
            (enable, "enabled", True),
            (disable, "enabled", False),
            (hard, "hard", True),
            (soft, "hard", False),
        ]
        for keys, attr, value in switches:
            for key in keys:
                if key not in {g.key for g in gates}:
                    raise AnnotatorError(
                        f'no gate "{key}" (gates: {", ".join(g.key for g in gates)})'
                    )
                gates = [replace(g, **{attr: value}) if g.key == key else g for g in gates]
        save_gates(self.db, tuple(gates))
        return tuple(gates)

    def adjudicate(
        self, item: str | int, dimension: str, score: int, *, note: str = "", by: str = "lead"
    ) -> int:
        """Record the lead's score for an item and dimension; the verdicts then use it.

        Kept apart from the raters' scores and written to the audit log. Returns the item id.
        """
        item_id = self.resolve_item(item)
        key = DimensionResolver(self.rubric).resolve(dimension)
        if key is None:
            raise AnnotatorError(f'unknown dimension "{dimension}"')
        value = parse_score(score)
        if value is None:
            raise AnnotatorError(f'"{score}" is not a score from 1 to 5')
        with self.db.transaction():
            AdjudicationsRepo(self.db.conn).set(
                item_id, RubricRepo(self.db.conn).ids()[key], value, note, by
            )
        return item_id

    def item_detail(self, item_id: int) -> dict:
        """Everything about one item for the lead (not blind): texts, model, every rater's
        scores, comments and flags, adjudicated scores, metric values."""
        item = ItemsRepo(self.db.conn).get(item_id)
        ratings = RatingsRepo(self.db.conn)
        scores = ratings.frame_for_item(item_id)
        notes = ratings.annotations_for_item(item_id)
        adjudicated = AdjudicationsRepo(self.db.conn).frame()
        adjudicated = adjudicated[adjudicated["item_id"] == item_id]
        metrics = ItemsRepo(self.db.conn).metrics_for_item(item_id)
        return {
            "item": item,
            "scores": {
                r: dict(zip(g["dimension"], g["score"].astype(int), strict=True))
                for r, g in scores.groupby("rater", sort=False)
            },
            "notes": {r: {"comment": c, "flag": f, "seconds": s} for r, c, f, s in notes},
            "adjudicated": dict(
                zip(adjudicated["dimension"], adjudicated["score"].astype(int), strict=True)
            ),
            "metrics": metrics,
        }

    def change_token(self) -> str:
        """Changes whenever anything is committed to the file, by this or another program.

        Cheap enough to poll every second or two: a dashboard refreshes when it changes.
        """
        return self.meta.get("modified_at") or ""

    def resolve_item(self, ref: str | int) -> int:
        """An item id from what a person writes: a uid, "model/sample", a sample id, an id."""
        if isinstance(ref, int):
            return ref
        hits = ItemsRepo(self.db.conn).find(str(ref))
        if not hits and str(ref).isdigit():
            try:
                return ItemsRepo(self.db.conn).get(int(ref)).id
            except KeyError:
                pass
        if not hits:
            raise AnnotatorError(f'item "{ref}" is not in this project')
        if len(hits) > 1:
            models = ", ".join(sorted(m for _, m in hits))
            raise AnnotatorError(
                f'item "{ref}" exists for several models ({models}); '
                f'write it as "{hits[0][1]}/{ref}"'
            )
        return hits[0][0]

    def export(
        self,
        target: str | Path,
        *,
        progress: Progress | None = None,
        evaluation: Evaluation | None = None,
    ) -> Path:
        """Write the Excel report (.xlsx), the ratings (.csv) or the summary (.json)."""
        from annotator.core.exporting import export

        return export(self.db, Path(target), progress=progress, evaluation=evaluation)

    # -- offline team workflow -------------------------------------------------------------------
    def assign(
        self,
        raters: list[str],
        *,
        per_item: int | None = None,
        items_filter: str | None = None,
        seed: int = 0,
        shared: float = 0,
    ):
        """Hand out items: each gets ``per_item`` raters (default all), load balanced."""
        from annotator.core import team

        return team.assign(
            self.db, raters, per_item=per_item, items_filter=items_filter, seed=seed, shared=shared
        )

    def create_package(self, rater: str, out: str | Path, *, overwrite: bool = False):
        """Write a blind rater package (a project file with only this rater's items)."""
        from annotator.core import team

        return team.create_package(self.db, rater, Path(out), overwrite=overwrite)

    def merge_package(self, path: str | Path):
        """Merge a rater package back: checked, backed up, one transaction, idempotent."""
        from annotator.core import team

        return team.merge_package(self.db, Path(path))

    def create_sheet(self, rater: str, out: str | Path, *, overwrite: bool = False):
        """Write an Excel rating sheet for raters who do not use the app."""
        from annotator.core import team

        return team.create_sheet(self.db, rater, Path(out), overwrite=overwrite)

    def import_sheet(self, path: str | Path, *, skip_invalid: bool = False):
        """Import a filled rating sheet; every cell is checked first."""
        from annotator.core import team

        return team.import_sheet(self.db, Path(path), skip_invalid=skip_invalid)

    def team_status(self) -> dict:
        """Per rater: assigned, done, remaining, last merge."""
        from annotator.core import team

        return team.team_status(self.db)

    def session(self, rater: str) -> RaterSession:
        """Open a rater's blind scoring session."""
        if not rater.strip():
            raise AnnotatorError("a rater needs a name")
        package_rater = self.meta.get("package_rater")
        if package_rater and rater != package_rater:
            raise AnnotatorError(f'this package is for rater "{package_rater}", not "{rater}"')
        return RaterSession(self.db, rater.strip())
