"""The Items, Ratings and Disagreements rows written as XML text (``rows_xml``) read back
exactly as the cells openpyxl itself writes for the same values.

The reference report is the same export with ``rows_xml.write_rows`` replaced by a loop
that hands every value to openpyxl as a cell (``cells.WrappedText``, ``layout.Numbers``,
``cells.safe_column``) through ``ws.append``: openpyxl's own serialiser. Both files are
read back with openpyxl (values, types, number formats, fonts, fills, alignments, merged
ranges, widths, heights, frozen panes, filters, conditional formats, print titles) and
must be identical.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from decimal import Decimal

import numpy as np
import pytest
from openpyxl import load_workbook

from annotator.core.formats.xlsx_report import agreement, rows_xml, tables
from annotator.core.formats.xlsx_report.cells import WrappedText, safe_column
from annotator.core.formats.xlsx_report.labels import Labels
from annotator.core.formats.xlsx_report.layout import Numbers
from annotator.core.formats.xlsx_report.scratch import Scratch, create_sheet
from annotator.core.project import Project

CHARS = "这款口红显白又平价学生党闭眼冲必入不挑皮贵妇级抗老面霜修护肌底焕发年轻光泽快递延迟退款"
AWKWARD = [
    '=HYPERLINK("http://x")',
    "+1 reference",
    "-generated",
    "@SUM(A1)",
    "#N/A",
    "ref\x07with bell",
    "  leading and trailing  ",
    "line\r\nbreaks\rand\nmore",
    "a & b < c > d \"q\" 'x'",
    "tab\there",
    "emoji 😀 and 中文",
    "",
    "#",
    "=",
    "\u2028separator\x85",
]


def openpyxl_rows(ws, columns, n, tick):
    """The reference: every value as an openpyxl cell, written by openpyxl."""
    cells = []
    for column in columns:
        if isinstance(column, rows_xml.Wrapped):
            wrap = WrappedText(ws)
            cells.append([wrap(v) for v in column.values])
        elif isinstance(column, rows_xml.Rounded):
            cells.append(Numbers(ws, column.kind).column(column.values))
        else:
            cells.append(safe_column(ws, column.values, repeated=column.repeated))
    for k, row in enumerate(zip(*cells, strict=True)):
        ws.append(row)
        if k % rows_xml.BLOCK == 0:
            tick(k)


def _font(cell):
    f = cell.font
    return (f.b, f.i, f.sz, f.color.rgb if f.color is not None else None, f.name)


def _fill(cell):
    f = cell.fill
    return (f.fill_type, f.fgColor.rgb if f.fgColor is not None else None)


def _alignment(cell):
    a = cell.alignment
    return (a.wrap_text, a.vertical, a.horizontal)


def sheet_facts(path) -> dict:
    """Everything a reader sees of each sheet, read back with openpyxl."""
    wb = load_workbook(path)
    facts = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = {
            c.coordinate: (
                c.value,
                c.data_type,
                c.number_format,
                _font(c),
                _fill(c),
                _alignment(c),
            )
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.has_style
        }
        facts[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "rules": sorted(
                (str(cf.sqref), [r.formula for r in cf.rules]) for cf in ws.conditional_formatting
            ),
            "print_titles": ws.print_title_rows,
            "orientation": ws.page_setup.orientation,
            "charts": len(ws._charts),
            "dimensions": (ws.max_row, ws.max_column),
        }
    return facts


def both_reports(project, tmp_path, monkeypatch):
    """(this module's report, the openpyxl-written reference), as read back."""
    ours = project.export(tmp_path / "ours.xlsx")
    with monkeypatch.context() as m:
        m.setattr(tables, "write_rows", openpyxl_rows)
        m.setattr(agreement, "write_rows", openpyxl_rows)
        reference = project.export(tmp_path / "reference.xlsx")
    return sheet_facts(ours), sheet_facts(reference)


def _assert_same(ours: dict, reference: dict) -> None:
    assert ours["sheets"] == reference["sheets"]
    for name in reference["sheets"]:
        for key, expected in reference[name].items():
            got = ours[name][key]
            if key == "cells":  # the first differing cell, not a 100,000-line diff
                diff = [k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k)]
                assert not diff, (name, sorted(diff)[:3], [expected.get(diff[0]), got.get(diff[0])])
            assert got == expected, (name, key)


@pytest.fixture
def awkward(tmp_path):
    """A zh project whose texts and comments are as awkward as text gets."""
    project = Project.create(tmp_path / "awkward.annotator", "awkward")
    f = tmp_path / "items.csv"
    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "instruction", "reference", "generated"])
        for k, text in enumerate(AWKWARD):
            w.writerow([f"=s{k}" if k % 3 == 0 else f"s{k}", text, CHARS[k:], text * 3])
        w.writerow(["long", "很长的输出" * 8000, "x", "y"])  # over Excel's cell limit
    project.import_file(f, model="=m1")
    ratings = tmp_path / "ratings.csv"
    lines = ["item,rater,dimension,score"]
    ids = [f"=s{k}" if k % 3 == 0 else f"s{k}" for k in range(len(AWKWARD))] + ["long"]
    for k, sample in enumerate(ids):
        for dim in ("relevance", "fluency", "style", "compliance"):
            lines += [f'"{sample}",@alice,{dim},{1 + k % 5}', f'"{sample}",bob,{dim},{5 - k % 3}']
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project.import_ratings(ratings)
    project.compute_metrics(workers=1)
    yield project
    project.close()


def test_awkward_texts_read_back_as_openpyxl_writes_them(awkward, tmp_path, monkeypatch):
    ours, reference = both_reports(awkward, tmp_path, monkeypatch)
    _assert_same(ours, reference)
    items = ours[Labels("zh_CN")("items")]["cells"]
    texts = {v[0] for v in items.values()}
    assert "  leading and trailing  " in texts  # the spaces kept
    assert "line\r\nbreaks\rand\nmore" in texts  # carriage returns kept
    assert '=HYPERLINK("http://x")' in texts  # a text, never a formula


def test_the_comparison_sees_a_changed_cell(awkward, tmp_path, monkeypatch):
    """The check above can fail: one changed value in the Ratings sheet is seen."""
    ours, reference = both_reports(awkward, tmp_path, monkeypatch)
    ratings = Labels("zh_CN")("ratings")
    cell = next(k for k, v in ours[ratings]["cells"].items() if v[1] == "n")
    value = ours[ratings]["cells"][cell]
    ours[ratings]["cells"][cell] = (value[0] + 1, *value[1:])
    with pytest.raises(AssertionError):
        _assert_same(ours, reference)


def test_demo_project_reads_back_the_same(tmp_path, monkeypatch):
    with Project.demo(tmp_path / "demo.annotator") as project:
        ours, reference = both_reports(project, tmp_path, monkeypatch)
    _assert_same(ours, reference)
    assert len(ours["sheets"]) >= 7


@pytest.mark.slow
def test_two_thousand_items_read_back_the_same(tmp_path, monkeypatch):
    from annotator.core.domain.models import ItemDraft
    from annotator.core.storage import RatersRepo, RatingsRepo, RubricRepo
    from annotator.core.usecases.importing import MemoryPlan, import_plan

    rng = random.Random(3)

    def text(a, b):
        return "".join(rng.choice(CHARS + " ,.") for _ in range(rng.randint(a, b)))

    project = Project.create(tmp_path / "big.annotator", "big")
    for model in ("base", "lora"):
        drafts = [
            ItemDraft(f"s{k}", text(10, 300), text(10, 60), text(10, 200), k + 1, model)
            for k in range(1000)
        ]
        import_plan(project.db, MemoryPlan(tmp_path / f"{model}.csv", drafts, f"sha-{model}"))
    dims = list(RubricRepo(project.db.conn).ids().values())
    with project.db.transaction():
        raters = [RatersRepo(project.db.conn).id_for(r, create=True) for r in "abc"]
        rows = [
            (item, rater, dim, rng.randint(1, 5), "bench")
            for item in range(1, 2001)
            for rater in raters
            for dim in dims
            if rng.random() > 0.02  # a few missing scores: incomplete items
        ]
        RatingsRepo(project.db.conn).upsert_many(rows)
    project.compute_metrics(workers=1)
    ours, reference = both_reports(project, tmp_path, monkeypatch)
    project.close()
    _assert_same(ours, reference)
    ratings = Labels("zh_CN")("ratings")
    assert ours[ratings]["dimensions"][0] == 1 + len(rows)


@pytest.mark.parametrize(
    "value",
    [
        0,
        -7,
        2**53 + 1,
        0.1 + 0.2,
        1e-20,
        -1.5e300,
        True,
        False,
        float("inf"),
        np.int64(42),
        np.float64(2.5),
        Decimal("1.25"),
        dt.datetime(2026, 12, 3, 15, 4, 5),
        dt.date(2026, 1, 2),
        *AWKWARD,
    ],
)
def test_one_value_reads_back_as_openpyxl_writes_it(value, tmp_path):
    """A single value in each kind of column against openpyxl's cell for it."""
    from openpyxl import Workbook

    scratch = Scratch(tmp_path)
    wb = Workbook(write_only=True)
    ours, ref = create_sheet(wb, "ours", scratch), create_sheet(wb, "ref", scratch)
    for ws, write in ((ours, rows_xml.write_rows), (ref, openpyxl_rows)):
        ws.append(["header"])
        finite = isinstance(value, int | float) and math.isfinite(value)
        columns = [
            rows_xml.Wrapped(ws, [value]),
            rows_xml.Plain(ws, [value]),
            rows_xml.Plain(ws, [value, value], repeated=True),
            rows_xml.Rounded(ws, [value if finite else None], "metric"),
            rows_xml.Rounded(ws, [value if finite else None], "count"),
        ]
        columns[2].values = columns[2].values[:1]
        write(ws, columns, 1, lambda k: None)
        ws.append(["after"])  # openpyxl's rows after ours keep counting
    wb.save(tmp_path / "one.xlsx")
    scratch.discard()
    back = load_workbook(tmp_path / "one.xlsx")

    def read(ws):
        return [[(c.value, c.data_type, c.number_format, _alignment(c)) for c in r] for r in ws]

    got, want = read(back["ours"]), read(back["ref"])
    assert got == want
    assert got[2][0][0] == "after"
