"""Any text survives the trip through a file: written by the csv/json/openpyxl writers."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.formats.items import read_items

# Text a rater might see: Chinese, ASCII punctuation that matters to CSV, newlines, emoji.
_ALPHABET = st.sampled_from(list("ab 中文，。\"',;\t|\n\r\\{}[]:") + ["😀", "é", "\u3000"])
_TEXT = st.text(_ALPHABET, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
_RECORDS = st.lists(st.tuples(_TEXT, _TEXT, _TEXT), min_size=1, max_size=5)
_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(
    records=_RECORDS,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    delimiter=st.sampled_from([",", "\t", ";"]),
)
def test_csv_roundtrip(tmp_path, records, encoding, delimiter):
    if encoding == "gb18030":
        records = [tuple(t.replace("😀", "") or "x" for t in r) for r in records]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow(["instruction", "reference", "generated"])
    writer.writerows(records)
    path = tmp_path / "r.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    plan = read_items(path)
    assert [(i.instruction, i.reference, i.generated) for i in plan.items] == records


@_SETTINGS
@given(records=_RECORDS)
def test_jsonl_roundtrip(tmp_path, records):
    path = tmp_path / "r.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                dict(zip(("instruction", "reference", "generated"), r, strict=True)),
                ensure_ascii=False,
            )
            for r in records
        ),
        encoding="utf-8",
    )
    plan = read_items(path)
    assert [(i.instruction, i.reference, i.generated) for i in plan.items] == records


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=_RECORDS)
def test_xlsx_roundtrip(tmp_path, records):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["instruction", "reference", "generated"])
    for record in records:
        book.active.append(list(record))
    path = tmp_path / "r.xlsx"
    book.save(path)
    plan = read_items(path)
    assert [(i.instruction, i.reference, i.generated) for i in plan.items] == records
