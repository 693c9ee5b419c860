"""Items (one triple of one model), the files they came from, and their metric values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from itertools import repeat

import numpy as np

from annotator.core.domain.models import BlindItem, Item, ItemDraft, ItemTexts, StoredItem
from annotator.core.storage._lazy import pd
from annotator.core.storage.metric_runs import MetricRunsRepo

_ITEM_COLUMNS = (
    "i.id, i.uid, i.sample_id, m.name, i.instruction, i.reference, i.generated, "
    "s.path, i.source_row, i.content_hash, i.metadata"
)


def _item(row: tuple) -> Item:
    return Item(
        id=row[0],
        uid=row[1],
        sample_id=row[2],
        model=row[3],
        instruction=row[4],
        reference=row[5],
        generated=row[6],
        source=row[7],
        source_row=row[8],
        content_hash=row[9],
        metadata=json.loads(row[10]),
    )


def _metadata_json(metadata: dict) -> str:
    return json.dumps(metadata, ensure_ascii=False) if metadata else "{}"


class ItemsRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- sources ---------------------------------------------------------------------------
    def source_seen(self, sha256: str, model_id: int) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sources WHERE sha256 = ? AND model_id = ?", (sha256, model_id)
        ).fetchone()
        return row is not None

    def add_source(
        self,
        path: str,
        sha256: str,
        model_id: int,
        fmt: str,
        encoding: str | None,
        n_items: int,
        at: str,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO sources (path, sha256, model_id, format, encoding, n_items, imported_at) "
            "VALUES (?,?,?,?,?,?,?) ON CONFLICT(sha256, model_id) DO UPDATE SET "
            "imported_at = excluded.imported_at RETURNING id",
            (path, sha256, model_id, fmt, encoding, n_items, at),
        )
        return cur.fetchone()[0]

    # -- items -----------------------------------------------------------------------------
    def existing(self, model_id: int) -> dict[str, StoredItem]:
        """sample_id -> the stored item (id, content hash) for one model."""
        return {
            r[0]: StoredItem(r[1], r[2])
            for r in self.conn.execute(
                "SELECT sample_id, id, content_hash FROM items WHERE model_id = ?", (model_id,)
            )
        }

    def insert_drafts(
        self,
        drafts: list[ItemDraft],
        uids: list[str],
        hashes: list[str],
        *,
        model_id: int,
        source_id: int,
        created_at: str,
    ) -> None:
        """Store new items of one model from one file, ``uids[k]`` and ``hashes[k]`` being
        those of ``drafts[k]`` (one ``executemany`` over a ``zip`` of columns, no tuple
        built in Python per item)."""
        self.conn.executemany(
            "INSERT INTO items (uid, sample_id, model_id, instruction, reference, generated, "
            "source_id, source_row, metadata, content_hash, created_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            zip(
                uids,
                [d.sample_id for d in drafts],
                repeat(model_id),
                [d.instruction for d in drafts],
                [d.reference for d in drafts],
                [d.generated for d in drafts],
                repeat(source_id),
                [d.row for d in drafts],
                [_metadata_json(d.metadata) for d in drafts],
                hashes,
                repeat(created_at),
                strict=False,  # repeat() is endless; the lists have one entry per draft
            ),
        )

    def update_texts(self, changes: Iterable[ItemTexts], *, source_id: int) -> None:
        """Replace stored items' texts, hashes and rows with those of ``source_id``'s file."""
        self.conn.executemany(
            "UPDATE items SET instruction=?, reference=?, generated=?, source_id=?, "
            "source_row=?, metadata=?, content_hash=? WHERE id=?",
            (
                (
                    (d := c.draft).instruction,
                    d.reference,
                    d.generated,
                    source_id,
                    d.row,
                    _metadata_json(d.metadata),
                    c.content_hash,
                    c.item_id,
                )
                for c in changes
            ),
        )

    def uids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT uid FROM items")}

    def last_id(self) -> int:
        """The id of the last inserted item: ids of rows inserted in one transaction are
        consecutive (INTEGER PRIMARY KEY takes max + 1)."""
        return self.conn.execute("SELECT last_insert_rowid()").fetchone()[0]

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]

    def ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM items ORDER BY id")]

    def get(self, item_id: int) -> Item:
        row = self.conn.execute(
            f"SELECT {_ITEM_COLUMNS} FROM items i JOIN models m ON m.id = i.model_id "
            "LEFT JOIN sources s ON s.id = i.source_id WHERE i.id = ?",
            (item_id,),
        ).fetchone()
        if row is None:
            raise KeyError(item_id)
        return _item(row)

    def get_blind(self, item_id: int) -> BlindItem:
        """The texts of an item and nothing else: no model, no ratings (used for raters)."""
        row = self.conn.execute(
            "SELECT id, uid, instruction, reference, generated FROM items WHERE id = ?",
            (item_id,),
        ).fetchone()
        if row is None:
            raise KeyError(item_id)
        return BlindItem(*row)

    def search_texts(self, needle: str) -> set[int]:
        """Ids of items whose instruction or generated text contains ``needle`` (letters
        compared without case). Reads texts only: safe for a blind rater's search."""
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM items WHERE instruction LIKE ?1 ESCAPE '\\' "
                "OR generated LIKE ?1 ESCAPE '\\'",
                (pattern,),
            )
        }

    def find(self, ref: str) -> list[tuple[int, str]]:
        """Items a user-written reference may mean: a uid, a sample id, or "model/sample".

        Returns (item id, model name) pairs; the caller reports ambiguity.
        """
        rows = self.conn.execute(
            "SELECT i.id, m.name FROM items i JOIN models m ON m.id = i.model_id "
            "WHERE i.uid = ? OR i.sample_id = ? OR (m.name || '/' || i.sample_id) = ?",
            (ref, ref, ref),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def lookup_table(self) -> pd.DataFrame:
        """item_id, uid, sample_id, model for every item (for resolving references in bulk)."""
        return pd.read_sql_query(
            "SELECT i.id AS item_id, i.uid, i.sample_id, m.name AS model FROM items i "
            "JOIN models m ON m.id = i.model_id ORDER BY i.id",
            self.conn,
        )

    def frame(self, *, texts: bool = False) -> pd.DataFrame:
        cols = "i.id AS item_id, i.uid, i.sample_id, m.name AS model"
        if texts:
            cols += ", i.instruction, i.reference, i.generated, i.metadata"
        return pd.read_sql_query(
            f"SELECT {cols} FROM items i JOIN models m ON m.id = i.model_id ORDER BY i.id",
            self.conn,
        )

    def metric_inputs(self) -> tuple[np.ndarray, list[str], list[str], list[str]]:
        """(item ids, models, references, generated texts) in id order: what a metrics run
        reads, without the other columns and without a DataFrame."""
        rows = self.conn.execute(
            "SELECT i.id, m.name, i.reference, i.generated FROM items i "
            "JOIN models m ON m.id = i.model_id ORDER BY i.id"
        ).fetchall()
        ids, models, refs, hyps = (list(c) for c in zip(*rows, strict=True)) if rows else ([],) * 4
        return np.asarray(ids, dtype=np.int64), models, refs, hyps

    # -- metric values: kept here for the callers; metric_runs.py holds their SQL ------------
    def metrics_for_item(self, item_id: int) -> list[tuple[str, str, float, str]]:
        """(name, origin, value, signature of its run) of one item."""
        return MetricRunsRepo(self.conn).for_item(item_id)

    def metric_arrays(self) -> list[tuple[str, str, str, np.ndarray, np.ndarray]]:
        """Every stored metric as (name, origin, signature(s) of its runs, item ids, values)."""
        return [
            (c.name, c.origin, c.signature, c.item_ids, c.values)
            for c in MetricRunsRepo(self.conn).columns()
        ]

    def metrics_frame(self) -> pd.DataFrame:
        """Long form: item_id, name, origin, value, run_id, signature, source."""
        return MetricRunsRepo(self.conn).frame()
