"""A returned rating sheet is untrusted: every tampering a rater could try is refused.

The seal in the very hidden meta sheet covers the rater, the sheet id, the column
layout and the items handed out; the project's secret that makes it never leaves
the lead's file. Score cells hold a whole number from 1 to 5 as a value, nothing else.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from annotator.core.domain.errors import InputError
from annotator.core.domain.models import Dimension, Rubric
from annotator.core.project import Project
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team import assign, create_sheet, import_sheet
from annotator.core.usecases.team.seal import blind_id, project_secret
from tests.core.usecases.team.conftest import add_blind_items, project_state, scores_by_uid


def _uid_of(project: Project) -> dict[str, str]:
    secret = project_secret(project.db)
    return {blind_id(secret, uid): uid for uid in TeamRepo(project.db.conn).uid_index()}


def _edit(path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def _meta_row(wb, key: str) -> int:
    ms = wb["meta"]
    return next(r for r in range(1, ms.max_row + 1) if ms.cell(r, 1).value == key)


def _refused(project: Project, path, match: str, **kwargs) -> InputError:
    before = project_state(project)
    with pytest.raises(InputError, match=match) as err:
        import_sheet(project.db, path, **kwargs)
    assert project_state(project) == before
    return err.value


@pytest.fixture
def two_sheets(team_project, tmp_path):
    """alice and bob share no item (one rater per item); each has a sheet."""
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=1)
    paths = {r: tmp_path / f"{r}.xlsx" for r in ("alice", "bob")}
    for rater, path in paths.items():
        create_sheet(team_project.db, rater, path)
    return paths


# -- the seal --------------------------------------------------------------------------------
def test_a_meta_sheet_edited_to_another_rater_is_refused(team_project, two_sheets):
    bob = two_sheets["bob"]

    def impersonate(wb):
        wb["meta"].cell(_meta_row(wb, "rater"), 2).value = "alice"
        wb["ratings"]["E2"] = 5

    _edit(bob, impersonate)
    err = _refused(team_project, bob, 'hidden "meta" sheet was edited')
    assert 'rater ("alice")' in str(err)
    # --skip-invalid never lets a broken seal through
    _refused(team_project, bob, "was edited", skip_invalid=True)
    assert scores_by_uid(team_project, "alice") == {}


def test_a_row_replaced_by_an_item_of_another_rater_is_refused_by_cell(team_project, two_sheets):
    alice_ws = openpyxl.load_workbook(two_sheets["alice"])["ratings"]
    foreign = [alice_ws.cell(2, c).value for c in range(1, 5)]  # id and the three texts

    def swap(wb):
        ws = wb["ratings"]
        for c, value in enumerate(foreign, start=1):
            ws.cell(7, c).value = value
        for c in range(5, 9):
            ws.cell(7, c).value = 4
        ws["E2"] = 3

    _edit(two_sheets["bob"], swap)
    err = _refused(team_project, two_sheets["bob"], "was not handed out to bob")
    assert [p.cell for p in err.problems] == ["ratings!A7"]
    report = import_sheet(team_project.db, two_sheets["bob"], skip_invalid=True)
    assert report.new == 1 and "ratings!A7" in report.skipped[0]
    stolen = _uid_of(team_project)[foreign[0]]
    assert not any(uid == stolen for uid, _ in scores_by_uid(team_project, "bob"))


def test_added_and_duplicated_rows_are_refused_deleted_rows_are_simply_not_scored(
    team_project, two_sheets
):
    bob = two_sheets["bob"]
    alice_ws = openpyxl.load_workbook(two_sheets["alice"])["ratings"]
    foreign = [alice_ws.cell(3, c).value for c in range(1, 5)]

    def add(wb):
        ws = wb["ratings"]
        end = ws.max_row + 1
        ws.append([*foreign, 5, 5, 5, 5])  # an item of alice's, added at the end
        ws.append([ws["A2"].value, ws["B2"].value, ws["C2"].value, ws["D2"].value, 1])
        assert ws.max_row == end + 1

    original = bob.read_bytes()
    _edit(bob, add)
    err = _refused(team_project, bob, "was not handed out")
    assert "appears twice (also row 2)" in str(err) and len(err.problems) == 2

    bob.write_bytes(original)

    def delete(wb):
        ws = wb["ratings"]
        ws.delete_rows(3, 4)  # the rater deletes four rows
        ws["E2"], ws["E3"] = 2, 3

    _edit(bob, delete)
    report = import_sheet(team_project.db, bob)
    assert report.new == 2 and not report.skipped


def test_a_sheet_without_a_seal_from_an_older_version_is_refused(team_project, tmp_path):
    path = tmp_path / "old.xlsx"
    create_sheet(team_project.db, "bob", path)

    def make_old(wb):
        ms = wb["meta"]
        ms.cell(_meta_row(wb, "version"), 2).value = "1"
        ms.delete_rows(_meta_row(wb, "seal"))
        wb["ratings"]["E2"] = 4

    _edit(path, make_old)
    _refused(team_project, path, "older version of annotator.*make a new sheet")


def _meta_edits():
    """(name, change) pairs: what a curious rater could do to the meta sheet."""
    huge = "x" * 32_000
    nested = "[" * 10_000 + "]" * 10_000

    def set_value(key, value):
        return lambda wb: setattr(wb["meta"].cell(_meta_row(wb, key), 2), "value", value)

    def delete(key):
        return lambda wb: wb["meta"].delete_rows(_meta_row(wb, key))

    edits = {f"delete {k}": delete(k) for k in ("rater", "sheet_id", "layout", "seal", "format")}
    edits |= {f"delete {k}": delete(k) for k in ("version", "project_uuid", "item")}
    for key in ("rater", "sheet_id", "layout", "seal", "version"):
        edits[f"{key} is a number"] = set_value(key, 12345)
        edits[f"{key} is empty"] = set_value(key, None)
        edits[f"{key} is huge"] = set_value(key, huge)
    edits["layout garbage JSON"] = set_value("layout", '{"dimensions": [["E", ')
    edits["layout nested JSON"] = set_value("layout", nested)
    edits["layout swapped"] = set_value(
        "layout", '{"dimensions":[["F","relevance"],["E","fluency"]],"comment":"I"}'
    )
    edits["layout onto the id column"] = set_value(
        "layout", '{"dimensions":[["A","relevance"]],"comment":"A"}'
    )
    edits["layout huge column"] = set_value(
        "layout", '{"dimensions":[["XFD","relevance"]],"comment":"ZZZ"}'
    )
    edits["seal garbage"] = set_value("seal", "1:00")
    edits["key is a number"] = lambda wb: setattr(wb["meta"]["A1"], "value", 7)
    edits["key twice"] = lambda wb: wb["meta"].append(["rater", "bob"])
    edits["item hash changed"] = lambda wb: setattr(
        wb["meta"].cell(_meta_row(wb, "item"), 3), "value", "0" * 32
    )
    edits["item id is a number"] = lambda wb: setattr(
        wb["meta"].cell(_meta_row(wb, "item"), 2), "value", 42
    )
    edits["item added"] = lambda wb: wb["meta"].append(["item", "0123456789abcdef", "00"])
    edits["item listed twice"] = lambda wb: wb["meta"].append(
        [c.value for c in wb["meta"][_meta_row(wb, "item")]]
    )
    edits["meta sheet emptied"] = lambda wb: wb["meta"].delete_rows(1, 500)
    edits["meta sheet removed"] = lambda wb: wb.remove(wb["meta"])
    return sorted(edits.items())


@pytest.mark.parametrize("name,change", _meta_edits(), ids=[n for n, _ in _meta_edits()])
def test_every_edit_of_the_meta_sheet_is_a_message_not_a_traceback(
    team_project, tmp_path, name, change
):
    path = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", path)

    def edit(wb):
        change(wb)
        wb["ratings"]["E2"] = 4

    _edit(path, edit)
    err = _refused(team_project, path, ".", skip_invalid=True)
    text = str(err)
    assert "Traceback" not in text and len(text) < 2_000
    assert all(p.file == str(path) for p in err.problems)  # the CLI names the file


# -- score cells -----------------------------------------------------------------------------
HOSTILE_SCORES = {
    "E2": ("=1+1", "a formula is not a score"),
    "F2": ("=2", "a formula is not a score"),
    "G2": (4.5, '"4.5" is not a score from 1 to 5'),
    "H2": (dt.datetime(2024, 3, 4), "a date or time is not a score"),
    "E3": (True, "a yes/no value is not a score"),
    "F3": ("#DIV/0!", '"#DIV/0!" is an error value'),
    "G3": ("four", '"four" is not a score from 1 to 5'),
    "H3": ("1e0", '"1e0" is not a score from 1 to 5'),
    "E4": (0, '"0" is not a score from 1 to 5'),
    "F4": ("3.5", '"3.5" is not a score from 1 to 5'),
    "G4": (-3, '"-3" is not a score from 1 to 5'),
    "H4": (dt.time(3, 0), "a date or time is not a score"),
}


def test_anything_but_a_whole_number_value_in_a_score_cell_is_refused_with_its_address(
    team_project, tmp_path
):
    path = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", path)

    def fill(wb):
        ws = wb["ratings"]
        for cell, (value, _) in HOSTILE_SCORES.items():
            ws[cell] = value
        ws["E5"], ws["F5"] = 4, "５"  # valid: a number and a full-width digit typed as text

    _edit(path, fill)
    err = _refused(team_project, path, "formula")
    lines = str(err).splitlines()
    for cell, (_, reason) in HOSTILE_SCORES.items():
        assert any(line.startswith(f"ratings!{cell}: ") and reason in line for line in lines), (
            cell,
            lines,
        )
    assert len(err.problems) == len(HOSTILE_SCORES)
    report = import_sheet(team_project.db, path, skip_invalid=True)
    assert report.new == 2 and len(report.skipped) == len(HOSTILE_SCORES)
    assert all(s.startswith("ratings!") for s in report.skipped)
    assert sorted(scores_by_uid(team_project, "bob").values()) == [4, 5]


def test_a_formula_with_a_cached_result_is_still_refused(team_project, tmp_path):
    """What Excel writes for =1+1: the formula and its result 2; the result is no score."""
    path = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", path)
    _edit(path, lambda wb: wb["ratings"].__setitem__("E2", "=1+1"))
    cooked = tmp_path / "cooked.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(cooked, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                assert b"<f>1+1</f><v></v>" in data or b"<f>1+1</f><v />" in data
                data = data.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
                data = data.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
            out.writestr(name, data)
    err = _refused(team_project, cooked, "formula")
    assert err.problems[0].cell == "ratings!E2"


def test_skip_invalid_on_the_command_line_names_each_skipped_cell(team_project, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", path)

    def fill(wb):
        wb["ratings"]["E17"], wb["ratings"]["F2"] = "=1+1", 3

    _edit(path, fill)
    project = str(team_project.path)
    team_project.close()
    run = [sys.executable, "-m", "annotator", "sheet", "import", project, str(path)]
    env = {"ANNOTATOR_LANG": "en", "PATH": "/usr/bin:/bin"}
    refused = subprocess.run(run, capture_output=True, text=True, env=env, timeout=120)
    assert refused.returncode == 1 and "ratings!E17: a formula is not a score" in refused.stderr
    assert "Traceback" not in refused.stderr
    done = subprocess.run([*run, "--skip-invalid"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "ratings!E17" in done.stdout and "1 new" in done.stdout


# -- rubric keys and texts -------------------------------------------------------------------
def _rubric_toml(path, dims: list[tuple[str, str, str]]) -> None:
    """dims: (key, name, anchor prefix)."""
    parts = ["version = 1\n"]
    for key, name, text in dims:
        anchors = ", ".join(f'"{text} level {n}"' for n in range(1, 6))
        parts.append(
            f'[[dimensions]]\nkey = "{key}"\nname_en = "{name}"\nname_zh = "{name}"\n'
            f'description_en = "{text} description"\ndescription_zh = "{text} 说明"\n'
            f"anchors_en = [{anchors}]\nanchors_zh = [{anchors}]\n"
        )
    path.write_text("\n".join(parts), encoding="utf-8")


def test_dimensions_keyed_comment_and_id_keep_their_scores(tmp_path):
    """A project whose rubric has such keys (rubric files now refuse them; older projects
    and hand-made rubrics may still hold them): the sheet maps columns by position."""
    rubric = Rubric(
        (
            Dimension("comment", "Comment quality", "评论质量", anchors_en=("c",) * 5),
            Dimension("id", "Identity", "身份", anchors_en=("i",) * 5),
        )
    )
    with Project.create(tmp_path / "p.annotator", "p", rubric=rubric) as p:
        add_blind_items(p, 3, "m-base")
        path = tmp_path / "bob.xlsx"
        create_sheet(p.db, "bob", path)

        def fill(wb):
            ws = wb["ratings"]
            for r in (2, 3, 4):
                ws.cell(r, 5).value, ws.cell(r, 6).value = r, 5
            ws.cell(2, 7).value = "a real comment"

        _edit(path, fill)
        report = import_sheet(p.db, path)
        assert report.new == 6 and report.comments_new == 1
        got = scores_by_uid(p, "bob")
        assert sorted(s for (_, d), s in got.items() if d == "comment") == [2, 3, 4]
        assert sorted(s for (_, d), s in got.items() if d == "id") == [5, 5, 5]
        session = p.session("bob")
        comments = [session.annotation(i)[0] for i in session.order]
        assert sorted(comments) == ["", "", "a real comment"]


PAYLOADS = ("=1+2", "+SUM(1)", "-2+3", "@risk", '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0")


def test_rubric_texts_that_look_like_formulas_stay_text_and_the_sheet_imports(tmp_path):
    toml = tmp_path / "rubric.toml"
    dims = [(f"d{n}", p, p) for n, p in enumerate(PAYLOADS)]
    _rubric_toml(toml, [(k, n.replace('"', '\\"'), t.replace('"', '\\"')) for k, n, t in dims])
    for language in ("en", "zh_CN"):
        with Project.create(
            tmp_path / f"{language}.annotator", "p", language=language, rubric=toml
        ) as p:
            add_blind_items(p, 2, "m-base")
            path = tmp_path / f"{language}.xlsx"
            create_sheet(p.db, "bob", path)
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
            wb = openpyxl.load_workbook(path)
            headers = [c.value for c in wb["ratings"][1]]
            assert headers[4 : 4 + len(PAYLOADS)] == list(PAYLOADS)
            rubric_texts = {c.value for row in wb["rubric"].iter_rows() for c in row}
            assert {f"{t} level 3" for t in PAYLOADS} <= rubric_texts
            untouched = import_sheet(p.db, path)  # an untouched sheet imports cleanly
            assert untouched.new == 0 and not untouched.skipped
            _edit(
                path,
                lambda wb: [
                    wb["ratings"].cell(2, 5 + n, value=n % 5 + 1) for n in range(len(PAYLOADS))
                ],
            )
            assert import_sheet(p.db, path).new == len(PAYLOADS)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_sheet_filled_in_and_saved_by_libreoffice_imports(team_project, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", path)
    _edit(path, lambda wb: [wb["ratings"].__setitem__(c, v) for c, v in (("E2", 4), ("F3", "2"))])
    out = tmp_path / "lo"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    saved = out / "bob.xlsx"
    assert saved.exists() and saved.read_bytes() != path.read_bytes()
    report = import_sheet(team_project.db, saved)
    assert report.new == 2 and not report.skipped


def test_a_sheet_is_a_recorded_hand_out_and_reassigned_items_still_count(team_project, tmp_path):
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=1)
    path = tmp_path / "bob.xlsx"
    made = create_sheet(team_project.db, "bob", path)
    handout = TeamRepo(team_project.db.conn).handout(made.sheet_id)
    assert handout["kind"] == "sheet" and handout["rater"] == "bob"
    assert handout["n_items"] == made.items == 8

    def fill(wb):
        for r in range(2, 10):
            wb["ratings"].cell(r, 5).value = 3

    _edit(path, fill)
    assign(team_project.db, ["alice", "bob"], per_item=1, seed=99)  # the lead reshuffles
    report = import_sheet(team_project.db, path)
    assert report.new == 8  # handed out to bob (the seal says so): his work is kept
    moved = [n for n in report.notices if "no longer assigned to bob" in n]
    assert len(moved) == 1 and not report.skipped
