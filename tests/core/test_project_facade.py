"""One facade above the use cases (issue 13): no mixin, no import circle, nothing below it
imports it, the CLI reaches the core only through it; and what the facade itself refuses."""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import math
import sqlite3
from pathlib import Path

import grimp
import pytest

from annotator.core.domain.errors import AnnotatorError, TargetExistsError
from annotator.core.project import Project

# The demo builds a whole project as a lead would, through the facade: it sits above it.
ABOVE_THE_FACADE = {"annotator.core.project", "annotator.core.usecases.demo"}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("annotator", include_external_packages=True)


def _core_modules(graph) -> set[str]:
    return {m for m in graph.modules if m == "annotator.core" or m.startswith("annotator.core.")}


def test_nothing_below_the_facade_imports_it(graph):
    below = _core_modules(graph) - ABOVE_THE_FACADE
    offenders = {
        m: graph.find_shortest_chain(importer=m, imported="annotator.core.project")
        for m in sorted(below)
        if graph.chain_exists(importer=m, imported="annotator.core.project")
    }
    assert offenders == {}


def test_no_import_circle_runs_through_the_facade(graph):
    for imported in graph.find_modules_directly_imported_by("annotator.core.project"):
        chain = graph.find_shortest_chain(importer=imported, imported="annotator.core.project")
        assert chain is None, f"circle: annotator.core.project -> {' -> '.join(chain)}"


def test_the_cli_imports_neither_storage_nor_sqlite_nor_the_use_cases(graph):
    cli = {m for m in graph.modules if m == "annotator.cli" or m.startswith("annotator.cli.")}
    forbidden = ("annotator.core.storage", "annotator.core.usecases")
    found = sorted(
        (m, imported)
        for m in cli
        for imported in graph.find_modules_directly_imported_by(m)
        if imported == "sqlite3" or imported.startswith(forbidden)
    )
    assert found == []


def test_the_facade_is_one_class_in_one_module_under_400_lines():
    assert Project.__mro__ == (Project, object)  # no mixin
    assert importlib.util.find_spec("annotator.core.project_lead") is None
    source = inspect.getsource(inspect.getmodule(Project))
    assert len(source.splitlines()) < 400


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assignments(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM assignments").fetchone()[0]
    finally:
        conn.close()


def test_assign_refuses_a_rater_package_and_leaves_it_as_it_was(project, tmp_path):
    out = tmp_path / "alice.annotator"
    project.create_package("alice", out)
    before = _digest(out)
    with Project.open(out) as package, pytest.raises(AnnotatorError, match="rater package"):
        package.assign(["alice", "mallory"], per_item=1)
    assert _digest(out) == before
    assert _assignments(out) == 0


@pytest.mark.parametrize(
    "numbers",
    [
        {"shared": math.nan},
        {"shared": math.inf},
        {"shared": -math.inf},
        {"shared": "5"},
        {"per_item": 1.5},
        {"per_item": "2"},
        {"per_item": 10**30},
    ],
    ids=repr,
)
def test_assign_numbers_a_person_or_a_script_gets_wrong_are_messages(project, numbers):
    with pytest.raises(AnnotatorError) as caught:
        project.assign(["alice", "bob"], **numbers)
    assert type(caught.value) is AnnotatorError and str(caught.value)
    assert "--" not in str(caught.value)  # the GUI has no flags
    assert _assignments(project.path) == 0


def test_a_package_is_started_through_storage_like_a_new_project(project, tmp_path):
    out = tmp_path / "bob.annotator"
    project.create_package("bob", out)
    conn = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    try:
        meta = dict(conn.execute("SELECT key, value FROM project"))
        dims = [r[0] for r in conn.execute("SELECT key FROM dimensions ORDER BY id")]
    finally:
        conn.close()
    assert meta["kind"] == "package" and meta["package_rater"] == "bob"
    assert meta["min_raters"] == "1" and meta["language"] == project.language
    assert meta["name"] == f"{project.name} — bob"
    assert meta["created_by"].startswith("annotator ")
    assert meta["uuid"] == project.uuid and meta["created_at"] and meta["modified_at"]
    assert dims == [d.key for d in project.rubric.dimensions]
    with Project.open(out) as package:
        assert package.info()["items"] == project.info()["items"]


@pytest.mark.parametrize("kind", ["package", "sheet"])
def test_an_existing_target_is_an_error_that_carries_its_path_and_names_no_flag(
    project, tmp_path, kind
):
    out = tmp_path / ("keep.annotator" if kind == "package" else "keep.xlsx")
    out.write_bytes(b"somebody's file")
    create = project.create_package if kind == "package" else project.create_sheet
    with pytest.raises(TargetExistsError) as caught:
        create("alice", out)
    assert caught.value.path == out
    assert str(out) in str(caught.value) and "--" not in str(caught.value)
    assert out.read_bytes() == b"somebody's file"


@pytest.mark.parametrize("create", ["create_package", "create_sheet"])
def test_a_rater_without_a_name_is_refused_without_naming_a_flag(project, tmp_path, create):
    with pytest.raises(AnnotatorError) as caught:
        getattr(project, create)("  ", tmp_path / "x.out")
    assert "--" not in str(caught.value)


def test_peek_language_guesses_and_never_raises(project, tmp_path):
    assert Project.peek_language(project.path) == project.language
    text = tmp_path / "notes.annotator"
    text.write_text("not a database")
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    for path in (tmp_path / "missing.annotator", tmp_path, text, foreign, "a\0b", "x" * 5000):
        assert Project.peek_language(path) is None
