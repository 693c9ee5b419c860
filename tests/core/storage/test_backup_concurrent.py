"""Two processes backing up one project at the same instant (issue 12: concurrent merges).

Two merges released together each write their pre-merge backup; on a busy machine both
can read the same microsecond from the clock. Their temporary copies must still be two
files: writing both into one made SQLite fail with "disk I/O error" (seen in CI).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.core.project import Project
from annotator.core.storage import backup_paths
from tests.factories import add_items

# A backup at a clock stopped at one instant, started when the parent says "go".
_BACKER = """
import sys
from datetime import datetime
import annotator.core.storage.backup as backup
from annotator.core.storage import open_db

class Stopped(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 12, 1, 12, 0, 0, 123456)

backup.datetime = Stopped
db = open_db(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
for n in range(20):
    db.backup("before-package-merge")
db.close()
print("done", flush=True)
"""


def test_two_processes_backing_up_at_the_same_microsecond_both_succeed(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "eval", language="en") as project:
        add_items(project, 200, "base")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _BACKER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[3],
        )
        for _ in range(2)
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "done"
    assert len(backup_paths(path)) == 1  # the same instant and kind: one name
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*-journal"))
