"""Use case: bring an automatic-evaluation file into a project, all or nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import InputError, Problem
from annotator.core.i18n import tr
from annotator.core.models import ItemDraft
from annotator.core.storage import Database, ItemsRepo, MetaRepo, ModelsRepo, utcnow

Progress = Callable[[int, int], None]
CHUNK = 5000


_blake2b = hashlib.blake2b  # 2.5x faster than sha256 here; 100,000 items are hashed per import


def content_hash(instruction: str, reference: str, generated: str) -> str:
    """The identity of an item's texts: a package or sheet is checked against it."""
    return _blake2b(f"{instruction}\x00{reference}\x00{generated}".encode()).hexdigest()


def item_uid(project_uuid: str, model: str, sample_id: str) -> str:
    """A stable, opaque public id: says nothing about the model, so raters stay blind."""
    return _blake2b(f"{project_uuid}\x00{model}\x00{sample_id}".encode(), digest_size=6).hexdigest()


def _metadata_json(metadata: dict) -> str:
    return json.dumps(metadata, ensure_ascii=False) if metadata else "{}"


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
    """What an import did, for the CLI's summary and the GUI's dialog."""

    file: str
    format: str
    encoding: str | None
    models: dict[str, ModelCounts] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    metric_columns: dict[str, str] = field(default_factory=dict)
    backup: str | None = None
    already_imported: bool = False

    @property
    def added(self) -> int:
        return sum(c.added for c in self.models.values())

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "models": {m: vars(c) for m, c in self.models.items()},
            "added": self.added,
            "notices": self.notices,
            "metric_columns": self.metric_columns,
            "backup": self.backup,
            "already_imported": self.already_imported,
        }


def import_plan(
    db: Database,
    plan,
    *,
    model: str | None = None,
    update: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write the items of a read file (``annotator.core.io.ImportPlan``) in one transaction.

    Items already in the project with the same texts are left alone; items whose texts
    changed are an error unless ``update`` is set, then they are replaced after a backup.
    """
    file = str(plan.path)
    drafts: list[ItemDraft] = plan.items
    missing = [d.row for d in drafts if not (d.model or model)]
    if missing:
        raise InputError(
            Problem(
                tr(
                    "the file has no model column, so the model must be named: "
                    "add --model NAME (for example --model lora-v2)"
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
    )
    meta, models, items = MetaRepo(db.conn), ModelsRepo(db.conn), ItemsRepo(db.conn)
    project_uuid = meta.get("uuid") or ""
    by_model: dict[str, list[ItemDraft]] = {}
    for d in drafts:
        by_model.setdefault(d.model or model or "", []).append(d)

    # Decide everything before writing anything, so a problem leaves the project untouched.
    work: dict[str, tuple[list, list, dict]] = {}
    problems: list[Problem] = []
    touches_existing = False
    taken_uids = items.uids()
    for name, group in by_model.items():
        model_id = models.id_for(name)
        existing = items.existing(model_id) if model_id is not None else {}
        touches_existing |= bool(existing)
        new, changed = [], []
        counts = report.models.setdefault(name, ModelCounts())
        for d in group:
            h = content_hash(d.instruction, d.reference, d.generated)
            old = existing.get(d.sample_id)
            if old is None:
                uid = item_uid(project_uuid, name, d.sample_id)
                if uid in taken_uids:  # 48 random bits: about once in 10^5 projects of 100k
                    problems.append(
                        Problem(
                            tr(
                                'item "{sample}" of model "{model}" gets the same public id as '
                                "another item; rename its id",
                                sample=d.sample_id,
                                model=name,
                            ),
                            file=file,
                            row=d.row,
                        )
                    )
                taken_uids.add(uid)
                new.append((d, h, uid))
            elif old[1] == h:
                counts.unchanged += 1
            elif update:
                changed.append((d, h, old[0]))
            else:
                problems.append(
                    Problem(
                        tr(
                            'item "{sample}" of model "{model}" is already in the project '
                            "with different texts; import with --update to replace them (its "
                            "ratings are kept)",
                            sample=d.sample_id,
                            model=name,
                        ),
                        file=file,
                        row=d.row,
                    )
                )
        work[name] = (new, changed, existing)
    if problems:
        raise InputError(problems, file=file)

    has_writes = any(new or changed for new, changed, _ in work.values())
    if touches_existing and has_writes:
        report.backup = str(db.backup("before-reimport"))
    total = sum(len(n) + len(c) for n, c, _ in work.values())
    done = 0
    now = utcnow()
    with db.transaction():
        for name, (new, changed, existing) in work.items():
            model_id = models.id_for(name, create=True)
            counts = report.models[name]
            source_id = items.add_source(
                file,
                plan.file_sha256,
                model_id,
                plan.format,
                plan.encoding,
                len(by_model[name]),
                now,
            )
            ids = {sample: item_id for sample, (item_id, _) in existing.items()}
            for start in range(0, len(new), CHUNK):
                chunk = new[start : start + CHUNK]
                items.insert_many(
                    (
                        uid,
                        d.sample_id,
                        model_id,
                        d.instruction,
                        d.reference,
                        d.generated,
                        source_id,
                        d.row,
                        _metadata_json(d.metadata),
                        h,
                        now,
                    )
                    for d, h, uid in chunk
                )
                first = items.last_id() - len(chunk) + 1  # consecutive within the transaction
                ids.update((d.sample_id, first + k) for k, (d, _, _) in enumerate(chunk))
                done += len(chunk)
                if progress:
                    progress(done, total)
            items.update_texts(
                (
                    d.instruction,
                    d.reference,
                    d.generated,
                    source_id,
                    d.row,
                    _metadata_json(d.metadata),
                    h,
                    item_id,
                )
                for d, h, item_id in changed
            )
            counts.added += len(new)
            counts.updated += len(changed)
            done += len(changed)
            _store_imported_metrics(items, ids, by_model[name], file)
    if progress:
        progress(total, total)
    report.already_imported = report.added == 0 and not any(
        c.updated for c in report.models.values()
    )
    return report


def _store_imported_metrics(
    items: ItemsRepo, ids: dict[str, int], drafts: list[ItemDraft], file: str
) -> None:
    signature = f"imported|file:{Path(file).name}"
    items.upsert_metrics(
        (ids[d.sample_id], metric, "imported", value, signature)
        for d in drafts
        if d.metrics
        for metric, value in d.metrics.items()
    )
