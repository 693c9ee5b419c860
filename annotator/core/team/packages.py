"""Use case: write a rater package, a project file holding one rater's work and nothing else.

A package has the project's uuid (so the rater's shuffled order is the one they
would see in the project), the project's rubric, the rater's assigned items under
one neutral model name with their uid as sample id (blind), and the rater's own
scores and notes with their times, so work can continue where it stopped. It holds
no other rater's scores, no model names, no source paths, no metadata, no metrics.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError, ProjectFileError
from annotator.core.i18n import tr
from annotator.core.storage import Database, MetaRepo, ModelsRepo, RatersRepo, RubricRepo, utcnow
from annotator.core.storage.team_repo import TeamRepo

BLIND_MODEL = "blind"


@dataclass
class PackageReport:
    path: str
    rater: str
    package_id: str
    items: int
    scores: int
    notes: int

    def to_dict(self) -> dict:
        return dict(vars(self))


def rater_items(db: Database, rater: str) -> list[int]:
    """The item ids a rater works on: their assignment, or every item when there is none.

    Raises:
        AnnotatorError: assignments exist and the rater has none.
    """
    team = TeamRepo(db.conn)
    if not team.has_assignments():
        return [row[0] for row in team.items_for_assignment()]
    rater_id = RatersRepo(db.conn).id_for(rater)
    ids = team.assigned_item_ids(rater_id) if rater_id is not None else []
    if not ids:
        assigned = sorted({name for _, name, _ in team.assignments()})
        raise AnnotatorError(
            tr(
                'rater "{rater}" has no assigned items; assigned raters: {assigned} '
                "(run assign to change that)",
                rater=rater,
                assigned=", ".join(assigned),
            )
        )
    return ids


def create_package(
    db: Database, rater: str, out: str | Path, *, overwrite: bool = False
) -> PackageReport:
    """Write ``rater``'s package to ``out``.

    Args:
        db: the project's database (a project, not a package).
        rater: the rater the package is for.
        out: the package file to write (e.g. ``alice.annotator``).
        overwrite: replace ``out`` if it exists (otherwise refuse).

    Returns:
        A ``PackageReport``.
    """
    from annotator.core.project import Project  # the facade imports this module

    rater = rater.strip()
    if not rater:
        raise AnnotatorError(tr("a package needs a rater, e.g. --rater alice"))
    meta = MetaRepo(db.conn)
    if (meta.get("kind") or "project") == "package":
        raise AnnotatorError(
            tr(
                "{project} is itself a rater package; create packages from the project file",
                project=db.path,
            )
        )
    out = Path(out)
    if out.resolve() == Path(db.path).resolve():
        raise AnnotatorError(tr("the package cannot be written over the project file"))
    item_ids = rater_items(db, rater)
    team = TeamRepo(db.conn)
    rater_id = RatersRepo(db.conn).id_for(rater)
    wanted = set(item_ids)
    scores = [s for s in team.rater_scores(rater_id) if s[0] in wanted] if rater_id else []
    notes = [n for n in team.rater_notes(rater_id) if n[0] in wanted] if rater_id else []
    texts = team.item_texts(item_ids)
    if out.exists():
        if not overwrite:
            raise ProjectFileError(
                tr("{file} already exists; choose another name or use --force", file=out)
            )
        for leftover in (out, Path(f"{out}-wal"), Path(f"{out}-shm")):
            leftover.unlink(missing_ok=True)
    package_id = str(uuid.uuid4())
    language = meta.get("language") or "zh_CN"
    pkg = Project.create(
        out,
        f"{meta.get('name') or db.path.stem} — {rater}",
        language=language,
        rubric=RubricRepo(db.conn).load(),
        min_raters=1,
    )
    try:
        pdb = pkg.db
        with pdb.transaction():
            pmeta = MetaRepo(pdb.conn)
            for key, value in {
                "uuid": meta.get("uuid") or "",
                "kind": "package",
                "project_uuid": meta.get("uuid") or "",
                "package_id": package_id,
                "package_rater": rater,
                "package_created_at": utcnow(),
            }.items():
                pmeta.set(key, value)
            model_id = ModelsRepo(pdb.conn).id_for(BLIND_MODEL, create=True)
            now = utcnow()
            # Ascending project ids become ascending package ids, so the seeded shuffle
            # of sorted ids gives the rater the very same order as in the project.
            pteam = TeamRepo(pdb.conn)
            pteam.insert_blind_items(
                (uid, model_id, ins, ref, gen, h, now) for _, uid, ins, ref, gen, h in texts
            )
            new_ids = {uid: i for uid, (i, _) in pteam.uid_index().items()}
            by_old = {old: new_ids[uid] for old, uid, *_ in texts}
            prater = RatersRepo(pdb.conn).id_for(rater, create=True)
            dims = RubricRepo(pdb.conn).ids()
            pteam.write_scores(
                (by_old[i], prater, dims[d], s, "project", at) for i, d, s, at in scores
            )
            pteam.write_notes((by_old[i], prater, c, f, sec, at) for i, c, f, sec, at in notes)
    except BaseException:
        pkg.close()
        out.unlink(missing_ok=True)
        raise
    pkg.close()
    return PackageReport(
        path=str(out),
        rater=rater,
        package_id=package_id,
        items=len(texts),
        scores=len(scores),
        notes=len(notes),
    )
