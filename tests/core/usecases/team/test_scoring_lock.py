"""One window per rater and file (issue 14, point 6), with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.core.storage.scoring_lock import HeldError
from annotator.core.usecases.team import create_package, merge_package
from tests.core.usecases.team.conftest import project_state

# Opens the package for scoring, gives one score, says so, then waits to be killed.
_HOLD = """
import sys, time
from annotator.core.project import Project
p = Project.open(sys.argv[1])
s = p.session(sys.argv[2])
s.set_score(s.order[0], "fluency", 5)
print("ready", flush=True)
time.sleep(120)
"""


def _hold(path: Path, rater: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path), rater], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


@pytest.fixture
def package(team_project, tmp_path) -> Path:
    out = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", out)
    return out


def test_a_second_process_is_refused_naming_the_first_until_it_is_killed(package):
    holder = _hold(package, "alice")
    try:
        second = subprocess.run(
            [sys.executable, "-m", "annotator", "open", str(package), "--smoke-test"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode != 0
        said = second.stdout + second.stderr
        # the package speaks Chinese (the project's language): the rater and pid, in words
        assert "已由评分人 alice" in said and f"进程 {holder.pid}" in said
        assert "Traceback" not in said
        with Project.open(package) as p, pytest.raises(HeldError) as refused:
            p.session("alice")
        assert refused.value.holder["pid"] == holder.pid
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    # The dead process holds nothing: its stale lock file is taken over.
    with Project.open(package) as p:
        s = p.session("alice")
        assert s.scores(s.order[0]) == {"fluency": 5}
        s.set_score(s.order[0], "fluency", 1)


def test_merging_a_package_open_for_scoring_is_refused_and_changes_nothing(team_project, package):
    before = project_state(team_project)
    project_bytes = team_project.path.read_bytes()
    holder = _hold(package, "alice")
    try:
        with pytest.raises(HeldError, match=f"open for scoring by alice.*process {holder.pid}"):
            merge_package(team_project.db, package)
        assert project_state(team_project) == before
        assert team_project.path.read_bytes() == project_bytes
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert merge_package(team_project.db, package).new == 1  # once it is closed


def test_raters_of_one_project_do_not_lock_each_other_out(team_project):
    alice = team_project.session("alice")
    team_project.session("bob")  # another rater: their own lock
    with pytest.raises(HeldError, match="alice"):
        team_project.session("ALICE ")  # the same rater, spelled differently
    alice.close()
    team_project.session("alice")
