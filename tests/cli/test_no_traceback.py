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
KNOWN_FAULTS = {}

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


# --- the safety net itself ---------------------------------------------------------------

import argparse  # noqa: E402
import errno  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from annotator.cli import main  # noqa: E402
from annotator.cli._common import run_command  # noqa: E402


def _raise(exc):
    def command(_args):
        raise exc

    return command


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/data/report.xlsx"), "disk is full"),
        (OSError(errno.EROFS, "Read-only file system", "/mnt/cd/eval.annotator"), "read-only"),
        (PermissionError(errno.EACCES, "Permission denied", "/srv/eval.annotator"), "permission"),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "/home/lead/out"), "is a folder"),
        (sqlite3.OperationalError("database or disk is full"), "disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (MemoryError(), "not enough memory"),
    ],
    ids=["ENOSPC", "EROFS", "EACCES", "EISDIR", "sqlite-full", "sqlite-ro", "recursion", "memory"],
)
def test_an_environment_error_becomes_words_and_a_report(exc, words, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_DEBUG", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    args = argparse.Namespace(json=False, project=str(tmp_path / "eval.annotator"))
    assert run_command(args, _raise(exc)) == 1
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and words in err and TRACEBACK not in err
    where = getattr(exc, "filename", None) or "eval.annotator"
    assert where in err  # names the path
    reports = list((tmp_path / "state").rglob("crash-*.txt"))
    assert len(reports) == 1 and TRACEBACK in reports[0].read_text(encoding="utf-8")
    assert str(reports[0]) in err
    args.json = True
    assert run_command(args, _raise(exc)) == 1
    data = json.loads(capsys.readouterr().out)
    assert words in data["error"] and Path(data["log"]).is_file()


def _python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ANNOTATOR_", "XDG_"))}
    environ.update(XDG_STATE_HOME=str(tmp_path / "state"), ANNOTATOR_LANG="en", **env)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, cwd=tmp_path
    )


BUG = (
    "import argparse, sys; from annotator.cli._common import run_command\n"
    "def bug(args): return {}['no such key']\n"
    "sys.exit(run_command(argparse.Namespace(json=JSON), bug))\n"
)


def test_a_bug_is_a_message_and_a_report_not_a_traceback(tmp_path):
    done = _python(BUG.replace("JSON", "False"), tmp_path)
    assert done.returncode == 1 and TRACEBACK not in done.stderr + done.stdout
    assert "unexpected error (KeyError" in done.stderr
    assert "send it to the developers" in done.stderr
    (report,) = (tmp_path / "state").rglob("crash-*.txt")
    assert str(report) in done.stderr
    text = report.read_text(encoding="utf-8")
    assert TRACEBACK in text and "KeyError: 'no such key'" in text and "annotator " in text
    data = json.loads(_python(BUG.replace("JSON", "True"), tmp_path).stdout)
    assert data["error"].startswith("unexpected error") and Path(data["log"]).is_file()


def test_debug_shows_the_traceback(tmp_path):
    done = _python(BUG.replace("JSON", "False"), tmp_path, ANNOTATOR_DEBUG="1")
    assert done.returncode == 1 and TRACEBACK in done.stderr and "KeyError" in done.stderr


def test_a_report_that_cannot_be_written_is_said_so(tmp_path):
    (tmp_path / "state").write_text("a file where the log folder should be")
    done = _python(BUG.replace("JSON", "False"), tmp_path)
    assert done.returncode == 1 and TRACEBACK not in done.stderr
    assert "No report could be written" in done.stderr


def _cli(tmp_path: Path, *argv, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ANNOTATOR_", "XDG_"))}
    environ.update(
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        ANNOTATOR_LANG="en",
        ANNOTATOR_DEBUG="1",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "annotator", *argv], capture_output=True, env=environ, cwd=tmp_path
    )


@pytest.mark.parametrize("what", ["missing", "folder", "random bytes"])
def test_open_checks_its_file_before_qt_starts(tmp_path, what):
    path = tmp_path / "eval.annotator"
    if what == "folder":
        path.mkdir()
    elif what == "random bytes":
        path.write_bytes(os.urandom(4096))
    # a Qt that started would die on this platform name: the file must be judged first
    done = _cli(tmp_path, "open", str(path), QT_QPA_PLATFORM="no-such-platform")
    err = done.stderr.decode()
    assert done.returncode == 1 and err.startswith("error: ") and str(path) in err
    assert "qt.qpa" not in err and "platform plugin" not in err


def test_a_nul_in_an_argument_is_refused_by_name(capsys, tmp_path, monkeypatch):
    # no shell can pass a NUL, but a script calling main() can
    monkeypatch.setenv("ANNOTATOR_DEBUG", "1")
    project = tmp_path / "eval.annotator"
    assert main(["info", "eval\0.annotator"]) == 1
    assert main(["init", str(project), "--name", "a\0b", "--language", "en"]) == 1
    err = capsys.readouterr().err
    assert "project: the value holds a NUL" in err and "--name: the value holds a NUL" in err
    assert not project.exists()


def test_bytes_that_are_not_utf8_are_refused_in_texts_not_in_file_names(tmp_path):
    done = _cli(tmp_path, "init", "eval.annotator", "--name", b"\xff\xfe")
    err = done.stderr.decode()
    assert done.returncode == 1 and TRACEBACK not in err and '--name: "\\xff\\xfe"' in err
    assert not (tmp_path / "eval.annotator").exists()
    done = _cli(tmp_path, "init", b"\xff\xfe.annotator", "--language", "en")
    assert done.returncode == 0 and (tmp_path / os.fsdecode(b"\xff\xfe.annotator")).is_file()


def test_a_non_finite_shared_count_is_a_usage_error(tmp_path):
    for value in ("nan", "inf"):
        done = _cli(tmp_path, "assign", "eval.annotator", "--raters", "a,b", "--shared", value)
        err = done.stderr.decode()
        assert done.returncode == 2 and "not a finite number" in err and TRACEBACK not in err


def test_a_terminal_escape_in_a_name_is_not_sent_to_the_terminal(tmp_path):
    done = _cli(tmp_path, "info", "\x1b]0;owned\x07\x1b[2J.annotator")
    err = done.stderr.decode()
    assert done.returncode == 1 and "\x1b" not in err and "\\x1b[2J" in err


def test_a_reader_that_goes_away_is_not_a_traceback(tmp_path):
    assert _cli(tmp_path, "init", "eval.annotator", "--language", "en").returncode == 0
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ANNOTATOR_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "info", "eval.annotator"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ | {"ANNOTATOR_LANG": "en", "XDG_STATE_HOME": str(tmp_path / "state")},
        cwd=tmp_path,
    )
    proc.stdout.close()  # gone before the command writes a word (| head -0)
    err = proc.stderr.read().decode()
    proc.wait()
    assert TRACEBACK not in err and "BrokenPipeError" not in err
