"""Untrusted xlsx files: not a zip, zip bombs, XML entity expansion."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from annotator.core.domain.errors import InputError
from annotator.core.formats.xlsx_safety import check_xlsx, load_workbook_safely
from annotator.core.usecases.team import create_sheet, import_sheet
from tests.core.usecases.team.conftest import project_state

ENTITIES = "".join(f' <!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">\n' for i in range(1, 10))
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 "lol">\n' + ENTITIES + "]>\n"
)


def _with_payload(src_path, out_path, member: str, encoding: str = "utf-8") -> None:
    """Copy an xlsx, putting a billion-laughs DTD and a reference to it into ``member``."""
    with (
        zipfile.ZipFile(src_path) as src,
        zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for name in src.namelist():
            data = src.read(name)
            if name == member:
                text = data.decode()
                if text.startswith("<?xml"):
                    text = text.split("?>", 1)[1]
                end = text.index(">")
                if text[end - 1] == "/":
                    end = text.index(">", end + 1)
                text = BILLION_LAUGHS + text[: end + 1] + "&lol9;" + text[end + 1 :]
                if encoding != "utf-8":
                    text = text.replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
                data = text.encode(encoding)
            out.writestr(name, data)


@pytest.fixture
def sheet(team_project, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(team_project.db, "bob", path)
    return path


@pytest.mark.parametrize(
    "member",
    [
        "xl/worksheets/sheet1.xml",
        "xl/workbook.xml",
        "xl/styles.xml",
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
    ],
)
def test_entity_expansion_in_any_member_is_refused_before_parsing(
    sheet, tmp_path, member, team_project
):
    bad = tmp_path / "lol.xlsx"
    _with_payload(sheet, bad, member)
    before = project_state(team_project)
    with pytest.raises(InputError, match="declares XML entities"):
        import_sheet(team_project.db, bad)
    assert project_state(team_project) == before


def test_entity_declarations_in_utf16_are_refused_too(sheet, tmp_path):
    bad = tmp_path / "lol16.xlsx"
    _with_payload(sheet, bad, "xl/worksheets/sheet1.xml", encoding="utf-16")
    with pytest.raises(InputError, match="declares XML entities"):
        check_xlsx(bad)


def test_openpyxl_itself_refuses_entities_through_defusedxml(sheet, tmp_path):
    """The second line of defence, should the scan ever miss: the payload is not expanded."""
    from defusedxml import DefusedXmlException

    assert openpyxl.DEFUSEDXML is True
    bad = tmp_path / "lol.xlsx"
    _with_payload(sheet, bad, "xl/worksheets/sheet1.xml")
    with pytest.raises(Exception) as err:  # openpyxl wraps the parser's exception
        openpyxl.load_workbook(bad)
    chain, exc = [], err.value
    while exc is not None:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert any(isinstance(e, DefusedXmlException) for e in chain)


def _zip_with(path, members: dict[str, int]) -> None:
    """A zip whose members are runs of zeros of the given sizes (they compress ~1000x)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=True) as fh:
                block = b"\0" * (1 << 20)
                for start in range(0, size, len(block)):
                    fh.write(block[: min(len(block), size - start)])


def test_a_member_with_a_huge_compression_ratio_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    _zip_with(bomb, {"[Content_Types].xml": 100, "xl/worksheets/sheet1.xml": 12 << 20})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError, match=r'"xl/worksheets/sheet1.xml" expands \d+ times'):
        load_workbook_safely(bomb)


def test_a_file_expanding_past_200_mb_is_refused(tmp_path):
    bomb = tmp_path / "big.xlsx"
    _zip_with(bomb, {"a.bin": 201 << 20})
    with pytest.raises(InputError, match="would expand to 201 MB"):
        check_xlsx(bomb)
    small = tmp_path / "small.xlsx"
    _zip_with(small, {"a.bin": 3 << 20, "b.bin": 3 << 20})
    check_xlsx(small, max_total=7 << 20)  # under the limit: passes
    with pytest.raises(InputError, match="would expand to 6 MB"):
        check_xlsx(small, max_total=5 << 20)


def test_files_that_are_not_xlsx_are_refused(tmp_path, team_project):
    text = tmp_path / "scores.xlsx"
    text.write_text("id,score\n1,5\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an Excel .xlsx file"):
        import_sheet(team_project.db, text)
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(InputError, match="not a rating sheet made by annotator"):
        import_sheet(team_project.db, plain)
    with pytest.raises(InputError, match="does not exist"):
        import_sheet(team_project.db, tmp_path / "missing.xlsx")


def test_a_sheet_of_more_files_than_the_limit_is_refused(tmp_path):
    """The one zip check (xlsx_safety.zip_excess) counts members for sheets too."""
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(10_001):
            archive.writestr(f"x/{n}.bin", b"")
    with pytest.raises(InputError, match="holds 10001 files") as info:
        check_xlsx(many)
    assert str(many) in str(info.value)
