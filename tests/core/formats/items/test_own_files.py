"""Our own files and other binaries are no items (issue 14, points 5 and 9).

A rating sheet, a rater package, a project and the Excel report are refused with an
``OwnFileError`` carrying the kind (nothing written); the command line names the command
that takes the file. A PDF, a PNG or a Word file gets a message about the file type,
not advice to re-save it as UTF-8. Real files, the facade and real processes.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.formats.items import OwnFileError
from annotator.core.project import Project
from tests.cli.test_cli_facade import _cli


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "eval.annotator"
    csv = tmp_path / "base.csv"
    csv.write_text(
        "id,instruction,reference,generated\n"
        + "".join(f"s{i},写一句文案{i},参考{i},输出{i}\n" for i in range(1, 6)),
        encoding="utf-8",
    )
    with Project.create(path, "own files", language="en") as p:
        p.import_file(csv, model="base")
        p.assign(["wang", "li"])
    return path


def _items(path) -> int:
    with Project.open(path) as p:
        return p.info()["items"]


def _own_files(project_file, tmp_path) -> dict[str, object]:
    with Project.open(project_file) as p:
        p.create_sheet("wang", tmp_path / "wang.xlsx")
        p.create_package("li", tmp_path / "li.annotator")
        p.export(tmp_path / "report.xlsx")
    other = tmp_path / "other.annotator"
    Project.create(other, "another project", language="en").close()
    return {
        "rating_sheet": tmp_path / "wang.xlsx",
        "package": tmp_path / "li.annotator",
        "report": tmp_path / "report.xlsx",
        "project": other,
    }


def test_own_files_are_refused_with_their_kind_and_nothing_is_written(project_file, tmp_path):
    files = _own_files(project_file, tmp_path)
    for kind, path in files.items():
        with Project.open(project_file) as p:
            with pytest.raises(OwnFileError) as err:
                p.import_file(path, model="base")
            with pytest.raises(OwnFileError):
                p.preview_import(path)  # the wizard's first look refuses it too
        assert err.value.kind == kind
        assert "not a file of new items" in str(err.value) and str(path) in str(err.value)
        assert "--" not in str(err.value)  # the core names no command line flag
    assert _items(project_file) == 5
    # A workbook that merely has a sheet called "meta" is still read as items.
    plain = tmp_path / "plain.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["id", "instruction", "reference", "generated"])
    wb.active.append(["x1", "q", "r", "g"])
    wb.create_sheet("meta")
    wb.save(plain)
    with Project.open(project_file) as p:
        report = p.import_file(plain, model="other")
    assert report.models["other"].added == 1


def test_the_command_line_names_the_command_that_takes_the_file(project_file, tmp_path):
    files = _own_files(project_file, tmp_path)
    expected = {
        "rating_sheet": (
            f"(command line: annotator sheet import {project_file} {files['rating_sheet']})"
        ),
        "package": f"(command line: annotator package merge {project_file} {files['package']})",
        "project": f"(command line: annotator open {files['project']})",
        "report": "its items are in the project it was exported from",
    }
    for kind, path in files.items():
        done = _cli("import", str(project_file), str(path), "--model", "base", cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert expected[kind] in done.stderr, (kind, done.stderr)
    assert _items(project_file) == 5
    # And the command it names does take the sheet.
    done = _cli("sheet", "import", str(project_file), str(files["rating_sheet"]), cwd=tmp_path)
    assert "Traceback" not in done.stderr


def _pdf() -> bytes:
    """A minimal valid PDF (one empty page), offsets computed for the xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _docx(path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>",
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>id,instruction</w:t></w:r>'
            "</w:p></w:body></w:document>",
        )


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("outputs.pdf", "a PDF document"),
        ("outputs.csv", "a PDF document"),  # the content decides, not the name
        ("chart.png", "a PNG image"),
        ("notes.docx", "a Word document"),
        ("bundle.zip", "a zip archive"),
    ],
)
def test_a_binary_file_gets_a_message_about_its_type(project_file, tmp_path, name, what):
    path = tmp_path / name
    if name.endswith((".pdf", ".csv")):
        path.write_bytes(_pdf())
    elif name.endswith(".png"):
        path.write_bytes(_png())
    elif name.endswith(".docx"):
        _docx(path)
    else:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("a.txt", "id,instruction\n")
    with Project.open(project_file) as p, pytest.raises(InputError) as err:
        p.import_file(path, model="base")
    text = str(err.value)
    assert f"this is {what}, not a table of items" in text
    assert "CSV, TSV, XLSX, JSON and JSONL" in text and str(path) in text
    assert "UTF-8" not in text and "re-save" not in text
    assert not isinstance(err.value, OwnFileError)
    if name == "outputs.pdf":
        done = _cli("import", str(project_file), str(path), "--model", "base", cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "this is a PDF document" in done.stderr and "UTF-8" not in done.stderr
    assert _items(project_file) == 5


def test_text_that_starts_like_a_magic_number_is_still_read(project_file, tmp_path):
    # "BM..." and "MZ..." begin a bitmap and a Windows program, and also words.
    path = tmp_path / "bm.csv"
    path.write_text("BMW,instruction,reference,generated\nx,q,r,g\n", encoding="utf-8")
    with Project.open(project_file) as p:
        report = p.import_file(path, model="bm")
    assert report.models["bm"].added == 1
