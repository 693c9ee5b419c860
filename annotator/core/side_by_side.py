"""The side-by-side part of the facade (issue 16): ``Project.side_by_side``.

Composed by ``Project`` (not a mixin): each method is one thing a lead or a rater does with
comparisons and delegates to ``usecases.side_by_side``. The CLI and the GUI reach it only
through ``Project.side_by_side``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.domain.side_by_side import DIMENSIONS_KEY, SCALE_KEY
from annotator.core.storage import Database, MetaRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.errors import converting

if TYPE_CHECKING:
    import pandas as pd

    from annotator.core.usecases.session import RaterSession
    from annotator.core.usecases.side_by_side.create import CreateReport
    from annotator.core.usecases.side_by_side.preferences_export import PairwiseExport
    from annotator.core.usecases.side_by_side.preferences_import import (
        PreferencesImportReport,
    )
    from annotator.core.usecases.side_by_side.session import ComparisonSession


@converting(lambda facade: facade.db.path)
class SideBySide:
    """Comparisons of two models' answers: create, configure, judge, read."""

    def __init__(self, db: Database):
        self.db = db

    def create(
        self,
        *,
        models: list[str] | None = None,
        vs_baseline: bool = False,
        all_pairs: bool = False,
    ) -> CreateReport:
        """Create comparisons of two named models, of every candidate against the baseline,
        or of every pair, on the samples both answered; again: only what is new."""
        from annotator.core.usecases.side_by_side.create import create_comparisons

        return create_comparisons(
            self.db, models=models, vs_baseline=vs_baseline, all_pairs=all_pairs
        )

    def count(self) -> int:
        """How many comparisons the project (or package) holds."""
        return ComparisonsRepo(self.db.conn).count()

    def settings(self) -> dict:
        """``scale`` (3 or 5 levels) and ``dimensions`` (judged per rubric dimension too)."""
        meta = MetaRepo(self.db.conn)
        return {
            "scale": 5 if meta.get(SCALE_KEY) == "5" else 3,
            "dimensions": meta.get(DIMENSIONS_KEY) == "1",
        }

    def configure(self, *, scale: int | None = None, dimensions: bool | None = None) -> dict:
        """Set the scale (3: A better / same / B better; 5: with "much better") and whether
        raters judge each rubric dimension as well as overall; returns the settings."""
        if scale not in (None, 3, 5):
            raise AnnotatorError(Message("the side-by-side scale has 3 or 5 levels"))
        with self.db.transaction():
            meta = MetaRepo(self.db.conn)
            if scale is not None:
                meta.set(SCALE_KEY, str(scale))
            if dimensions is not None:
                meta.set(DIMENSIONS_KEY, "1" if dimensions else "0")
        return self.settings()

    def session(self, scoring: RaterSession) -> ComparisonSession:
        """The rater's side-by-side session, sharing ``scoring``'s file, rater and lock."""
        from annotator.core.usecases.side_by_side.session import ComparisonSession

        return ComparisonSession(scoring)

    def judgments(self) -> pd.DataFrame:
        """Every judgment (the lead's view: models by name, the side each was shown on)."""
        return ComparisonsRepo(self.db.conn).frame()

    def import_preferences(self, path: str | Path) -> PreferencesImportReport:
        """Import judgments in Chatbot Arena's battle format (CSV or JSON lines); all or
        nothing, and the same file again changes nothing."""
        from annotator.core.usecases.side_by_side.preferences_import import import_preferences

        return import_preferences(self.db, Path(path))

    def export(self, target: str | Path) -> PairwiseExport:
        """Write ``preferences*.jsonl`` (LLaMA-Factory's preference pairs, registered in a
        dataset_info.json beside it) or ``battles*.jsonl`` (every judgment as a Chatbot
        Arena battle); returns the rows written and the comparisons left out, by why."""
        from annotator.core.usecases.exporting import export_pairwise

        return export_pairwise(self.db, Path(target))

    def status(self) -> dict:
        """Comparisons per pair (how many judged) and each rater's share, for the lead."""
        repo = ComparisonsRepo(self.db.conn)
        pairs = [
            {"model_a": a, "model_b": b, "comparisons": n, "judged": judged,
             "judgments": judgments}
            for a, b, n, judged, judgments in repo.pair_counts()
        ]  # fmt: skip
        raters = [
            {"rater": name, "assigned": assigned, "judged": judged, "judgments": judgments}
            for name, assigned, judged, judgments in repo.rater_counts()
        ]
        return {"comparisons": repo.count(), "pairs": pairs, "raters": raters}

    def preview(
        self,
        *,
        models: list[str] | None = None,
        vs_baseline: bool = False,
        all_pairs: bool = False,
    ) -> list[dict]:
        """What ``create`` would do with the same request, without writing: per pair (the
        candidate as ``model_a``, oriented as ``create`` orients it) the samples both models
        answered, how many of them are compared already and how many would be new; raises
        what ``create`` raises for a request it refuses."""
        from annotator.core.storage import ModelsRepo
        from annotator.core.usecases.evaluation import baseline
        from annotator.core.usecases.side_by_side.create import _pairs

        ids, repo = ModelsRepo(self.db.conn), ComparisonsRepo(self.db.conn)
        names = [m for m, count in ids.counts() if count]
        pairs = _pairs(
            names, baseline(self.db).model, names=models, vs_baseline=vs_baseline,
            all_pairs=all_pairs,
        )  # fmt: skip
        existing, out = repo.existing(), []
        for a, b in pairs:
            rows = repo.candidates(ids.id_for(a), ids.id_for(b))
            already = sum(frozenset((x, y)) in existing for _, x, y, _, _ in rows)
            out.append(
                {"model_a": a, "model_b": b, "samples": len(rows), "existing": already,
                 "created": len(rows) - already}
            )  # fmt: skip
        return out
