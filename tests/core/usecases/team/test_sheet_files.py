"""Sheet files on a real disk: a failed or killed create leaves nothing in the way, a full
disk is a plain message, and reading a sheet is bounded by its real data."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import zipfile

import openpyxl
import pytest

from annotator.core.domain.errors import AnnotatorError, InputError
from annotator.core.formats.xlsx_safety import check_xlsx
from annotator.core.usecases.team import create_sheet, import_sheet
from tests.core.usecases.team.conftest import project_state

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__)))))


def _python(code: str, *, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "ANNOTATOR_LANG": "en"},
        **kwargs,
    )


# -- create --------------------------------------------------------------------------------
def test_a_full_disk_is_a_plain_message_and_leaves_nothing_behind(team_project, tmp_path):
    """The file size limit makes every write past 4 kB fail with EFBIG, as a full disk would."""
    out = tmp_path / "out"
    out.mkdir()
    project = str(team_project.path)
    team_project.close()
    code = f"""
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        from annotator.core.domain.errors import AnnotatorError
        from annotator.core.project import Project
        from annotator.core.usecases.team import create_sheet
        from annotator.core.usecases.team.seal import project_secret
        with Project.open({project!r}) as p:
            project_secret(p.db)  # the project's own writes happen before the disk "fills"
            resource.setrlimit(resource.RLIMIT_FSIZE, (4_000, 4_000))
            try:
                create_sheet(p.db, "bob", {str(out / "bob.xlsx")!r})
            except AnnotatorError as exc:
                print("MESSAGE", exc)
    """
    done = _python(code)
    assert "Traceback" not in done.stderr, done.stderr
    assert "MESSAGE cannot write bob.xlsx: the disk holding" in done.stdout, done.stdout
    assert str(out) in done.stdout and "full" in done.stdout
    assert list(out.iterdir()) == []  # no bob.xlsx, no temporary file
    with __import__("annotator.core.project", fromlist=["Project"]).Project.open(project) as p:
        report = create_sheet(p.db, "bob", out / "bob.xlsx")  # the retry works
    assert report.items == 16 and [f.name for f in out.iterdir()] == ["bob.xlsx"]


def test_a_killed_create_does_not_block_the_retry(team_project, tmp_path):
    """Killed in the middle of writing (SIGKILL from inside the save): no bob.xlsx appears."""
    project = str(team_project.path)
    team_project.close()
    target = tmp_path / "bob.xlsx"
    code = f"""
        import os, signal, zipfile
        from annotator.core.project import Project
        from annotator.core.usecases.team import create_sheet
        def killing(real):
            def write(self, *args, **kwargs):
                if "sheet2" in repr(args) + repr(kwargs):  # half-way: the rubric sheet
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(self, *args, **kwargs)
            return write
        zipfile.ZipFile.writestr = killing(zipfile.ZipFile.writestr)
        zipfile.ZipFile.write = killing(zipfile.ZipFile.write)
        with Project.open({project!r}) as p:
            create_sheet(p.db, "bob", {str(target)!r})
    """
    done = _python(code)
    assert done.returncode == -signal.SIGKILL
    assert not target.exists()
    leftovers = [f for f in tmp_path.iterdir() if f.name.startswith(".bob.xlsx")]
    assert all(f.name.endswith(".part") for f in leftovers)  # hidden partial files only
    from annotator.core.project import Project

    with Project.open(project) as p:
        report = create_sheet(p.db, "bob", target)
        assert report.items == 16
        assert openpyxl.load_workbook(target).sheetnames == ["ratings", "rubric", "meta"]
        for f in leftovers:  # an hour later, the next create of bob.xlsx tidies up
            os.utime(f, (f.stat().st_atime - 3600, f.stat().st_mtime - 3600))
        create_sheet(p.db, "bob", target, overwrite=True)
    assert not any(f.exists() for f in leftovers)


def test_a_folder_as_the_target_is_a_message(team_project, tmp_path):
    (tmp_path / "sheets").mkdir()
    with pytest.raises(AnnotatorError, match="is a folder; give the sheet a file name"):
        create_sheet(team_project.db, "bob", tmp_path / "sheets", overwrite=True)
    with pytest.raises(AnnotatorError, match="does not exist"):
        create_sheet(team_project.db, "bob", tmp_path / "missing" / "bob.xlsx")
    assert not any(p.name.endswith(".part") for p in tmp_path.rglob("*"))


def test_overwrite_replaces_the_old_sheet_whole(team_project, tmp_path):
    target = tmp_path / "bob.xlsx"
    target.write_bytes(b"an old, unrelated file")
    with pytest.raises(AnnotatorError, match="already exists"):
        create_sheet(team_project.db, "bob", target)
    assert target.read_bytes() == b"an old, unrelated file"
    create_sheet(team_project.db, "bob", target, overwrite=True)
    assert zipfile.is_zipfile(target)
    names = {p.name for p in tmp_path.iterdir()} - {"team.annotator-wal", "team.annotator-shm"}
    assert names == {"bob.xlsx", "team.annotator"}


# -- reading bounded by the real data --------------------------------------------------------
@pytest.fixture
def sheet(team_project, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", path)
    return path


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
def test_a_stray_cell_at_xfd1048576_neither_hangs_nor_counts(team_project, sheet):
    """A space typed far away in Excel: the import reads the real rows only (the old reader
    made every cell of a million rows: minutes and gigabytes)."""
    wb = openpyxl.load_workbook(sheet)
    ws = wb["ratings"]
    ws["E2"], ws["XFD1048576"], ws["A1048576"], ws["E1048575"] = 4, " ", " ", " "
    wb.save(sheet)
    project = str(team_project.path)
    team_project.close()
    code = f"""
        from annotator.core.project import Project
        from annotator.core.usecases.team import import_sheet
        with Project.open({project!r}) as p:
            print("NEW", import_sheet(p.db, {str(sheet)!r}).new)
        print("PEAK_KB", open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
    """
    done = _python(code, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "NEW 1" in done.stdout
    assert int(done.stdout.split("PEAK_KB")[1]) < 400_000


def test_a_wrong_dimension_tag_does_not_hide_rows(team_project, sheet):
    """Some tools write <dimension ref="A1:C3"/> whatever the data: every row is read."""
    wb = openpyxl.load_workbook(sheet)
    wb["ratings"]["E17"] = 5  # the last row
    wb.save(sheet)
    _rewrite(
        sheet, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'ref="A1:I17"', b'ref="A1:C3"')
    )
    assert import_sheet(team_project.db, sheet).new == 1


def _rewrite(path, member: str, change) -> None:
    with zipfile.ZipFile(path) as src:
        members = {n: src.read(n) for n in src.namelist()}
    assert member in members
    members[member] = change(members[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)


def test_a_cell_text_longer_than_excel_allows_is_refused(team_project, sheet):
    """One text over Excel's 32,767 characters, which Excel never writes: refused unread."""
    import random

    rng = random.Random(3)
    huge = bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(40_000))
    _rewrite(
        sheet,
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(b"<t>", b"<t>" + huge, 1),
    )
    before = project_state(team_project)
    with pytest.raises(InputError, match="holds more than 32767 characters"):
        import_sheet(team_project.db, sheet)
    assert project_state(team_project) == before


def test_a_shared_string_expanding_to_a_huge_text_is_refused(tmp_path):
    """The shared strings part of an xlsx, as Excel writes it, with one 150 MB text."""
    bomb = tmp_path / "strings.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            fh.write(b"<si><t>ok</t></si><si><r><t>")
            for _ in range(150):
                fh.write(b"0123456789" * (1 << 17))
            fh.write(b"</t></r></si></sst>")
    check_xlsx(bomb, max_ratio=10**6)  # without a cell limit: only the sizes are checked
    with pytest.raises(InputError, match='"xl/sharedStrings.xml" holds more than 32767'):
        check_xlsx(bomb, max_ratio=10**6, max_cell_chars=32_767)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
def test_millions_of_cells_are_refused_with_little_memory(team_project, sheet, tmp_path):
    """A sheet of a 16-item project padded with 3 million cells (about 12 MB zipped, which
    the old reader turned into gigabytes): refused, measured in a child process."""
    import random

    rng = random.Random(5)
    rows = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="J%d"><v>%d</v></c>' % (r, rng.randrange(10**9)) for _ in range(300))
        + b"</row>"
        for r in range(100, 10_100)
    )
    _rewrite(
        sheet,
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(b"</sheetData>", rows + b"</sheetData>"),
    )
    project = str(team_project.path)
    team_project.close()
    code = f"""
        from annotator.core.domain.errors import InputError
        from annotator.core.project import Project
        from annotator.core.usecases.team import import_sheet
        with Project.open({project!r}) as p:
            try:
                import_sheet(p.db, {str(sheet)!r})
            except InputError as exc:
                print("MESSAGE", exc)
        # this process's own high-water mark (ru_maxrss would include the forking parent's)
        status = open("/proc/self/status").read()
        print("PEAK_KB", status.split("VmHWM:")[1].split()[0])
    """
    done = _python(code)
    assert "Traceback" not in done.stderr, done.stderr
    assert "bob.xlsx: refused: the xlsx holds more than" in done.stdout, done.stdout
    peak_kb = int(done.stdout.split("PEAK_KB")[1])
    assert peak_kb < 400_000, peak_kb  # the import itself: well under 400 MB


def test_check_xlsx_keeps_its_old_signature_and_bounds_cells_when_asked(sheet):
    check_xlsx(sheet)  # as the items importer calls it
    check_xlsx(sheet, max_cells=10_000, max_cell_chars=32_767)
    with pytest.raises(InputError, match="more than 20 cells or rows"):
        check_xlsx(sheet, max_cells=20)
    with pytest.raises(InputError, match="holds more than 5 characters"):
        check_xlsx(sheet, max_cell_chars=5)


def test_resource_limits_are_available():
    assert resource.RLIMIT_FSIZE is not None and hasattr(signal, "SIGXFSZ")
