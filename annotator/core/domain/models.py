"""Plain value objects shared by every layer. Frozen: nothing mutates them in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ItemDraft:
    """One item as read from an input file, before it is stored.

    ``sample_id`` is the id from the file (or the row number when the file has
    none); ``row`` is where it came from (header = row 1, or the JSONL line).
    """

    sample_id: str
    instruction: str
    reference: str
    generated: str
    row: int
    model: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """A stored item: one (instruction, reference, generated) triple of one model."""

    id: int
    uid: str
    sample_id: str
    model: str
    instruction: str
    reference: str
    generated: str
    source: str | None = None
    source_row: int | None = None
    content_hash: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ItemTexts:
    """New texts for the stored item ``item_id`` (a re-import with updates), from ``draft``."""

    item_id: int
    draft: ItemDraft
    content_hash: str


@dataclass(frozen=True, slots=True)
class StoredItem:
    """What an import compares a file's item with: its id and the hash of its texts."""

    item_id: int
    content_hash: str


@dataclass(frozen=True)
class BlindItem:
    """What a rater may see of an item: no model name, no other rater's scores."""

    id: int
    uid: str
    instruction: str
    reference: str
    generated: str


@dataclass(frozen=True)
class Dimension:
    """A rubric dimension scored 1-5, with an anchor text for each level."""

    key: str
    name_en: str
    name_zh: str
    description_en: str = ""
    description_zh: str = ""
    anchors_en: tuple[str, ...] = ("", "", "", "", "")
    anchors_zh: tuple[str, ...] = ("", "", "", "", "")
    weight: float = 1.0

    def name(self, lang: str = "en") -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en

    def description(self, lang: str = "en") -> str:
        return self.description_zh if lang.startswith("zh") else self.description_en

    def anchor(self, score: int, lang: str = "en") -> str:
        anchors = self.anchors_zh if lang.startswith("zh") else self.anchors_en
        return anchors[score - 1]


@dataclass(frozen=True)
class Rubric:
    dimensions: tuple[Dimension, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions)

    def get(self, key: str) -> Dimension:
        for d in self.dimensions:
            if d.key == key:
                return d
        raise KeyError(key)


@dataclass(frozen=True)
class Rater:
    id: int
    name: str


@dataclass(frozen=True)
class Rating:
    """One score: an item, a rater, a dimension, a score from 1 to 5."""

    item_id: int
    rater: str
    dimension: str
    score: int
    updated_at: str = ""


@dataclass(frozen=True)
class Annotation:
    """A rater's comment, flag and time spent on one item."""

    item_id: int
    rater: str
    comment: str = ""
    flag: str = ""
    seconds: float = 0.0
