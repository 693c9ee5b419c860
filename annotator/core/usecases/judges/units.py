"""What a judge run asks: one request per item (every dimension asked at once) and two per
side-by-side comparison (A/B with the comparison's first item shown first, then B/A).

What the judge already gave under this name is left out: an item with a score on every
dimension asked, an order with a verdict on everything judged. An item scored on some of
the dimensions is asked only for the others; an order missing a verdict is asked for all
of them, and only the missing ones are stored: nothing stored is asked for again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.domain.models import Rubric
from annotator.core.domain.side_by_side import DIMENSIONS_KEY, OVERALL
from annotator.core.storage import Database, ItemsRepo, MetaRepo, RubricRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.usecases.judges.prompt import Prompts
from annotator.core.usecases.judges.reply import Reply, parse_scores, parse_verdicts


@dataclass(frozen=True)
class Unit:
    """One request (and its re-asks). ``key`` names it in ``judge_failures``; ``label`` for
    a person. An item: ``item_id`` and (instruction, reference, answer). An order of a
    comparison: ``comparison_id``, ``left_item`` (shown as A), ``item_a`` (the comparison's
    first item) and (instruction, reference, answer A, answer B)."""

    key: str
    label: str
    keys: tuple[str, ...]
    texts: tuple[str, ...]
    item_id: int = 0
    comparison_id: int = 0
    left_item: int = 0
    item_a: int = 0
    store: tuple[str, ...] = ()  # a comparison's keys still missing (the rest is kept)

    @property
    def pair(self) -> bool:
        return self.comparison_id != 0

    def messages(self, prompts: Prompts) -> list[dict]:
        if self.pair:
            return prompts.pair_messages(*self.texts, self.keys)
        return prompts.item_messages(*self.texts, self.keys)

    def parse(self, text: str, rubric: Rubric) -> Reply:
        if self.pair:
            return parse_verdicts(text, self.keys, rubric)
        return parse_scores(text, self.keys, rubric)


def item_units(db: Database, judge_id: int | None, keys: Sequence[str]) -> tuple[list, int]:
    """The items to ask (for the dimensions not yet scored) and how many are done."""
    dim_ids = RubricRepo(db.conn).ids()
    done = JudgesRepo(db.conn).existing_scores(judge_id) if judge_id else {}
    frame = ItemsRepo(db.conn).frame(texts=True)
    units, skipped = [], 0
    for row in frame.itertuples(index=False):
        missing = tuple(k for k in keys if (row.item_id, dim_ids[k]) not in done)
        if not missing:
            skipped += 1
            continue
        units.append(
            Unit(
                key=f"item:{row.uid}",
                label=f"{row.model}/{row.sample_id}",
                keys=missing,
                texts=(row.instruction, row.reference, row.generated),
                item_id=row.item_id,
            )
        )
    return units, skipped


def comparison_keys(db: Database, keys: Sequence[str]) -> tuple[str, ...]:
    """Overall, and the dimensions asked when the project judges comparisons per dimension."""
    per_dimension = MetaRepo(db.conn).get(DIMENSIONS_KEY) == "1"
    return (OVERALL, *keys) if per_dimension else (OVERALL,)


def comparison_units(db: Database, judge_id: int | None, keys: Sequence[str]) -> tuple[list, int]:
    """Both orders of every comparison not yet judged in that order, and how many are done."""
    wanted = comparison_keys(db, keys)
    done = JudgesRepo(db.conn).existing_judgments(judge_id) if judge_id else {}
    texts = ItemsRepo(db.conn).frame(texts=True).set_index("item_id")
    units, skipped = [], 0
    for cid, cuid, sample, item_a, item_b, model_a, model_b in ComparisonsRepo(db.conn).listing():
        for left, right, shown in ((item_a, item_b, (model_a, model_b)),
                                   (item_b, item_a, (model_b, model_a))):  # fmt: skip
            missing = tuple(k for k in wanted if (cid, k, left) not in done)
            if not missing:
                skipped += 1
                continue
            first, second = texts.loc[left], texts.loc[right]
            units.append(
                Unit(
                    key=f"comparison:{cuid}:{first['uid']}",
                    label=f"{sample}: {shown[0]} (A) / {shown[1]} (B)",
                    keys=wanted,
                    texts=(
                        first["instruction"],
                        first["reference"],
                        first["generated"],
                        second["generated"],
                    ),  # fmt: skip
                    comparison_id=cid,
                    left_item=left,
                    item_a=item_a,
                    store=missing,
                )
            )
    return units, skipped
