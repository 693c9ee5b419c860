"""Krippendorff's worked example end to end: ratings import -> statistics -> report --json.

Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers x 12
units, values 1-5, with missing data. Published: nominal 0.743, ordinal 0.815,
interval 0.849.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.cli import main
from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.usecases.importing import MemoryPlan, import_plan

MISSING = None
EXAMPLE = {  # observer -> values for units 1..12
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, MISSING, MISSING, MISSING],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, MISSING, 3],
    "C": [MISSING, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, MISSING],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, MISSING],
}
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849}


@pytest.fixture
def example_project(tmp_path, capsys):
    path = tmp_path / "kripp.annotator"
    with Project.create(path, "Krippendorff 2011") as project:
        drafts = [ItemDraft(f"u{k}", f"unit {k}", "r", "g", k, "m") for k in range(1, 13)]
        import_plan(project.db, MemoryPlan(Path("units"), drafts, "units"))
    lines = ["item_id,rater,dimension,score"]
    for observer, values in EXAMPLE.items():
        for unit, value in enumerate(values, start=1):
            if value is not None:
                lines.append(f"u{unit},{observer},relevance,{value}")
    ratings = tmp_path / "example.csv"
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["ratings", "import", str(path), str(ratings), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["new"] == 41
    return path


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_published_alpha_through_the_cli(example_project, capsys, level):
    assert main(["report", str(example_project), "--level", level, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    alpha = {a["dimension"]: a for a in report["stats"]["agreement"]["alpha"]}
    assert round(alpha["relevance"]["alpha"], 3) == PUBLISHED[level]
    assert alpha["relevance"]["level"] == level


def test_weighted_kappa_matches_scikit_learn(example_project, capsys):
    main(["report", str(example_project), "--json"])
    report = json.loads(capsys.readouterr().out)
    kappas = {
        (k["rater_a"], k["rater_b"]): k
        for k in report["stats"]["agreement"]["kappa"]
        if k["dimension"] == "relevance"
    }
    checked = 0
    for (a, b), row in kappas.items():
        pairs = [
            (x, y)
            for x, y in zip(EXAMPLE[a], EXAMPLE[b], strict=True)
            if x is not None and y is not None
        ]
        xs, ys = zip(*pairs, strict=True)
        expected = cohen_kappa_score(xs, ys, weights="quadratic", labels=[1, 2, 3, 4, 5])
        assert row["n"] == len(pairs)
        assert row["kappa"] == pytest.approx(expected, abs=1e-12)
        checked += 1
    assert checked == 6
