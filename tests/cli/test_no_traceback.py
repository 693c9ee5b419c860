"""The command line never prints a Python traceback for a user's input or environment.

Every command (read from the parser: a new one is covered without touching this file) runs
as a real subprocess with one argument at a time broken: missing, a folder, empty, random
bytes, truncated SQLite, a SQLite file that is not ours, a project with a table dropped, a
newer schema, a package for a project and a project for a package, a renamed zip for an
xlsx, a CSV in EBCDIC, JSON nested 100,000 deep, output onto a folder / into a missing
folder / through a file / onto the project itself, a rubric with a NaN weight, and hostile
texts (empty, 20,000 characters, a newline, a DDE formula, a terminal escape, bytes that
are not UTF-8). ANNOTATOR_DEBUG=1 is set for these runs, so the CLI's safety net cannot
hide a bug in the core: a traceback there is a failure here.

The default run takes a representative part (every command, every broken value, every
argument at least once, half of them with --json); the whole matrix (about 400 runs) runs
with ``pytest -m slow tests/cli/test_no_traceback.py``.
"""

from __future__ import annotations

import fnmatch
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.cli.hostile_inputs import (
    TRACEBACK,
    all_cases,
    build_fixtures,
    default_subset,
    expected_name,
    json_error,
    run_case,
)

# Faults outside the CLI, seen when this test was written; each case turns green when its
# owner fixes it (strict: the lead then removes the line). Patterns match case ids.
KNOWN_FAULTS = {
    "*:project=long_name": "storage: Path.exists() raises OSError ENAMETOOLONG on a 300-character"
    " file name (storage.checks.check_file, connection.create_db) instead of a message",
    "export:output=long_name": "report: export onto a 300-character file name raises OSError"
    " ENAMETOOLONG",
    "package create:-o=long_name": "hand-outs: package create -o <300-character name> raises"
    " OSError ENAMETOOLONG",
    "sheet create:-o=long_name": "hand-outs: sheet create -o <300-character name> raises"
    " OSError ENAMETOOLONG",
    "sheet create:-o=through_a_file": "hand-outs: sheet create -o items.csv/out.xlsx raises"
    " NotADirectoryError on its .part file",
    "sheet create:-o=the_project_itself": "hand-outs: sheet create -o <the project> --force"
    " overwrites the lead's project with the sheet (exit 0): data loss",
    "init:--rubric=nested_toml": "rubric: a TOML nested 100,000 deep raises RecursionError in"
    " tomllib (core.rubric)",
    "demo:--path=through_a_file": "demo: --path items.csv/out.annotator raises FileExistsError"
    " (core.demo mkdir)",
    "demo:--path=long_name": "demo: --path <300-character name> raises OSError ENAMETOOLONG",
}

CASES = all_cases()


def _fault(case_id: str) -> str | None:
    plain = case_id.removesuffix("[json]")
    return next((why for pat, why in KNOWN_FAULTS.items() if fnmatch.fnmatch(plain, pat)), None)


def _default_cases():
    chosen = {c.id: c for c in default_subset(CASES)}
    for pattern in KNOWN_FAULTS:  # one case of each known fault, to see it turn green
        match = next((c for c in CASES if fnmatch.fnmatch(c.id, pattern)), None)
        if match is not None:
            chosen.setdefault(match.id, match)
    return sorted(chosen.values(), key=lambda c: c.id)


DEFAULT = _default_cases()
REST = [c for c in CASES if c.id not in {d.id for d in DEFAULT}]


def _params(cases):
    return [
        pytest.param(
            c,
            id=c.id,
            marks=[pytest.mark.xfail(strict=True, reason=why)] if (why := _fault(c.id)) else [],
        )
        for c in cases
    ]


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    """The real project, package, sheet and broken files, built once for the module."""
    root = tmp_path_factory.mktemp("hostile")
    return root, build_fixtures(root / "fixtures")


def _run_all(cases, fixtures) -> dict:
    root, names = fixtures

    def one(indexed):
        index, case = indexed
        work = root / "cases" / f"{id(cases)}-{index}"
        return case.id, run_case(case, work, root / "fixtures", names)

    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores shared by many
        return dict(pool.map(one, enumerate(cases)))


@pytest.fixture(scope="module")
def default_results(fixtures):
    return _run_all(DEFAULT, fixtures)


@pytest.fixture(scope="module")
def full_results(fixtures, request):
    markers = request.config.option.markexpr or ""
    if "slow" not in markers or "not slow" in markers:
        pytest.skip("the full matrix runs with -m slow (about 400 subprocesses)")
    return _run_all(REST, fixtures)


def check(case, result, names) -> None:
    """No traceback, no hang; a broken file fails with a message naming it."""
    shown = f"{case.id}: exit {result.code}\n{result.output[-3000:]}"
    assert result.code is not None, f"{case.id} hangs"
    assert TRACEBACK not in result.output, shown
    if case.must_fail:
        assert result.code != 0, shown
    if result.code == 0:
        return
    if case.json and result.code == 1:  # with --json the error is JSON too
        data = json_error(result)
        assert data is not None and data.get("error"), shown
        message = data["error"]
    else:
        message = result.stderr
        assert message.strip(), shown
    name = expected_name(case, names)
    if case.must_fail and name:
        assert name[:100] in message, shown
    if "the_project_itself" in case.id:
        assert not result.files["project_changed"], "the lead's project was overwritten"


@pytest.mark.parametrize("case", _params(DEFAULT))
def test_command_on_broken_input(case, default_results, fixtures):
    check(case, default_results[case.id], fixtures[1])


@pytest.mark.slow
@pytest.mark.parametrize("case", _params(REST))
def test_command_on_broken_input_full_matrix(case, full_results, fixtures):
    check(case, full_results[case.id], fixtures[1])


def test_every_command_is_in_the_matrix():
    """A command added later gets its cases without anyone writing them."""
    from tests.cli.hostile_inputs import leaf_commands

    commands = {name for name, _parser in leaf_commands()}
    assert commands == {c.command for c in CASES}
    assert commands == {c.command for c in DEFAULT}
    assert len(commands) >= 17
