"""The side-by-side part of a rater package: comparisons by side, never by model.

A package for a rater with comparisons holds both answers of each as items of the one
neutral model (blind ids, texts only) and one ``comparisons`` row per comparison with
``item_a`` = the answer the rater sees on the LEFT and ``item_b`` = the right one, so
the package itself does not know the model order; its judgments are "a" = left won
(``pairs.to_handout``). Its uid and sample id are the comparison's keyed blind id; rows
follow the rater's keyed order. The items the rater scores are the package's
``assignments`` (items that are there only for a comparison are not scored), and
``ASSIGNED_ONLY`` in its meta tells the scoring session so, even when there are none.
The seal's subject covers the comparisons with their sides and the items to score
(``pairs.handout_subject``): a comparison swapped, added, removed or turned round, or
an item moved into or out of scoring, no longer matches it.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.domain.side_by_side import DIMENSIONS_KEY, SCALE_KEY
from annotator.core.storage import Database, MetaRepo, RatersRepo, utcnow
from annotator.core.storage.assignments import AssignmentsRepo
from annotator.core.storage.team_pairs import TeamPairsRepo
from annotator.core.usecases.team.pairs import HandoutPair, handout_subject, to_handout
from annotator.core.usecases.team.seal import blind_id

# In a package's meta: its rater scores the package's assignments only (``RaterSession``).
ASSIGNED_ONLY = "assigned_only"


@dataclass
class PackagePairs:
    """The comparisons of one package, read from the project (project ids)."""

    pairs: list[HandoutPair]  # in the rater's keyed order
    blind: dict[int, str]  # comparison id -> its blind id
    scored: list[int]  # the items to score
    judgments: list[tuple[int, str, str, int | None, str]]  # cid, dim, "a" = left, strength, at
    notes: list[tuple[int, str, str, float, str]]  # cid, comment, flag, seconds, at
    settings: dict[str, str]

    def items(self) -> list[int]:
        """Every item a comparison shows, scored or not."""
        return list(dict.fromkeys(i for p in self.pairs for i in (p.left, p.right)))

    def subject(self, package_id: str, item_blind: dict[int, str]) -> str:
        """The seal's subject for this package (see ``pairs.handout_subject``)."""
        triples = [
            (self.blind[p.comparison_id], item_blind[p.left], item_blind[p.right])
            for p in self.pairs
        ]
        return handout_subject(package_id, [item_blind[i] for i in self.scored], triples)


def package_pairs(
    db: Database, secret: bytes, rater: str, scored: list[int], pairs: list[HandoutPair]
) -> PackagePairs | None:
    """What a package for ``rater`` holds of comparisons (None: it holds none)."""
    if not pairs:
        return None
    by_id = {p.comparison_id: p for p in pairs}
    rater_id = RatersRepo(db.conn).id_for(rater)
    repo = TeamPairsRepo(db.conn)
    judgments = []
    notes = []
    if rater_id is not None:
        for cid, dim, outcome, strength, at in repo.rater_judgments(rater_id):
            if cid in by_id:
                p = by_id[cid]
                judgments.append(
                    (cid, dim, to_handout(outcome, strength, p.left, p.item_a), strength, at)
                )
        notes = [n for n in repo.rater_notes(rater_id) if n[0] in by_id]
    meta = MetaRepo(db.conn)
    settings = {k: v for k in (SCALE_KEY, DIMENSIONS_KEY) if (v := meta.get(k))}
    blind = {p.comparison_id: blind_id(secret, p.uid) for p in pairs}
    return PackagePairs(pairs, blind, scored, judgments, notes, settings)


def write_package_pairs(pdb: Database, pp: PackagePairs, new_id: dict[int, int], prater: int):
    """Inside the package's transaction: its comparisons by side, what it scores, the
    rater's earlier judgments and notes (in the package's order)."""
    meta = MetaRepo(pdb.conn)
    meta.set(ASSIGNED_ONLY, "1")
    for key, value in pp.settings.items():
        meta.set(key, value)
    now = utcnow()
    new_cid = {p.comparison_id: n for n, p in enumerate(pp.pairs, start=1)}
    repo = TeamPairsRepo(pdb.conn)
    repo.insert_comparisons(
        (new_cid[p.comparison_id], pp.blind[p.comparison_id], new_id[p.left], new_id[p.right], now)
        for p in pp.pairs
    )
    AssignmentsRepo(pdb.conn).replace(
        (new_id[i], prater, 0) for i in sorted(pp.scored, key=new_id.get)
    )
    left = {p.comparison_id: new_id[p.left] for p in pp.pairs}
    judgments = sorted(pp.judgments, key=lambda j: (new_cid[j[0]], j[1]))
    repo.write_judgments(
        (new_cid[c], prater, d, o, s, left[c], "project", at) for c, d, o, s, at in judgments
    )
    notes = sorted(pp.notes, key=lambda n: new_cid[n[0]])
    repo.write_notes((new_cid[c], prater, cm, f, sec, at) for c, cm, f, sec, at in notes)
