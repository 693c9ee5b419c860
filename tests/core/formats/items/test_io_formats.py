"""Every format and encoding, written as real files."""

from __future__ import annotations

import json

import pytest

from annotator.core.formats.items import read_items

HEADER = ["id", "instruction", "reference", "generated"]


def _check_triples(plan, triples, rows=(2, 3, 4)):
    assert [i.sample_id for i in plan.items] == ["s1", "s2", "s3"]
    assert [(i.instruction, i.reference, i.generated) for i in plan.items] == [
        t[1:] for t in triples
    ]
    assert [i.row for i in plan.items] == list(rows)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16-le"),  # Python writes the BOM in native (little-endian) order
        ("utf-16-be-bom", "utf-16-be"),
    ],
)
def test_csv_encodings(write, encoding, expected, csv_text, triples):
    text = csv_text(HEADER, triples)
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    plan = read_items(write("items.csv", data))
    assert plan.format == "csv"
    assert plan.encoding == expected
    _check_triples(plan, triples)


def test_csv_crlf_and_quoted_newlines_keep_cells_and_rows(write, csv_text, triples):
    text = csv_text(HEADER, triples)
    assert "\r\n" in text and '"Say ""hi"",\nthen stop"' in text
    plan = read_items(write("items.csv", text))
    _check_triples(plan, triples)
    assert plan.items[2].instruction == 'Say "hi",\nthen stop'


def test_blank_lines_are_skipped_but_rows_still_match_the_spreadsheet(write, csv_text, triples):
    text = "id,instruction,reference,generated\n\na,i,r,g\n,,,\nb,i2,r2,g2\n"
    plan = read_items(write("t.csv", text))
    assert [(i.sample_id, i.row) for i in plan.items] == [("a", 3), ("b", 5)]


@pytest.mark.parametrize("name", ["items.tsv", "items.txt", "items.csv"])
def test_tab_separated_under_any_name(write, name, csv_text, triples):
    plan = read_items(write(name, csv_text(HEADER, triples, delimiter="\t")))
    assert plan.format == "tsv" and plan.delimiter == "\t"
    _check_triples(plan, triples)


def test_semicolon_csv_is_sniffed(write, csv_text, triples):
    plan = read_items(write("items.csv", csv_text(HEADER, triples, delimiter=";")))
    assert plan.format == "csv" and plan.delimiter == ";"
    _check_triples(plan, triples)


def test_comma_csv_with_commas_and_tabs_inside_cells(write, csv_text, triples):
    rows = [("1", "a,b\tc", "x, y", "z\tw"), ("2", "i", "r", "g")]
    plan = read_items(write("items.csv", csv_text(HEADER, rows)))
    assert plan.delimiter == ","
    assert plan.items[0].instruction == "a,b\tc"


def test_xlsx_first_sheet_numbers_as_text(write_xlsx, csv_text, triples):
    path = write_xlsx(
        "items.xlsx",
        {
            "Sheet1": [
                HEADER + ["score", "bleu"],
                [101, "问", "答", "生成", 3.0, 0.25],
                [102, 2.5, "r", "g", 7, 0.5],
            ]
        },
    )
    plan = read_items(path)
    assert plan.format == "xlsx" and plan.encoding is None and plan.sheet == "Sheet1"
    assert [i.sample_id for i in plan.items] == ["101", "102"]
    assert plan.items[1].instruction == "2.5"
    assert plan.items[0].metadata == {"score": "3"}
    assert plan.items[0].metrics == {"bleu": 0.25}
    assert [i.row for i in plan.items] == [2, 3]


def test_xlsx_prefers_a_sheet_named_data(write_xlsx, csv_text, triples):
    path = write_xlsx(
        "book.xlsx",
        {
            "README": [["notes"], ["this sheet explains the file"]],
            "Data": [HEADER, ["a", "i", "r", "g"]],
        },
    )
    plan = read_items(path)
    assert plan.sheet == "Data" and plan.items[0].sample_id == "a"


def test_json_array(tmp_path, csv_text, triples):
    path = tmp_path / "items.json"
    records = [dict(zip(HEADER, t, strict=True)) for t in triples]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    plan = read_items(path)
    assert plan.format == "json"
    _check_triples(plan, triples, rows=(1, 2, 3))


def test_json_wrapped_in_data_key_and_numbers(tmp_path, csv_text, triples):
    path = tmp_path / "items.json"
    data = [
        {
            "id": 7,
            "instruction": "i",
            "reference": "r",
            "generated": "g",
            "score": 2.0,
            "tags": ["a", "中"],
        }
    ]
    path.write_text(json.dumps({"data": data}), encoding="utf-8")
    item = read_items(path).items[0]
    assert item.sample_id == "7"
    assert item.metadata == {"score": "2", "tags": '["a", "中"]'}


@pytest.mark.parametrize("name", ["items.jsonl", "items.json", "data.txt"])
def test_json_lines_under_any_name(write_jsonl, name, csv_text, triples):
    records = [dict(zip(HEADER, t, strict=True)) for t in triples]
    plan = read_items(write_jsonl(name, records))
    assert plan.format == "jsonl"
    _check_triples(plan, triples, rows=(1, 2, 3))


def test_jsonl_rows_are_line_numbers_with_blank_lines(write_jsonl, csv_text, triples):
    records = [{"instruction": "i", "reference": "r", "generated": "g"}, ""] * 2
    plan = read_items(write_jsonl("x.jsonl", records))
    assert [i.row for i in plan.items] == [1, 3]
    assert [i.sample_id for i in plan.items] == ["1", "2"]


def test_jsonl_crlf_and_bom(write, csv_text, triples):
    text = '{"instruction": "问", "reference": "答", "generated": "生"}\r\n' * 2
    plan = read_items(write("x.jsonl", text, encoding="utf-8-sig"))
    assert plan.encoding == "utf-8-sig" and len(plan.items) == 2
    assert plan.items[0].generated == "生"


def test_sha256_of_the_file_bytes(write, csv_text, triples):
    import hashlib

    data = csv_text(HEADER, triples).encode("gb18030")
    plan = read_items(write("x.csv", data))
    assert plan.file_sha256 == hashlib.sha256(data).hexdigest()


def test_excel_unicode_text_export_is_utf16_tab_separated(write, csv_text, triples):
    # Excel's "Unicode Text (*.txt)": UTF-16 LE with a BOM, tab separated, CRLF
    data = csv_text(HEADER, triples, delimiter="\t").encode("utf-16")
    plan = read_items(write("export.txt", data))
    assert (plan.format, plan.encoding) == ("tsv", "utf-16-le")
    _check_triples(plan, triples)


def test_jsonl_records_with_different_keys(write_jsonl):
    records = [
        {"instruction": "i", "reference": "r", "generated": "g"},
        {"instruction": "i2", "reference": "r2", "generated": "g2", "topic": "数学"},
    ]
    plan = read_items(write_jsonl("x.jsonl", records))
    assert [i.metadata for i in plan.items] == [{"topic": ""}, {"topic": "数学"}]


def test_progress_reaches_the_end(write, csv_text, triples):
    calls = []
    read_items(
        write("p.csv", csv_text(HEADER, triples)), progress=lambda d, t: calls.append((d, t))
    )
    assert calls[0] == (0, 100) and calls[-1] == (100, 100)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
