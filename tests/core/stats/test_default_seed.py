"""One default bootstrap seed, the one every report has been made with (issue 13).

``stats.compute`` defaulted to 20240601 while the project's evaluation used 20261122: the
same data gave other intervals depending on the entry point. The pinned numbers are those
of ``annotator report --json`` on the demo made before the redesign (seed 20261122).
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

import pytest

from annotator.core.project import Project
from annotator.core.stats import compute
from annotator.core.stats.bootstrap import DEFAULT_SEED
from annotator.core.storage import ItemsRepo, MetaRepo, RatingsRepo, RubricRepo
from annotator.core.usecases.evaluation import evaluate_project

# Composite mean CIs and the "all" alpha CI of the demo, seed 20261122, 1000 resamples.
BEFORE = {
    "base": (3.072395833333333, 3.4176835317460323),
    "lora-v2": (4.471230158730159, 4.711334325396825),
    "alpha_all": (0.637733062241458, 0.7554569228980287),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "demo.annotator"
    Project.demo(path, fresh=True).close()
    return path


def _intervals(stats) -> dict[str, tuple[float, float]]:
    out = {m["model"]: m["means"]["composite"]["ci"] for m in stats["models"]}
    out["alpha_all"] = next(a["ci"] for a in stats["agreement"]["alpha"] if a["dimension"] == "all")
    return {k: (v["low"], v["high"]) for k, v in out.items()}


def test_every_entry_point_defaults_to_the_one_seed():
    assert inspect.signature(compute).parameters["seed"].default == DEFAULT_SEED
    assert inspect.signature(evaluate_project).parameters["seed"].default == DEFAULT_SEED


def test_the_cli_report_reads_as_before(demo):
    env = {**os.environ, "ANNOTATOR_LANG": "en"}
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "report", str(demo), "--json"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout  # fmt: skip
    stats = json.loads(out)["stats"]
    assert stats["settings"]["seed"] == DEFAULT_SEED
    for key, (low, high) in _intervals(stats).items():
        assert (low, high) == pytest.approx(BEFORE[key], abs=1e-12), key


def test_compute_with_no_seed_gives_the_reports_numbers(demo):
    project = Project.open(demo)
    db = project.db
    try:
        rubric = RubricRepo(db.conn).load()
        stats = compute(
            RatingsRepo(db.conn).scores_frame(),
            ItemsRepo(db.conn).frame()[["item_id", "model", "sample_id"]],
            dimensions=rubric.keys,
            weights={d.key: d.weight for d in rubric.dimensions},
            min_raters=int(MetaRepo(db.conn).get("min_raters") or 2),
        )
    finally:
        project.close()
    assert stats.seed == DEFAULT_SEED
    for key, (low, high) in _intervals(stats.to_dict()).items():
        assert (low, high) == pytest.approx(BEFORE[key], abs=1e-12), key
