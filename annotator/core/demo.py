"""The demo project: shipped example items of two models (and simulated ratings)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from platformdirs import user_data_dir

from annotator.core.importing import MemoryPlan, import_plan
from annotator.core.models import ItemDraft
from annotator.core.project import Project
from annotator.core.resources import resource

DEMO_MODELS = (("base", "base"), ("lora", "lora-v2"))


def default_demo_path() -> Path:
    return Path(user_data_dir("annotator", appauthor=False)) / "demo.annotator"


def build_demo(path: Path | None = None, *, fresh: bool = False) -> Project:
    """Create (or reopen) the demo project. ``fresh`` replaces an existing demo file."""
    path = Path(path) if path else default_demo_path()
    if path.exists() and not fresh:
        return Project.open(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    source = resource("demo", "items.jsonl")
    raw = source.read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    project = Project.create(path, "Demo: Qwen2.5-1.5B LoRA v2 vs base", language="zh_CN")
    try:
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
            import_plan(project.db, MemoryPlan(source, drafts, sha, format="jsonl"))
        ratings = resource("demo", "ratings.csv")
        if ratings.exists() and hasattr(project, "import_ratings"):
            project.import_ratings(ratings)
        if hasattr(project, "compute_metrics"):
            project.compute_metrics()
    except BaseException:
        project.close()
        raise
    return project
