"""Merging one rater's work (from a package or a sheet) into the project, safely.

Everything is decided before anything is written: incoming scores are compared
with the project's, and only the ones that change something are written, in one
transaction after a backup, so merging the same work twice writes nothing at all
(no audit rows, no backup, no merge record). When both sides carry times (a
package does), the newer score wins: an old package merged after a newer one
cannot undo the rater's later decisions, even when both are merged at the same moment
(the comparison is repeated inside the write transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.i18n import tr
from annotator.core.storage import Database, RatersRepo, RubricRepo, utcnow
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team.pair_merge import PAIR_COUNTS, PairWork, plan_pairs, write_pairs

# (project item id, dimension key, score, updated at or None for "now")
Score = tuple[int, str, int, str | None]
# (project item id, comment, flag, seconds, updated at); None parts keep the project's value
Note = tuple[int, str | None, str | None, float | None, str | None]


@dataclass
class MergeReport:
    """What a package merge or sheet import did (or, when refused, nothing)."""

    file: str
    kind: str  # "package" or "sheet"
    rater: str
    package_id: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    kept_newer: int = 0  # the project's score was newer than the incoming one: kept
    comments_new: int = 0
    comments_changed: int = 0
    notes_unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # problems skipped with --skip-invalid
    notices: list[str] = field(default_factory=list)
    backup: str | None = None
    judgments_new: int = 0  # side-by-side judgments, counted as scores are
    judgments_changed: int = 0
    judgments_unchanged: int = 0
    judgments_kept_newer: int = 0
    pair_comments_new: int = 0
    pair_comments_changed: int = 0
    pair_notes_unchanged: int = 0

    @property
    def wrote(self) -> bool:
        return self.backup is not None

    def to_dict(self) -> dict:
        return {**vars(self), "wrote": self.wrote}

    def summary(self) -> str:
        counts = {
            "file": self.file,
            "rater": self.rater,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "comments_new": self.comments_new,
            "comments_changed": self.comments_changed,
        }
        if self.kind == "sheet":
            text = tr(
                "{file} (sheet of {rater}): {new} new, {changed} changed, {unchanged} unchanged "
                "scores; {comments_new} new and {comments_changed} changed comments",
                **counts,
            )
        else:
            text = tr(
                "{file} (package of {rater}): {new} new, {changed} changed, {unchanged} "
                "unchanged scores; {comments_new} new and {comments_changed} changed comments",
                **counts,
            )
        if self.kept_newer:
            text += tr("; {count} kept (the project's score is newer)", count=self.kept_newer)
        text += self._pairs_summary()
        if not self.wrote:
            text += "\n  " + tr("nothing to change: the project already holds this work")
        for notice in self.notices:
            text += "\n  " + tr("note: {note}", note=notice)
        if self.skipped:
            text += "\n  " + tr("skipped {count} invalid cell(s):", count=len(self.skipped))
            text += "".join(f"\n    {s}" for s in self.skipped)
        if self.backup:
            text += "\n  " + tr("backup written: {path}", path=self.backup)
        return text

    def _pairs_summary(self) -> str:
        """The side-by-side line of the summary (nothing when no judgment came in)."""
        if not any(getattr(self, name) for name in PAIR_COUNTS):
            return ""
        text = "\n  " + tr(
            "side by side: {new} new, {changed} changed, {unchanged} unchanged judgments; "
            "{comments_new} new and {comments_changed} changed comments",
            new=self.judgments_new,
            changed=self.judgments_changed,
            unchanged=self.judgments_unchanged,
            comments_new=self.pair_comments_new,
            comments_changed=self.pair_comments_changed,
        )
        if self.judgments_kept_newer:
            text += tr(
                "; {count} kept (the project's judgment is newer)", count=self.judgments_kept_newer
            )
        return text


def _newer(project_time: str | None, incoming_time: str | None) -> bool:
    """True when the project's value is strictly newer than the incoming one."""
    return bool(project_time and incoming_time and project_time > incoming_time)


@dataclass
class _Plan:
    """What a merge would write, decided against the project as it is now."""

    scores: dict[tuple[int, str], tuple[int, str]] = field(default_factory=dict)
    notes: dict[int, tuple[str, str, float, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        return bool(self.scores or self.notes)


class _NothingToWrite(Exception):
    """Raised inside the write transaction to roll it back: another merge got there first."""


_COUNTS = (
    "new",
    "changed",
    "unchanged",
    "kept_newer",
    "comments_new",
    "comments_changed",
    "notes_unchanged",
)


def _plan(db: Database, rater: str, scores: list[Score], notes: list[Note], now: str) -> _Plan:
    """Compare the incoming work with the project's: what changes, what is kept and why."""
    team = TeamRepo(db.conn)
    rater_id = RatersRepo(db.conn).id_for(rater)
    old_scores = (
        {(i, d): (s, at) for i, d, s, at in team.rater_scores(rater_id)}
        if rater_id is not None
        else {}
    )
    old_notes = {n[0]: n[1:] for n in team.rater_notes(rater_id)} if rater_id is not None else {}
    plan = _Plan(counts=dict.fromkeys(_COUNTS, 0))
    counts = plan.counts
    for item_id, dim, score, at in scores:
        old = old_scores.get((item_id, dim))
        if old is None:
            counts["new"] += 1
        elif old[0] == score:
            counts["unchanged"] += 1
            continue
        elif _newer(old[1], at):
            counts["kept_newer"] += 1
            continue
        else:
            counts["changed"] += 1
        plan.scores[(item_id, dim)] = (score, at or now)
    for item_id, comment, flag, seconds, at in notes:
        oc, of, osec, oat = old_notes.get(item_id, ("", "", 0.0, None))
        merged = (
            oc if comment is None else comment,
            of if flag is None else flag,
            osec if seconds is None else seconds,
        )
        if merged == (oc, of, osec) or (_newer(oat, at) and item_id in old_notes):
            counts["notes_unchanged"] += 1
            continue
        if merged[0] != oc:
            counts["comments_changed" if oc else "comments_new"] += 1
        plan.notes[item_id] = (*merged, at or now)
    return plan


def apply_work(
    db: Database,
    report: MergeReport,
    scores: list[Score],
    notes: list[Note],
    *,
    origin: str,
    path: str,
    pairs: PairWork | None = None,
) -> MergeReport:
    """Compare ``scores`` and ``notes`` of ``report.rater`` with the project; write changes.

    The comparison that decides what is written ("the newer score wins") is made again
    inside the one write transaction that writes it, so two merges at once serialise:
    an old package merged at the same moment as a newer one can never overwrite the
    newer one's scores. Nothing is written (no backup, no audit row, no merge record)
    when nothing changes.

    Args:
        db: the project.
        report: filled in with the counts; ``report.rater``/``kind``/``package_id`` say whose
            work this is and where it came from.
        scores: incoming scores (all dimension keys must exist in the project).
        notes: incoming comments/flags/times.
        origin: written into each changed score (and so into the audit log).
        path: the file merged, recorded in ``merges``.
        pairs: incoming side-by-side judgments and notes (``pair_merge``), merged the same
            way in the same transaction.
    """
    now = utcnow()
    # A first look without the write lock: work the project already holds writes nothing.
    plan = _plan(db, report.rater, scores, notes, now)
    pplan = plan_pairs(db, report.rater, pairs, now)
    if plan.writes or pplan.writes:
        try:
            with db.backup_guard(f"before-{report.kind}-merge") as backup, db.transaction():
                plan = _plan(db, report.rater, scores, notes, now)  # under the lock
                pplan = plan_pairs(db, report.rater, pairs, now)
                if not (plan.writes or pplan.writes):
                    raise _NothingToWrite
                _write(db, report, plan, origin, path, now)
                rater_id = RatersRepo(db.conn).id_for(report.rater, create=True)
                write_pairs(db, rater_id, pplan, origin)
            report.backup = str(backup)
        except _NothingToWrite:
            pass  # another merge wrote the same work meanwhile; its backup is discarded
    for name, value in [*plan.counts.items(), *pplan.counts.items()]:
        setattr(report, name, value)
    return report


def _write(db: Database, report: MergeReport, plan: _Plan, origin: str, path: str, now: str):
    """Inside the transaction: the changed scores and notes, and the merge record."""
    team = TeamRepo(db.conn)
    rater_id = RatersRepo(db.conn).id_for(report.rater, create=True)
    dims = RubricRepo(db.conn).ids()
    team.write_scores(
        (i, rater_id, dims[d], s, origin, at) for (i, d), (s, at) in plan.scores.items()
    )
    team.write_notes((i, rater_id, c, f, sec, at) for i, (c, f, sec, at) in plan.notes.items())
    counts = plan.counts
    team.add_merge(
        rater_id,
        report.package_id,
        report.kind,
        path,
        now,
        counts["new"],
        counts["changed"],
        counts["unchanged"],
    )
