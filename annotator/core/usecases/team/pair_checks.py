"""Reading a returned package's side-by-side part: its comparisons, what it scores, and
the judgments and notes, checked before anything is believed (untrusted values).

``read_pairs`` reads what the seal covers (``pairs.handout_subject``): the comparisons
with their sides and the items handed out for scoring. Once the seal matches,
``pair_work`` maps each comparison back to the project's, checks every judgment
(a comparison of the package, a dimension of the project, one of the four outcomes, a
strength that fits) and note, and converts the package's "a" = left into the project's
model order with the left item the seal covers: the side the rater was shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.side_by_side import OUTCOMES
from annotator.core.storage import Database, RatersRepo, RubricRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.team_pairs import TeamPairsRepo
from annotator.core.usecases.team.package_checks import Clock, sound_note
from annotator.core.usecases.team.pair_merge import PairWork
from annotator.core.usecases.team.pairs import comparison_index, from_handout, handout_subject


@dataclass
class RawPairs:
    """A package's comparisons and items to score, as stored."""

    rows: list[tuple[object, object, object, object]]  # (row id, uid, item a, item b)
    scored_rows: list[object]  # package item ids its rater scores
    triples: list[tuple[object, object, object]]  # (uid, left item's uid, right item's uid)
    scored_uids: list[object]

    @property
    def present(self) -> bool:
        """True for a package with comparisons (or items marked for scoring)."""
        return bool(self.rows or self.scored_rows)

    def scored(self) -> set | None:
        """The package rows that may be scored (None: every item)."""
        return set(self.scored_rows) if self.present else None

    def subject(self, package_id: str) -> str | None:
        """The seal's subject as the package holds it; None when a part is not text."""
        parts = [*(v for t in self.triples for v in t), *self.scored_uids]
        if not all(isinstance(v, str) for v in parts):
            return None
        scored = [str(u) for u in self.scored_uids] if self.present else None
        return handout_subject(package_id, scored, self.triples)  # type: ignore[arg-type]


def read_pairs(pkg: Database, pitems: list, rater: object) -> RawPairs:
    """The comparisons and scored items of a package, before its seal is checked."""
    repo = TeamPairsRepo(pkg.conn)
    rows = repo.package_comparisons()
    uid_of = {row[0]: row[1] for row in pitems}
    prater = RatersRepo(pkg.conn).id_for(rater) if isinstance(rater, str) else None
    scored_rows = repo.package_assigned_items(prater) if prater is not None else []
    triples = [(uid, uid_of.get(a), uid_of.get(b)) for _, uid, a, b in rows]
    return RawPairs(rows, scored_rows, triples, [uid_of.get(i) for i in scored_rows])


def _comparisons(db: Database, raw: RawPairs, to_project: dict, file: str):
    """Package comparison row -> (blind id, project comparison, left item, item a)."""
    index = comparison_index(db)
    found: dict[object, tuple[str, int, int, int]] = {}
    problems = []
    for pid, uid, pa, pb in raw.rows:
        known = index.get(uid)  # type: ignore[arg-type]
        left, right = to_project.get(pa), to_project.get(pb)
        if known is None:
            why = Message('comparison "{uid}" of the package is no longer in the project', uid=uid)
            problems.append(Problem(why, file=file))
        elif {left, right} != set(known[1:]):
            why = Message(
                'comparison "{uid}" of the package does not show the answers the project '
                "compares; make a new package for this rater",
                uid=uid,
            )
            problems.append(Problem(why, file=file))
        else:
            found[pid] = (str(uid), known[0], left, known[1])  # type: ignore[assignment]
    return found, problems


def _judgment_problem(value, found, dims, seen) -> Message | None:
    """Why one judgment row cannot be merged, or None."""
    pcid, dim, outcome, strength, _ = value
    if pcid not in found:
        return Message(
            "a judgment is given to comparison row {row}, which is not a comparison of the package",
            row=pcid,
        )
    uid, shown = found[pcid][0], dim if dim else "overall"
    if dim not in dims:
        return Message(
            'comparison "{uid}": the package judges dimension "{dimension}", which this '
            "project's rubric does not have",
            uid=uid,
            dimension=dim,
        )
    if outcome not in OUTCOMES:
        return Message(
            'comparison "{uid}", dimension "{dimension}": {value} is not a judgment (a, b, '
            "tie or both_bad)",
            uid=uid,
            dimension=shown,
            value=repr(outcome),
        )
    if strength is not None and (
        type(strength) is not int or strength not in (1, 2) or outcome not in ("a", "b")
    ):
        return Message(
            'comparison "{uid}", dimension "{dimension}": strength {value} does not fit the '
            'judgment "{outcome}"',
            uid=uid,
            dimension=shown,
            value=repr(strength),
            outcome=outcome,
        )
    if (pcid, dim) in seen:
        return Message(
            'comparison "{uid}", dimension "{dimension}" is judged twice', uid=uid, dimension=shown
        )
    return None


def pair_work(
    db: Database,
    pkg: Database,
    raw: RawPairs,
    rater: str,
    to_project: dict,
    clock: Clock,
    file: str,
) -> tuple[PairWork | None, int]:
    """The package's judgments and notes in project terms, and how many of its comparisons
    are no longer assigned to the rater (merged all the same: they were handed out).

    Raises:
        InputError: every problem, each naming the comparison (or row) and what is wrong.
    """
    if not raw.rows:
        return None, 0
    found, problems = _comparisons(db, raw, to_project, file)
    prater = RatersRepo(pkg.conn).id_for(rater)
    repo = TeamPairsRepo(pkg.conn)
    dims = {"", *RubricRepo(db.conn).load().keys}
    work, seen = PairWork(), set()
    for value in repo.raw_judgments(prater) if prater is not None else []:
        why = _judgment_problem(value, found, dims, seen)
        if why is not None:
            problems.append(Problem(why, file=file))
            continue
        pcid, dim, outcome, strength, at = value
        seen.add((pcid, dim))
        _, cid, left, item_a = found[pcid]
        converted = from_handout(outcome, strength, left, item_a)  # type: ignore[arg-type]
        work.judgments.append((cid, dim, converted, strength, left, clock.time(at)))  # type: ignore[arg-type]
    for pcid, comment, flag, seconds, at in repo.raw_notes(prater) if prater is not None else []:
        if pcid not in found or not sound_note(comment, flag, seconds):
            why = Message(
                'comparison "{uid}": the comment, flag or time spent is not one the app '
                "writes (text, text, seconds)",
                uid=found[pcid][0] if pcid in found else pcid,
            )
            problems.append(Problem(why, file=file))
            continue
        work.notes.append((found[pcid][1], comment, flag, float(seconds), clock.time(at)))
    if problems:
        raise InputError(problems, file=file)
    return work, _unassigned(db, rater, {v[1] for v in found.values()})


def _unassigned(db: Database, rater: str, cids: set[int]) -> int:
    """How many of ``cids`` the project no longer assigns to ``rater``."""
    if not TeamPairsRepo(db.conn).has_assignments():
        return 0
    rater_id = RatersRepo(db.conn).id_for(rater)
    assigned = ComparisonsRepo(db.conn).assigned(rater_id) if rater_id is not None else {}
    return sum(1 for cid in cids if cid not in assigned)
