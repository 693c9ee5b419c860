"""Schema 7: the gold table and the calibration round, and a schema-6 file migrating to them."""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import ProjectFileError
from annotator.core.project import Project
from annotator.core.storage import SCHEMA_VERSION, RatersRepo, RubricRepo, backup_paths
from annotator.core.storage.gold import GoldRepo, RoundsRepo
from annotator.core.storage.team_repo import TeamRepo
from tests.core.storage.test_schema_shape import write_old_file
from tests.factories import add_items


def test_a_schema_6_project_opens_and_gains_the_gold_and_round_tables(tmp_path):
    path = tmp_path / "v6.annotator"
    write_old_file(path, version=6)
    with Project.open(path) as project:
        conn = project.db.conn
        assert SCHEMA_VERSION == 7
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
        assert conn.execute("SELECT score FROM ratings").fetchone()[0] == 4  # data kept
        repo = GoldRepo(conn)
        assert repo.frame().empty and repo.items() == []
    (backup,) = backup_paths(path)
    assert "before-migration-v6-to-v7" in backup.name


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "g.annotator", "gold")
    add_items(p, 4)
    yield p
    p.close()


def _dims(project):
    return RubricRepo(project.db.conn).ids()


def test_upsert_frame_items_and_delete(project):
    repo = GoldRepo(project.db.conn)
    d = _dims(project)
    with project.db.transaction():
        n = repo.upsert([(2, d["fluency"], 4, 1.0, "a.csv"), (1, d["relevance"], 5, 0.5, "a.csv")])
    assert n == 2
    frame = repo.frame()
    assert list(frame.columns) == ["item_id", "dimension", "expected", "tolerance", "origin"]
    assert frame[["item_id", "dimension", "expected", "tolerance"]].values.tolist() == [
        [1, "relevance", 5, 0.5],
        [2, "fluency", 4, 1.0],
    ]
    assert str(frame["expected"].dtype) == "int64"
    assert str(frame["tolerance"].dtype) == "float64"
    assert repo.items() == [1, 2]
    with project.db.transaction():  # the same rows again: nothing changes
        assert repo.upsert([(2, d["fluency"], 4, 1.0, "a.csv")]) == 0
        assert repo.upsert([(2, d["fluency"], 3, 1.0, "b.csv")]) == 1
    assert repo.frame()["expected"].tolist() == [5, 3]
    with project.db.transaction():
        assert repo.delete([1]) == 1
    assert repo.items() == [2]
    with project.db.transaction():
        assert repo.delete() == 1
    assert repo.count() == 0


def test_the_table_refuses_a_score_off_the_scale(project):
    d = _dims(project)
    with pytest.raises(ProjectFileError, match="CHECK constraint"):
        with project.db.transaction():
            GoldRepo(project.db.conn).upsert([(1, d["fluency"], 6, 1.0, "")])
    assert GoldRepo(project.db.conn).count() == 0


def test_a_calibration_mark_goes_with_its_assignment(project):
    conn = project.db.conn
    alice = RatersRepo(conn).id_for("alice", create=True)
    team, rounds = TeamRepo(conn), RoundsRepo(conn)
    with project.db.transaction():
        team.replace_assignments([1, 2], [(1, alice, 1), (2, alice, 0)])
        rounds.mark_calibration([(1, alice)])
    assert rounds.calibration_items(alice) == [1]
    assert rounds.calibration() == [(1, "alice")]
    with project.db.transaction():  # reassigning item 1 drops its mark (foreign key cascade)
        team.replace_assignments([1], [(1, alice, 0)])
    assert rounds.calibration_items(alice) == []
