"""Use case: bring a rater package back into the project it came from.

A package that comes back is untrusted input: it is opened read-only (never migrated or
written) and checked before anything is compared. Refused, with the project untouched:

- a file that is not a sound project file, is not a package, or is another project's;
- a package without a seal (an older version made it) or whose seal does not match its
  id, its rater and its exact item set, recomputed with the project's secret: a package
  renamed to another rater, or with items swapped, added or removed;
- a package for a rater who is not assigned (when assignments exist);
- an item whose blind id is no longer in the project, or whose texts differ from it;
- a score that is not a whole number within the rubric's scale, or on a dimension the
  rubric lacks, and a comment, flag or time that is not what the app writes;
- side by side (``pair_checks``): comparisons swapped, added, removed or turned round,
  or items moved into or out of scoring (the seal covers them), a score on an item there
  only for a comparison, a judgment on a comparison the package does not hold, on a
  dimension the project lacks, not one of the four outcomes or with a strength that
  does not fit. Judgments are converted from the package's sides (``a`` = left) to the
  project's model order and merged like scores (``pair_merge``).

Accepted with a notice: times from the future or in another format (clamped to the
merge time, so they never shadow the rater's later re-scores), sealed items no longer
assigned to the rater (they were handed out to them), and a package holding fewer
scores than it had when it was handed out.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.domain.errors import InputError, Problem, ProjectFileError
from annotator.core.domain.message import Message
from annotator.core.i18n import tr
from annotator.core.storage import Database, MetaRepo, RatersRepo
from annotator.core.storage.scoring_lock import HeldError, check_free, holder_fields
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.storage.untrusted import open_untrusted
from annotator.core.usecases.importing import content_hash
from annotator.core.usecases.team.merge import MergeReport, Note, Score, apply_work
from annotator.core.usecases.team.package_checks import Clock, package_notes, package_scores
from annotator.core.usecases.team.packages import PACKAGE_KIND, SEAL_KEY
from annotator.core.usecases.team.pair_checks import RawPairs, pair_work, read_pairs
from annotator.core.usecases.team.pair_merge import PairWork
from annotator.core.usecases.team.pairs import judges_pairs
from annotator.core.usecases.team.seal import blind_index, project_secret, seal_matches


def check_rater_assigned(db: Database, rater: str, file: str) -> None:
    """Refuse work from a rater who has no assignment, when the project has assignments."""
    team = TeamRepo(db.conn)
    if not team.has_assignments():
        return
    rater_id = RatersRepo(db.conn).id_for(rater)
    items = team.assigned_item_ids(rater_id) if rater_id is not None else []
    if not (items or judges_pairs(db, rater_id)):
        names = sorted({name for _, name, _ in team.assignments()})
        raise InputError(
            Problem(
                Message(
                    'rater "{rater}" is not assigned to any item of this project (assigned: '
                    "{assigned}); assign them first if their work should count",
                    rater=rater,
                    assigned=", ".join(names),
                ),
                file=file,
            )
        )


def merge_package(db: Database, path: str | Path) -> MergeReport:
    """Merge a rater package into the project (see module docstring for what is refused).

    Returns:
        A ``MergeReport``: new / changed / unchanged scores and comments, the backup.
    """
    file = str(path)
    if (MetaRepo(db.conn).get("kind") or "project") == PACKAGE_KIND:
        raise InputError(
            Problem(
                Message(
                    "{project} is a rater package; merge packages into the project file",
                    project=db.path,
                ),
                file=file,
            )
        )
    _refuse_if_open(Path(path), file)
    try:
        pkg = open_untrusted(Path(path))
        try:
            scores, notes, pairs, report = _read_package(db, pkg, file)
        finally:
            pkg.close()
    except sqlite3.DatabaseError as exc:
        # A damaged page can surface as a raw SQLite error while reading.
        raise ProjectFileError(
            Message(
                "{file} is damaged and cannot be read ({error}); ask the rater to send the "
                "package again",
                file=path,
                error=exc,
            )
        ) from exc
    origin = f"package:{report.package_id}"
    return apply_work(db, report, scores, notes, origin=origin, path=file, pairs=pairs)


def _refuse_if_open(path: Path, file: str) -> None:
    """A package a window still scores in is not merged: its last scores are not final."""
    try:
        check_free(path)
    except HeldError as exc:
        who = exc.holder
        raise HeldError(
            Message(
                "{file} is open for scoring by {rater} on {host} (process {pid}, since "
                "{since}); close that window, then merge it. The project was not changed.",
                file=file,
                **holder_fields(who),
            ),
            holder=who,
        ) from None


def _refuse(message: Message, file: str) -> InputError:
    return InputError(Problem(message, file=file))


def _check_identity(
    db: Database, pmeta: MetaRepo, blind_ids: list, pairs: RawPairs, file: str
) -> str:
    """The package's rater, once it is shown to be a package of this project, as sealed."""
    if pmeta.get("kind") != PACKAGE_KIND or not pmeta.get("package_rater"):
        raise _refuse(
            Message("this is a project file, not a rater package (make one with package create)"),
            file,
        )
    project_uuid = MetaRepo(db.conn).get("uuid")
    if pmeta.get("project_uuid") != project_uuid:
        raise _refuse(
            Message(
                'this package belongs to another project ("{other_name}", {other_uuid}), '
                "not to this one ({project_uuid})",
                other_name=pmeta.get("name"),
                other_uuid=pmeta.get("project_uuid"),
                project_uuid=project_uuid,
            ),
            file,
        )
    rater, package_id, stamp = (
        pmeta.get("package_rater"),
        pmeta.get("package_id"),
        pmeta.get(SEAL_KEY),
    )
    if not stamp:
        raise _refuse(
            Message(
                "this package has no seal (it was made by an older version of annotator, or "
                "its seal was removed), so it cannot be shown to be the one handed out; make "
                "a new package for this rater with package create"
            ),
            file,
        )
    texts = (rater, package_id, stamp, *blind_ids)
    subject = pairs.subject(package_id) if isinstance(package_id, str) else None
    if (
        not all(isinstance(t, str) for t in texts)
        or subject is None
        or not seal_matches(project_secret(db), stamp, PACKAGE_KIND, subject, rater, blind_ids)
    ):
        raise _refuse(
            Message(
                'this package does not match its seal: its rater ("{rater}") or its items '
                "were changed after it was handed out (renamed, or items swapped, added or "
                "removed). It is not merged; ask the rater for the package they were given",
                rater=rater,
            ),
            file,
        )
    return rater


def _map_items(db: Database, pitems: list, file: str) -> tuple[dict[int, int], dict[int, str]]:
    """Package row id -> project item id, and -> blind id; problems for unknown items."""
    index = blind_index(db)
    to_project: dict[int, int] = {}
    blind: dict[int, str] = {}
    problems: list[Problem] = []
    for pid, uid, ins, ref, gen in pitems:
        blind[pid] = uid
        known = index.get(uid)
        if known is None:
            problems.append(
                Problem(
                    Message('item "{uid}" of the package is no longer in the project', uid=uid),
                    file=file,
                )
            )
        elif not all(isinstance(t, str) for t in (ins, ref, gen)) or (
            content_hash(ins, ref, gen) != known[1]
        ):
            problems.append(
                Problem(
                    Message(
                        'the texts of item "{uid}" differ between the package and the project '
                        "(the project's item was re-imported, or the package was edited); make a "
                        "new package for this rater",
                        uid=uid,
                    ),
                    file=file,
                )
            )
        else:
            to_project[pid] = known[0]
    if problems:
        raise InputError(problems, file=file)
    return to_project, blind


def _read_package(
    db: Database, pkg: Database, file: str
) -> tuple[list[Score], list[Note], PairWork | None, MergeReport]:
    pmeta = MetaRepo(pkg.conn)
    pteam = TeamRepo(pkg.conn)
    pitems = pteam.package_items()
    raw_pairs = read_pairs(pkg, pitems, pmeta.get("package_rater"))
    rater = _check_identity(db, pmeta, [row[1] for row in pitems], raw_pairs, file)
    check_rater_assigned(db, rater, file)
    to_project, blind = _map_items(db, pitems, file)
    prater_id = RatersRepo(pkg.conn).id_for(rater)
    raw_scores = pteam.raw_rater_scores(prater_id) if prater_id is not None else []
    raw_notes = pteam.rater_notes(prater_id) if prater_id is not None else []
    clock, scored = Clock(), raw_pairs.scored()
    scores = package_scores(db, raw_scores, to_project, blind, clock, file, scored)
    notes = package_notes(raw_notes, to_project, blind, clock, file, scored)
    pairs, pairs_gone = pair_work(db, pkg, raw_pairs, rater, to_project, clock, file)
    package_id = pmeta.get("package_id") or ""
    report = MergeReport(file=file, kind=PACKAGE_KIND, rater=rater, package_id=package_id)
    if scored is not None:  # items there only for a comparison are not "no longer assigned"
        to_project = {pid: i for pid, i in to_project.items() if pid in scored}
    report.notices.extend(_notices(db, pteam, rater, package_id, to_project, len(scores), clock))
    if pairs_gone:
        report.notices.append(
            tr(
                "{count} comparison(s) of the package are no longer assigned to {rater}; their "
                "judgments were merged all the same (they were handed out to them)",
                count=pairs_gone,
                rater=rater,
            )
        )
    return scores, notes, pairs, report


def _notices(
    db: Database,
    pteam: TeamRepo,
    rater: str,
    package_id: str,
    to_project: dict[int, int],
    n_scores: int,
    clock: Clock,
) -> list[str]:
    """What the lead should know about a package that is merged all the same."""
    notices = []
    others = [n for n in pteam.rater_ids_with_work() if n != rater]
    if others:
        notices.append(
            tr(
                "work of other raters in the package was ignored: {raters}",
                raters=", ".join(others),
            )
        )
    if clock.clamped:
        notices.append(
            tr(
                "{count} time(s) in the package were in the future or not a time; the merge "
                "time was used for them instead",
                count=clock.clamped,
            )
        )
    team = TeamRepo(db.conn)
    rater_id = RatersRepo(db.conn).id_for(rater)
    if team.has_assignments() and rater_id is not None:
        assigned = set(team.assigned_item_ids(rater_id))
        gone = sum(1 for item_id in to_project.values() if item_id not in assigned)
        if gone:
            notices.append(
                tr(
                    "{count} item(s) of the package are no longer assigned to {rater}; their "
                    "scores were merged all the same (the items were handed out to them)",
                    count=gone,
                    rater=rater,
                )
            )
    handout = team.handout(package_id)
    if handout is not None and n_scores < handout["n_scores"]:
        notices.append(
            tr(
                "the package holds {count} score(s), fewer than the {expected} it held when it "
                "was handed out on {date}: scores were undone in it, or this is a copy of an "
                "older state of the file",
                count=n_scores,
                expected=handout["n_scores"],
                date=handout["created_at"][:10],
            )
        )
    return notices
