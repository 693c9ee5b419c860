"""ratings import with time columns: seconds / lead_time / 耗时 per item, rated_at per score."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.project import Project
from tests.factories import add_items


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "t.annotator", "times", language="en")
    add_items(p, 3)
    yield p
    p.close()


def _sql(path, query):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def _seconds(path) -> dict[tuple[str, str], float]:
    rows = _sql(
        path,
        "SELECT i.sample_id, r.name, a.seconds FROM annotations a JOIN items i ON "
        "i.id = a.item_id JOIN raters r ON r.id = a.rater_id",
    )
    return {(s, r): sec for s, r, sec in rows}


@pytest.mark.parametrize("header", ["seconds", "lead_time", "耗时"])
def test_seconds_per_item_under_each_name(project, tmp_path, header):
    path = tmp_path / "r.csv"
    path.write_text(
        f"item,rater,dimension,score,{header}\n"
        "s1,ann,fluency,4,12.5\n"
        "s1,ann,relevance,3,12.5\n"  # repeated on every dimension's row
        "s2,ann,fluency,2,\n"  # unknown
        "s3,ann,fluency,5,７\n",  # full width
        encoding="utf-8",
    )
    report = project.import_ratings(path)
    assert report.seconds == 2
    assert _seconds(project.path) == {("s1", "ann"): 12.5, ("s3", "ann"): 7.0}
    stamp = project.meta.get("modified_at")
    again = project.import_ratings(path)  # the same file: nothing changes
    assert (again.new, again.changed, again.seconds) == (0, 0, 0)
    assert project.meta.get("modified_at") == stamp


def test_rated_at_becomes_the_time_of_the_score(project, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "item,rater,dimension,score,rated_at\n"
        "s1,ann,fluency,4,2026-03-01T14:05:00+08:00\n"
        "s2,ann,fluency,3,2026-03-01 07:00:30\n"  # no zone: UTC
        "s3,ann,fluency,2,\n",
        encoding="utf-8",
    )
    project.import_ratings(path)
    rows = dict(
        _sql(
            project.path,
            "SELECT i.sample_id, r.updated_at FROM ratings r JOIN items i ON i.id = r.item_id",
        )
    )
    first = datetime(2026, 3, 1, 14, 5, tzinfo=timezone(timedelta(hours=8))).astimezone(UTC)
    assert rows["s1"] == first.strftime("%Y-%m-%dT%H:%M:%S.000Z") == "2026-03-01T06:05:00.000Z"
    assert rows["s2"] == "2026-03-01T07:00:30.000Z"
    assert rows["s3"] > "2026-06"  # no time given: now
    order = [s for (s,) in _sql(project.path, "SELECT i.sample_id FROM ratings r JOIN items i "
                                "ON i.id = r.item_id ORDER BY r.updated_at")]  # fmt: skip
    assert order == ["s1", "s2", "s3"]


def test_bad_times_are_named_and_nothing_is_written(project, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "item,rater,dimension,score,seconds,rated_at\n"
        "s1,ann,fluency,4,-3,\n"  # row 2
        "s2,ann,fluency,4,fast,\n"  # row 3
        "s3,ann,fluency,4,5,yesterday\n"  # row 4
        "s1,bob,fluency,4,5,\n"  # rows 5 and 6: two times for one item
        "s1,bob,relevance,4,9,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        project.import_ratings(path)
    found = {(p.row, p.column) for p in err.value.problems if p.row}
    assert found == {(2, "seconds"), (3, "seconds"), (4, "rated_at")}
    text = str(err.value)
    assert "fast" in text and "yesterday" in text
    assert "different times" in text and ("rows 5, 6" in text or "rows 5 and 6" in text), text
    assert _sql(project.path, "SELECT count(*) FROM ratings") == [(0,)]
    assert _seconds(project.path) == {}


def test_a_time_alone_changes_the_time(project, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("item,rater,dimension,score\ns1,ann,fluency,4\n", encoding="utf-8")
    project.import_ratings(path)
    path.write_text("item,rater,dimension,score,seconds\ns1,ann,fluency,4,30\n", encoding="utf-8")
    report = project.import_ratings(path)
    assert (report.unchanged, report.seconds) == (1, 1)
    assert _seconds(project.path) == {("s1", "ann"): 30.0}
