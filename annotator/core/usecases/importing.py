"""Use case: bring an automatic-evaluation file into a project, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.domain.errors import ChangedTexts, InputError, ModelNotNamed, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.models import ItemDraft, ItemTexts, StoredItem
from annotator.core.formats.items.importer import no_gc
from annotator.core.formats.paths import shown
from annotator.core.storage import Database, ItemsRepo, MetaRepo, ModelsRepo, utcnow
from annotator.core.storage.metric_runs import MetricRunsRepo
from annotator.core.usecases.item_hashes import (  # noqa: F401 - content_hash, item_uid: used from here
    Uids,
    content_hash,
    content_hashes,
    item_uid,
)

Progress = Callable[[int, int], None]
CHUNK = 5000


@dataclass(frozen=True)
class MemoryPlan:
    """Items made in code (demo data, tests, packages) in the shape ``import_plan`` reads."""

    path: Path
    items: list[ItemDraft]
    file_sha256: str
    format: str = "memory"
    encoding: str | None = None
    notices: list = field(default_factory=list)
    metric_columns: dict = field(default_factory=dict)


@dataclass
class ModelCounts:
    added: int = 0
    unchanged: int = 0
    updated: int = 0


@dataclass
class ImportReport:
    """What an import did, for the CLI's summary and the GUI's dialog.

    ``records`` is the number of records read from the file; ``backup`` is None when
    nothing was written (a re-import of the same file writes neither items nor a backup).
    """

    file: str
    format: str
    encoding: str | None
    models: dict[str, ModelCounts] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    metric_columns: dict[str, str] = field(default_factory=dict)
    backup: str | None = None
    already_imported: bool = False
    records: int = 0

    @property
    def added(self) -> int:
        return sum(c.added for c in self.models.values())

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "records": self.records,
            "models": {m: vars(c) for m, c in self.models.items()},
            "added": self.added,
            "notices": self.notices,
            "metric_columns": self.metric_columns,
            "backup": self.backup,
            "already_imported": self.already_imported,
        }


@dataclass
class _Group:
    """What importing one model's drafts would do, decided before anything is written."""

    drafts: list[ItemDraft]
    hashes: list[str]
    counts: ModelCounts = field(default_factory=ModelCounts)
    new: list = field(default_factory=list)  # (draft, hash, uid)
    changed: list = field(default_factory=list)  # (draft, hash, item id)
    existing: dict[str, StoredItem] = field(default_factory=dict)  # by sample id
    metrics_changed: bool = False

    @property
    def writes(self) -> bool:
        return bool(self.new or self.changed or self.metrics_changed)


def import_plan(
    db: Database,
    plan,
    *,
    model: str | None = None,
    update: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write the items of a read file (``formats.items.ImportPlan``) in one transaction.

    Items already in the project with the same texts are left alone; items whose texts
    changed are an error unless ``update`` is set, then they are replaced after a backup.
    Nothing is written, not even a backup, when nothing would change. What to write is
    decided again inside the write transaction, so two imports of one file at once end
    with the items once and the second one reporting "already imported".

    Raises:
        InputError: no model named, changed texts without ``update``, a public id clash.
        ProjectLockedError: another program held the file for longer than the wait.
    """
    with no_gc():
        return _import_plan(db, plan, model, update, progress)


def _import_plan(db: Database, plan, model: str | None, update: bool, progress) -> ImportReport:
    file = shown(plan.path)  # stored and printed: a name that is not UTF-8 is escaped
    drafts: list[ItemDraft] = plan.items
    if any(not (d.model or model) for d in drafts):
        raise InputError(
            ModelNotNamed(
                Message(
                    "the file has no model column, so the model must be named: "
                    "give the name of the model whose outputs these are (for example lora-v2)"
                ),
                file=file,
            )
        )
    report = ImportReport(
        file=file,
        format=plan.format,
        encoding=plan.encoding,
        notices=[str(n) for n in plan.notices],
        metric_columns=dict(plan.metric_columns),
        records=getattr(plan, "records", 0) or len(drafts),
    )
    by_model: dict[str, list[ItemDraft]] = {}
    for d in drafts:
        by_model.setdefault(d.model or model or "", []).append(d)
    hashes = {name: content_hashes(group) for name, group in by_model.items()}
    uids = Uids()
    # A first look without the write lock: a file with nothing new writes no backup.
    groups = _decide(db, by_model, hashes, file, update, uids)
    if any(g.writes for g in groups.values()):
        # A backup only when items already there may change; a failed write removes it.
        needed = any(g.existing for g in groups.values())
        guard = db.backup_guard("before-reimport") if needed else nullcontext()
        with guard as backup, db.transaction():
            # Again under the write lock: another import may have written these since.
            groups = _decide(db, by_model, hashes, file, update, uids)
            if any(g.writes for g in groups.values()):
                _write(db, groups, plan, file, progress)
        report.backup = str(backup) if backup else None
    report.models = {name: g.counts for name, g in groups.items()}
    report.already_imported = report.added == 0 and not any(
        c.updated for c in report.models.values()
    )
    if progress:
        progress(1, 1)
    return report


def import_counts(db: Database, plan, *, model: str | None = None) -> dict[str, ModelCounts]:
    """What importing ``plan`` would do per model (added, unchanged, updated), written
    nowhere: the same decision the import makes, with changed texts counted as updated
    (the import itself refuses them unless told to update).

    Raises:
        InputError: an item of no model when none is named; a public id clash.
    """
    file = shown(plan.path)
    by_model: dict[str, list[ItemDraft]] = {}
    for d in plan.items:
        if not (d.model or model):
            words = Message(
                "the file has no model column, so the model must be named: "
                "give the name of the model whose outputs these are (for example lora-v2)"
            )
            raise InputError(ModelNotNamed(words, file=file))
        by_model.setdefault(d.model or model or "", []).append(d)
    hashes = {name: content_hashes(group) for name, group in by_model.items()}
    groups = _decide(db, by_model, hashes, file, update=True, uids=Uids())
    return {name: g.counts for name, g in groups.items()}


def _decide(
    db: Database,
    by_model: dict[str, list[ItemDraft]],
    hashes: dict[str, list[str]],
    file: str,
    update: bool,
    uids: Uids,
) -> dict[str, _Group]:
    """Sort every draft into new, changed or unchanged; raise every problem at once."""
    meta, models, items = MetaRepo(db.conn), ModelsRepo(db.conn), ItemsRepo(db.conn)
    project_uuid = meta.get("uuid") or ""
    taken_uids = items.uids()
    stored = _imported_metrics(items)
    problems: list[Problem] = []
    groups: dict[str, _Group] = {}
    for name, drafts in by_model.items():
        group = groups[name] = _Group(drafts, hashes[name])
        model_id = models.id_for(name)
        uid_of = uids.maker(project_uuid, name)
        group.existing = items.existing(model_id) if model_id is not None else {}
        for d, h in zip(drafts, group.hashes, strict=True):
            old = group.existing.get(d.sample_id)
            if old is None:
                uid = uid_of(d.sample_id)
                if uid in taken_uids:  # 48 random bits: about once in 10^5 projects of 100k
                    problems.append(_uid_clash(d, name, file))
                taken_uids.add(uid)
                group.new.append((d, h, uid))
                continue
            if old.content_hash != h:
                if not update:
                    problems.append(_changed_texts(d, name, file))
                group.changed.append((d, h, old.item_id))
            else:
                group.counts.unchanged += 1
            group.metrics_changed |= _metrics_differ(d.metrics, stored.get(old.item_id, {}))
        group.counts.added, group.counts.updated = len(group.new), len(group.changed)
    if problems:
        raise InputError(problems, file=file)
    return groups


def _uid_clash(d: ItemDraft, model: str, file: str) -> Problem:
    return Problem(
        Message(
            'item "{sample}" of model "{model}" gets the same public id as '
            "another item; rename its id",
            sample=d.sample_id,
            model=model,
        ),
        file=file,
        row=d.row,
    )


def _changed_texts(d: ItemDraft, model: str, file: str) -> Problem:
    return ChangedTexts(
        Message(
            'item "{sample}" of model "{model}" is already in the project '
            "with different texts; import the file again allowing updates to replace "
            "them (its ratings are kept)",
            sample=d.sample_id,
            model=model,
        ),
        file=file,
        row=d.row,
        sample=d.sample_id,
        model=model,
    )


def _imported_metrics(items: ItemsRepo) -> dict[int, dict[str, float]]:
    """item id -> {metric: value} of the metric values imported from files."""
    stored: dict[int, dict[str, float]] = {}
    for column in MetricRunsRepo(items.conn).columns():
        if column.origin != "imported":
            continue
        ids, values = column.item_ids.tolist(), column.values.tolist()
        for item_id, value in zip(ids, values, strict=True):
            stored.setdefault(item_id, {})[column.name] = value
    return stored


def _metrics_differ(new: dict[str, float], old: dict[str, float]) -> bool:
    """Whether storing ``new`` would change a value (a metric absent from the file stays)."""
    for name, value in new.items():
        before = old.get(name)
        if before is None or not (before == value or (before != before and value != value)):
            return True
    return False


def _write(db: Database, groups: dict[str, _Group], plan, file: str, progress) -> None:
    """Insert and update what ``_decide`` found, inside the caller's transaction."""
    models, items = ModelsRepo(db.conn), ItemsRepo(db.conn)
    total = sum(len(g.new) + len(g.changed) for g in groups.values())
    done = 0
    now = utcnow()
    for name, group in groups.items():
        if not group.writes:
            continue  # a model whose items are all unchanged: its source row stays as it was
        model_id = models.id_for(name, create=True)
        source_id = items.add_source(
            file, plan.file_sha256, model_id, plan.format, plan.encoding, len(group.drafts), now
        )
        ids = {sample: old.item_id for sample, old in group.existing.items()}
        for start in range(0, len(group.new), CHUNK):
            chunk = group.new[start : start + CHUNK]
            drafts, hashes, uids = (list(column) for column in zip(*chunk, strict=True))
            items.insert_drafts(
                drafts, uids, hashes, model_id=model_id, source_id=source_id, created_at=now
            )
            first = items.last_id() - len(chunk) + 1  # consecutive within the transaction
            new_ids = range(first, first + len(chunk))
            ids.update(zip([d.sample_id for d in drafts], new_ids, strict=True))
            done += len(chunk)
            if progress:
                progress(done, total)
        items.update_texts(
            (ItemTexts(item_id, d, h) for d, h, item_id in group.changed), source_id=source_id
        )
        done += len(group.changed)
        _store_imported_metrics(items, ids, group.drafts, file)


_ABSENT = object()  # a metric a draft has no value for (None would be a stored NULL)
_NO_METRICS: dict[str, float] = {}


def _store_imported_metrics(
    items: ItemsRepo, ids: dict[str, int], drafts: list[ItemDraft], file: str
) -> None:
    """One run per metric column of the file: its signature names the file, once.

    The runs come in the order the metrics first appear among the drafts; each holds the
    drafts that have a value for it, in draft order. Column-wise: one list per metric, not
    an append per value.
    """
    metrics = [d.metrics or _NO_METRICS for d in drafts]
    # distinct key sequences (usually one), then their names in order of appearance
    names = dict.fromkeys(name for keys in dict.fromkeys(map(tuple, metrics)) for name in keys)
    if not names:
        return
    draft_ids = [ids[d.sample_id] for d in drafts]
    runs = MetricRunsRepo(items.conn)
    signature = f"imported|file:{Path(file).name}"
    for metric in names:
        values = [m.get(metric, _ABSENT) for m in metrics]
        item_ids = draft_ids
        if _ABSENT in values:  # some drafts have no value: leave them out
            kept = [(i, v) for i, v in zip(draft_ids, values, strict=True) if v is not _ABSENT]
            item_ids, values = [i for i, _ in kept], [v for _, v in kept]
        runs.store_run(metric, "imported", signature, item_ids, values, source=str(file))
    runs.prune()
