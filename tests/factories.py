"""Items made in code for tests: real rows written through the real import path."""

from __future__ import annotations

from pathlib import Path

from annotator.core.domain.models import ItemDraft
from annotator.core.usecases.importing import MemoryPlan, import_plan


def add_items(project, n: int, model: str = "base", prefix: str = "s") -> None:
    """Import ``n`` Chinese triples of ``model`` with sample ids ``{prefix}1..{prefix}n``."""
    drafts = [
        ItemDraft(
            sample_id=f"{prefix}{k}",
            instruction=f"为产品 {k} 写一句文案",
            reference=f"参考答案 {k}:平价又显白",
            # different per model, without naming it (blindness tests look for the name)
            generated=f"模型输出 {k}:显白不挑皮{'。' if 'base' in model else '!'}",
            row=k + 1,
            model=model,
        )
        for k in range(1, n + 1)
    ]
    import_plan(project.db, MemoryPlan(Path(f"{model}.jsonl"), drafts, f"sha-{model}-{n}"))
