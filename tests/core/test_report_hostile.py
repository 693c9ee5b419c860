"""The Excel report with hostile names: it always opens, and every row equals the database.

Written the way the audit broke it: a model named ``+sft`` and raters ``@alice`` and ``bob``
made a report openpyxl could not read (a cell typed as a number holding ``s1``) whose Ratings
rows had the wrong (model, sample, rater). Here every text field holds payloads a
spreadsheet would run or mangle, and the sheets are compared row by row with the project's
tables read independently with sqlite3.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from annotator.core.project import Project
from tests.core import hostile_project as hp

SHEETS = {
    "en": ["Summary", "Raters", "Items", "Ratings", "Agreement", "Disagreements", "Charts"],
    "zh_CN": ["总览", "评分人", "条目", "评分明细", "一致性", "分歧", "图表"],
}
NAME_COLUMN = {"en": "name_en", "zh_CN": "name_zh"}


def realistic(folder: Path) -> Project:
    """The audit's plain project: models +sft and base, raters @alice and bob, 160 scores."""
    project = Project.create(folder / "eval.annotator", "plain", language="en")
    for model in ("+sft", "base"):
        path = folder / f"{model}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "instruction", "reference", "generated"])
            for k in range(1, 11):
                writer.writerow([f"s{k}", f"写一句文案 {k}", f"参考 {k}", f"{model} 输出 {k}"])
        project.import_file(path, model=model)
    for r, rater in enumerate(("@alice", "bob")):
        session = project.session(rater)
        for index in range(len(session)):
            item_id = session.item(index).id
            for d, key in enumerate(("relevance", "fluency", "style", "compliance")):
                session.set_score(item_id, key, 1 + (item_id + r * 2 + d) % 5)
    return project


def open_strictly(path: Path, *, read_only: bool):
    """openpyxl with every warning an error (what "opens without a repair" means here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load_workbook(path, read_only=read_only)


def rows_of(wb, sheet: str) -> list[tuple]:
    return [tuple(row) for row in wb[sheet].iter_rows(values_only=True)]


def ratings_parts(rows: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """The Ratings sheet's score rows and its adjudicated rows (after a blank row)."""
    body = rows[1:]
    blank = next((k for k, r in enumerate(body) if all(v is None for v in r)), len(body))
    scores = [tuple(r[:8]) for r in body[:blank]]
    adjudicated = [tuple(r[:6]) for r in body[blank + 3 :]]  # title row and header row
    return scores, adjudicated


def check_items(rows: list[tuple], path: Path, name_column: str) -> None:
    head = list(rows[0])
    items = {uid: (uid, *rest) for uid, *rest in hp.database_items(path).values()}
    ratings = hp.database_ratings(path, name_column)
    comments = hp.database_comments(path)
    score_column = {h: k for k, h in enumerate(head) if isinstance(h, str) and ": " in h}
    body = rows[1:]
    assert sorted(r[0] for r in body) == sorted(items)  # every item once
    by_uid = {r[0]: r for r in body}
    for uid, expected in items.items():
        assert by_uid[uid][:6] == expected, f"Items row of {uid}"
        assert (by_uid[uid][-1] or "") == comments.get(uid, ""), f"comments of {uid}"
    for uid, _model, _sample, rater, dim_name, score, _time, _origin in ratings:
        column = score_column[f"{rater}: {dim_name}"]
        assert by_uid[uid][column] == score, f"{rater}: {dim_name} of {uid}"


def check_ratings(rows: list[tuple], path: Path, name_column: str) -> None:
    scores, adjudicated = ratings_parts(rows)
    assert Counter(scores) == Counter(hp.database_ratings(path, name_column))
    assert Counter(adjudicated) == Counter(hp.database_adjudications(path, name_column))


def check_no_formula(report: Path) -> None:
    """No cell anywhere is a formula or an error; no external (DDE) link part exists."""
    with zipfile.ZipFile(report) as archive:
        names = archive.namelist()
        assert not [n for n in names if "externalLink" in n or "connections" in n]
        for name in names:
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<f[ >]", xml), f"a formula in {name}"
                assert 't="e"' not in xml, f"an error cell in {name}"
                assert not re.search(r"<(ddeLink|hyperlinks?)[ >]", xml), name
    wb = load_workbook(report)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), f"{ws.title}!{cell.coordinate}"


def test_the_audits_project_opens_and_its_rows_are_right(tmp_path):
    project = realistic(tmp_path)
    report = project.export(tmp_path / "report.xlsx")
    path = project.path
    project.close()
    for read_only in (False, True):
        wb = open_strictly(report, read_only=read_only)
        check_ratings(rows_of(wb, "Ratings"), path, "name_en")
        check_items(rows_of(wb, "Items"), path, "name_en")
        wb.close()
    assert len(hp.database_ratings(path)) == 160


@pytest.fixture(params=["en", "zh_CN"])
def hostile(request, tmp_path):
    project = hp.build(tmp_path, language=request.param)
    report = project.export(tmp_path / "report.xlsx")
    path = project.path
    project.close()
    return request.param, path, report


def test_hostile_report_opens_normally_and_read_only(hostile):
    language, _path, report = hostile
    for read_only in (False, True):
        wb = open_strictly(report, read_only=read_only)
        assert wb.sheetnames == SHEETS[language]
        for ws in wb.worksheets:
            list(ws.iter_rows(values_only=True))  # every cell parses
        wb.close()


def test_hostile_items_and_ratings_rows_equal_the_database(hostile):
    language, path, report = hostile
    name_column = NAME_COLUMN[language]
    for read_only in (False, True):
        wb = open_strictly(report, read_only=read_only)
        _, _, items, ratings, *_ = SHEETS[language]
        check_ratings(rows_of(wb, ratings), path, name_column)
        check_items(rows_of(wb, items), path, name_column)
        wb.close()


def test_hostile_report_has_no_formula_error_or_link(hostile):
    check_no_formula(hostile[2])


def test_hostile_names_are_shown_as_they_are(hostile):
    """Summary, Agreement and Disagreements show the names exactly (not cut, not run)."""
    language, path, report = hostile
    wb = open_strictly(report, read_only=False)
    summary, _, _, _, agreement, disagreements, charts = SHEETS[language]
    texts = {v for row in rows_of(wb, summary) for v in row if isinstance(v, str)}
    assert any(t.endswith(hp.PROJECT_NAME) for t in texts)  # the title holds the name
    assert set(hp.MODELS) <= texts
    assert ", ".join(hp.database_names(path, "raters")) in texts
    agreement_texts = {v for row in rows_of(wb, agreement) for v in row if isinstance(v, str)}
    assert set(hp.RATERS) <= agreement_texts
    names = {d[1] if language == "en" else d[2] for d in hp.DIMENSIONS}
    assert names <= agreement_texts
    items = {uid: (model, sample) for uid, model, sample, *_ in hp.database_items(path).values()}
    disputed = rows_of(wb, disagreements)[1:]
    assert disputed, "the payload scores disagree somewhere"
    for row in disputed:
        assert (row[1], row[2]) == items[row[0]]
    chart_texts = {v for row in rows_of(wb, charts) for v in row if isinstance(v, str)}
    assert set(hp.MODELS) <= chart_texts


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(report: Path, out: Path, target: str) -> None:
    """LibreOffice headless, with its own profile (several may run at once)."""
    profile = (out / "profile").as_uri()
    command = [_soffice(), "--headless", f"-env:UserInstallation={profile}"]
    result = subprocess.run(
        [*command, "--convert-to", target, "--outdir", str(out), str(report)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(out)},
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_hostile_report_as_text(hostile, tmp_path):
    """LibreOffice converts the report to PDF, and its own reading of the Ratings sheet
    (exported as CSV) equals the database: nothing was run as a formula or shifted."""
    language, path, report = hostile
    out = tmp_path / "lo"
    out.mkdir()
    _convert(report, out, "pdf")
    pdf = out / "report.pdf"
    assert pdf.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")
    # 44 = comma, 34 = quote, 76 = UTF-8, 1 = from line 1; the last token -1 = every sheet
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    _convert(report, out, f"csv:Text - txt - csv (StarCalc):{options}")
    ratings_sheet = SHEETS[language][3]
    with (out / f"report-{ratings_sheet}.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    expected = hp.database_ratings(path, NAME_COLUMN[language])
    seen = [tuple(r[:8]) for r in rows[1 : 1 + len(expected)]]
    assert Counter(seen) == Counter(tuple(str(v) for v in r) for r in expected)
