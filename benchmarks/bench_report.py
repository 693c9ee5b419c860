"""Benchmark: statistics and the Excel report for a big project.

Builds a project of N items (default 100,000) x 3 raters x 4 dimensions in a
temporary folder (or uses ``--project``), then times
  1. the whole ``annotator report PROJECT`` command as a user runs it (process start,
     imports, reading, computing, printing; goal <= 2 s and <= 500 MB peak) against a
     reference run the same way: a fresh Python process that reads the ratings table
     with sqlite3 + pandas and takes the mean score per item (a ratio, measured in the
     same run, so a busy machine shows in both);
  2. ``evaluate_project`` (all statistics and verdicts, read from the file), and
  3. ``write_report`` (the Excel report) against a bare openpyxl write-only loop
     writing the same cells as plain values (target ratio: at most 1.5x).

Run: ``python benchmarks/bench_report.py [--items N] [--project FILE] [--runs 3]
[--skip-excel]``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
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


# A child process timed, with its peak memory (getrusage sees only its own children).
TIMED = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
    "elapsed = time.perf_counter() - t\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
)
REFERENCE = (
    "import sqlite3, sys\n"
    "import pandas as pd\n"
    "conn = sqlite3.connect(sys.argv[1])\n"
    "r = pd.read_sql_query('SELECT item_id, rater_id, dimension_id, score FROM ratings', conn)\n"
    "print(r.groupby('item_id')['score'].mean().mean())\n"
)


def timed(argv: list[str]) -> tuple[float, float]:
    """Seconds and peak MB of one command run in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", TIMED, *argv], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def bench_command(path: Path, runs: int) -> None:
    """The whole ``annotator report`` command against the bare pandas reference."""
    for run in range(1, runs + 1):
        ours, peak = timed([sys.executable, "-m", "annotator", "report", str(path)])
        ref, ref_peak = timed([sys.executable, "-c", REFERENCE, str(path)])
        print(
            f"run {run}: annotator report (whole command): {ours:.2f} s, peak {peak:.0f} MB "
            f"(goal <= 2 s, <= 500 MB); reference (python + sqlite3 + pandas read of the "
            f"ratings, mean per item): {ref:.2f} s, peak {ref_peak:.0f} MB; "
            f"ratio = {ours / ref:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--project", type=Path, help="a project built before (kept)")
    parser.add_argument("--runs", type=int, default=3, help="runs of the whole command")
    parser.add_argument("--skip-excel", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        if args.project is not None and args.project.exists():
            project = Project.open(args.project)
        else:
            project = build(args.project or tmp / "bench.annotator", args.items)
            print(
                f"built {args.items:,} items x 3 raters x 4 dimensions in "
                f"{time.perf_counter() - t:.1f} s"
            )
        bench_command(project.db.path, args.runs)
        if args.skip_excel:
            project.close()
            return
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
