"""The CLI through the facade (issue 13): the core says a file exists, the command line adds
its own way out (--force); assign on a rater package is refused by the core. Real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from annotator.core.domain.errors import AnnotatorError, NotADemoError
from annotator.core.project import Project
from tests.factories import add_items


def _cli(*argv: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANNOTATOR_LANG": "en", "XDG_STATE_HOME": str(cwd), "HOME": str(cwd)}
    env.pop("ANNOTATOR_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "annotator", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "cli facade", language="en") as p:
        add_items(p, 4, "base")
    return path


@pytest.mark.parametrize("command", [("package", "create"), ("sheet", "create")])
def test_an_existing_output_names_the_flag_only_on_the_command_line(
    project_file, tmp_path, command
):
    out = tmp_path / ("keep.annotator" if command[0] == "package" else "keep.xlsx")
    out.write_bytes(b"keep me")
    argv = (*command, str(project_file), "--rater", "alice", "-o", str(out))
    done = _cli(*argv, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert str(out) in done.stderr and "already exists" in done.stderr
    assert "--force" in done.stderr
    data = json.loads(_cli(*argv, "--json", cwd=tmp_path).stdout)
    assert data["type"] == "TargetExistsError" and data["path"] == str(out)
    assert out.read_bytes() == b"keep me"
    assert _cli(*argv, "--force", cwd=tmp_path).returncode == 0
    assert out.read_bytes() != b"keep me"


def test_assign_on_a_package_is_refused_by_the_core(project_file, tmp_path):
    package = tmp_path / "alice.annotator"
    argv = ("package", "create", str(project_file), "--rater", "alice", "-o", str(package))
    assert _cli(*argv, cwd=tmp_path).returncode == 0
    before = package.read_bytes()
    done = _cli("assign", str(package), "--raters", "alice,bob", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "rater package" in done.stderr and str(package) in done.stderr
    assert package.read_bytes() == before


def test_a_missing_column_names_the_map_flag_only_on_the_command_line(project_file, tmp_path):
    bad = tmp_path / "outputs.csv"
    bad.write_text("id,question,result\n1,q,g\n", encoding="utf-8")
    with Project.open(project_file) as p, pytest.raises(AnnotatorError) as err:
        p.import_file(bad, model="m")
    assert "--map" not in str(err.value)  # the core: what is missing, the data (its role)
    done = _cli("import", str(project_file), str(bad), "--model", "m", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert 'no column for the "reference" text' in done.stderr
    assert "(command line: --map reference=COLUMN)" in done.stderr
    assert "(command line: --map generated=COLUMN)" in done.stderr


def test_a_file_that_is_not_a_demo_names_the_path_flag_only_on_the_command_line(tmp_path):
    other = tmp_path / "mine.annotator"
    Project.create(other, "not a demo", language="en").close()
    with pytest.raises(NotADemoError) as err:
        Project.demo(other, fresh=True)
    assert err.value.path == other and "--path" not in str(err.value)
    done = _cli("demo", "--path", str(other), "--fresh", cwd=tmp_path)
    assert done.returncode == 1 and "is not a demo project" in done.stderr
    assert "(give --path a new file name)" in done.stderr
