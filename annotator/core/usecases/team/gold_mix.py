"""Gold items mixed into every rater's work, and the calibration round, for ``assign``.

Both go by sample group, like every assignment: an item's other answers (the other models'
on the same sample) go to the same raters, so nothing in a rater's work sets a gold or a
calibration item apart from its neighbours.
"""

from __future__ import annotations

import math
import random

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage import Database, RatersRepo
from annotator.core.storage.gold import RoundsRepo

ALL = "all"
ROUNDS = ("calibration", "main")


def gold_count(share: str | float | None, n_groups: int) -> int:
    """How many gold sample groups each rater gets: ``all``, a fraction below 1, a count.

    0 treats the gold items as ordinary items (handed out like any other).

    Raises:
        AnnotatorError: not "all", not a number, negative, or a count that is not whole.
    """
    if share is None or (isinstance(share, str) and share.strip().lower() == ALL):
        return n_groups
    try:
        value = float(share) if not isinstance(share, bool) else math.nan
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or value < 0 or (value >= 1 and not value.is_integer()):
        raise AnnotatorError(
            Message(
                "--gold is all, a share of the gold items (e.g. 0.5) or a number of them "
                "(e.g. 3), not {value}",
                value=share,
            )
        )
    if 0 < value < 1:
        return max(1, round(value * n_groups))
    return min(int(value), n_groups)


def calibration_groups(
    order: list[str], groups: dict[str, list[int]], wanted: int | None
) -> list[str]:
    """The first sample groups of the (seeded) ``order`` holding at least ``wanted`` items.

    Raises:
        AnnotatorError: ``wanted`` is not a whole number of at least 0.
    """
    if wanted is None or wanted == 0:
        return []
    if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted < 0:
        raise AnnotatorError(
            Message(
                "--calibration is a number of items every rater gets first (e.g. 20), not {value}",
                value=wanted,
            )
        )
    chosen, count = [], 0
    for sample in order:
        if count >= wanted:
            break
        chosen.append(sample)
        count += len(groups[sample])
    return chosen


def gold_for_raters(
    gold_groups: list[str], names: list[str], per_rater: int, rng: random.Random
) -> dict[str, list[str]]:
    """rater -> the gold sample groups they get: all of them, or ``per_rater`` each.

    A share is dealt round a seeded shuffle, so as many gold groups as possible are
    somebody's (``assign`` hands out the ones nobody got like any other item).
    """
    if per_rater >= len(gold_groups):
        return {name: list(gold_groups) for name in names}
    deck = list(gold_groups)
    rng.shuffle(deck)
    return {
        name: sorted(deck[(n * per_rater + t) % len(deck)] for t in range(per_rater))
        for n, name in enumerate(names)
    }


def check_round(round_name: str | None) -> str | None:
    """``calibration``, ``main`` or None (everything assigned).

    Raises:
        AnnotatorError: another word.
    """
    if round_name is None:
        return None
    value = round_name.strip().lower()
    if value not in ROUNDS:
        raise AnnotatorError(
            Message(
                'the round is calibration or main, not "{value}"',
                value=round_name,
            )
        )
    return value


def only_round(db: Database, rater: str, ids: list[int], round_name: str | None) -> list[int]:
    """The ``ids`` of ``rater``'s calibration round, of the rest (main), or all (None).

    Raises:
        AnnotatorError: the rater has items, none of them in that round.
    """
    if round_name is None:
        return ids
    rater_id = RatersRepo(db.conn).id_for(rater)
    marked = set(RoundsRepo(db.conn).calibration_items(rater_id)) if rater_id else set()
    kept = [i for i in ids if (i in marked) == (round_name == "calibration")]
    if ids and not kept:
        raise AnnotatorError(
            Message(
                'rater "{rater}" has no items in the {round} round (run assign to change that)',
                rater=rater,
                round=round_name,
            )
        )
    return kept
