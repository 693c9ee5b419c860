"""Use cases on one item for the lead (not blind): find it, show it, adjudicate it; and the
project's summary for ``annotator info`` and the window title."""

from __future__ import annotations

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver, parse_score
from annotator.core.storage import (
    SCHEMA_VERSION,
    Database,
    ItemsRepo,
    MetaRepo,
    ModelsRepo,
    RatersRepo,
    RatingsRepo,
    RubricRepo,
)
from annotator.core.storage.evaluation_repo import AdjudicationsRepo


def project_info(db: Database) -> dict:
    """A summary of the project: names, times, counts, rubric, for people and scripts."""
    meta = MetaRepo(db.conn).all()
    ratings = RatingsRepo(db.conn)
    return {
        "path": str(db.path),
        "name": meta.get("name") or db.path.stem,
        "uuid": meta.get("uuid") or "",
        "kind": meta.get("kind") or "project",
        "language": meta.get("language") or "zh_CN",
        "created_at": meta.get("created_at"),
        "modified_at": meta.get("modified_at"),
        "schema_version": SCHEMA_VERSION,
        "items": ItemsRepo(db.conn).count(),
        "models": [{"name": n, "items": c} for n, c in ModelsRepo(db.conn).counts()],
        "raters": RatersRepo(db.conn).names(),
        "ratings": ratings.count(),
        "dimensions": [
            {"key": d.key, "name_en": d.name_en, "name_zh": d.name_zh, "weight": d.weight}
            for d in RubricRepo(db.conn).load().dimensions
        ],
        "min_raters": int(meta.get("min_raters") or 2),
        "audit_entries": ratings.audit_count(),
    }


def resolve_item(db: Database, ref: str | int) -> int:
    """An item id from what a person writes: a uid, "model/sample", a sample id, an id.

    Raises:
        AnnotatorError: no such item, or a sample id several models share.
    """
    if isinstance(ref, int):
        return ref
    items = ItemsRepo(db.conn)
    hits = items.find(str(ref))
    if not hits and str(ref).isdigit():
        try:
            return items.get(int(ref)).id
        except KeyError:
            pass
    if not hits:
        raise AnnotatorError(Message('item "{item}" is not in this project', item=ref))
    if len(hits) > 1:
        raise AnnotatorError(
            Message(
                'item "{item}" exists for several models ({models}); write it as "{model}/{item}"',
                item=ref,
                models=", ".join(sorted(m for _, m in hits)),
                model=hits[0][1],
            )
        )
    return hits[0][0]


def adjudicate(
    db: Database, item: str | int, dimension: str, score: int, *, note: str, by: str
) -> int:
    """Record the lead's score for an item and dimension (audit-logged); returns the item id.

    Raises:
        AnnotatorError: an unknown item or dimension, or a score that is not 1 to 5.
    """
    item_id = resolve_item(db, item)
    rubric = RubricRepo(db.conn)
    key = DimensionResolver(rubric.load()).resolve(dimension)
    if key is None:
        raise AnnotatorError(Message('unknown dimension "{dimension}"', dimension=dimension))
    value = parse_score(score)
    if value is None:
        raise AnnotatorError(Message('"{score}" is not a score from 1 to 5', score=score))
    with db.transaction():
        AdjudicationsRepo(db.conn).set(item_id, rubric.ids()[key], value, note, by)
    return item_id


def item_detail(db: Database, item_id: int) -> dict:
    """Everything about one item: texts, model, every rater's scores, comments and flags,
    adjudicated scores, metric values."""
    items = ItemsRepo(db.conn)
    ratings = RatingsRepo(db.conn)
    scores = ratings.frame_for_item(item_id)
    notes = ratings.annotations_for_item(item_id)
    adjudicated = AdjudicationsRepo(db.conn).frame()
    adjudicated = adjudicated[adjudicated["item_id"] == item_id]
    return {
        "item": items.get(item_id),
        "scores": {
            r: dict(zip(g["dimension"], g["score"].astype(int), strict=True))
            for r, g in scores.groupby("rater", sort=False)
        },
        "notes": {r: {"comment": c, "flag": f, "seconds": s} for r, c, f, s in notes},
        "adjudicated": dict(
            zip(adjudicated["dimension"], adjudicated["score"].astype(int), strict=True)
        ),
        "metrics": items.metrics_for_item(item_id),
    }
