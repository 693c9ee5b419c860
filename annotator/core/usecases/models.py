"""Use case: the project's models, and which one is the baseline (the model before tuning)."""

from __future__ import annotations

from annotator.core.domain.decision import BASELINE_KEY, Baseline
from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage import Database, MetaRepo, ModelsRepo
from annotator.core.usecases.evaluation import baseline


def list_models(db: Database) -> tuple[list[dict], Baseline]:
    """Each model with its items, in import order, marked when it is the baseline."""
    chosen = baseline(db)
    rows = [
        {"name": name, "items": count, "baseline": name == chosen.model}
        for name, count in ModelsRepo(db.conn).counts()
        if count
    ]
    return rows, chosen


def set_baseline(db: Database, name: str | None) -> Baseline:
    """Name the baseline (stored in the project); None goes back to choosing by name.

    Raises:
        AnnotatorError: no model of that name has items (the message lists the models), or
            this is a rater package.
    """
    if MetaRepo(db.conn).get("kind") == "package":
        raise AnnotatorError(
            Message(
                "{path} is a rater package; name the baseline in the project file", path=db.path
            )
        )
    models = [m for m, count in ModelsRepo(db.conn).counts() if count]
    if name is not None and name not in models:
        close = [m for m in models if m.casefold() == name.casefold()]
        raise AnnotatorError(
            Message(
                'no model "{name}" in the project (models: {models})',
                name=name,
                models=", ".join(close or models) or "-",
            )
        )
    with db.transaction():
        meta = MetaRepo(db.conn)
        if name is None:
            meta.delete(BASELINE_KEY)
        else:
            meta.set(BASELINE_KEY, name)
    return baseline(db)
