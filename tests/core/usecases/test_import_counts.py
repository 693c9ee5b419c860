"""New / unchanged / updated counted before an import writes (issue 14, point 5).

``Project.count_import(plan)`` makes the import's own decision without writing; the
import (facade and command line, real process) then reports the same counts.
"""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.project import Project
from tests.cli.test_cli_facade import _cli


def _csv(path, rows):
    path.write_text(
        "id,instruction,reference,generated\n" + "".join(f"{r}\n" for r in rows),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "counts", language="en") as p:
        p.import_file(_csv(tmp_path / "v1.csv", ["s1,q1,r1,g1", "s2,q2,r2,g2"]), model="base")
    return path


def test_counts_before_writing_equal_what_the_import_then_does(project_file, tmp_path):
    v2 = _csv(tmp_path / "v2.csv", ["s1,q1,r1,g1", "s2,q2,r2,CHANGED", "s3,q3,r3,g3"])
    with Project.open(project_file) as p:
        token = p.change_token()
        plan = p.plan_import(v2)
        counts = p.count_import(plan, model="base")
        assert {m: vars(c) for m, c in counts.items()} == {
            "base": {"added": 1, "unchanged": 1, "updated": 1}
        }
        assert p.change_token() == token and p.info()["items"] == 2  # nothing written
        # A new model name: everything is new.
        other = p.count_import(plan, model="lora-v2")
        assert vars(other["lora-v2"]) == {"added": 3, "unchanged": 0, "updated": 0}
        with pytest.raises(InputError) as err:
            p.count_import(plan)  # no model column, no model named
        assert "model" in str(err.value)
        report = p.import_file(model="base", update=True, plan=plan)
    assert {m: vars(c) for m, c in report.models.items()} == {m: vars(c) for m, c in counts.items()}


def test_the_same_file_again_counts_nothing_new(project_file, tmp_path):
    with Project.open(project_file) as p:
        plan = p.plan_import(tmp_path / "v1.csv")
        counts = p.count_import(plan, model="base")
    assert vars(counts["base"]) == {"added": 0, "unchanged": 2, "updated": 0}


def test_the_command_line_prints_the_same_counts_after(project_file, tmp_path):
    v2 = _csv(tmp_path / "v2.csv", ["s1,q1,r1,g1", "s2,q2,r2,CHANGED", "s3,q3,r3,g3"])
    with Project.open(project_file) as p:
        counts = p.count_import(p.plan_import(v2), model="base")["base"]
    done = _cli("import", str(project_file), str(v2), "--model", "base", "--update", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    expected = f"base: {counts.added} added, {counts.unchanged} unchanged, {counts.updated} updated"
    assert expected in done.stdout and expected == "base: 1 added, 1 unchanged, 1 updated"
