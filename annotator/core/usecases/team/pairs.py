"""Side-by-side comparisons in the team workflow: who judges which, and how a hand-out
holds them without knowing the models.

A comparison goes to the raters of its sample group (``assign``), each with the side
they see it on (``team.sides.balanced_left``, keyed with the project's secret).
A hand-out (package or sheet) never holds the model order: its comparisons are written
as *left* and *right*, and its judgments as "a" = the left answer won. The project
converts on the way out and back with the orientation the hand-out's seal covers, so
a judgment means the same model whichever side it was shown on, and a re-assignment
made while a hand-out is away cannot turn its judgments around.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.domain.side_by_side import choice_of, outcome_of
from annotator.core.i18n import tr
from annotator.core.storage import Database, RatersRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.team_pairs import TeamPairsRepo
from annotator.core.usecases.team.seal import blind_id, project_secret, rater_order
from annotator.core.usecases.team.sides import balanced_left

# Hand-out outcomes are by side: ``a`` is the answer shown on the left.
_HANDOUT_LEFT = 0


@dataclass(frozen=True)
class HandoutPair:
    """One comparison as handed to one rater (project ids; never written out as such)."""

    comparison_id: int
    uid: str
    item_a: int  # the project's model order
    item_b: int
    left: int  # the item this rater sees on the left

    @property
    def right(self) -> int:
        return self.item_b if self.left == self.item_a else self.item_a


def to_handout(outcome: str, strength: int | None, left: int, item_a: int) -> str:
    """A project outcome (by model order) as a hand-out holds it (``a`` = left won)."""
    choice = choice_of(outcome, strength, left, item_a)
    return outcome_of(choice, _HANDOUT_LEFT, _HANDOUT_LEFT)


def from_handout(outcome: str, strength: int | None, left: int, item_a: int) -> str:
    """A hand-out outcome (``a`` = left won) in the project's model order."""
    choice = choice_of(outcome, strength, _HANDOUT_LEFT, _HANDOUT_LEFT)
    return outcome_of(choice, left, item_a)


def rater_pairs(db: Database, rater: str) -> list[HandoutPair]:
    """The comparisons a hand-out for ``rater`` holds, in the rater's keyed order.

    With comparison assignments: the rater's own, on the side ``assign`` chose; without
    any: every comparison, sides chosen as a rater session would (``balanced_left``).
    """
    repo = ComparisonsRepo(db.conn)
    listing = repo.listing()
    if not listing:
        return []
    secret = project_secret(db)
    if TeamPairsRepo(db.conn).has_assignments():
        rater_id = RatersRepo(db.conn).id_for(rater)
        lefts = repo.assigned(rater_id) if rater_id is not None else {}
    else:
        rows = [(cid, a, b, (ma, mb)) for cid, _, _, a, b, ma, mb in listing]
        lefts = balanced_left(secret, rater, rows)
    by_id = {row[0]: row for row in listing}
    return [
        HandoutPair(cid, by_id[cid][1], by_id[cid][3], by_id[cid][4], lefts[cid])
        for cid in rater_order(secret, rater, list(lefts))
    ]


def judges_pairs(db: Database, rater_id: int | None) -> bool:
    """True when the rater judges comparisons: assigned some, or every rater judges all."""
    if TeamPairsRepo(db.conn).has_assignments():
        return rater_id is not None and bool(ComparisonsRepo(db.conn).assigned(rater_id))
    return ComparisonsRepo(db.conn).count() > 0


def handout_subject(
    handout_id: str, scored: list[str] | None, pairs: Iterable[tuple[str, str, str]]
) -> str:
    """What a seal's hand-out id stands for once comparisons are in it.

    ``scored`` is the blind ids of the items to score (None: every item, a hand-out
    without comparisons, whose subject stays its id as before); ``pairs`` is
    (comparison blind id, left item blind id, right item blind id). Every part is text.
    """
    triples = sorted(list(p) for p in pairs)
    if scored is None and not triples:
        return handout_id
    body = [handout_id, sorted(scored or []), triples]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def blind_triples(secret: bytes, pairs: list[HandoutPair], uids: dict[int, str]):
    """(comparison blind id, left blind id, right blind id) of each pair, in order."""
    return [
        (blind_id(secret, p.uid), blind_id(secret, uids[p.left]), blind_id(secret, uids[p.right]))
        for p in pairs
    ]


def comparison_index(db: Database) -> dict[str, tuple[int, int, int]]:
    """comparison blind id -> (comparison id, item a, item b) of every comparison."""
    secret = project_secret(db)
    sides = ComparisonsRepo(db.conn).sides()
    return {
        blind_id(secret, uid): (cid, *sides[cid])
        for uid, cid in ComparisonsRepo(db.conn).uid_index().items()
    }


def assign_pairs(
    db: Database, secret: bytes, raters_of: dict[str, list[str]], selected: set[int]
) -> dict[str, int]:
    """Rows for ``ComparisonsRepo.replace_assignments``: each comparison touching a selected
    item goes to the raters of its sample; the others keep theirs. Returns the load.

    Sides are balanced per rater and pair over the comparisons assigned now. Called inside
    ``assign``'s transaction, with rater ids created.
    """
    repo, raters = ComparisonsRepo(db.conn), RatersRepo(db.conn)
    listing = repo.listing()
    chosen = [row for row in listing if (row[3] in selected or row[4] in selected)]
    if not chosen:
        return {}
    moved = {row[0] for row in chosen}
    rows = [r for r in repo.assignments() if r[0] not in moved]
    per_rater: dict[str, list[tuple[int, int, int, tuple[str, str]]]] = {}
    for cid, _, sample, a, b, ma, mb in chosen:
        for name in raters_of.get(sample, []):
            per_rater.setdefault(name, []).append((cid, a, b, (ma, mb)))
    load = {}
    for name, comparisons in per_rater.items():
        rater_id = raters.id_for(name, create=True)
        lefts = balanced_left(secret, name, comparisons)
        rows.extend((cid, rater_id, left) for cid, left in lefts.items())
        load[name] = len(lefts)
    repo.replace_assignments(rows)
    return load


def pairs_notice(load: dict[str, int], names: list[str]) -> str:
    """The assign summary's line on comparisons: how many each rater judges."""
    counts = ", ".join(f"{n} {load.get(n, 0)}" for n in names)
    return tr(
        "{count} comparison assignment(s) (side by side), per rater: {load}",
        count=sum(load.values()),
        load=counts,
    )
