"""Every error names the file, the row or line, the column, and what was expected."""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.formats.items import DuplicateIdError, read_items

HEADER = ["id", "instruction", "reference", "generated"]


def _error(path, **kwargs) -> InputError:
    with pytest.raises(InputError) as err:
        read_items(path, **kwargs)
    return err.value


def test_missing_required_column_names_found_and_known_names(write, csv_text):
    path = write("x.csv", csv_text(["id", "question", "result"], [("1", "q", "g")]))
    err = _error(path)
    message = str(err)
    assert str(path) in message
    assert 'no column for the "reference" text' in message
    assert 'no column for the "generated" text' in message
    assert '"id", "question", "result"' in message  # what was found
    assert "ground_truth" not in message and "groundtruth" in message  # names it would know
    assert "column mapping" in message and "--map" not in message  # the CLI adds its flag
    assert len(err.problems) == 2
    assert [p.role for p in err.problems] == ["reference", "generated"]  # the data to fix it


def test_missing_column_in_xlsx_names_the_sheet(write_xlsx):
    path = write_xlsx("x.xlsx", {"items": [["instruction", "generated"], ["i", "g"]]})
    assert 'on sheet "items"' in str(_error(path))


def test_unparseable_json_line_17(write_jsonl):
    lines = [{"instruction": "i", "reference": "r", "generated": "g"}] * 16
    lines += ['{"instruction": "i", "reference": "r" "generated": "g"}', '["not", "an object"]']
    err = _error(write_jsonl("x.jsonl", lines))
    assert [(p.line, p.row) for p in err.problems] == [(17, None), (18, None)]
    message = str(err)
    assert "line 17: not valid JSON: Expecting ',' delimiter (column 39)" in message
    assert "line 18: expected a JSON object {...}, found an array" in message


def test_bad_json_array_names_the_line(write):
    err = _error(write("x.json", '[\n  {"a": 1},\n  {"a": 2,}\n]'))
    assert "line 3" in str(err) and "not valid JSON" in str(err)


def test_json_array_with_a_non_object(write):
    err = _error(write("x.json", '[{"instruction": "i"}, 5]'))
    assert "record 2 of the array: expected an object" in str(err)


def test_duplicate_ids_named_with_rows_and_listed(write, csv_text):
    rows = [(f"s{k}", "i", "r", f"g{k}") for k in range(1, 9)]
    rows.insert(7, ("s4", "i", "r", "again"))  # s4 at rows 5 and 9
    rows.append(("s12", "i", "r", "x"))
    path = write("d.csv", csv_text(HEADER, rows))
    with pytest.raises(DuplicateIdError) as err:
        read_items(path)
    assert 'column "id": duplicate id "s4" (rows 5 and 9)' in str(err.value)
    assert err.value.duplicates == [("s4", [5, 9])]
    plan = read_items(path, skip_duplicates=True)
    assert plan.duplicates == [("s4", [5, 9])]
    assert [i.generated for i in plan.items if i.sample_id == "s4"] == ["g4"]
    assert len(plan.items) == 9
    assert any("skipped" in str(n) for n in plan.notices)


def test_duplicate_ids_in_jsonl_are_lines(write_jsonl):
    rec = {"id": "a", "instruction": "i", "reference": "r", "generated": "g"}
    err = _error(write_jsonl("d.jsonl", [rec, rec, rec]))
    assert 'duplicate id "a" (lines 1, 2 and 3)' in str(err)


def test_same_id_for_two_models_is_not_a_duplicate(write, csv_text):
    rows = [("s1", "base", "i", "r", "g"), ("s1", "lora", "i", "r", "g")]
    plan = read_items(write("m.csv", csv_text(["id", "model", *HEADER[1:]], rows)))
    assert plan.duplicates == [] and len(plan.items) == 2


def test_non_numeric_metric_names_row_and_column(write, csv_text):
    rows = [("1", "i", "r", "g", "0.3"), ("2", "i", "r", "g", "n/a"), ("3", "i", "r", "g", "高")]
    err = _error(write("m.csv", csv_text([*HEADER, "rouge-l"], rows)))
    assert str(err).endswith(
        'row 4, column "rouge-l": expected a number for the metric "rouge-l", found "高"'
    )
    assert len(err.problems) == 1  # "n/a" is a missing value, not an error


def test_non_numeric_metric_in_xlsx_names_the_cell(write_xlsx):
    path = write_xlsx("m.xlsx", {"Sheet": [[*HEADER, "bleu"], ["1", "i", "r", "g", "good"]]})
    assert "Sheet!E2: expected a number" in str(_error(path))


def test_metric_out_of_range(write, csv_text):
    err = _error(write("m.csv", csv_text([*HEADER, "f1"], [("1", "i", "r", "g", "150")])))
    assert 'row 2, column "f1": the metric "f1" must lie between 0 and 1' in str(err)


def test_empty_id_is_an_error(write, csv_text):
    err = _error(write("m.csv", csv_text(HEADER, [("a", "i", "r", "g"), (" ", "i", "r", "g")])))
    assert 'row 3, column "id": the sample id is empty' in str(err)


def test_every_problem_is_listed_at_once(write, csv_text):
    rows = [("a", "i", "r", "g", "x"), ("a", "i", "r", "g", "y")]
    err = _error(write("m.csv", csv_text([*HEADER, "bleu"], rows)))
    assert not isinstance(err, DuplicateIdError)
    assert len(err.problems) == 3


@pytest.mark.parametrize("content", [b"", b"  \r\n\n", "\ufeff".encode()])
def test_empty_file(write, content):
    assert "the file is empty" in str(_error(write("e.csv", content)))


def test_header_only(write):
    err = _error(write("h.csv", "instruction,reference,generated\r\n"))
    assert "header row but no data rows" in str(err)


def test_header_only_xlsx(write_xlsx):
    err = _error(write_xlsx("h.xlsx", {"Sheet": [["instruction", "reference", "generated"]]}))
    assert "header row but no data rows" in str(err)


def test_xlsx_that_is_not_a_zip(write, csv_text):
    err = _error(write("fake.xlsx", csv_text(HEADER, [("1", "i", "r", "g")])))
    assert "expected an Excel .xlsx workbook" in str(err) and "fake.xlsx" in str(err)


def test_old_xls_is_named(write):
    err = _error(write("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512))
    assert ".xls" in str(err) and "save it as .xlsx" in str(err)


def test_unreadable_encoding(write):
    # Latin-1 bytes that are neither UTF-8 nor GB18030 (0x80 alone is invalid in both)
    err = _error(write("l.csv", b"instruction,reference,generated\nd\xe9j\xe0 vu,\x80,x\n"))
    assert "cannot read the text" in str(err) and "line 2" in str(err)


def test_ragged_row_names_the_row(write):
    text = "instruction,reference,generated\ni,r,g\ni,r,g,extra\n"
    assert "row 3: expected 3 fields like the header, found 4" in str(_error(write("r.csv", text)))


def test_missing_file(tmp_path):
    assert "file not found" in str(_error(tmp_path / "nope.csv"))


def test_empty_texts_are_allowed_and_counted(write, csv_text):
    rows = [("1", "", "r", ""), ("2", "i", "", ""), ("3", "i", "r", "g")]
    plan = read_items(write("e.csv", csv_text(HEADER, rows)))
    notes = {str(n): n for n in plan.notices}
    assert "2 item(s) have an empty generated text" in notes
    assert notes["2 item(s) have an empty generated text"].examples == ["1", "2"]
    assert "1 item(s) have an empty instruction text" in notes
    assert "1 item(s) have an empty reference text" in notes


def test_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "expected an Excel .xlsx workbook but it cannot be opened" in str(_error(path))


def test_password_protected_xlsx_is_named(write):
    err = _error(write("secret.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512))
    assert "password-protected" in str(err)


def test_mapping_one_column_to_two_roles(write, csv_text):
    path = write("m.csv", csv_text(HEADER, [("1", "i", "r", "g")]))
    err = _error(path, mapping={"reference": "generated", "generated": "generated"})
    assert 'column "generated": the mapping gives column "generated" to more than one role' in str(
        err
    )
