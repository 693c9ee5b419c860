"""Merging one rater's side-by-side judgments and notes (from a package or a sheet).

The same rules as for scores (``merge``): everything is compared with the project
first and only what changes is written, in the merge's one transaction, so merging
the same work twice writes nothing; when both sides carry times, the newer judgment
wins. Judgments arrive already in the project's model order (converted from the
hand-out's sides by the reader), each with the item the rater saw on the left.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.storage import Database, RatersRepo
from annotator.core.storage.team_pairs import TeamPairsRepo

# (comparison id, dimension, outcome by model order, strength, left item, at or None = now)
Judgment = tuple[int, str, str, int | None, int, str | None]
# (comparison id, comment, flag, seconds, at); None parts keep the project's value
PairNote = tuple[int, str | None, str | None, float | None, str | None]

PAIR_COUNTS = (
    "judgments_new",
    "judgments_changed",
    "judgments_unchanged",
    "judgments_kept_newer",
    "pair_comments_new",
    "pair_comments_changed",
    "pair_notes_unchanged",
)


@dataclass
class PairWork:
    """One rater's incoming side-by-side work, in project terms."""

    judgments: list[Judgment] = field(default_factory=list)
    notes: list[PairNote] = field(default_factory=list)


@dataclass
class PairPlan:
    """What a merge would write of judgments and comparison notes."""

    judgments: dict[tuple[int, str], tuple[str, int | None, int, str]] = field(default_factory=dict)
    notes: dict[int, tuple[str, str, float, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PAIR_COUNTS, 0))

    @property
    def writes(self) -> bool:
        return bool(self.judgments or self.notes)


def _newer(project_time: str | None, incoming_time: str | None) -> bool:
    return bool(project_time and incoming_time and project_time > incoming_time)


def plan_pairs(db: Database, rater: str, work: PairWork | None, now: str) -> PairPlan:
    """Compare the incoming judgments and notes with the project's."""
    plan = PairPlan()
    if work is None or not (work.judgments or work.notes):
        return plan
    repo = TeamPairsRepo(db.conn)
    rater_id = RatersRepo(db.conn).id_for(rater)
    old = {}
    old_notes = {}
    if rater_id is not None:
        old = {(c, d): (o, s, at) for c, d, o, s, at in repo.rater_judgments(rater_id)}
        old_notes = {n[0]: n[1:] for n in repo.rater_notes(rater_id)}
    counts = plan.counts
    for cid, dim, outcome, strength, left, at in work.judgments:
        before = old.get((cid, dim))
        if before is None:
            counts["judgments_new"] += 1
        elif before[:2] == (outcome, strength):
            counts["judgments_unchanged"] += 1
            continue
        elif _newer(before[2], at):
            counts["judgments_kept_newer"] += 1
            continue
        else:
            counts["judgments_changed"] += 1
        plan.judgments[(cid, dim)] = (outcome, strength, left, at or now)
    for cid, comment, flag, seconds, at in work.notes:
        oc, of, osec, oat = old_notes.get(cid, ("", "", 0.0, None))
        merged = (
            oc if comment is None else comment,
            of if flag is None else flag,
            osec if seconds is None else seconds,
        )
        if merged == (oc, of, osec) or (_newer(oat, at) and cid in old_notes):
            counts["pair_notes_unchanged"] += 1
            continue
        if merged[0] != oc:
            counts["pair_comments_changed" if oc else "pair_comments_new"] += 1
        plan.notes[cid] = (*merged, at or now)
    return plan


def write_pairs(db: Database, rater_id: int, plan: PairPlan, origin: str) -> None:
    """Inside the merge's transaction: the changed judgments and notes."""
    repo = TeamPairsRepo(db.conn)
    repo.write_judgments(
        (cid, rater_id, dim, o, s, left, origin, at)
        for (cid, dim), (o, s, left, at) in plan.judgments.items()
    )
    repo.write_notes((cid, rater_id, c, f, sec, at) for cid, (c, f, sec, at) in plan.notes.items())
