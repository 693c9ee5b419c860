"""Tables an attacker or a sloppy tool wrote: joined CSVs, lying or hostile workbooks.

The workbooks are written part by part with zipfile (hostile_xlsx.py beside this file).
Reads that used to hang run in a subprocess with a generous limit, so a regression fails instead
of blocking the run; nothing asserts how fast anything is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from annotator.core.domain.errors import InputError
from annotator.core.formats.items import read_items
from annotator.core.project import Project
from tests.core.formats.items.hostile_xlsx import cell, item_rows, row, write_xlsx

ROOT = Path(__file__).resolve().parents[4]
HEAD = "id,instruction,reference,generated"


def csv_bytes(*parts: str, encoding: str = "utf-8") -> bytes:
    return b"".join(p.encode(encoding) for p in parts)


# ---------------------------------------------------------------- two files joined
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "gb18030"])
@pytest.mark.parametrize("sep", [",", "\t"])
def test_bom_and_header_in_the_middle_is_refused_with_its_line(tmp_path, sep, encoding):
    head = HEAD.replace(",", sep)
    first = f'\ufeff{head}\r\ns1{sep}"two\r\nlines"{sep}r{sep}g\r\n'
    second = f"\ufeff{head}\r\ns2{sep}i{sep}r{sep}g\r\n"
    if encoding == "gb18030":  # GB18030 writes U+FEFF as 4 bytes; the first one opens the file
        first = first[1:]
    path = tmp_path / ("joined.tsv" if sep == "\t" else "joined.csv")
    path.write_bytes(csv_bytes(first, second, encoding=encoding))
    with pytest.raises(InputError) as info:
        read_items(path, model="m")
    [problem] = info.value.problems
    assert problem.file == str(path)
    assert problem.line == 4  # the quoted newline makes the record the 4th line
    assert "joined" in str(problem.message) or "appended" in str(problem.message)


@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_a_repeated_header_row_without_bom_is_refused(tmp_path, sep):
    head = HEAD.replace(",", sep)
    spaced = f" {head.replace(sep, sep + ' ')} "  # spaces around the names change nothing
    rows = [head, f"s1{sep}i{sep}r{sep}g", spaced, f"s2{sep}i{sep}r{sep}g"]
    path = tmp_path / "twice.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_items(path, model="m")
    assert [p.line for p in info.value.problems] == [3]


def test_a_header_word_as_an_id_alone_is_still_an_item(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(f"{HEAD}\nid,an instruction,r,g\n", encoding="utf-8")
    assert [d.sample_id for d in read_items(path, model="m").items] == ["id"]


def test_joined_file_leaves_the_project_unchanged(project, tmp_path):
    path = tmp_path / "joined.csv"
    path.write_bytes(csv_bytes(f"\ufeff{HEAD}\ns1,i,r,g\n", f"\ufeff{HEAD}\ns2,i,r,g\n"))
    before = project.info()["items"]
    with pytest.raises(InputError):
        project.import_file(path, model="new")
    assert project.info()["items"] == before
    assert "new" not in [m["name"] for m in project.info()["models"]]


def test_xlsx_row_equal_to_the_header_is_refused(tmp_path):
    path = tmp_path / "pasted.xlsx"
    rows = item_rows(2) + [
        row(4, zip("ABCD", ("id", "instruction", "reference", "generated"), strict=True))
    ]
    write_xlsx(path, rows + [row(5, zip("ABCD", ("s3", "i", "r", "g"), strict=True))])
    with pytest.raises(InputError) as info:
        read_items(path, model="m")
    assert [p.row for p in info.value.problems] == [4]


# ---------------------------------------------------------------- the dimension tag lies
@pytest.mark.parametrize("dimension", ["A1:D4", "A1:B2", "A1", "C3:D4"])
def test_a_wrong_dimension_tag_does_not_cut_the_sheet(tmp_path, project, dimension):
    path = write_xlsx(tmp_path / "liar.xlsx", item_rows(10), dimension=dimension)
    plan = read_items(path, model="m")
    assert [d.sample_id for d in plan.items] == [f"s{k}" for k in range(1, 11)]
    assert plan.records == 10
    assert any("read 10 data row(s)" in str(n) and "rows 2 to 11" in str(n) for n in plan.notices)
    report = project.import_file(path, model="m")
    assert report.models["m"].added == 10 and report.to_dict()["records"] == 10


# ---------------------------------------------------------------- work bounded by the data
def read_in_subprocess(path: Path, limit_s: float = 120) -> str:
    """read_items in a fresh process; a hang (the old behaviour) is a test failure."""
    code = (
        "import sys; from annotator.core.formats.items import read_items\n"
        "from annotator.core.domain.errors import InputError\n"
        "try:\n"
        "    plan = read_items(sys.argv[1], model='m')\n"
        "    print('items', len(plan.items), ','.join(plan.columns))\n"
        "except InputError as exc:\n"
        "    print('refused', exc)\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            timeout=limit_s,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {path.name} did not finish")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_stray_space_at_xfd1048576_is_ignored(tmp_path):
    stray = '<row r="1048576">' + cell("XFD1048576", " ") + "</row>"
    path = write_xlsx(tmp_path / "stray.xlsx", item_rows(10) + [stray], dimension="A1:XFD1048576")
    assert read_in_subprocess(path) == "items 10 id,instruction,reference,generated"


def test_a_stray_value_far_away_is_a_prompt_message_naming_its_row(tmp_path):
    stray = '<row r="1048576">' + cell("XFD1048576", "x") + "</row>"
    path = write_xlsx(tmp_path / "stray.xlsx", item_rows(3) + [stray], dimension="A1:XFD1048576")
    out = read_in_subprocess(path)
    assert out.startswith("refused") and "row 1048576" in out


def test_rows_reaching_column_xfd_are_read_cell_by_cell(tmp_path):
    """Each row has a value at A and at XFD: padding rows to their width was 16,384 cells each."""
    rows = [row(1, zip("ABCD", ("id", "instruction", "reference", "generated"), strict=True))]
    for k in range(2, 3002):
        rows.append(row(k, [("A", f"s{k}"), ("B", "i"), ("C", "r"), ("D", "g"), ("XFD", "x")]))
    path = write_xlsx(tmp_path / "wide.xlsx", rows, dimension=f"A1:XFD{3001}")
    assert read_in_subprocess(path) == "items 3000 id,instruction,reference,generated,column XFD"


def test_values_in_too_many_columns_are_refused(tmp_path):
    from openpyxl.utils import get_column_letter

    rows = item_rows(1)
    rows.append(row(3, [(get_column_letter(j), "x") for j in range(1, 1500)]))
    path = write_xlsx(tmp_path / "many.xlsx", rows)
    out = read_in_subprocess(path)
    assert out.startswith("refused") and "1499 columns" in out and "limit 1000" in out


def test_a_shared_string_bomb_is_refused_before_it_is_unpacked(tmp_path):
    """0.6 MB on disk, one shared string of 600 MB (it took 2.3 GB of memory)."""
    path = write_xlsx(
        tmp_path / "bomb.xlsx", item_rows(2), shared_parts=("A" * (1 << 20) for _ in range(600))
    )
    assert path.stat().st_size < 2 * 2**20
    out = read_in_subprocess(path)
    assert out.startswith("refused") and str(path) in out and "limit 512 MB" in out


def test_a_smaller_bomb_is_refused_by_its_ratio(tmp_path):
    path = write_xlsx(
        tmp_path / "bomb.xlsx", item_rows(2), shared_parts=("A" * (1 << 20) for _ in range(60))
    )
    out = read_in_subprocess(path)
    assert out.startswith("refused") and "xl/sharedStrings.xml" in out and "100 times" in out


def test_a_cell_longer_than_the_limit_is_refused_with_its_address(tmp_path):
    rows = item_rows(2) + ['<row r="4">' + cell("A4", "s3") + '<c r="C4" t="s"><v>0</v></c></row>']
    path = write_xlsx(tmp_path / "long.xlsx", rows, shared=["字" * 1_000_001])
    with pytest.raises(InputError) as info:
        read_items(path, model="m")
    assert info.value.problems[0].cell == "data!C4"
    assert "1000001 characters (limit 1000000)" in str(info.value)


def test_a_csv_cell_longer_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(f"{HEAD}\ns1,i,r,g\ns2,i,{'x' * 1_000_001},g\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_items(path, model="m")
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (3, "reference")


@pytest.mark.parametrize(
    "sheet",
    [
        "<sheetData><row r='1'><c r='A1' t='s'><v>7</v></c></row></sheetData>",  # no string 7
        "<sheetData><row r='1'><c r='A1'",  # cut off
        "<sheetData><row r='x'/></sheetData>",
    ],
)
def test_broken_sheet_xml_is_a_message(tmp_path, sheet):
    import zipfile

    path = write_xlsx(tmp_path / "broken.xlsx", item_rows(1))
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    head = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    parts["xl/worksheets/sheet1.xml"] = (head + sheet).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(InputError) as info:
        read_items(path, model="m")
    assert str(path) in str(info.value)


def test_excel_written_workbooks_still_read_the_same(tmp_path):
    """openpyxl-written workbooks read as before; a cell of spaces is blank now, like a
    stray space typed far away."""
    import datetime as dt

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["id", "instruction", "reference", "generated", "bleu", "when", "", "note"])
    ws.append(["s1", "指令", "参考", "输出", 0.5, dt.date(2024, 5, 1), None, "  "])
    ws.append([2, "i", "r", "g", 31, None, None, "kept"])
    ws["Z40"].number_format = "0.00"  # formatting far away, no value
    path = tmp_path / "excel.xlsx"
    book.save(path)
    plan = read_items(path, model="m")
    assert [d.sample_id for d in plan.items] == ["s1", "2"]
    assert plan.items[0].metadata == {"when": "2024-05-01T00:00:00", "note": ""}
    assert plan.items[1].metadata["note"] == "kept"
    assert [d.metrics for d in plan.items] == [{"bleu": 0.005}, {"bleu": 0.31}]


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "eval.annotator", "x")
    yield p
    p.close()


def test_a_workbook_of_more_files_than_the_limit_is_refused(tmp_path):
    """Items workbooks share the rating sheets' zip check (xlsx_safety.zip_excess)."""
    import zipfile

    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(10_001):
            archive.writestr(f"x/{n}.bin", b"")
    with pytest.raises(InputError) as info:
        read_items(path, model="m")
    words = str(info.value)
    assert str(path) in words and "holds 10001 files (limit 10000)" in words, words
