"""Exported files get the mode the user's umask gives (issue 14, point 9; was 0600).

Each umask runs in its own process: the umask belongs to the process, and the code reads
it as a real user's shell would have set it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.project import Project

_EXPORT = """
import json, os, stat, sys
from pathlib import Path
os.umask(int(sys.argv[2], 8))
from annotator.core.project import Project
from annotator.core.usecases.team import create_package, create_sheet
out = Path(sys.argv[3])
p = Project.open(sys.argv[1])
rater = p.raters()[0]
made = [p.export(out / name) for name in ("report.xlsx", "ratings.csv", "summary.json")]
create_package(p.db, rater, out / "pkg.annotator")
create_sheet(p.db, rater, out / "sheet.xlsx")
made += [out / "pkg.annotator", out / "sheet.xlsx"]
p.close()
print(json.dumps({Path(f).name: stat.S_IMODE(os.stat(f).st_mode) for f in made}))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.annotator"
    Project.demo(path).close()
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
@pytest.mark.parametrize(("umask", "mode"), [("022", 0o644), ("077", 0o600), ("002", 0o664)])
def test_exports_get_the_umask_mode(demo, tmp_path, umask, mode):
    run = subprocess.run(
        [sys.executable, "-c", _EXPORT, str(demo), umask, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    modes = json.loads(run.stdout.strip().splitlines()[-1])
    wanted = {name: mode for name in modes}
    if umask == "002":  # SQLite creates its files 0644 at most (SQLITE_DEFAULT_FILE_PERMISSIONS)
        wanted["pkg.annotator"] = 0o644
    assert {k: oct(v) for k, v in modes.items()} == {k: oct(v) for k, v in wanted.items()}
