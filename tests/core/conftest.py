"""Projects with real items in a real SQLite file, for core and CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.importing import MemoryPlan, import_plan
from annotator.core.models import ItemDraft
from annotator.core.project import Project


def add_items(project: Project, n: int, model: str = "base", prefix: str = "s") -> None:
    drafts = [
        ItemDraft(
            sample_id=f"{prefix}{k}",
            instruction=f"写一句关于产品 {k} 的文案",
            reference=f"参考答案 {k}",
            generated=f"模型输出 {k} ({model})",
            row=k + 1,
            model=model,
        )
        for k in range(1, n + 1)
    ]
    import_plan(project.db, MemoryPlan(Path(f"{model}.jsonl"), drafts, f"sha-{model}-{n}"))


@pytest.fixture
def project(tmp_path):
    """A project with 12 items of model "base" and 12 of "lora-v2"."""
    p = Project.create(tmp_path / "eval.annotator", "test eval")
    add_items(p, 12, "base")
    add_items(p, 12, "lora-v2")
    yield p
    p.close()
