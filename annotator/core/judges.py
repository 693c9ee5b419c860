"""The LLM-judges part of the facade (issue 17): ``Project.judges``.

Composed by ``Project`` (not a mixin), as ``side_by_side`` is: each method is one thing a
lead does with judges and delegates to ``usecases.judges``. A judge is a kind of rater kept
in its own tables: it never counts in the human means, agreement or verdicts, and never
reaches a rater, unless the lead promotes it (``use``) after it passed the alternative
annotator test. The CLI and the GUI reach it only through ``Project.judges``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.storage import Database
from annotator.core.storage.errors import converting

if TYPE_CHECKING:
    from annotator.core.results import JudgesReport
    from annotator.core.usecases.judges.import_scores import JudgesImportReport
    from annotator.core.usecases.judges.promote import PromoteReport
    from annotator.core.usecases.judges.run import JudgeRunReport
    from annotator.core.usecases.side_by_side.preferences_import import (
        PreferencesImportReport,
    )


@converting(lambda facade: facade.db.path)
class Judges:
    """LLM judges: import, list, configure the test, promote, and their numbers."""

    def __init__(self, db: Database):
        self.db = db

    def import_scores(self, path: str | Path, judge: str | None = None) -> JudgesImportReport:
        """Import a judge's scores in the long form of ``ratings import`` (a ``judge`` or
        ``rater`` column, or ``judge`` when the file has none; an optional ``reason``);
        all or nothing, and the same file again changes nothing."""
        from annotator.core.usecases.judges.import_scores import import_scores

        return import_scores(self.db, Path(path), judge=judge)

    def import_preferences(
        self, path: str | Path, judge: str | None = None
    ) -> PreferencesImportReport:
        """Import a judge's side-by-side verdicts in Chatbot Arena's battle format: one row
        per order the judge saw (``model_a`` the answer shown left); all or nothing."""
        from annotator.core.usecases.side_by_side.judge_preferences import (
            import_judge_preferences,
        )

        return import_judge_preferences(self.db, Path(path), judge=judge)

    def list(self) -> list[dict]:
        """Every judge: name, signature, scores, judgments, failures, promoted."""
        from annotator.core.usecases.judges.promote import list_judges

        return list_judges(self.db)

    def use(self, name: str, on: bool = True, *, force: bool = False) -> PromoteReport:
        """Promote a judge to count as a rater (``on``), or stop it counting. A judge that
        has not passed the alternative annotator test on the current data is refused,
        naming the dimensions it failed, unless ``force`` (the report then says so)."""
        from annotator.core.usecases.judges.promote import promote

        return promote(self.db, name, on=on, force=force)

    def settings(self) -> dict:
        """``epsilon`` (the test's cost-benefit margin) and its ``level`` in words."""
        from annotator.core.usecases.judges.settings import judge_settings

        return judge_settings(self.db)

    def configure(
        self, *, epsilon: float | str | None = None, gates_from: str | None = None
    ) -> dict:
        """Set epsilon (0.2 / 0.15 / 0.1, or by word expert / skilled / crowd) and the
        source of the model gates on human means: ``gates_from`` a judge's name (its
        prediction-powered means) or "humans" (the human-only means, the default)."""
        from annotator.core.usecases.judges.settings import configure

        return configure(self.db, epsilon=epsilon, gates_from=gates_from)

    def evaluate(self, *, resamples: int = 1000) -> JudgesReport:
        """Every judge's numbers against the humans as the project is now."""
        from annotator.core.usecases.judges.report import judges_report

        return judges_report(self.db, resamples=resamples)

    def run(
        self,
        *,
        endpoint: str,
        model: str,
        judge: str | None = None,
        dimensions: Sequence[str] | None = None,
        concurrency: int = 4,
        prompt: str | Path | None = None,
        pair_prompt: str | Path | None = None,
        comparisons: bool = False,
        items: bool | None = None,
        limit: int | None = None,
        temperature: float = 0.0,
        max_tokens: int = 1024,
        seed: int | None = None,
        json_mode: bool = True,
        timeout: float = 120.0,
        reply_retries: int = 3,
        api_key_env: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        backoff: float = 1.0,
    ) -> JudgeRunReport:
        """Run an LLM judge through an OpenAI-compatible chat-completions ``endpoint``
        (``judge`` defaults to the model's name) over the items (``dimensions``: all by
        default), or the side-by-side comparisons in both orders (``comparisons``; with
        ``items=True`` as well). Each answer is stored as it arrives: a run stopped at any
        point resumes where it was, nothing stored is asked for again. The key is read
        from the environment variable ``api_key_env`` (OPENAI_API_KEY when set and none
        is named) and never stored. Raises ``JudgeRunError`` (``.report``) when the
        endpoint fails. ``backoff``: the first retry's wait in seconds (doubled each time)."""
        from annotator.core.usecases.judges.run import run_judge

        return run_judge(
            self.db, endpoint=endpoint, model=model, judge=judge, dimensions=dimensions,
            items=items, comparisons=comparisons, limit=limit, concurrency=concurrency,
            prompt=prompt, pair_prompt=pair_prompt, temperature=temperature,
            max_tokens=max_tokens, seed=seed, json_mode=json_mode, timeout=timeout,
            reply_retries=reply_retries, api_key_env=api_key_env, progress=progress,
            cancel=cancel, backoff=backoff,
        )  # fmt: skip

    def pairs(self, name: str, dimension: str):
        """Per item: the judge ``name``'s score and the human mean on ``dimension`` (a
        rubric key, or ``"all"``): a DataFrame of item_id, model, dimension, judge,
        human_mean and humans, on the units the judge's correlations use."""
        from annotator.core.usecases.judges.scatter import pairs

        return pairs(self.db, name, dimension)
