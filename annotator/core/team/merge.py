"""Merging one rater's work (from a package or a sheet) into the project, safely.

Everything is decided before anything is written: incoming scores are compared
with the project's, and only the ones that change something are written, in one
transaction after a backup, so merging the same work twice writes nothing at all
(no audit rows, no backup, no merge record). When both sides carry times (a
package does), the newer score wins: an old package merged after a newer one
cannot undo the rater's later decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.i18n import tr
from annotator.core.storage import Database, RatersRepo, RubricRepo, utcnow
from annotator.core.storage.team_repo import TeamRepo

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


def _newer(project_time: str | None, incoming_time: str | None) -> bool:
    """True when the project's value is strictly newer than the incoming one."""
    return bool(project_time and incoming_time and project_time > incoming_time)


def apply_work(
    db: Database,
    report: MergeReport,
    scores: list[Score],
    notes: list[Note],
    *,
    origin: str,
    path: str,
) -> MergeReport:
    """Compare ``scores`` and ``notes`` of ``report.rater`` with the project; write changes.

    Args:
        db: the project.
        report: filled in with the counts; ``report.rater``/``kind``/``package_id`` say whose
            work this is and where it came from.
        scores: incoming scores (all dimension keys must exist in the project).
        notes: incoming comments/flags/times.
        origin: written into each changed score (and so into the audit log).
        path: the file merged, recorded in ``merges``.
    """
    team = TeamRepo(db.conn)
    rater_id = RatersRepo(db.conn).id_for(report.rater)
    old_scores = (
        {(i, d): (s, at) for i, d, s, at in team.rater_scores(rater_id)}
        if rater_id is not None
        else {}
    )
    old_notes = {n[0]: n[1:] for n in team.rater_notes(rater_id)} if rater_id is not None else {}
    now = utcnow()
    score_rows: dict[tuple[int, str], tuple[int, str]] = {}
    for item_id, dim, score, at in scores:
        old = old_scores.get((item_id, dim))
        if old is None:
            report.new += 1
        elif old[0] == score:
            report.unchanged += 1
            continue
        elif _newer(old[1], at):
            report.kept_newer += 1
            continue
        else:
            report.changed += 1
        score_rows[(item_id, dim)] = (score, at or now)
    note_rows: dict[int, tuple[str, str, float, str]] = {}
    for item_id, comment, flag, seconds, at in notes:
        oc, of, osec, oat = old_notes.get(item_id, ("", "", 0.0, None))
        merged = (
            oc if comment is None else comment,
            of if flag is None else flag,
            osec if seconds is None else seconds,
        )
        if merged == (oc, of, osec) or (_newer(oat, at) and item_id in old_notes):
            report.notes_unchanged += 1
            continue
        if merged[0] != oc:
            if oc:
                report.comments_changed += 1
            else:
                report.comments_new += 1
        note_rows[item_id] = (*merged, at or now)
    if not score_rows and not note_rows:
        return report
    report.backup = str(db.backup(f"before-{report.kind}-merge"))
    with db.transaction():
        rater_id = RatersRepo(db.conn).id_for(report.rater, create=True)
        dims = RubricRepo(db.conn).ids()
        team.write_scores(
            (i, rater_id, dims[d], s, origin, at) for (i, d), (s, at) in score_rows.items()
        )
        team.write_notes((i, rater_id, c, f, sec, at) for i, (c, f, sec, at) in note_rows.items())
        team.add_merge(
            rater_id,
            report.package_id,
            report.kind,
            path,
            now,
            report.new,
            report.changed,
            report.unchanged,
        )
    return report
