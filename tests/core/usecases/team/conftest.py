"""Fixtures for the team workflow: a project whose texts never mention model names."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.storage import RatingsRepo
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.importing import MemoryPlan, import_plan

MODELS = ("qwen-secret-base", "qwen-secret-lora")


def add_blind_items(project: Project, n: int, model: str, *, suffix: str = "") -> None:
    """n items per model with texts that say nothing about the model (to test blindness)."""
    drafts = [
        ItemDraft(
            sample_id=f"q{k}",
            instruction=f"为产品 {k} 写一句广告语",
            reference=f"参考 {k}",
            generated=f"输出 {k}{'甲' if model.endswith('base') else '乙'}{suffix}",
            row=k + 1,
            model=model,
            metadata={"note": f"meta-{model}"},
        )
        for k in range(1, n + 1)
    ]
    import_plan(
        project.db,
        MemoryPlan(Path(f"/data/{model}.jsonl"), drafts, f"sha-{model}-{n}{suffix}"),
        update=bool(suffix),
    )


@pytest.fixture
def team_project(tmp_path):
    """8 samples x 2 models, language zh_CN."""
    p = Project.create(tmp_path / "team.annotator", "team eval")
    for model in MODELS:
        add_blind_items(p, 8, model)
    yield p
    p.close()


def project_state(project: Project) -> tuple:
    """Everything a refused merge must leave exactly as it was."""
    ratings = RatingsRepo(project.db.conn)
    return (
        ratings.frame().to_dict("records"),
        ratings.annotations_frame().to_dict("records"),
        ratings.audit_count(),
        TeamRepo(project.db.conn).merges(),
        project.meta.get("modified_at"),
        sorted(p.name for p in project.path.parent.glob("*.bak")),
    )


def scores_by_uid(project: Project, rater: str) -> dict[tuple[str, str], int]:
    """(item uid, dimension) -> score of one rater, read through the repositories."""
    frame = RatingsRepo(project.db.conn).frame()
    uids = dict(TeamRepo(project.db.conn).uid_index())
    by_id = {item_id: uid for uid, (item_id, _) in uids.items()}
    return {
        (by_id[i], d): s
        for i, r, d, s in zip(
            frame["item_id"], frame["rater"], frame["dimension"], frame["score"], strict=True
        )
        if r == rater
    }
