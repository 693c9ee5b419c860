"""Use case: bring a rater package back into the project it came from.

Refused, with the project untouched: a file that is not a sound project file (the
normal open checks), a file that is not a package, a package of another project,
a package for a rater who is not assigned (when assignments exist), and a package
holding an item the project no longer has or whose texts differ from the project's.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.errors import InputError, Problem, ProjectFileError
from annotator.core.i18n import tr
from annotator.core.importing import content_hash
from annotator.core.storage import Database, MetaRepo, RatersRepo, RubricRepo, open_db
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.team.merge import MergeReport, Note, Score, apply_work


def check_rater_assigned(db: Database, rater: str, file: str) -> None:
    """Refuse work from a rater who has no assignment, when the project has assignments."""
    team = TeamRepo(db.conn)
    if not team.has_assignments():
        return
    rater_id = RatersRepo(db.conn).id_for(rater)
    if rater_id is None or not team.assigned_item_ids(rater_id):
        names = sorted({name for _, name, _ in team.assignments()})
        raise InputError(
            Problem(
                tr(
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
    meta = MetaRepo(db.conn)
    if (meta.get("kind") or "project") == "package":
        raise InputError(
            Problem(
                tr(
                    "{project} is a rater package; merge packages into the project file",
                    project=db.path,
                ),
                file=file,
            )
        )
    try:
        pkg = open_db(Path(path))
        try:
            scores, notes, report = _read_package(db, pkg, file)
        finally:
            pkg.close()
    except sqlite3.DatabaseError as exc:
        # open_db turns most damage into a ProjectFileError; a damaged schema page can
        # still surface as a raw SQLite error, on opening or on reading.
        raise ProjectFileError(
            tr(
                "{file} is damaged and cannot be read ({error}); ask the rater to send the "
                "package again",
                file=path,
                error=exc,
            )
        ) from exc
    return apply_work(db, report, scores, notes, origin=f"package:{report.package_id}", path=file)


def _read_package(
    db: Database, pkg: Database, file: str
) -> tuple[list[Score], list[Note], MergeReport]:
    pmeta = MetaRepo(pkg.conn)
    if pmeta.get("kind") != "package" or not pmeta.get("package_rater"):
        raise InputError(
            Problem(
                tr("this is a project file, not a rater package (make one with package create)"),
                file=file,
            )
        )
    project_uuid = MetaRepo(db.conn).get("uuid")
    if pmeta.get("project_uuid") != project_uuid:
        raise InputError(
            Problem(
                tr(
                    'this package belongs to another project ("{other_name}", {other_uuid}), '
                    "not to this one ({project_uuid})",
                    other_name=pmeta.get("name"),
                    other_uuid=pmeta.get("project_uuid"),
                    project_uuid=project_uuid,
                ),
                file=file,
            )
        )
    rater = pmeta.get("package_rater") or ""
    check_rater_assigned(db, rater, file)

    project_items = TeamRepo(db.conn).uid_index()
    pteam = TeamRepo(pkg.conn)
    ptexts = pteam.item_texts([row[0] for row in pteam.items_for_assignment()])
    to_project: dict[int, int] = {}
    problems: list[Problem] = []
    for pid, uid, ins, ref, gen, _ in ptexts:
        known = project_items.get(uid)
        if known is None:
            problems.append(
                Problem(
                    tr('item "{uid}" of the package is no longer in the project', uid=uid),
                    file=file,
                )
            )
        elif content_hash(ins, ref, gen) != known[1]:
            problems.append(
                Problem(
                    tr(
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
    dims = set(RubricRepo(db.conn).ids())
    prater_id = RatersRepo(pkg.conn).id_for(rater)
    raw_scores = pteam.rater_scores(prater_id) if prater_id is not None else []
    unknown = sorted({d for _, d, _, _ in raw_scores} - dims)
    if unknown:
        problems.append(
            Problem(
                tr(
                    "the package scores dimension(s) {dimensions} that this project's rubric "
                    "does not have",
                    dimensions=", ".join(unknown),
                ),
                file=file,
            )
        )
    if problems:
        raise InputError(problems, file=file)

    report = MergeReport(
        file=file, kind="package", rater=rater, package_id=pmeta.get("package_id") or ""
    )
    others = [n for n in pteam.rater_ids_with_work() if n != rater]
    if others:
        report.notices.append(
            tr(
                "work of other raters in the package was ignored: {raters}",
                raters=", ".join(others),
            )
        )
    scores = [(to_project[i], d, s, at) for i, d, s, at in raw_scores]
    notes = [
        (to_project[i], c, f, sec, at)
        for i, c, f, sec, at in (pteam.rater_notes(prater_id) if prater_id else [])
    ]
    return scores, notes, report
