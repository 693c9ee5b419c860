"""annotator metrics --json: plain JSON (NaN as null), the values the project stored."""

from __future__ import annotations

import json
import math
import sqlite3

from annotator.cli import main
from annotator.cli.metrics_cmds import _json_safe
from annotator.core.project import Project
from tests.factories import add_items


def test_json_safe_turns_nan_and_inf_into_null():
    got = _json_safe({"m": {"bleu": math.nan, "r": math.inf, "ok": 0.5}, "n": 3, "s": "x"})
    assert got == {"m": {"bleu": None, "r": None, "ok": 0.5}, "n": 3, "s": "x"}


def test_metrics_json_is_valid_json_with_the_stored_means(tmp_path, capsys):
    path = tmp_path / "p.annotator"
    with Project.create(path, "p") as project:
        add_items(project, 12)
    assert main(["metrics", str(path), "--json", "--workers", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["items"] == 12
    with sqlite3.connect(path) as conn:
        stored = conn.execute(
            "SELECT m.name, v.name, AVG(v.value) FROM metric_values v "
            "JOIN items i ON i.id = v.item_id JOIN models m ON m.id = i.model_id "
            "WHERE v.origin = 'computed' GROUP BY m.name, v.name"
        ).fetchall()
    assert stored and len(stored) == sum(len(v) for v in data["means"].values())
    for model, name, mean in stored:
        assert math.isclose(data["means"][model][name], mean, rel_tol=1e-12)
