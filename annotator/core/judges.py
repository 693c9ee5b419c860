"""The LLM-judges part of the facade (issue 17): ``Project.judges``.

Composed by ``Project`` (not a mixin), as ``side_by_side`` is: each method is one thing a
lead does with judges and delegates to ``usecases.judges``. A judge is a kind of rater kept
in its own tables: it never counts in the human means, agreement or verdicts, and never
reaches a rater, unless the lead promotes it (``use``) after it passed the alternative
annotator test. The CLI and the GUI reach it only through ``Project.judges``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.storage import Database
from annotator.core.storage.errors import converting

if TYPE_CHECKING:
    from annotator.core.results import JudgesReport
    from annotator.core.usecases.judges.import_scores import JudgesImportReport
    from annotator.core.usecases.judges.promote import PromoteReport
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

    def configure(self, *, epsilon: float | str | None = None) -> dict:
        """Set epsilon: 0.2 / 0.15 / 0.1, or by word expert / skilled / crowd."""
        from annotator.core.usecases.judges.settings import configure

        return configure(self.db, epsilon=epsilon)

    def evaluate(self, *, resamples: int = 1000) -> JudgesReport:
        """Every judge's numbers against the humans as the project is now."""
        from annotator.core.usecases.judges.report import judges_report

        return judges_report(self.db, resamples=resamples)
