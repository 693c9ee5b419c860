"""Use case: compute automatic metrics for every item, store them as runs with signatures.

Values of the ``default`` preset are stored under the metric's own name (``bleu``,
``rouge-l``: what the gates read); other presets under ``<preset>/<metric>``.
Each metric of a computation is one run holding its signature; a recomputation replaces
the values of its own metrics only (the runs they replace are removed). Imported metric
columns are a separate origin and are never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.metrics import get_preset, list_presets
from annotator.core.storage import Database, ItemsRepo, MetaRepo, utcnow
from annotator.core.storage.metric_runs import MetricRunsRepo

Progress = Callable[[int, int], None]


def stored_name(preset: str, metric: str) -> str:
    return metric if preset == "default" else f"{preset}/{metric}"


@dataclass
class MetricsRunReport:
    preset: str
    items: int
    signatures: dict[str, str]
    warnings: dict[str, int]
    means: dict[str, dict[str, float]] = field(default_factory=dict)  # model -> metric -> mean
    corpus: dict[str, dict[str, float]] = field(default_factory=dict)  # model -> metric -> value
    imported: dict[str, dict[str, float]] = field(default_factory=dict)  # model -> name -> mean
    computed_at: str = ""

    def to_dict(self) -> dict:
        return dict(vars(self))


def compute_metrics(
    db: Database,
    preset: str = "default",
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> MetricsRunReport:
    """Compute one preset's metrics for every item, store them in one transaction.

    Raises:
        AnnotatorError: ``preset`` is not one of ``list_presets()`` (named with them).
    """
    if preset not in list_presets():  # get_preset's ValueError is for code, not for a person
        raise AnnotatorError(
            Message(
                'unknown metric preset "{preset}"; expected one of {presets}',
                preset=preset,
                presets=", ".join(list_presets()),
            )
        )
    suite = get_preset(preset)
    ids, model_list, refs, hyps = ItemsRepo(db.conn).metric_inputs()
    result = suite.compute(refs, hyps, workers=workers, progress=progress, cancel=cancel)
    report = MetricsRunReport(
        preset=preset,
        items=len(ids),
        signatures=dict(result.signatures),
        warnings=dict(result.warnings),
        computed_at=utcnow(),
    )
    models = np.asarray(model_list, dtype=object)
    for model in dict.fromkeys(models.tolist()):
        mask = models == model
        report.means[model] = {
            stored_name(preset, m): float(np.mean(v[mask])) for m, v in result.values.items()
        }
        report.corpus[model] = {
            stored_name(preset, m): float(v) for m, v in result.corpus(np.flatnonzero(mask)).items()
        }
    report.imported = imported_means(db, pd.Series(models, index=ids))
    with db.transaction():
        runs = MetricRunsRepo(db.conn)
        for m, values in result.values.items():
            name = stored_name(preset, m)
            runs.store_run(name, "computed", result.signatures[m], ids, values, preset=preset)
        runs.prune()
        MetaRepo(db.conn).set(
            f"metrics_run:{preset}", json.dumps(report.to_dict(), ensure_ascii=False)
        )
    return report


def imported_means(db: Database, models: pd.Series | None = None) -> dict[str, dict[str, float]]:
    """model -> imported metric -> mean, shown beside the recomputed values.

    ``models`` maps item id -> model when the caller already has it.
    """
    # only the imported columns: reading the computed ones (400,000 values) to drop them
    # was a tenth of the metrics command
    imported = MetricRunsRepo(db.conn).columns(origin="imported")
    if not imported:
        return {}
    if models is None:
        models = ItemsRepo(db.conn).frame().set_index("item_id")["model"]
    out: dict[str, dict[str, float]] = {}
    for column in imported:
        name, ids, values = column.name, column.item_ids, column.values
        means = pd.Series(values).groupby(models.reindex(ids).to_numpy()).mean()
        for model, mean in means.items():
            out.setdefault(model, {})[name] = float(mean)
    return out


def last_runs(db: Database) -> dict[str, dict]:
    """Every stored metrics run: preset -> report dict (signatures, means, corpus values)."""
    meta = MetaRepo(db.conn).all()
    return {
        k.split(":", 1)[1]: json.loads(v) for k, v in meta.items() if k.startswith("metrics_run:")
    }


def metrics_wide(db: Database) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per item, one column per metric (computed under its name; an imported value
    under its name when nothing computed has it, else ``imported:<name>``), and each
    column's signature: that of its run, or of each run (with its count of values) when
    the values shown come from several, e.g. a metric imported from two files."""
    stored = MetricRunsRepo(db.conn).columns()
    computed = {c.name for c in stored if c.origin == "computed"}
    columns: dict[str, pd.Series] = {}
    signatures: dict[str, str] = {}
    for c in stored:
        label = f"imported:{c.name}" if c.origin == "imported" and c.name in computed else c.name
        columns[label] = pd.Series(c.values, index=pd.Index(c.item_ids, name="item_id"))
        signatures[label] = c.signature
    wide = pd.DataFrame(columns)
    wide.index.name = "item_id"
    if not columns:
        wide = pd.DataFrame({"item_id": pd.Series(dtype="int64")}).set_index("item_id")
    return wide.reset_index(), signatures
