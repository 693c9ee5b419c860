"""Gold items and the calibration round in assign, packages and sheets (issue 18).

Gold items go to every rater (or a seeded share each) with their whole sample group; a
calibration round gives every rater the same items first. In a rater's package or sheet a
gold item is indistinguishable from the others: the same hand-out made with and without
gold differs in nothing but its id, seal and times, and no byte says "gold".
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from collections import Counter

import openpyxl
import pytest

from annotator.core.domain.errors import AnnotatorError
from annotator.core.project import Project

RATERS = ["ann", "ben", "cat"]


def _sql(path, query, params=()):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def _work(project: Project) -> dict[str, set[tuple[str, str]]]:
    """rater -> {(model, sample)} assigned, read with plain SQL."""
    found: dict[str, set[tuple[str, str]]] = {}
    for rater, model, sample in _sql(
        project.path,
        "SELECT r.name, m.name, i.sample_id FROM assignments a JOIN raters r ON r.id = a.rater_id "
        "JOIN items i ON i.id = a.item_id JOIN models m ON m.id = i.model_id",
    ):
        found.setdefault(rater, set()).add((model, sample))
    return found


def _gold(project: Project, tmp_path, *samples: str) -> None:
    path = tmp_path / "gold.csv"
    rows = "".join(f"{s},qwen-secret-base,fluency,4\n" for s in samples)
    path.write_text("sample,model,dimension,expected\n" + rows, encoding="utf-8")
    project.gold.import_file(path)


def test_gold_goes_to_every_rater_with_its_sample_group(team_project, tmp_path):
    _gold(team_project, tmp_path, "q1", "q5")
    report = team_project.assign(RATERS, per_item=1, seed=3)
    work = _work(team_project)
    gold = {(m, s) for m in ("qwen-secret-base", "qwen-secret-lora") for s in ("q1", "q5")}
    assert report.gold_items == 4
    for rater in RATERS:
        assert gold <= work[rater]  # both models' answers of a gold sample, to everyone
    rest = Counter(key for rater in RATERS for key in work[rater] - gold)
    assert len(rest) == 12 and set(rest.values()) == {1}  # the others once each
    assert sum(report.load.values()) == 3 * 4 + 12


def test_a_share_of_the_gold_a_count_and_none(team_project, tmp_path):
    _gold(team_project, tmp_path, "q1", "q2", "q3", "q4")
    report = team_project.assign(RATERS, per_item=1, seed=1, gold="1")
    work = _work(team_project)
    gold_samples = {"q1", "q2", "q3", "q4"}
    for rater in RATERS:
        assert len({s for _, s in work[rater]} & gold_samples) >= 1  # one gold sample each
    # dealt round a shuffle: three raters hold three different gold samples, and the fourth,
    # which nobody drew, is handed out like any item: every gold sample has its rater
    assert report.gold_items == 3 * 2
    held = Counter(s for rater in RATERS for _, s in work[rater] if s in gold_samples)
    assert set(held) == gold_samples and sum(held.values()) == 4 * 2
    team_project.assign(RATERS, per_item=1, seed=1, gold=0.5)
    work = _work(team_project)
    assert [len({s for _, s in work[r]} & gold_samples) for r in RATERS] == [2, 2, 2]
    team_project.assign(RATERS, per_item=1, seed=1, gold=0)  # gold as ordinary items
    once = Counter(key for keys in _work(team_project).values() for key in keys)
    assert set(once.values()) == {1} and len(once) == 16
    with pytest.raises(AnnotatorError, match="--gold"):
        team_project.assign(RATERS, gold="most")


def test_calibration_gives_every_rater_the_same_items_first(team_project):
    report = team_project.assign(RATERS, per_item=1, seed=7, calibration=4)
    assert report.calibration_items == 4
    rows = _sql(
        team_project.path,
        "SELECT r.name, a.item_id FROM assignment_rounds a JOIN raters r ON r.id = a.rater_id "
        "WHERE a.round = 'calibration'",
    )
    by_rater: dict[str, set[int]] = {}
    for rater, item in rows:
        by_rater.setdefault(rater, set()).add(item)
    assert sorted(by_rater) == sorted(RATERS)
    (calibration,) = {frozenset(v) for v in by_rater.values()}  # the same for everyone
    assert len(calibration) == 4
    samples = {
        s
        for (s,) in _sql(
            team_project.path,
            f"SELECT sample_id FROM items WHERE id IN ({','.join(map(str, calibration))})",
        )
    }
    assert len(samples) == 2  # whole sample groups: both models' answers
    assigned = Counter(i for (i,) in _sql(team_project.path, "SELECT item_id FROM assignments"))
    assert all(assigned[i] == 3 for i in calibration)
    assert all(n == 1 for i, n in assigned.items() if i not in calibration)
    again = team_project.assign(RATERS, per_item=1, seed=7, calibration=4)
    assert again.load == report.load
    rows_again = _sql(team_project.path, "SELECT item_id FROM assignment_rounds")
    assert {i for (i,) in rows_again} == set(calibration)  # seeded: the same items
    team_project.assign(RATERS, per_item=1, seed=7)  # a main round only: the marks go
    assert _sql(team_project.path, "SELECT count(*) FROM assignment_rounds") == [(0,)]


def _package_ids(path) -> set[str]:
    return {u for (u,) in _sql(path, "SELECT uid FROM items")}


def test_packages_and_sheets_of_one_round(team_project, tmp_path):
    team_project.assign(RATERS, per_item=1, seed=7, calibration=4)
    calib = team_project.create_package("ben", tmp_path / "c.annotator", round_name="calibration")
    main = team_project.create_package("ben", tmp_path / "m.annotator", round_name="main")
    whole = team_project.create_package("ben", tmp_path / "w.annotator")
    assert calib.items == 4 and main.items + 4 == whole.items
    first, rest = _package_ids(tmp_path / "c.annotator"), _package_ids(tmp_path / "m.annotator")
    assert not first & rest and first | rest == _package_ids(tmp_path / "w.annotator")
    sheet = team_project.create_sheet("ben", tmp_path / "c.xlsx", round_name="calibration")
    assert sheet.items == 4
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx").worksheets[0]
    assert {ws.cell(row=r, column=1).value for r in range(2, 6)} == first  # the same blind ids
    team_project.assign(RATERS, per_item=1, seed=7)  # no calibration round any more
    with pytest.raises(AnnotatorError, match="calibration round"):
        team_project.create_package("ben", tmp_path / "x.annotator", round_name="calibration")


# -- blindness: a package or sheet with gold items against the same one without ------------
_VOLATILE_META = ("package_id", "package_created_at", "package_seal", "created_at", "modified_at")


def _package_dump(path) -> tuple[list, dict]:
    """The schema and every table's rows, without the hand-out's id, seal and times."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        tables = {}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
            keep = [c for c in cols if c not in ("created_at", "updated_at", "at")]
            rows = conn.execute(f"SELECT {', '.join(keep)} FROM {name}").fetchall()
            if name == "project":
                rows = [r for r in rows if r[0] not in _VOLATILE_META]
            tables[name] = sorted(rows, key=repr)
        return schema, tables
    finally:
        conn.close()


def test_a_package_does_not_tell_gold_items_from_others(team_project, tmp_path):
    team_project.assign(RATERS, per_item=1, seed=2)
    session = team_project.session("ben")
    session.set_score(session.order[0], "fluency", 3)  # her own work travels too
    session.save_pending()
    mine = _sql(
        team_project.path,
        "SELECT i.sample_id FROM assignments a JOIN items i ON "
        "i.id = a.item_id JOIN raters r ON r.id = a.rater_id WHERE r.name = 'ben'",
    )
    samples = sorted({s for (s,) in mine})[:2]  # two of ben's samples become gold
    _gold(team_project, tmp_path, *samples)
    assert team_project.gold.items()
    with_gold = team_project.create_package("ben", tmp_path / "gold.annotator")
    team_project.gold.clear()
    plain = team_project.create_package("ben", tmp_path / "plain.annotator")
    assert with_gold.items == plain.items
    assert _package_dump(tmp_path / "gold.annotator") == _package_dump(tmp_path / "plain.annotator")
    schema, tables = _package_dump(tmp_path / "gold.annotator")
    assert tables["gold"] == [] and tables["assignment_rounds"] == []
    values = repr(list(tables.values())).lower()  # every row of every table
    assert "gold" not in values and "calibration" not in values
    # in the bytes: "gold" only as often as in a package of a project without gold (the
    # schema's empty table), whatever page a deleted or rewritten value could hide on
    with_bytes = (tmp_path / "gold.annotator").read_bytes()
    plain_bytes = (tmp_path / "plain.annotator").read_bytes()
    assert with_bytes.count(b"gold") == plain_bytes.count(b"gold")
    assert len(with_bytes) == len(plain_bytes)


def _sheet_parts(path) -> dict[str, bytes]:
    """Every part of the xlsx, with its id, seal and times replaced by placeholders."""
    wb = openpyxl.load_workbook(path)
    ms = wb.worksheets[-1]
    volatile = {
        row[0].value: row[1].value
        for row in ms.iter_rows(max_col=2)
        if row[0].value in ("sheet_id", "created_at", "seal")
    }
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for key, value in volatile.items():
        for name in parts:
            parts[name] = parts[name].replace(str(value).encode(), f"<{key}>".encode())
    times = rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>"
    parts["docProps/core.xml"] = re.sub(times, b"", parts["docProps/core.xml"])
    return parts


def test_a_sheet_does_not_tell_gold_items_from_others(team_project, tmp_path):
    team_project.assign(RATERS, per_item=1, seed=4)
    _gold(team_project, tmp_path, "q2", "q3")
    team_project.assign(RATERS, per_item=1, seed=4)  # the gold now in everyone's work
    team_project.create_sheet("cat", tmp_path / "gold.xlsx")
    items = set(team_project.gold.items())
    team_project.gold.clear()
    team_project.create_sheet("cat", tmp_path / "plain.xlsx")  # the same items, none gold
    gold, plain = _sheet_parts(tmp_path / "gold.xlsx"), _sheet_parts(tmp_path / "plain.xlsx")
    assert items and gold.keys() == plain.keys()
    assert {n for n in gold if gold[n] != plain[n]} == set()
    assert not any(b"gold" in data.lower() for data in gold.values())
