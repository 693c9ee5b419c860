"""The lead's use cases on the facade: statistics, gates, adjudication, export, hand-out.

``Project`` inherits these; they are kept in their own module so the facade stays
small. Heavy modules (scipy, openpyxl) are imported inside the methods: a rater's
window opens without them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.i18n import tr
from annotator.core.rubric import DimensionResolver, parse_score
from annotator.core.storage import Database, ItemsRepo, RatingsRepo, RubricRepo
from annotator.core.storage.evaluation_repo import AdjudicationsRepo

if TYPE_CHECKING:
    from annotator.core.evaluation import Evaluation
    from annotator.core.gates import Gate
    from annotator.core.models import Rubric
    from annotator.core.storage import MetaRepo

Progress = Callable[[int, int], None]


class LeadUseCases:
    """Mixed into ``Project``: everything here works on ``self.db``."""

    db: Database
    meta: MetaRepo
    rubric: Rubric

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
                        tr(
                            'no gate "{key}" (gates: {keys})',
                            key=key,
                            keys=", ".join(g.key for g in gates),
                        )
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
            raise AnnotatorError(tr('unknown dimension "{dimension}"', dimension=dimension))
        value = parse_score(score)
        if value is None:
            raise AnnotatorError(tr('"{score}" is not a score from 1 to 5', score=score))
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
            raise AnnotatorError(tr('item "{item}" is not in this project', item=ref))
        if len(hits) > 1:
            models = ", ".join(sorted(m for _, m in hits))
            raise AnnotatorError(
                tr(
                    'item "{item}" exists for several models ({models}); '
                    'write it as "{model}/{item}"',
                    item=ref,
                    models=models,
                    model=hits[0][1],
                )
            )
        return hits[0][0]

    def export(
        self,
        target: str | Path,
        *,
        progress: Progress | None = None,
        evaluation: Evaluation | None = None,
    ) -> Path:
        """Write the Excel report (.xlsx), the ratings (.csv) or the summary (.json).

        The report and the summary are written in the project's language, whatever the
        caller's; an ``evaluation`` made in another language gets its verdicts redone.
        """
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
