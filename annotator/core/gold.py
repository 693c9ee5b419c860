"""The gold-items part of the facade (issue 18): ``Project.gold``.

Composed by ``Project`` as ``judges`` is. Gold items are the lead's expected scores for
some items; ``assign`` mixes them into every rater's work, where nothing tells them apart
from the others, and the rater statistics compare each rater's scores with them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.storage import Database
from annotator.core.storage.errors import converting

if TYPE_CHECKING:
    from annotator.core.usecases.gold_import import GoldImportReport
    from annotator.core.usecases.gold_items import GoldChange


@converting(lambda facade: facade.db.path)
class Gold:
    """Gold items: import, list, clear, and gold from an adjudicated item."""

    def __init__(self, db: Database):
        self.db = db

    def import_file(self, path: str | Path) -> GoldImportReport:
        """Import expected scores (item or sample id [+ model], dimension, expected score,
        optional tolerance, default 1); all or nothing, the same file again changes nothing."""
        from annotator.core.usecases.gold_import import import_gold

        return import_gold(self.db, Path(path))

    def list(self) -> list[dict]:
        """Every expected score: item id, model, sample id, dimension, expected, tolerance."""
        from annotator.core.usecases.gold_items import list_gold

        return list_gold(self.db)

    def items(self) -> list[int]:
        """The ids of the gold items."""
        from annotator.core.storage.gold import GoldRepo

        return GoldRepo(self.db.conn).items()

    def frame(self):
        """item_id, dimension, expected, tolerance, origin (for the rater statistics)."""
        from annotator.core.storage.gold import GoldRepo

        return GoldRepo(self.db.conn).frame()

    def clear(self) -> GoldChange:
        """Remove every expected score; the items and everyone's ratings stay."""
        from annotator.core.usecases.gold_items import clear_gold

        return clear_gold(self.db)

    def use_adjudicated(self, item_id: int | str) -> GoldChange:
        """Use as gold: the item's adjudicated scores become its expected scores."""
        from annotator.core.usecases.gold_items import use_adjudicated

        return use_adjudicated(self.db, item_id)
