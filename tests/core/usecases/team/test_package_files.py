"""Packages as files on real disks: copied while open, merged by two processes at once,
created by a process that is killed or meets a full disk."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.domain.errors import DiskFullError, ProjectFileError
from annotator.core.project import Project
from annotator.core.usecases.team import create_package, merge_package
from annotator.core.usecases.team.seal import project_secret
from tests.core.usecases.team.conftest import add_blind_items, project_state

ROOT = Path(__file__).resolve().parents[4]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "ANNOTATOR_LANG": "en"}


def _handouts(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM handouts").fetchone()[0]
    finally:
        conn.close()


def test_a_package_copied_while_the_app_has_it_open_holds_every_score(tmp_path):
    project = Project.create(tmp_path / "eval.annotator", "eval")
    add_blind_items(project, 20, "model-a")
    add_blind_items(project, 20, "model-b")
    out = tmp_path / "alice.annotator"
    create_package(project.db, "alice", out)
    sent = tmp_path / "mail" / "alice.annotator"
    sent.parent.mkdir()
    with Project.open(out) as pkg:
        session = pkg.session("alice")
        for k, item_id in enumerate(session.order):
            for dim in pkg.rubric.keys:
                session.set_score(item_id, dim, (k % 5) + 1)
        assert len(session.order) * len(pkg.rubric.keys) == 160
        shutil.copy(out, sent)  # the .annotator file alone, the app still open
    report = merge_package(project.db, sent)
    assert report.new == 160
    project.close()


_MERGER = """
import sys
from annotator.core.project import Project
from annotator.core.usecases.team import merge_package
project = Project.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
report = merge_package(project.db, sys.argv[2])
project.close()
print("done", report.new, report.changed, report.kept_newer, flush=True)
"""


def _scored(tmp_path: Path) -> tuple[Path, Path, Path, dict]:
    """A closed project, alice's old package and her newer one (every score changed)."""
    base = tmp_path / "base.annotator"
    project = Project.create(base, "eval")
    add_blind_items(project, 16, "model-a")
    add_blind_items(project, 16, "model-b")
    new = tmp_path / "alice.annotator"
    create_package(project.db, "alice", new)
    project.close()
    old = tmp_path / "alice-old.annotator"
    with Project.open(new) as pkg:
        session = pkg.session("alice")
        for item_id in session.order:
            for dim in pkg.rubric.keys:
                session.set_score(item_id, dim, 2)
        shutil.copy(new, old)
        wanted = {}
        for item_id in session.order:
            for dim in pkg.rubric.keys:
                session.set_score(item_id, dim, 5)
                wanted[(session.item(session.index_of(item_id)).uid, dim)] = 5
    return base, old, new, wanted


def test_an_old_and_a_new_package_merged_at_once_never_let_the_old_one_win(tmp_path):
    base, old, new, wanted = _scored(tmp_path)
    for run in range(10):
        target = tmp_path / f"run{run}.annotator"
        shutil.copy(base, target)
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _MERGER, str(target), str(package)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(),
            )
            for package in ((old, new) if run % 2 == 0 else (new, old))
        ]
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready"
        for proc in procs:  # both start merging at the same moment
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert "Traceback" not in err
        conn = sqlite3.connect(target)
        scores = [r[0] for r in conn.execute("SELECT score FROM ratings")]
        conn.close()
        assert scores == [5] * len(wanted), f"run {run}: the old package overwrote newer scores"


def test_a_killed_create_leaves_nothing_that_blocks_the_retry(tmp_path):
    project = Project.create(tmp_path / "eval.annotator", "eval")
    for model in ("model-a", "model-b", "model-c"):
        add_blind_items(project, 1500, model, suffix=" " + "长文本" * 200)
    project_secret(project.db)
    project.close()
    out = tmp_path / "out" / "alice.annotator"
    out.parent.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "package", "create"]
        + [str(tmp_path / "eval.annotator"), "--rater", "alice", "-o", str(out)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started: list[Path] = []
    while proc.poll() is None and not started:  # kill it as soon as it has written a file
        started = list(out.parent.iterdir())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert started and proc.returncode == -signal.SIGKILL, "the create ended before the kill"
    assert not out.exists()  # nothing at the output path
    assert _handouts(tmp_path / "eval.annotator") == 0
    for leftover in out.parent.iterdir():  # the killed create's files, an hour later
        os.utime(leftover, (time.time() - 7200, time.time() - 7200))
    with Project.open(tmp_path / "eval.annotator") as again:
        report = create_package(again.db, "alice", out)  # no --force needed
        assert report.items == 4500
        assert _handouts(again.path) == 1
    assert sorted(p.name for p in out.parent.iterdir()) == ["alice.annotator"]


def _small_disk(folder: Path):
    """Mount a 1 MB tmpfs on ``folder`` (root only); skip when the sandbox does not allow it."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small disk needs root")
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")


@pytest.fixture
def big_project(tmp_path):
    project = Project.create(tmp_path / "eval.annotator", "eval")
    add_blind_items(project, 200, "model-a", suffix=" " + "很长的输出" * 300)
    project_secret(project.db)
    yield project
    project.close()


def test_a_full_disk_gives_a_plain_message_and_leaves_nothing(big_project, tmp_path):
    disk = tmp_path / "usb"
    _small_disk(disk)
    try:
        before = project_state(big_project)
        out = disk / "alice.annotator"
        with pytest.raises(DiskFullError, match="full") as err:
            create_package(big_project.db, "alice", out)
        assert str(disk) in str(err.value)
        assert list(disk.iterdir()) == []  # nothing half-written, no temporary file
        assert project_state(big_project) == before and _handouts(big_project.path) == 0
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_file_size_limit_is_a_plain_message_from_the_command_line(big_project, tmp_path):
    out = tmp_path / "out" / "alice.annotator"
    out.parent.mkdir()
    big_project.close()

    def limit() -> None:  # the package is bigger than this; writing beyond it gives EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    done = subprocess.run(
        [sys.executable, "-m", "annotator", "package", "create"]
        + [str(big_project.path), "--rater", "alice", "-o", str(out)],
        env=_env(),
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=120,
    )
    assert done.returncode != 0
    # SQLite reports EFBIG as a write error (a real full disk is SQLITE_FULL, tested above)
    assert "Traceback" not in done.stderr
    assert "full" in done.stderr or "input/output error" in done.stderr
    assert str(out.parent) in done.stderr
    assert list(out.parent.iterdir()) == []
    assert _handouts(big_project.path) == 0


_CRASH_MID_SAVE = r"""
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # pages spill into the file before the commit
conn.execute("BEGIN")
conn.execute("UPDATE items SET generated = generated || randomblob(3000)")
os._exit(9)  # killed in the middle of saving: the journal stays beside the file
"""


def test_a_package_left_in_the_middle_of_saving_is_refused_untouched(team_project, tmp_path):
    out = tmp_path / "alice.annotator"
    create_package(team_project.db, "alice", out)
    with Project.open(out) as pkg:
        session = pkg.session("alice")
        session.set_score(session.order[0], "fluency", 4)
    subprocess.run([sys.executable, "-c", _CRASH_MID_SAVE, str(out)], check=False)
    journal = tmp_path / "alice.annotator-journal"
    assert journal.exists()
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("alice")}
    before = project_state(team_project)
    with pytest.raises(ProjectFileError, match="in the middle of saving"):
        merge_package(team_project.db, out)
    assert project_state(team_project) == before
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("alice")} == (
        files
    )
    Project.open(out).close()  # the app repairs it (rolls the unfinished save back)
    assert merge_package(team_project.db, out).new == 1
