"""Side-by-side comparisons on an Excel rating sheet: the drop-down filled in with openpyxl
as a rater would, imported, checked cell by cell, converted to model order.

Expectations come from the lead's file by SQL and the texts each row shows.
"""

from __future__ import annotations

import openpyxl
import pytest

from annotator.core.domain.errors import InputError
from annotator.core.domain.side_by_side import Choice, level_labels
from annotator.core.usecases.team import assign, create_sheet, import_sheet
from tests.core.usecases.team.test_sbs_handout import (
    RATERS,
    assigned_left,
    comparisons_by_texts,
    expected_outcome,
    lead_state,
    make_lead,
    text_model,
)

SHEET = "side_by_side"
SIDE_OF = {0: "left", 1: "tie", 2: "right", 3: "both_bad"}  # drop-down position -> side


@pytest.fixture
def lead(tmp_path):
    project = make_lead(tmp_path / "lead.annotator")
    assign(project.db, RATERS, per_item=2, seed=5)
    yield project
    project.close()


def drop_down(ws) -> list[str]:
    """The words of the judgment cells' list validation, as Excel offers them."""
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and str(dv.sqref).startswith("E2")
    return dv.formula1.strip('"').split(",")


def fill(path, pick=lambda n: n % 4) -> dict[tuple[str, str], str]:
    """Choose from the drop-down in every row; (left text, right text) -> side chosen."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    words = drop_down(ws)
    chosen = {}
    for n, row in enumerate(range(2, ws.max_row + 1)):
        ws[f"E{row}"] = words[pick(n)]
        chosen[(ws[f"C{row}"].value, ws[f"D{row}"].value)] = SIDE_OF[pick(n)]
    ws["F2"] = "左边太长"
    wb.save(path)
    return chosen


def test_the_sheet_round_trip_stores_judgments_by_model_order(lead, tmp_path):
    path = tmp_path / "bob.xlsx"
    report = create_sheet(lead.db, "bob", path)
    lefts = assigned_left(lead, "bob")
    assert report.comparisons == len(lefts) > 0
    chosen = fill(path)
    merged = import_sheet(lead.db, path)
    assert merged.judgments_new == len(chosen) and merged.pair_comments_new == 1
    models, by_texts = text_model(lead), comparisons_by_texts(lead)
    frame = lead.side_by_side.judgments()
    mine = frame[frame.rater == "bob"].set_index("comparison_id")
    assert len(mine) == len(chosen)
    for (left, right), side in chosen.items():
        cid, model_a, _ = by_texts[frozenset((left, right))]
        assert lefts[cid] == left  # the sheet shows the assigned side on the left
        assert mine.loc[cid].outcome == expected_outcome(side, models[left], models[right], model_a)
        assert mine.loc[cid].left == models[left]
    before = lead_state(lead)
    again = import_sheet(lead.db, path)
    assert not again.wrote and again.judgments_unchanged == len(chosen)
    assert lead_state(lead) == before


def test_rows_follow_the_raters_order_and_texts_are_locked(lead, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(lead.db, "bob", path)
    scoring = lead.session("bob")
    order = [
        lead.side_by_side.session(scoring).pair(n) for n in range(len(assigned_left(lead, "bob")))
    ]
    scoring.close()
    ws = openpyxl.load_workbook(path)[SHEET]
    rows = [(ws[f"C{r}"].value, ws[f"D{r}"].value) for r in range(2, ws.max_row + 1)]
    assert rows == [(p.left, p.right) for p in order]  # the order the app would show
    assert ws.protection.sheet
    assert all(ws[f"{c}2"].protection.locked for c in "ABCD")
    assert not ws["E2"].protection.locked and not ws["F2"].protection.locked


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["A better", "About the same", "B better", "Both unacceptable"]),
        ("zh_CN", [m.text("zh_CN") for _, m in level_labels(3)]),
    ],
)
def test_the_drop_down_speaks_the_projects_language(tmp_path, language, expected):
    project = make_lead(tmp_path / "lead.annotator", language)
    assign(project.db, RATERS, per_item=2, seed=5)
    path = tmp_path / "bob.xlsx"
    create_sheet(project.db, "bob", path)
    words = drop_down(openpyxl.load_workbook(path)[SHEET])
    assert words == expected
    if language == "zh_CN":
        assert "更好" in words[0] and "更好" in words[2]
    project.close()


def test_a_word_not_in_the_list_is_refused_by_sheet_row_and_column(lead, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(lead.db, "bob", path)
    fill(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    ws["E3"] = "A much much better"
    ws["E4"] = 1
    ws["E5"] = "=E2"
    wb.save(path)
    before = lead_state(lead)
    with pytest.raises(InputError) as err:
        import_sheet(lead.db, path)
    text = str(err.value)
    for cell, value in (("E3", "A much much better"), ("E4", "1"), ("E5", "=E2")):
        assert f'{SHEET}!{cell}: "{value}" is not one of the choices' in text
    assert lead_state(lead) == before
    skipped = import_sheet(lead.db, path, skip_invalid=True)
    assert len(skipped.skipped) == 3 and skipped.judgments_new == ws.max_row - 1 - 3


def test_words_are_read_whatever_the_spaces_case_and_width(lead, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(lead.db, "bob", path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    first = drop_down(ws)[0]  # the left answer is better
    ws["E2"] = "  " + first.replace(" ", "").upper().replace("A", "Ａ") + " "
    wb.save(path)
    assert import_sheet(lead.db, path).judgments_new == 1
    frame = lead.side_by_side.judgments()
    row = frame[frame.rater == "bob"].iloc[0]
    assert row.outcome == ("a" if row.left == row.model_a else "b")


def test_changed_texts_and_foreign_rows_are_refused(lead, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(lead.db, "bob", path)
    other = tmp_path / "alice.xlsx"
    create_sheet(lead.db, "alice", other)
    fill(path)
    theirs = openpyxl.load_workbook(other)[SHEET]
    bob_ids = {c.value for c in openpyxl.load_workbook(path)[SHEET]["A"][1:] if c.value is not None}
    foreign = next(r for r in range(2, theirs.max_row + 1) if theirs[f"A{r}"].value not in bob_ids)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    ws["C2"] = "我改了这个回答"
    last = ws.max_row + 1
    for col in "ABCD":
        ws[f"{col}{last}"] = theirs[f"{col}{foreign}"].value
    ws[f"E{last}"] = drop_down(ws)[0]
    wb.save(path)
    with pytest.raises(InputError) as err:
        import_sheet(lead.db, path)
    text = str(err.value)
    assert f"{SHEET}!C2: the text of comparison" in text
    assert f"{SHEET}!A{last}: comparison" in text and "was not handed out to bob" in text


def test_a_meta_row_turned_round_breaks_the_seal(lead, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(lead.db, "bob", path)
    fill(path)
    wb = openpyxl.load_workbook(path)
    ms = wb["meta"]
    row = next(r for r in ms.iter_rows() if r[0].value == "pair")
    row[2].value, row[3].value = row[3].value, row[2].value
    wb.save(path)
    before = lead_state(lead)
    with pytest.raises(InputError, match="was edited"):
        import_sheet(lead.db, path)
    assert lead_state(lead) == before


def test_earlier_judgments_are_filled_in_on_the_sheets_sides(lead, tmp_path):
    scoring = lead.session("carol")
    pairs = lead.side_by_side.session(scoring)
    given = {}
    for n in range(5):
        pair = pairs.pair(n)
        side = ["left", "right", "tie", "both_bad", "left"][n]
        pairs.judge(pair.comparison_id, Choice(side))
        given[(pair.left, pair.right)] = side
    scoring.close()
    path = tmp_path / "carol.xlsx"
    assert create_sheet(lead.db, "carol", path).prefilled_judgments == 5
    ws = openpyxl.load_workbook(path)[SHEET]
    words = dict(zip(drop_down(ws), SIDE_OF.values(), strict=True))
    shown = {
        (ws[f"C{r}"].value, ws[f"D{r}"].value): words[ws[f"E{r}"].value]
        for r in range(2, ws.max_row + 1)
        if ws[f"E{r}"].value
    }
    assert shown == given
    assert not import_sheet(lead.db, path).wrote


def test_five_levels_and_dimensions_on_the_sheet(lead, tmp_path):
    lead.side_by_side.configure(scale=5, dimensions=True)
    path = tmp_path / "bob.xlsx"
    create_sheet(lead.db, "bob", path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    header = [c.value for c in ws[1]]
    assert header[4] == "总体" or header[4] == "overall"
    assert len(header) == 4 + 1 + 4 + 1  # texts, overall, four dimensions, comment
    words = drop_down(ws)
    assert len(words) == 6 and str(ws.data_validations.dataValidation[0].sqref).endswith(
        f"I{ws.max_row}"
    )
    ws["E2"], ws["G2"] = words[0], words[3]  # much better on the left; right better, fluency
    wb.save(path)
    import_sheet(lead.db, path)
    frame = lead.side_by_side.judgments()
    got = frame[frame.rater == "bob"]
    left_is_a = got.iloc[0].left == got.iloc[0].model_a
    found = {r.dimension: (r.outcome, r.strength) for r in got.itertuples()}
    fluency = lead.db.conn.execute("SELECT key FROM dimensions ORDER BY position").fetchall()[1][0]
    assert found == {
        "": ("a" if left_is_a else "b", 2.0),
        fluency: ("b" if left_is_a else "a", 1.0),
    }
