"""Benchmark: statistics and the Excel report for a big project.

Builds a project of N items (default 100,000) x 3 raters x 4 dimensions in a
temporary folder, then times
  1. ``evaluate_project`` (all statistics and verdicts, read from the file), and
  2. ``write_report`` (the Excel report) against a bare openpyxl write-only loop
     writing the same cells as plain values (target ratio: at most 1.5x).

Run: ``python benchmarks/bench_report.py [--items N]``.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from annotator.core.domain.models import ItemDraft
from annotator.core.formats.xlsx_report import write_report
from annotator.core.project import Project
from annotator.core.storage import RatersRepo, RatingsRepo, RubricRepo
from annotator.core.usecases.evaluation import evaluate_project
from annotator.core.usecases.exporting import report_data
from annotator.core.usecases.importing import MemoryPlan, import_plan

CHARS = "这款口红显白又平价学生党闭眼冲必入不挑皮贵妇级抗老面霜修护肌底焕发年轻光泽快递延迟退款"


def build(path: Path, n: int, seed: int = 7) -> Project:
    rng = random.Random(seed)

    def text(a: int, b: int) -> str:
        return "".join(rng.choice(CHARS) for _ in range(rng.randint(a, b)))

    project = Project.create(path, "bench")
    for model in ("base", "lora"):
        drafts = [
            ItemDraft(f"s{k}", text(20, 80), text(20, 60), text(20, 60), k + 1, model)
            for k in range(n // 2)
        ]
        import_plan(project.db, MemoryPlan(Path(f"{model}.csv"), drafts, f"sha-{model}"))
    dims = list(RubricRepo(project.db.conn).ids().values())
    with project.db.transaction():
        raters = [RatersRepo(project.db.conn).id_for(r, create=True) for r in ("a", "b", "c")]
        rows = []
        for item_id in range(1, n + 1):
            base = rng.randint(2, 5)
            for rater in raters:
                for dim in dims:
                    rows.append(
                        (
                            item_id,
                            rater,
                            dim,
                            min(5, max(1, base + rng.choice((-1, 0, 0, 0, 1)))),
                            "bench",
                        )
                    )
        RatingsRepo(project.db.conn).upsert_many(rows)
    project.compute_metrics()
    return project


def bare_loop(data, path: Path) -> float:
    """The reference: the same cells (the Items and Ratings sheets dominate) as plain values."""
    stats = data.evaluation.stats
    items = stats.items.merge(data.items, on=["item_id", "model", "sample_id"])
    scores = data.ratings.pivot_table(
        index="item_id", columns=["rater", "dimension"], values="score", aggfunc="first"
    )
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Items")
    n_cols = 6 + len(stats.metric_names) + len(stats.dimensions) + scores.shape[1] + 5
    ws.append([f"c{k}" for k in range(n_cols)])
    cols = [
        items["uid"].tolist(),
        items["model"].tolist(),
        items["sample_id"].tolist(),
        items["instruction"].tolist(),
        items["reference"].tolist(),
        items["generated"].tolist(),
        *[items[m].round(4).tolist() for m in stats.metric_names],
        *[items[f"{d}_mean"].round(2).tolist() for d in stats.dimensions],
        *[scores[c].reindex(items["item_id"]).tolist() for c in scores.columns],
        items["composite"].round(3).tolist(),
        items["complete"].tolist(),
        ["PASS"] * len(items),
        [""] * len(items),
        [""] * len(items),
    ]
    for row in zip(*cols, strict=True):
        ws.append(list(row))
    ws2 = wb.create_sheet("Ratings")
    r = data.ratings
    for row in zip(
        r["item_id"],
        r["rater"],
        r["dimension"],
        r["score"],
        r["updated_at"],
        r["origin"],
        r["item_id"],
        r["rater"],
        strict=True,
    ):
        ws2.append(list(row))
    wb.save(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        project = build(tmp / "bench.annotator", args.items)
        print(
            f"built {args.items:,} items x 3 raters x 4 dimensions in "
            f"{time.perf_counter() - t:.1f} s"
        )
        t = time.perf_counter()
        evaluation = evaluate_project(project.db)
        stats_time = time.perf_counter() - t
        print(
            f"statistics + verdicts read from the file (evaluate_project): {stats_time:.2f} s "
            "(loading 1.2M ratings included; the statistics alone, target < 2 s, are timed "
            "by benchmarks/bench_stats.py)"
        )
        data = report_data(project.db, evaluation)
        ticks = []
        t = time.perf_counter()
        write_report(data, tmp / "report.xlsx", progress=lambda d, n: ticks.append(d))
        ours = time.perf_counter() - t
        reference = bare_loop(data, tmp / "bare.xlsx")
        print(
            f"Excel report: {ours:.2f} s ({len(ticks)} progress calls); bare openpyxl "
            f"write-only loop of the same cells: {reference:.2f} s"
        )
        print(f"ratio report / bare loop = {ours / reference:.2f}x (target <= 1.5x)")
        project.close()


if __name__ == "__main__":
    main()
