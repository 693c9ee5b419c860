"""Excel rating sheets: layout for a laptop, cell-by-cell validation, safe idempotent import."""

from __future__ import annotations

import openpyxl
import pytest

from annotator.core.domain.errors import InputError
from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.importing import MemoryPlan, content_hash, import_plan
from annotator.core.usecases.team import assign, create_sheet, import_sheet
from annotator.core.usecases.team.seal import blind_id, project_secret
from tests.core.usecases.team.conftest import MODELS, add_blind_items, project_state, scores_by_uid

DIMS = ("relevance", "fluency", "style", "compliance")


def uid_of(project: Project) -> dict[str, str]:
    """blind id (as in the sheet's id column) -> item uid, computed with the lead's secret."""
    secret = project_secret(project.db)
    return {blind_id(secret, uid): uid for uid in TeamRepo(project.db.conn).uid_index()}


@pytest.fixture
def sheet(team_project, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", path)
    return path


def test_layout_drop_downs_protection_and_hidden_meta(team_project, sheet):
    wb = openpyxl.load_workbook(sheet)
    assert wb.sheetnames == ["ratings", "rubric", "meta"]
    ws = wb["ratings"]
    rubric = team_project.rubric
    assert [c.value for c in ws[1]] == [
        "编号",
        "指令",
        "参考答案",
        "模型输出",
        *(d.name_zh for d in rubric.dimensions),
        "备注",
    ]
    assert ws.max_row == 17  # 16 items
    uids = [uid_of(team_project)[ws[f"A{r}"].value] for r in range(2, 18)]
    assert uids == [team_project.session("bob").item(n).uid for n in range(16)]  # app order
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"1,2,3,4,5"' and dv.showErrorMessage
    assert dv.error and str(dv.sqref) == "E2:H17"
    assert ws.protection.sheet and not ws.protection.password
    assert ws["B5"].protection.locked and ws["A5"].protection.locked
    assert not ws["E5"].protection.locked and not ws["I5"].protection.locked
    assert ws["D5"].alignment.wrap_text and ws.freeze_panes == "B2"
    assert ws.column_dimensions["D"].width >= 40 and ws.row_dimensions[5].height >= 30
    rs = wb["rubric"]
    assert rs["A2"].value == rubric.dimensions[0].name_zh
    assert [rs.cell(2, c).value for c in range(3, 8)] == list(rubric.dimensions[0].anchors_zh)
    meta = wb["meta"]
    assert meta.sheet_state == "veryHidden"
    values = {r[0]: r[1] for r in meta.iter_rows(values_only=True) if r[0] != "item"}
    assert values["project_uuid"] == team_project.uuid and values["rater"] == "bob"
    hashes = {r[1]: r[2] for r in meta.iter_rows(values_only=True) if r[0] == "item"}
    for r in range(2, 18):  # recomputed from the texts the rater sees
        texts = (ws[f"B{r}"].value, ws[f"C{r}"].value, ws[f"D{r}"].value)
        assert hashes[ws[f"A{r}"].value] == content_hash(*texts)
    data = sheet.read_bytes()
    assert not any(m.encode() in data for m in MODELS)


def test_english_project_headers(tmp_path):
    with Project.create(tmp_path / "en.annotator", "en", language="en") as p:
        add_blind_items(p, 2, MODELS[0])
        create_sheet(p.db, "amy", tmp_path / "amy.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "amy.xlsx")["ratings"]
    assert [c.value for c in ws[1]][:5] == [
        "id",
        "instruction",
        "reference",
        "generated",
        "Relevance",
    ]
    assert ws.cell(1, ws.max_column).value == "comment"


def test_scores_typed_as_text_are_accepted_and_a_second_import_changes_nothing(team_project, sheet):
    wb = openpyxl.load_workbook(sheet)
    ws = wb["ratings"]
    ws["E2"], ws["F2"], ws["G2"], ws["H2"] = 5, "４", "4.0", " 3 "
    ws["E3"], ws["I3"] = 1.0, "太长了"
    wb.save(sheet)
    report = import_sheet(team_project.db, sheet)
    u2, u3 = (uid_of(team_project)[ws[c].value] for c in ("A2", "A3"))
    expected = {
        (u2, "relevance"): 5,
        (u2, "fluency"): 4,
        (u2, "style"): 4,
        (u2, "compliance"): 3,
        (u3, "relevance"): 1,
    }
    assert scores_by_uid(team_project, "bob") == expected
    assert (report.new, report.comments_new) == (5, 1) and report.backup
    before = project_state(team_project)
    again = import_sheet(team_project.db, sheet)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 5) and not again.wrote
    assert project_state(team_project) == before
    ws["E2"] = 2  # the rater changes one score and sends the sheet again
    wb.save(sheet)
    third = import_sheet(team_project.db, sheet)
    assert (third.new, third.changed, third.unchanged) == (0, 1, 4)
    assert scores_by_uid(team_project, "bob")[(u2, "relevance")] == 2


def test_bad_cells_are_all_reported_by_cell_and_nothing_is_imported(team_project, sheet):
    wb = openpyxl.load_workbook(sheet)
    ws = wb["ratings"]
    ws["E2"] = 4  # valid
    ws["E17"] = 6
    ws["F3"] = "good"
    ws["G4"] = 2.5
    ws["A9"] = "s9"
    ws["D5"] = ws["D5"].value + " (edited)"
    wb.save(sheet)
    before = project_state(team_project)
    with pytest.raises(InputError) as err:
        import_sheet(team_project.db, sheet)
    lines = str(err.value).splitlines()
    assert 'ratings!E17: "6" is not a score from 1 to 5' in lines
    assert 'ratings!F3: "good" is not a score from 1 to 5' in lines
    assert 'ratings!G4: "2.5" is not a score from 1 to 5' in lines
    assert 'ratings!A9: item "s9" is not in this project' in lines
    assert any(line.startswith("ratings!D5: the text of item") for line in lines)
    assert len(err.value.problems) == 5
    assert project_state(team_project) == before

    report = import_sheet(team_project.db, sheet, skip_invalid=True)
    assert report.new == 1 and len(report.skipped) == 5
    assert scores_by_uid(team_project, "bob") == {
        (uid_of(team_project)[ws["A2"].value], "relevance"): 4
    }


def test_refuses_a_sheet_of_another_project_or_an_unassigned_rater(team_project, tmp_path):
    with Project.create(tmp_path / "other.annotator", "other") as other:
        add_blind_items(other, 8, MODELS[0])
        create_sheet(other.db, "bob", tmp_path / "other.xlsx")
    before = project_state(team_project)
    with pytest.raises(InputError, match="belongs to another project"):
        import_sheet(team_project.db, tmp_path / "other.xlsx")
    assign(team_project.db, ["alice", "bob"], per_item=1)
    create_sheet(team_project.db, "bob", tmp_path / "bob.xlsx")
    assign(team_project.db, ["alice", "carol"], per_item=1)
    before = project_state(team_project)
    with pytest.raises(InputError, match='rater "bob" is not assigned'):
        import_sheet(team_project.db, tmp_path / "bob.xlsx")
    assert project_state(team_project) == before


def test_refuses_a_sheet_whose_items_were_reimported_with_new_texts(team_project, sheet):
    wb = openpyxl.load_workbook(sheet)
    wb["ratings"]["E2"] = 3
    wb.save(sheet)
    add_blind_items(team_project, 8, MODELS[0], suffix=" v2")
    with pytest.raises(InputError, match="re-imported with new texts") as err:
        import_sheet(team_project.db, sheet)
    assert len(err.value.problems) == 8


def test_formula_like_and_control_character_texts_survive_the_round_trip(tmp_path):
    with Project.create(tmp_path / "odd.annotator", "odd") as p:
        drafts = [
            ItemDraft("a", "=SUM(A1:A3) 求和", "ref\x01ctl", "-1+2", row=2, model="m"),
            ItemDraft("b", "第一行\r\n第二行", "@ref", "x" * 40_000, row=3, model="m"),
        ]
        import_plan(p.db, MemoryPlan(tmp_path / "odd.jsonl", drafts, "sha-odd"))
        create_sheet(p.db, "amy", tmp_path / "amy.xlsx")
        wb = openpyxl.load_workbook(tmp_path / "amy.xlsx")
        ws = wb["ratings"]
        assert ws["B2"].data_type == "s" or ws["B3"].data_type == "s"
        assert "=SUM(A1:A3) 求和" in (ws["B2"].value, ws["B3"].value)
        ws["E2"], ws["E3"] = 5, 4
        wb.save(tmp_path / "amy.xlsx")
        report = import_sheet(p.db, tmp_path / "amy.xlsx")
        assert report.new == 2
