"""Use case: the gold items a project holds, removing them, and gold from adjudication."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage import Database, ItemsRepo, RubricRepo
from annotator.core.storage.evaluation_repo import AdjudicationsRepo
from annotator.core.storage.gold import GoldRepo
from annotator.core.usecases.gold_import import DEFAULT_TOLERANCE
from annotator.core.usecases.lead_items import resolve_item

ADJUDICATED = "adjudicated"


@dataclass
class GoldChange:
    """What a gold command changed: expected scores written or removed, gold items now."""

    written: int = 0
    removed: int = 0
    items: int = 0

    def to_dict(self) -> dict:
        return dict(vars(self))


def list_gold(db: Database) -> list[dict]:
    """Every expected score: item id, model, sample id, dimension, expected, tolerance, origin."""
    table = ItemsRepo(db.conn).lookup_table()
    where = dict(
        zip(
            table["item_id"].tolist(),
            zip(table["model"].tolist(), table["sample_id"].tolist(), strict=True),
            strict=True,
        )
    )
    return [
        {
            "item_id": item_id,
            "model": where[item_id][0],
            "sample_id": where[item_id][1],
            "dimension": dimension,
            "expected": expected,
            "tolerance": tolerance,
            "origin": origin,
        }
        for item_id, dimension, expected, tolerance, origin in GoldRepo(db.conn).rows()
    ]


def clear_gold(db: Database) -> GoldChange:
    """Remove every expected score (the items and their ratings stay)."""
    repo = GoldRepo(db.conn)
    if not repo.count():
        return GoldChange()
    with db.transaction():
        removed = repo.delete()
    return GoldChange(removed=removed)


def use_adjudicated(db: Database, item: str | int) -> GoldChange:
    """Make an adjudicated item gold: its adjudicated scores become the expected ones.

    Raises:
        AnnotatorError: no such item, or the item has no adjudicated score.
    """
    item_id = resolve_item(db, item)
    frame = AdjudicationsRepo(db.conn).frame()
    mine = frame[frame["item_id"] == item_id]
    if mine.empty:
        raise AnnotatorError(
            Message(
                'item "{item}" has no adjudicated score yet; adjudicate it first, then use it '
                "as gold",
                item=item,
            )
        )
    dims = RubricRepo(db.conn).ids()
    repo = GoldRepo(db.conn)
    tolerance = {(i, d): t for i, d, _, t, _ in repo.rows() if i == item_id}
    rows = [
        (item_id, dims[d], int(s), tolerance.get((item_id, d), DEFAULT_TOLERANCE), ADJUDICATED)
        for d, s in zip(mine["dimension"].tolist(), mine["score"].tolist(), strict=True)
    ]
    with db.transaction():
        written = repo.upsert(rows)
    return GoldChange(written=written, items=len(repo.items()))
