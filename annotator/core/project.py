"""The use-case facade: the CLI and the GUI call this and nothing below it.

A ``Project`` wraps one open project file (or a rater package). Each method is one thing
a lead or a rater does and delegates to a use case; nothing below imports it. The lead's
use cases (scipy, openpyxl) are imported where used: a rater's window opens without them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.domain.models import Rubric
from annotator.core.gold import Gold
from annotator.core.i18n import LANGUAGES
from annotator.core.judges import Judges
from annotator.core.side_by_side import SideBySide
from annotator.core.storage import Database, MetaRepo, RatersRepo, RatingsRepo, RubricRepo, open_db
from annotator.core.storage.errors import converting
from annotator.core.storage.meta import peek_setting
from annotator.core.storage.scoring_lock import check_free
from annotator.core.usecases import lead_items
from annotator.core.usecases.importing import ImportReport, ModelCounts, import_counts, import_plan
from annotator.core.usecases.project_file import create_project
from annotator.core.usecases.session import RaterSession
from annotator.core.usecases.session_writes import refuse_rater

if TYPE_CHECKING:
    from annotator.core.domain.decision import Baseline, DecisionRule
    from annotator.core.domain.gates import Gate
    from annotator.core.stats.plan import Plan
    from annotator.core.usecases.evaluation import Evaluation
    from annotator.core.usecases.metrics_run import MetricsRunReport
    from annotator.core.usecases.ratings_import import RatingsImportReport

Progress = Callable[[int, int], None]
PACKAGE_KIND = "package"
__all__ = ["LANGUAGES", "Project"]  # the project's language is one of LANGUAGES


@converting(lambda project: project.db.path)
class Project:
    """One evaluation project (or a rater package: the same file format).

    No ``sqlite3.Error`` leaves a method: a damaged, locked or full file raises a
    ``ProjectFileError`` naming it."""

    def __init__(self, db: Database):
        self.db = db

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
        """Create a new project file with the default (or given) rubric; whole or not at all."""
        db = create_project(
            Path(path), name, language=language, rubric=rubric, min_raters=min_raters
        )
        return cls(db)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, background: bool = False):
        """Open and check a project file; read-only ones (or ``read_only``) refuse changes;
        ``background``: the check runs beside the reads (``evaluate`` waits for it)."""
        return cls(open_db(Path(path), read_only=read_only, check_in_background=background))

    @classmethod
    def demo(cls, path: str | Path | None = None, *, fresh: bool = False) -> Project:
        """Create (or reopen) the demo project; ``fresh`` replaces an existing demo file."""
        from annotator.core.usecases.demo import build_demo  # the shipped items: load on use

        return cls(build_demo(Path(path) if path is not None else None, fresh=fresh))

    @staticmethod
    def peek_language(path: str | Path) -> str | None:
        """The project's language without opening it (None if unreadable): for messages."""
        try:
            return peek_setting(path, "language")
        except (OSError, ValueError):  # a name the system refuses, a NUL: only a guess failed
            return None

    @property
    def read_only(self) -> Message | None:
        """Why the project is open for reading only (words), or None when it can be changed."""
        return self.db.read_only

    def close(self) -> None:
        self.db.close()  # every thread's connection

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- properties ----------------------------------------------------------------------------
    @property
    def meta(self) -> MetaRepo:
        """Project settings, read through the calling thread's connection."""
        return MetaRepo(self.db.conn)

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

    @property
    def side_by_side(self) -> SideBySide:
        """Comparisons of two models' answers (issue 16): create, judge, read."""
        return SideBySide(self.db)

    @property
    def judges(self) -> Judges:
        """LLM judges, apart from the raters (issue 17): import, test, promote, numbers."""
        return Judges(self.db)

    @property
    def gold(self) -> Gold:
        """Gold items (issue 18): expected scores hidden in the raters' work."""
        return Gold(self.db)

    def raters(self) -> list[str]:
        return RatersRepo(self.db.conn).names()

    def info(self) -> dict:
        """A summary of the project for `annotator info` and the window title."""
        return lead_items.project_info(self.db)

    def change_token(self) -> str:
        """Changes whenever anything is committed to the file, by any program (cheap to poll)."""
        return self.meta.get("modified_at") or ""

    # -- importing -----------------------------------------------------------------------------
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
        from annotator.core.formats.items import read_items  # pandas-heavy: load on use

        options = {"mapping": mapping, "skip_duplicates": skip_duplicates, "progress": progress}
        return read_items(Path(path), model=model, **options)

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
        """Import an automatic-evaluation file, all or nothing; ``plan`` (from
        ``plan_import``) imports exactly what a preview showed, without reading again."""
        if plan is None:
            plan = self.plan_import(
                path, model=model, mapping=mapping, skip_duplicates=skip_duplicates
            )
        return import_plan(self.db, plan, model=model, update=update, progress=progress)

    def count_import(self, plan, *, model: str | None = None) -> dict[str, ModelCounts]:
        """Per model, what importing ``plan`` would add, leave unchanged or update; no write."""
        return import_counts(self.db, plan, model=model)

    def preview_import(
        self, path: str | Path, *, n: int = 20, mapping: dict[str, str] | None = None
    ):
        """What an import would do, without writing: format, encoding, columns, roles, rows."""
        from annotator.core.formats.items import preview

        return preview(Path(path), n=n, mapping=mapping)

    def import_ratings(self, path: str | Path) -> RatingsImportReport:
        """Import long-form ratings (item, rater, dimension, score[, comment]); all or nothing."""
        from annotator.core.usecases.ratings_import import import_ratings

        return import_ratings(self.db, Path(path))

    # -- metrics -------------------------------------------------------------------------------
    def compute_metrics(
        self,
        preset: str = "default",
        *,
        workers: int | None = None,
        progress: Progress | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> MetricsRunReport:
        """Compute a metric preset for every item and store the values with signatures."""
        from annotator.core.usecases.metrics_run import compute_metrics

        return compute_metrics(self.db, preset, workers=workers, progress=progress, cancel=cancel)

    def metric_runs(self) -> dict[str, dict]:
        """The stored metric runs by preset (signatures, per-model means, corpus values)."""
        from annotator.core.usecases.metrics_run import last_runs

        return last_runs(self.db)

    # -- rating --------------------------------------------------------------------------------
    def session(self, rater: str) -> RaterSession:
        """Open a rater's blind scoring session (it holds the rater's lock on the file)."""
        refuse_rater(rater, self.meta.get("package_rater"))
        return RaterSession(self.db, rater.strip())

    def check_free(self, rater: str | None = None) -> None:
        """``HeldError`` (who, since) if a window scores in this package or as ``rater``."""
        check_free(self.path, None if self.kind == "package" else rater)

    def rater_times(self) -> dict[str, float]:
        """Mean seconds a rater spent per item, over items with a recorded time."""
        return RatingsRepo(self.db.conn).mean_seconds_by_rater()

    # -- statistics, gates, verdicts -------------------------------------------------------------
    def evaluate(
        self,
        *,
        level: str = "ordinal",
        resamples: int = 1000,
        gates: tuple[Gate, ...] | None = None,
        round_name: str | None = None,
    ) -> Evaluation:
        """Averages, agreement and verdicts now (``round_name``: one round's items only)."""
        from annotator.core.usecases.evaluation import evaluate_project

        return evaluate_project(self.db, level=level, resamples=resamples, gates=gates,
                                round_name=round_name)  # fmt: skip

    def gates(self) -> tuple[Gate, ...]:
        """The project's gates (the defaults until edited)."""
        from annotator.core.usecases.evaluation import load_gates

        return load_gates(self.db)

    def check_rule(self, text: str, gates: tuple[Gate, ...] | None = None) -> Gate:
        """The gate a rule ("bleu >= 0.35") makes of ``gates`` (the project's when None), not
        saved; ``ThresholdScaleError`` (``.suggestion``) for a threshold on the wrong scale."""
        from annotator.core.usecases.evaluation import parse_rule

        return parse_rule(text, self.gates() if gates is None else gates)

    def edit_gates(
        self, *, rules: list[str] = (), reset: bool = False, **changes
    ) -> tuple[Gate, ...]:
        """Change the rules ("bleu >= 0.35"), switch gates (``enable``, ``disable``, ``hard``,
        ``soft``: keys), reset; ``decision`` and ``minimum`` set how models are judged."""
        from annotator.core.usecases.gates_edit import edit_gates

        return edit_gates(self.db, rules=rules, reset=reset, **changes)

    def decision(self) -> DecisionRule:
        """How model verdicts decide: the interval or point rule, the minimum of samples."""
        from annotator.core.usecases.evaluation import load_decision

        return load_decision(self.db)

    # -- models, the baseline, the plan ----------------------------------------------------------
    def models(self) -> tuple[list[dict], Baseline]:
        """Each model (name, items, baseline) in import order, and the ``Baseline``."""
        from annotator.core.usecases.models import list_models

        return list_models(self.db)

    def set_baseline(self, name: str | None) -> Baseline:
        """Name the model before fine-tuning (stored); None chooses it by name again."""
        from annotator.core.usecases.models import set_baseline

        return set_baseline(self.db, name)

    def plan(self, **targets) -> Plan:
        """Samples and raters a decision needs (``delta``, ``half_width``, ``power``, ``alpha``;
        ``evaluation``: one just made, so the project is not read twice)."""
        from annotator.core.usecases.planning import plan_project

        return plan_project(self.db, **targets)

    # -- the lead's view of items ----------------------------------------------------------------
    def adjudicate(
        self, item: str | int, dimension: str, score: int, *, note: str = "", by: str = "lead"
    ) -> int:
        """Record the lead's score (audit-logged, apart from the raters'); returns the item id."""
        return lead_items.adjudicate(self.db, item, dimension, score, note=note, by=by)

    def item_detail(self, item_id: int) -> dict:
        """Everything about one item for the lead (not blind): texts, scores, flags, metrics."""
        return lead_items.item_detail(self.db, item_id)

    def resolve_item(self, ref: str | int) -> int:
        """An item id from what a person writes: a uid, "model/sample", a sample id, an id."""
        return lead_items.resolve_item(self.db, ref)

    def export(
        self,
        target: str | Path,
        *,
        progress: Progress | None = None,
        evaluation: Evaluation | None = None,
    ) -> Path:
        """Write the Excel report (.xlsx), the ratings (.csv) or the summary (.json), in the
        project's language (an ``evaluation`` in another language gets its verdicts redone)."""
        from annotator.core.usecases.exporting import export

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
        gold: str | float = "all",
        calibration: int = 0,
    ):
        """Hand out items: each gets ``per_item`` raters (default all), load balanced; the gold
        items go to every rater (or a ``gold`` share), ``calibration`` N items to all first."""
        if self.kind == PACKAGE_KIND:
            raise AnnotatorError(
                Message(
                    "{path} is a rater package; assign raters in the project file",
                    path=self.path,
                )
            )
        options = {"per_item": per_item, "items_filter": items_filter, "seed": seed}
        extra = {"shared": shared, "gold": gold, "calibration": calibration}
        return _team().assign(self.db, raters, **options, **extra)

    def create_package(self, rater: str, out: str | Path, **options):
        """Write a blind rater package (only the rater's items); ``overwrite``, ``round_name``."""
        return _team().create_package(self.db, rater, Path(out), **options)

    def merge_package(self, path: str | Path):
        """Merge a rater package back: checked, backed up, one transaction, idempotent."""
        return _team().merge_package(self.db, Path(path))

    def create_sheet(self, rater: str, out: str | Path, **options):
        """Write an Excel rating sheet (``overwrite``, ``round_name``: calibration or main)."""
        return _team().create_sheet(self.db, rater, Path(out), **options)

    def import_sheet(self, path: str | Path, *, skip_invalid: bool = False):
        """Import a filled rating sheet; every cell is checked first."""
        return _team().import_sheet(self.db, Path(path), skip_invalid=skip_invalid)

    def team_status(self) -> dict:
        """Per rater: assigned, done, remaining, last merge."""
        return _team().team_status(self.db)

    @staticmethod
    def format_team_status(status: dict) -> str:
        """``team_status()`` as a table for a terminal, in the current language."""
        return _team().format_status(status)


def _team():
    """The team use cases (openpyxl, the seal): imported on first use."""
    from annotator.core.usecases import team

    return team
