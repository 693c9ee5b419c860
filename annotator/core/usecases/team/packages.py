"""Use case: write a rater package, a project file holding one rater's work and nothing else.

A package has the project's rubric, the rater's assigned items under one neutral model
name, and the rater's own scores and notes with their times, so work can continue where
it stopped. It holds no other rater's scores, no model names, no source paths, no
metadata, no metrics, and nothing that can be turned back into them:

- each item's uid and sample id is its keyed blind id (``seal.blind_id``), not the
  project's uid (a hash of the project uuid, the model and the sample id, which a
  dictionary of guesses would reverse);
- items are stored in the rater's own keyed order and their row ids follow that order,
  so neither the rows nor the ids say in which order (so by which model) they were
  imported;
- the file is built under a temporary name, compacted (``VACUUM``: no free page keeps an
  overwritten value) with a rollback journal (no ``-wal`` beside it), and only then
  renamed to its name: a killed or failed create leaves nothing at the output path;
- its meta carries the hand-out's seal (``seal.seal``), and the project records the
  hand-out, so a merge can tell a package renamed to another rater, or with items
  swapped, added or removed, and one that comes back with fewer scores than it left with;
- side-by-side comparisons assigned to the rater travel by side, never by model, and
  the items that are there only for them are not scored (``package_pairs``).
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from annotator.core.domain.errors import (
    AnnotatorError,
    ProjectFileError,
    TargetExistsError,
)
from annotator.core.domain.message import Message
from annotator.core.formats.paths import refuse_project_files
from annotator.core.storage import (
    Database,
    MetaRepo,
    ModelsRepo,
    RatersRepo,
    RubricRepo,
    create_db,
    utcnow,
)
from annotator.core.storage.connection import remove_project_file, set_package_journal
from annotator.core.storage.errors import environment_error  # SQLite's and the system's
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.project_file import initial_meta, write_start
from annotator.core.usecases.team.gold_mix import check_round, only_round
from annotator.core.usecases.team.package_pairs import (
    PackagePairs,
    package_pairs,
    write_package_pairs,
)
from annotator.core.usecases.team.pairs import HandoutPair, rater_pairs
from annotator.core.usecases.team.seal import blind_id, project_secret, rater_order, seal

BLIND_MODEL = "blind"
PACKAGE_KIND = "package"
SEAL_KEY = "package_seal"
_PARTIAL = ".partial"
# A temporary file older than this belongs to a create that was killed: it is removed.
_STALE_PARTIAL_S = 3600.0


@dataclass
class PackageReport:
    path: str
    rater: str
    package_id: str
    items: int
    scores: int
    notes: int
    comparisons: int = 0
    judgments: int = 0

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass
class _Contents:
    """What goes into one package, read from the project (items in the rater's order)."""

    rater: str
    package_id: str
    texts: list[tuple[int, str, str, str, str, str]]  # project id, uid, texts, hash
    blind: dict[int, str]  # project id -> blind id
    scores: list[tuple[int, str, int, str]]
    notes: list[tuple[int, str, str, float, str]]
    stamp: str
    pairs: PackagePairs | None = None  # its side-by-side comparisons, if any


def rater_items(db: Database, rater: str, round_name: str | None = None) -> list[int]:
    """The item ids a rater works on: their assignment, or every item when there is none;
    with ``round_name`` (calibration or main) only that round's.

    Raises:
        AnnotatorError: assignments exist and the rater has none (in that round).
    """
    team = TeamRepo(db.conn)
    if not team.has_assignments():
        return only_round(db, rater, [row[0] for row in team.items_for_assignment()], round_name)
    rater_id = RatersRepo(db.conn).id_for(rater)
    ids = team.assigned_item_ids(rater_id) if rater_id is not None else []
    ids = only_round(db, rater, ids, round_name)
    if not ids:
        assigned = sorted({name for _, name, _ in team.assignments()})
        raise AnnotatorError(
            Message(
                'rater "{rater}" has no assigned items; assigned raters: {assigned} '
                "(run assign to change that)",
                rater=rater,
                assigned=", ".join(assigned),
            )
        )
    return ids


def handout_work(
    db: Database, rater: str, round_name: str | None = None
) -> tuple[list[int], list[HandoutPair]]:
    """(item ids to score, comparisons) of a hand-out for ``rater`` (of ``round_name``).

    A rater with comparisons and no items to score gets a hand-out of comparisons only;
    the comparisons go with the main round, never the calibration round.

    Raises:
        AnnotatorError: the rater has neither (``rater_items``' message).
    """
    round_name = check_round(round_name)
    pairs = rater_pairs(db, rater) if round_name != "calibration" else []
    try:
        return rater_items(db, rater, round_name), pairs
    except AnnotatorError:
        if not pairs:
            raise
        return [], pairs


def create_package(
    db: Database,
    rater: str,
    out: str | Path,
    *,
    overwrite: bool = False,
    round_name: str | None = None,
) -> PackageReport:
    """Write ``rater``'s package to ``out``, whole or not at all.

    Args:
        db: the project's database (a project, not a package).
        rater: the rater the package is for.
        out: the package file to write (e.g. ``alice.annotator``).
        overwrite: replace ``out`` if it exists (otherwise refuse).
        round_name: only the calibration or the main round (None: everything assigned).

    Returns:
        A ``PackageReport``.

    Raises:
        AnnotatorError: no rater, a package given as the project, the rater has no items.
        ProjectFileError: ``out`` exists (without ``overwrite``), is the project or a
            folder, its folder is missing, or the disk is full or read-only (nothing is
            left at ``out`` then, and the project records no hand-out).
    """
    rater = rater.strip()
    if not rater:
        raise AnnotatorError(Message("a package needs the name of its rater"))
    # "wang wu" typed for the rater "Wang Wu": their package, under their name
    rater = RatersRepo(db.conn).display_name(rater) or rater
    if (MetaRepo(db.conn).get("kind") or "project") == PACKAGE_KIND:
        raise AnnotatorError(
            Message(
                "{project} is itself a rater package; create packages from the project file",
                project=db.path,
            )
        )
    out = Path(out)
    _check_target(db, out, overwrite)
    contents = _contents(db, rater, round_name)
    _remove_stale_partials(out)
    partial = out.with_name(_partial_name(out, uuid.uuid4().hex[:12]))
    try:
        try:
            _build(db, partial, contents)
        except (OSError, sqlite3.Error, ProjectFileError) as exc:
            _raise_plain(exc, out)
        try:
            _publish(db, partial, out, contents, overwrite)
        except (OSError, sqlite3.Error) as exc:  # the rename (the project's own errors pass)
            _raise_plain(exc, out)
    finally:
        remove_project_file(partial)  # nothing left once renamed; all of it on failure
    return PackageReport(
        path=str(out),
        rater=rater,
        package_id=contents.package_id,
        items=len(contents.texts),
        scores=len(contents.scores),
        notes=len(contents.notes),
        comparisons=len(contents.pairs.pairs) if contents.pairs else 0,
        judgments=len(contents.pairs.judgments) if contents.pairs else 0,
    )


def _raise_plain(exc: Exception, out: Path) -> None:
    """Raise the plain message for a full disk or a read-only folder at ``out``, else ``exc``.

    Errors from writing the temporary file name that file: the person knows ``out``.
    """
    cause = exc.__cause__ if isinstance(exc, ProjectFileError) else exc
    found = environment_error(cause, out) if isinstance(cause, (OSError, sqlite3.Error)) else None
    if found is None:
        raise exc
    raise found from exc


def _check_target(db: Database, out: Path, overwrite: bool) -> None:
    try:
        _check_target_path(db, out, overwrite)
    except OSError as exc:  # a name too long for the file system, a loop of links, ...
        raise ProjectFileError(
            Message(
                "{path} cannot be used for the package ({reason}); choose a shorter or "
                "simpler file name",
                path=out,
                reason=os.strerror(exc.errno) if exc.errno else type(exc).__name__,
            )
        ) from exc


def _partial_name(out: Path, token: str = "*") -> str:
    """The temporary name a package is built under: hidden, beside it, never too long."""
    return f".{out.name[:64]}.{token}{_PARTIAL}"


def _check_target_path(db: Database, out: Path, overwrite: bool) -> None:
    # SQLite writes ``<name>-journal`` beside a package at each score: that name must fit too.
    Path(f"{out}-journal").exists()
    if out.is_dir():
        raise ProjectFileError(
            Message(
                "{path} is a folder; give the package a file name, e.g. alice.annotator", path=out
            )
        )
    if not out.parent.is_dir():
        raise ProjectFileError(Message("The folder {folder} does not exist.", folder=out.parent))
    refuse_project_files(out, db.path)  # the project, its -wal/-shm/-journal, its backups
    if out.exists() and not overwrite:
        raise TargetExistsError(out)


def _contents(db: Database, rater: str, round_name: str | None = None) -> _Contents:
    """Read what the package will hold, in the rater's keyed order."""
    secret = project_secret(db)
    scored, pairs = handout_work(db, rater, round_name)
    pp = package_pairs(db, secret, rater, scored, pairs)
    # items only there for a comparison travel too, but are not scored (package_pairs)
    order = rater_order(secret, rater, list(dict.fromkeys([*scored, *(pp.items() if pp else [])])))
    team = TeamRepo(db.conn)
    by_id = {row[0]: row for row in team.item_texts(order)}
    texts = [by_id[i] for i in order]
    blind = {row[0]: blind_id(secret, row[1]) for row in texts}
    rater_id = RatersRepo(db.conn).id_for(rater)
    keep = set(scored)
    scores = [s for s in team.rater_scores(rater_id) if s[0] in keep] if rater_id else []
    notes = [n for n in team.rater_notes(rater_id) if n[0] in keep] if rater_id else []
    package_id = str(uuid.uuid4())
    subject = pp.subject(package_id, blind) if pp else package_id
    stamp = seal(secret, PACKAGE_KIND, subject, rater, blind.values())
    return _Contents(rater, package_id, texts, blind, scores, notes, stamp, pp)


def _build(db: Database, partial: Path, contents: _Contents) -> None:
    """Write the whole package to ``partial``: a fresh file, compacted, one journal-less file.

    Written through storage alone (the facade is above this module): the same start as a
    new project (``project_file``), then the package's meta and contents, in one transaction.
    """
    meta = MetaRepo(db.conn)
    start = initial_meta(
        f"{meta.get('name') or db.path.stem} — {contents.rater}",
        meta.get("language") or "zh_CN",
        min_raters=1,
    )
    pdb = create_db(partial)
    try:
        with pdb.transaction():
            write_start(pdb, start, RubricRepo(db.conn).load())
            _write_contents(pdb, meta.get("uuid") or "", contents)
        set_package_journal(pdb)
        TeamRepo(pdb.conn).compact()
    finally:
        pdb.close()


def _write_contents(pdb: Database, project_uuid: str, contents: _Contents) -> None:
    """Inside the package's transaction: its meta, items, the rater and their work."""
    pmeta = MetaRepo(pdb.conn)
    for key, value in {
        "uuid": project_uuid,
        "kind": PACKAGE_KIND,
        "project_uuid": project_uuid,
        "package_id": contents.package_id,
        "package_rater": contents.rater,
        "package_created_at": utcnow(),
        SEAL_KEY: contents.stamp,
    }.items():
        pmeta.set(key, value)
    model_id = ModelsRepo(pdb.conn).id_for(BLIND_MODEL, create=True)
    now = utcnow()
    # Row ids 1, 2, 3, ... in the rater's order: the package's order is its ids' order.
    new_id = {row[0]: n for n, row in enumerate(contents.texts, start=1)}
    pteam = TeamRepo(pdb.conn)
    pteam.insert_blind_items(
        (new_id[i], contents.blind[i], model_id, ins, ref, gen, h, now)
        for i, _, ins, ref, gen, h in contents.texts
    )
    prater = RatersRepo(pdb.conn).id_for(contents.rater, create=True)
    dims = RubricRepo(pdb.conn).ids()
    # Written in the package's order: the audit log's row ids follow the writes, and the
    # project's order (by item id) is the import order.
    scores = sorted(contents.scores, key=lambda s: new_id[s[0]])
    pteam.write_scores((new_id[i], prater, dims[d], s, "project", at) for i, d, s, at in scores)
    notes = sorted(contents.notes, key=lambda n: new_id[n[0]])
    pteam.write_notes((new_id[i], prater, c, f, sec, at) for i, c, f, sec, at in notes)
    if contents.pairs is not None:
        write_package_pairs(pdb, contents.pairs, new_id, prater)


def _publish(db: Database, partial: Path, out: Path, contents: _Contents, overwrite: bool) -> None:
    """Record the hand-out and rename the finished package into place, as one step.

    The rename happens inside the project's transaction: if it fails, no hand-out is
    recorded; if recording fails, the package is taken away again.
    """
    if out.exists() and not overwrite:  # appeared while the package was being built
        raise TargetExistsError(out)
    team = TeamRepo(db.conn)
    renamed = False
    try:
        with db.transaction():
            rater_id = RatersRepo(db.conn).id_for(contents.rater, create=True)
            team.add_handout(
                contents.package_id,
                PACKAGE_KIND,
                rater_id,
                utcnow(),
                len(contents.texts),
                len(contents.scores),
            )
            # An old package's journal or WAL beside ``out`` would be replayed into the new
            # file by SQLite and damage it: they go with the file they belonged to.
            for suffix in ("-journal", "-wal", "-shm"):
                Path(f"{out}{suffix}").unlink(missing_ok=True)
            os.replace(partial, out)
            renamed = True
            _sync_folder(out.parent)
    except BaseException:
        if renamed:
            remove_project_file(out)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash right after must not undo it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every system (Windows); the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale_partials(out: Path) -> None:
    """Remove what killed creates of this package left behind (never a running one's)."""
    now = time.time()
    for leftover in out.parent.glob(_partial_name(out)):
        try:
            if now - leftover.stat().st_mtime > _STALE_PARTIAL_S:
                remove_project_file(leftover)
        except OSError:
            pass
