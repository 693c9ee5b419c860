"""The demo project: shipped example items of two models, simulated ratings,
side-by-side judgments and a simulated LLM judge's scores.

``fresh`` replaces the demo file; at a path of the user's choosing it replaces only a
file that is a demo project itself, never a real project given there by mistake.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from platformdirs import user_data_dir

from annotator.core.domain.errors import AnnotatorError, NotADemoError, environment_error
from annotator.core.domain.message import Message
from annotator.core.domain.models import ItemDraft
from annotator.core.formats.paths import check_target_name, shown
from annotator.core.resources import resource
from annotator.core.storage import Database, MetaRepo, open_db
from annotator.core.usecases.importing import MemoryPlan, import_plan
from annotator.core.usecases.judges.import_scores import import_scores
from annotator.core.usecases.metrics_run import compute_metrics
from annotator.core.usecases.project_file import create_project
from annotator.core.usecases.ratings_import import import_ratings
from annotator.core.usecases.side_by_side.preferences_import import import_preferences

DEMO_MODELS = (("base", "base"), ("lora", "lora-v2"))
DEMO_NAME = "Demo: Qwen2.5-1.5B LoRA v2 vs base"
DEMO_KEY = "demo"  # in the project's meta: this file was made by build_demo


def default_demo_path() -> Path:
    return Path(user_data_dir("annotator", appauthor=False)) / "demo.annotator"


def build_demo(path: Path | None = None, *, fresh: bool = False) -> Database:
    """Create (or reopen) the demo project. ``fresh`` replaces an existing demo file.

    Built through the use cases and storage, not through the facade (which sits above this
    module): ``Project.demo`` wraps the returned database.

    Raises:
        AnnotatorError: the path cannot be a file (too long, through a file, its folder
            cannot be made), or ``fresh`` would replace a file that is not a demo project.
    """
    custom = path is not None
    path = Path(path) if path else default_demo_path()
    check_target_name(path)
    if path.exists() and not fresh:
        return open_db(path)
    if path.exists() and custom and not is_demo(path):
        raise NotADemoError(
            Message(
                "{path} is not a demo project; the demo does not replace it. Choose a new "
                "file name for the demo (or the name of an earlier demo).",
                path=shown(path),
            ),
            path=path,
        )
    _make_folder(path.parent)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    db = create_project(path, DEMO_NAME, language="zh_CN")
    try:
        with db.transaction():
            MetaRepo(db.conn).set(DEMO_KEY, "1")
        _fill(db)
    except BaseException:
        db.close()
        raise
    return db


def is_demo(path: Path) -> bool:
    """Whether ``path`` is a demo project (made by ``build_demo``); False if unreadable."""
    try:
        db = open_db(path, read_only=True, check_integrity=False)
    except Exception:  # not a project at all (or not readable): not ours to replace
        return False
    try:
        meta = MetaRepo(db.conn)
        return meta.get(DEMO_KEY) == "1" or (
            meta.get(DEMO_KEY) is None and meta.get("name") == DEMO_NAME  # an older demo
        )
    except Exception:
        return False
    finally:
        db.close()


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        found = environment_error(exc, folder)
        if found is not None:
            raise found from None
        raise AnnotatorError(
            Message(
                "the folder {folder} cannot be made ({reason})",
                folder=shown(folder),
                reason=exc.strerror or type(exc).__name__,
            )
        ) from None


def _fill(db: Database) -> None:
    source = resource("demo", "items.jsonl")
    raw = source.read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    sha = hashlib.sha256(raw).hexdigest()
    for field_name, model in DEMO_MODELS:
        drafts = [
            ItemDraft(
                sample_id=r["id"],
                instruction=r["instruction"],
                reference=r["reference"],
                generated=r[field_name],
                row=n,
                model=model,
                metadata={"task": r.get("task", ""), "lang": r.get("lang", "")},
            )
            for n, r in enumerate(rows, start=1)
        ]
        import_plan(db, MemoryPlan(source, drafts, sha, format="jsonl"))
    ratings = resource("demo", "ratings.csv")
    if ratings.exists():
        import_ratings(db, ratings)
    battles = resource("demo", "battles.csv")  # the same raters, side by side
    if battles.exists():
        import_preferences(db, battles)
    judge = resource("demo", "judge.csv")  # a simulated judge (sim-judge), not promoted
    if judge.exists():
        import_scores(db, judge)
    compute_metrics(db, "default")
