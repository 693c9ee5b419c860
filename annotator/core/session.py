"""Use case: one rater scoring, blind, every score committed the moment it is given.

A session only ever reads the texts of items and its own rater's scores: the
queries it runs are ``ItemsRepo.get_blind`` and the ``RatingsRepo.own_*`` methods,
so another rater's scores or an item's model cannot reach the rater's screen.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from annotator.core.models import BlindItem, Rubric
from annotator.core.storage import Database, ItemsRepo, MetaRepo, RatersRepo, RatingsRepo
from annotator.core.storage.assignments import AssignmentsRepo
from annotator.core.storage.rubric_repo import RubricRepo
from annotator.core.team.seal import project_secret, rater_order

TIME_FLUSH_S = 30.0
FLAG_PRESETS = ("unclear instruction", "broken output")
FILTERS = ("all", "unscored", "flagged", "commented")


@dataclass(frozen=True)
class ItemState:
    """What the item list shows for one item: how far the rater got, and their notes."""

    scored: int
    total: int
    flagged: bool
    commented: bool

    @property
    def done(self) -> bool:
        return self.scored >= self.total


def session_order(db: Database, rater: str, item_ids: list[int]) -> list[int]:
    """The order a rater works in.

    In the lead's project: the rater's own shuffle, keyed with the project's secret
    (``team.seal.rater_order``). A package holds its items already in that order (its
    row ids follow it), and no secret, so there the order is the ids' order.
    """
    if (MetaRepo(db.conn).get("kind") or "project") == "package":
        return sorted(item_ids)
    return rater_order(project_secret(db), rater, item_ids)


class RaterSession:
    """A rater's view of a project: their items in their order, their scores only."""

    def __init__(self, db: Database, rater: str, *, origin: str = "app"):
        self.db = db
        self.rater = rater
        self.origin = origin
        with db.transaction():
            self.rater_id = RatersRepo(db.conn).id_for(rater, create=True)
        self._items = ItemsRepo(db.conn)
        self._ratings = RatingsRepo(db.conn)
        self.rubric: Rubric = RubricRepo(db.conn).load()
        self._dim_ids = RubricRepo(db.conn).ids()
        self._dim_keys = {v: k for k, v in self._dim_ids.items()}
        assigned = AssignmentsRepo(db.conn).items_for(self.rater_id)
        ids = assigned if assigned else self._items.ids()
        self.order: list[int] = session_order(db, rater, ids)
        self._position = {item_id: n for n, item_id in enumerate(self.order)}
        self._scored = self._ratings.own_scored_counts(self.rater_id)
        self._notes = {
            k: (v[0], v[1]) for k, v in self._ratings.own_annotations(self.rater_id).items()
        }
        self._undo: list[tuple[int, str, int | None]] = []
        self._pending_time: dict[int, float] = {}
        self._last_time_flush = time.monotonic()

    # -- reading -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.order)

    def item(self, index: int) -> BlindItem:
        return self._items.get_blind(self.order[index])

    def index_of(self, item_id: int) -> int:
        return self._position[item_id]

    def scores(self, item_id: int) -> dict[str, int]:
        own = self._ratings.own_scores(item_id, self.rater_id)
        return {self._dim_keys[d]: s for d, s in own.items()}

    def annotation(self, item_id: int) -> tuple[str, str, float]:
        """(comment, flag, seconds spent) of this rater on the item."""
        comment, flag, seconds = self._ratings.own_annotation(item_id, self.rater_id)
        return comment, flag, seconds + self._pending_time.get(item_id, 0.0)

    def state(self, index: int) -> ItemState:
        item_id = self.order[index]
        comment, flag = self._notes.get(item_id, ("", ""))
        return ItemState(
            self._scored.get(item_id, 0), len(self.rubric.dimensions), bool(flag), bool(comment)
        )

    def done_count(self) -> int:
        total = len(self.rubric.dimensions)
        return sum(1 for item_id in self.order if self._scored.get(item_id, 0) >= total)

    def next_unscored(self, start: int = 0) -> int | None:
        """The first index at or after ``start`` (wrapping) whose item is not fully scored."""
        total = len(self.rubric.dimensions)
        n = len(self.order)
        for k in range(n):
            index = (start + k) % n
            if self._scored.get(self.order[index], 0) < total:
                return index
        return None

    def indexes(self, kind: str = "all") -> list[int]:
        """Positions in the rater's order that pass an item-list filter.

        Args:
            kind: one of ``FILTERS``: "all", "unscored" (not every dimension scored),
                "flagged" or "commented".

        Returns:
            The matching indexes, in the rater's order.
        """
        if kind == "all":
            return list(range(len(self.order)))
        if kind == "unscored":
            total = len(self.rubric.dimensions)
            return [n for n, i in enumerate(self.order) if self._scored.get(i, 0) < total]
        if kind in ("flagged", "commented"):
            part = 1 if kind == "flagged" else 0
            return [n for n, i in enumerate(self.order) if self._notes.get(i, ("", ""))[part]]
        raise ValueError(f'unknown filter "{kind}" (one of {", ".join(FILTERS)})')

    def search(self, text: str, start: int = 0, *, backwards: bool = False) -> int | None:
        """The next index (after ``start``, wrapping) whose instruction or generated text
        contains ``text``, ignoring case; None when no item does.

        The query reads the items' instruction and generated texts only, so a search can
        never reach a model name or another rater's work.
        """
        needle = text.strip()
        n = len(self.order)
        if not needle or n == 0:
            return None
        hits = self._items.search_texts(needle)  # one query over the texts, no ratings
        if not hits:
            return None
        step = -1 if backwards else 1
        for k in range(1, n + 1):
            index = (start + step * k) % n
            if self.order[index] in hits:
                return index
        return None

    # -- writing (each call is one committed transaction) ---------------------------------------
    def set_score(self, item_id: int, dimension: str, score: int) -> None:
        if score not in (1, 2, 3, 4, 5):
            raise ValueError(f"{score!r} is not a score from 1 to 5")
        with self.db.transaction():
            self._write_time()
            previous = self._ratings.set_score(
                item_id, self.rater_id, self._dim_ids[dimension], score, self.origin
            )
        if previous is None:
            self._scored[item_id] = self._scored.get(item_id, 0) + 1
        self._undo.append((item_id, dimension, previous))

    def undo(self) -> tuple[int, str, int | None] | None:
        """Take back the last score given in this session; returns (item, dimension, restored)."""
        if not self._undo:
            return None
        item_id, dimension, previous = self._undo.pop()
        with self.db.transaction():
            if previous is None:
                self._ratings.clear_score(item_id, self.rater_id, self._dim_ids[dimension])
                self._scored[item_id] = max(0, self._scored.get(item_id, 0) - 1)
            else:
                self._ratings.set_score(
                    item_id, self.rater_id, self._dim_ids[dimension], previous, "undo"
                )
        return item_id, dimension, previous

    def set_comment(self, item_id: int, comment: str) -> None:
        with self.db.transaction():
            self._write_time()
            self._ratings.set_annotation(item_id, self.rater_id, comment=comment)
        self._notes[item_id] = (comment, self._notes.get(item_id, ("", ""))[1])

    def set_flag(self, item_id: int, flag: str) -> None:
        with self.db.transaction():
            self._write_time()
            self._ratings.set_annotation(item_id, self.rater_id, flag=flag)
        self._notes[item_id] = (self._notes.get(item_id, ("", ""))[0], flag)

    def add_time(self, item_id: int, seconds: float) -> None:
        """Count time spent on an item. It is written with the next score (one commit, not
        two), by ``flush_time``, or within ``TIME_FLUSH_S`` seconds: moving between items
        then costs no disk sync. Scores never wait."""
        if seconds <= 0:
            return
        self._pending_time[item_id] = self._pending_time.get(item_id, 0.0) + seconds
        if time.monotonic() - self._last_time_flush > TIME_FLUSH_S:
            self.flush_time()

    def flush_time(self) -> None:
        """Write the time counted since the last write (on close, and now and then)."""
        if self._pending_time:
            with self.db.transaction():
                self._write_time()

    def _write_time(self) -> None:
        """Inside a transaction: store the pending time."""
        for item_id, seconds in self._pending_time.items():
            self._ratings.set_annotation(item_id, self.rater_id, add_seconds=seconds)
        self._pending_time.clear()
        self._last_time_flush = time.monotonic()
