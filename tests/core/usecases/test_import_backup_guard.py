"""A failed import leaves no backup behind (issue 12, part 5: backups rotate out good ones).

Each failed attempt used to leave a new ``.bak`` (a copy of a file it never changed), and
five of them pushed out every backup made before a real change. The disk really fills up
here (a small tmpfs, as root): the backup fits, the import's own writes do not.
"""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import ProjectFileError
from annotator.core.project import Project
from annotator.core.storage import backup_paths
from tests.core.storage._machine import fill, small_disk
from tests.factories import add_items

N = 120  # items per model; the ratings file below scores all of them, with long comments


def _ratings_csv(path, rater: str, comment: str = "") -> None:
    rows = [f"base/s{k},{rater},relevance,{1 + k % 5},{comment}{k}" for k in range(1, N + 1)]
    path.write_text("item_id,rater,dimension,score,comment\n" + "\n".join(rows) + "\n")


def _items_csv(path, text: str) -> None:
    rows = [f"s{k},{text} {k},ref {k},out {k}" for k in range(1, N + 1)]
    path.write_text("id,instruction,reference,generated\n" + "\n".join(rows) + "\n")


def _state(project: Project) -> tuple:
    conn = project.db.conn
    return (
        conn.execute("SELECT item_id, rater_id, dimension_id, score FROM ratings").fetchall(),
        conn.execute("SELECT id, instruction FROM items ORDER BY id").fetchall(),
    )


def _project_on_a_small_disk(disk, tmp_path):
    path = disk / "eval.annotator"
    with Project.create(path, "eval", language="en") as p:
        add_items(p, N, "base")
        p.db.backup("before-merge")  # a good backup made before a real change
        first = tmp_path / "first.csv"
        _ratings_csv(first, "alice")
        p.import_ratings(first)  # scores to lose: the next import backs up first
    return path


@pytest.mark.parametrize("what", ["ratings", "items --update"])
def test_an_import_that_fails_on_a_full_disk_leaves_no_new_backup(tmp_path, what):
    big = tmp_path / "big.csv"
    if what == "ratings":
        _ratings_csv(big, "bob", comment="长评论" * 400)
    else:
        _items_csv(big, "改写后的长指令" * 300)
    with small_disk(tmp_path, "6m") as disk:
        path = _project_on_a_small_disk(disk, tmp_path)
        with Project.open(path) as p:
            before = [b.name for b in backup_paths(path)]
            state = _state(p)
            size = path.stat().st_size
            # room for one more backup, not for the import's own writes
            filler = fill(disk, leave=size + 96 * 1024)
            try:
                with pytest.raises(ProjectFileError, match="full"):
                    if what == "ratings":
                        p.import_ratings(big)
                    else:
                        p.import_file(big, model="base", update=True)
                assert [b.name for b in backup_paths(path)] == before
                assert not list(disk.glob("*.part"))
                assert _state(p) == state
            finally:
                filler.unlink()
            # with room again the same import works, and keeps its backup
            if what == "ratings":
                report = p.import_ratings(big)
            else:
                report = p.import_file(big, model="base", update=True)
            assert report.backup and len(backup_paths(path)) == len(before) + 1


def test_an_import_that_changes_nothing_still_writes_no_backup(tmp_path):
    with Project.create(tmp_path / "eval.annotator", "eval", language="en") as p:
        add_items(p, 5, "base")
        ratings = tmp_path / "r.csv"
        rows = [f"base/s{k},alice,relevance,{k}," for k in range(1, 6)]
        ratings.write_text("item_id,rater,dimension,score,comment\n" + "\n".join(rows) + "\n")
        p.import_ratings(ratings)
        p.import_ratings(ratings)
        before = backup_paths(p.path)
        for _ in range(7):
            assert p.import_ratings(ratings).backup is None
        assert backup_paths(p.path) == before
