"""Exports are never half-written, leave nothing in the system's temp folder, and say
plainly why a target cannot be written (a folder, a missing or read-only folder, a full
disk). ratings.csv and summary.json with hostile names: formula-safe and exact.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from annotator.core.domain.errors import AnnotatorError
from annotator.core.formats.xlsx_report.scratch import PREFIX
from annotator.core.project import Project
from tests.core import hostile_project as hp

ROOT = Path(__file__).resolve().parents[3]
OLD_REPORT = b"PK an earlier report that must survive"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "p").mkdir()
    project = hp.build(tmp_path / "p")
    yield project
    project.close()


def scratch_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(PREFIX))


# -- killed and failed exports -------------------------------------------------------------

KILLED_EXPORT = """
import sys, time
from pathlib import Path
from annotator.core.project import Project

project = Project.open(sys.argv[1])
marker = Path(sys.argv[3])

def progress(done, total):
    marker.write_text("writing")  # the Summary sheet is streamed, Items has begun
    time.sleep(120)  # killed here

project.export(sys.argv[2], progress=progress)
"""


def wait_for(path: Path, proc: subprocess.Popen) -> None:
    for _ in range(1200):  # a bound, not a timing assertion
        if path.exists() or proc.poll() is not None:
            return
        time.sleep(0.05)


@pytest.mark.parametrize("name", ["report.xlsx", "ratings.csv", "summary.json"])
def test_sigkilled_export_leaves_nothing_in_system_temp_and_next_export_cleans_up(
    project, tmp_path, name
):
    systemp = tmp_path / "systemp"
    systemp.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    target.write_bytes(OLD_REPORT)
    marker = tmp_path / "marker"
    script = KILLED_EXPORT
    if name != "report.xlsx":  # csv and json have no progress: stop inside the write
        script = script.replace(
            "project.export(sys.argv[2], progress=progress)",
            "import json, csv\n"
            "real = json.dump\n"
            "json.dump = lambda *a, **k: (a[1].write('{\"half'), a[1].flush(), progress(0, 1))\n"
            "real_writer = csv.writer\n"
            "csv.writer = lambda fh: (fh.write('half,'), fh.flush(), progress(0, 1))\n"
            "project.export(sys.argv[2])",
        )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(project.path), str(target), str(marker)],
        env={**os.environ, "TMPDIR": str(systemp), "TEMP": str(systemp), "TMP": str(systemp)},
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(marker, proc)
        assert proc.poll() is None, proc.stderr.read().decode()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        proc.stderr.close()
    assert sorted(systemp.iterdir()) == []  # nothing in the system's temp folder
    assert target.read_bytes() == OLD_REPORT  # the earlier file is untouched
    assert scratch_files(out), "the killed export's scratch files are next to the target"
    project.export(target)  # the next export removes them
    assert scratch_files(out) == []
    assert sorted(p.name for p in out.iterdir()) == [name]
    if name == "report.xlsx":
        load_workbook(target, read_only=True).close()


def test_failed_export_keeps_the_earlier_report_and_leaves_no_scratch(project, tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(OLD_REPORT)

    def cancel(done, total):
        if done:
            raise KeyboardInterrupt  # what a cancel button or Ctrl+C does mid-way

    with pytest.raises(KeyboardInterrupt):
        project.export(target, progress=cancel)
    assert target.read_bytes() == OLD_REPORT
    assert scratch_files(tmp_path) == []


def test_a_running_export_of_another_process_keeps_its_scratch_files(project, tmp_path):
    """Clean-up removes only leftovers: files of dead processes or older than their pid."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        alive = tmp_path / f"{PREFIX}{other.pid}-abc.xml"
        alive.write_text("another export, still running")
        dead = tmp_path / f"{PREFIX}{2**22 + 7}-abc.xml"  # above Linux's pid range
        dead.write_text("a killed export")
        ours_before = tmp_path / f"{PREFIX}{os.getpid()}-old.xlsx.part"
        ours_before.write_text("an earlier process that had this pid")
        os.utime(ours_before, (1_000_000, 1_000_000))
        project.export(tmp_path / "report.xlsx")
        assert scratch_files(tmp_path) == [alive.name]
    finally:
        other.kill()
        other.wait()


def test_two_exports_at_once_into_one_folder_both_complete(project, tmp_path):
    """The second export's clean-up must not take the first one's scratch files (the lead's
    window exports in the background while the command line exports into the same folder)."""
    second = tmp_path / "second.xlsx"

    def export_another(done, total):
        if not second.exists():
            assert scratch_files(tmp_path), "the first export is writing"
            project.export(second)

    first = project.export(tmp_path / "first.xlsx", progress=export_another)
    for path in (first, second):
        load_workbook(path, read_only=True).close()
    assert scratch_files(tmp_path) == []


# -- targets that cannot be written ----------------------------------------------------------


@pytest.mark.parametrize("name", ["report.xlsx", "ratings.csv", "summary.json"])
def test_export_onto_a_folder_is_a_message(project, tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(AnnotatorError) as caught:
        project.export(folder)
    assert str(folder) in str(caught.value) and "folder" in str(caught.value)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    assert scratch_files(tmp_path) == []


def test_export_into_a_missing_folder_is_a_message(project, tmp_path):
    with pytest.raises(AnnotatorError, match="does not exist"):
        project.export(tmp_path / "nowhere" / "report.xlsx")


def _mount(folder: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    folder.mkdir(exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


def _unmount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB disk, filled up to its last few kilobytes, with an earlier report on it."""
    disk = tmp_path / "disk"
    _mount(disk, "size=1m")
    try:
        (disk / "report.xlsx").write_bytes(OLD_REPORT)
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):  # until the disk is full
                pass
        except OSError:
            os.ftruncate(fd, os.fstat(fd).st_size - 16 * 1024)  # leave 16 KB free
        finally:
            os.close(fd)
        yield disk
    finally:
        _unmount(disk)


@pytest.mark.parametrize("name", ["report.xlsx", "ratings.csv", "summary.json"])
def test_full_disk_is_a_message_and_leaves_everything_as_it_was(project, small_disk, name):
    target = small_disk / name
    before = sorted(p.name for p in small_disk.iterdir())
    with pytest.raises(AnnotatorError) as caught:
        project.export(target)
    message = str(caught.value)
    assert "full" in message and str(small_disk) in message
    assert sorted(p.name for p in small_disk.iterdir()) == before  # no scratch, no half file
    assert (small_disk / "report.xlsx").read_bytes() == OLD_REPORT
    (small_disk / "filler").unlink()
    project.export(target)  # with space again, the same export works
    assert scratch_files(small_disk) == []


def test_read_only_folder_is_a_message(project, tmp_path):
    folder = tmp_path / "ro"
    if os.geteuid() == 0:
        _mount(folder, "ro,size=1m")
    else:
        folder.mkdir()
        folder.chmod(0o555)
    try:
        with pytest.raises(AnnotatorError) as caught:
            project.export(folder / "report.xlsx")
        assert "read-only" in str(caught.value) and str(folder) in str(caught.value)
    finally:
        if os.geteuid() == 0:
            _unmount(folder)
        else:
            folder.chmod(0o755)


def test_cli_export_onto_a_folder_prints_a_message_not_a_traceback(project, tmp_path):
    folder = tmp_path / "report.xlsx"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "export", str(project.path), str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "ANNOTATOR_LANG": "en"},
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert str(folder) in done.stderr + done.stdout


# -- ratings.csv and summary.json with hostile names ---------------------------------------


def unquote(value: str) -> str:
    """What a reader does with our CSV: one leading apostrophe is the quote, not the text."""
    return value[1:] if value.startswith("'") else value


def test_ratings_csv_is_formula_safe_and_equals_the_database(project, tmp_path):
    target = project.export(tmp_path / "ratings.csv")
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], rows[1:]
    assert head == [
        "item_id",
        "uid",
        "model",
        "sample_id",
        "rater",
        "dimension",
        "score",
        "updated_at",
        "origin",
    ]
    assert all(len(r) == len(head) for r in body)
    for row in body:
        for value in row:  # nothing a spreadsheet program would run or mangle
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r", "＝")), row
    expected = Counter(tuple(str(v) for v in r) for r in hp.database_ratings_by_key(project.path))
    assert Counter(tuple(unquote(v) for v in r) for r in body) == expected


def test_ratings_csv_quote_is_reversible_for_text_that_starts_with_an_apostrophe(tmp_path):
    project = Project.create(tmp_path / "q.annotator", "q", language="en")
    path = tmp_path / "items.json"
    record = {"id": "'quoted", "instruction": "i", "reference": "r", "generated": "g"}
    path.write_text(json.dumps([record]))
    project.import_file(path, model="'m")
    project.session("'r").set_score(1, "relevance", 3)
    target = project.export(tmp_path / "ratings.csv")
    with target.open(encoding="utf-8-sig", newline="") as fh:
        row = list(csv.DictReader(fh))[0]
    assert [unquote(row[k]) for k in ("model", "sample_id", "rater")] == ["'m", "'quoted", "'r"]
    project.close()


def test_summary_json_holds_the_names_exactly(project, tmp_path):
    target = project.export(tmp_path / "summary.json")
    data = json.loads(target.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    for name in (*hp.MODELS, *hp.RATERS):
        assert json.dumps(name, ensure_ascii=False) in text
    items = {
        (model, sample) for _uid, model, sample, *_ in hp.database_items(project.path).values()
    }
    assert data["project"]["name"] == hp.PROJECT_NAME
    assert {(i["model"], i["sample_id"]) for i in data["stats"]["items"]} == items
    assert {r["rater"] for r in data["stats"]["raters"]} == set(hp.RATERS)
    assert [m["model"] for m in data["stats"]["models"]] == list(hp.MODELS)


@pytest.mark.parametrize("name", ["r" * 300 + ".xlsx", "r" * 300 + ".csv"])
def test_a_file_name_too_long_for_the_system_is_a_message(project, tmp_path, name):
    with pytest.raises(AnnotatorError) as caught:
        project.export(tmp_path / name)
    assert "r" * 300 in str(caught.value)
    assert scratch_files(tmp_path) == []


def test_a_file_where_the_folder_should_be_is_a_message(project, tmp_path):
    (tmp_path / "items.csv").write_text("not a folder")
    with pytest.raises(AnnotatorError, match="not a folder"):
        project.export(tmp_path / "items.csv" / "report.xlsx")
