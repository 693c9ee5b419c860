"""A rater package read by an attacker: nothing in its bytes or its order tells the models apart.

The attacker holds the package file (and everything SQLite may have left beside it) and
knows how annotator works; the tests play the three attacks that broke the old package
(row order, re-deriving the shuffle from the uuid and the rater's name, and a dictionary
of (model, sample id) guesses against the blind ids) and scan every byte written.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest

from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.importing import MemoryPlan, import_plan
from annotator.core.usecases.team import assign, create_package
from annotator.core.usecases.team.seal import blind_id, project_secret

MODELS = ("zebracorn-7b-base", "zebracorn-7b-lora")  # imported in this order
SAMPLES = [f"smp-qx-{k:04d}" for k in range(1, 121)]  # 120 samples, each answered by both
OTHERS = ("bobbington", "carolinda")
SECRET_COMMENT = "bobs-private-remark-about-lora"


def _drafts(model: str) -> list[ItemDraft]:
    return [
        ItemDraft(
            sample_id=sid,
            instruction=f"为产品 {n} 写一句广告语",
            reference=f"参考 {n}",
            generated=f"回答 {n} {'甲乙丙'[n % 3]}",  # the texts say nothing about the model
            row=n + 1,
            model=model,
            metadata={"run": f"run-of-{model}"},
        )
        for n, sid in enumerate(SAMPLES)
    ]


@pytest.fixture
def lead(tmp_path):
    """A project with a distinctive model name, sample ids, other raters and their comments."""
    (tmp_path / "lead").mkdir()
    project = Project.create(tmp_path / "lead" / "eval.annotator", "blind eval")
    for model in MODELS:
        import_plan(
            project.db,
            MemoryPlan(Path(f"/secret/dir/{model}.jsonl"), _drafts(model), f"sha-{model}"),
        )
    for other in OTHERS:
        session = project.session(other)
        for item_id in session.order[:10]:
            session.set_score(item_id, "relevance", 2)
            session.set_comment(item_id, f"{SECRET_COMMENT} by {other}")
    alice = project.session("alice")
    for item_id in alice.order[:7]:  # her own earlier work travels, with her comment
        alice.set_score(item_id, "fluency", 4)
    alice.set_comment(alice.order[0], "alice's own note")
    yield project
    project.close()


@pytest.fixture
def handout(lead, tmp_path):
    """alice's package, alone in a folder: every file there was written by the create."""
    folder = tmp_path / "handout"
    folder.mkdir()
    out = folder / "alice.annotator"
    create_package(lead.db, "alice", out)
    return out


def _models_of(lead: Project, package: Path) -> list[tuple[int, str, str]]:
    """(package row id, instruction, true model) of every package item (the lead's view)."""
    secret = project_secret(lead.db)
    rows = TeamRepo(lead.db.conn).items_for_assignment()
    model_of = {row[0]: row[3] for row in rows}
    # the lead maps blind ids back (an old package held the project's uids themselves)
    index = {key: (row[0],) for row in rows for key in (blind_id(secret, row[1]), row[1])}
    conn = sqlite3.connect(f"file:{package}?mode=ro", uri=True)
    rows = conn.execute("SELECT id, uid, instruction FROM items ORDER BY id").fetchall()
    conn.close()
    return [(pid, ins, model_of[index[uid][0]]) for pid, uid, ins in rows]


def _first_is_first_model(ranked: list[tuple[float, str, str]]) -> float:
    """Over pairs of items with the same instruction: how often the lower rank is MODELS[0]."""
    pairs: dict[str, list[tuple[float, str]]] = {}
    for rank, instruction, model in ranked:
        pairs.setdefault(instruction, []).append((rank, model))
    hits = [min(p)[1] == MODELS[0] for p in pairs.values() if len(p) == 2]
    assert len(hits) == len(SAMPLES)
    return sum(hits) / len(hits)


def test_every_byte_written_is_free_of_models_samples_other_raters_and_their_comments(
    lead, handout
):
    written = sorted(handout.parent.iterdir())
    assert [p.name for p in written] == ["alice.annotator"]  # no -wal, -shm, -journal, temp
    data = b"".join(p.read_bytes() for p in written)
    uids = [row[1] for row in TeamRepo(lead.db.conn).items_for_assignment()]
    hidden = [*MODELS, *SAMPLES, *OTHERS, SECRET_COMMENT, "/secret/dir", "run-of-", *uids]
    leaks = [text for text in hidden if text.encode() in data]
    assert leaks == []
    conn = sqlite3.connect(f"file:{handout}?mode=ro", uri=True)
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0  # no deleted rows left
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT value FROM project WHERE key = 'handout_secret'").fetchone() is None
    conn.close()
    assert data[18:20] == b"\x01\x01"  # the header says rollback journal, not WAL
    assert lead.meta.get("handout_secret").encode() not in data


def test_row_order_does_not_tell_the_first_imported_model(lead, handout):
    ranked = [(pid, ins, model) for pid, ins, model in _models_of(lead, handout)]
    assert 0.25 <= _first_is_first_model(ranked) <= 0.75  # 120 pairs: chance, not 100%
    with Project.open(handout) as pkg:  # what the rater is shown follows the row ids
        session = pkg.session("alice")
        assert session.order == sorted(session.order)


def test_no_table_keeps_rows_in_the_projects_order(lead, handout):
    """The rater's earlier scores are copied in: their audit rows must follow the package."""
    conn = sqlite3.connect(f"file:{handout}?mode=ro", uri=True)
    audit = [r[0] for r in conn.execute("SELECT item_id FROM audit_log ORDER BY id")]
    notes = [r[0] for r in conn.execute("SELECT item_id FROM annotations")]
    conn.close()
    assert len(set(audit)) == 7 and audit == sorted(audit)
    assert len(notes) >= 1


def test_the_old_shuffle_recomputed_from_the_file_tells_nothing(lead, handout):
    conn = sqlite3.connect(f"file:{handout}?mode=ro", uri=True)
    meta = dict(conn.execute("SELECT key, value FROM project").fetchall())
    conn.close()
    with Project.open(handout) as pkg:
        shown = pkg.session("alice").order
    for project_uuid in {meta["uuid"], meta["project_uuid"]}:
        # the old seed: sha256(uuid \0 rater); shuffling n sorted ids moved position k to
        # perm[k], so undoing it gives each shown item its supposed import rank
        seed = hashlib.sha256(f"{project_uuid}\x00{meta['package_rater']}".encode()).digest()
        perm = list(range(len(shown)))
        random.Random(int.from_bytes(seed[:8], "big")).shuffle(perm)
        rank_of = {item_id: perm[k] for k, item_id in enumerate(shown)}
        ranked = [(rank_of[pid], ins, model) for pid, ins, model in _models_of(lead, handout)]
        assert 0.25 <= _first_is_first_model(ranked) <= 0.75


def test_a_dictionary_of_model_and_sample_guesses_maps_no_item(lead, handout):
    conn = sqlite3.connect(f"file:{handout}?mode=ro", uri=True)
    meta = dict(conn.execute("SELECT key, value FROM project").fetchall())
    ids = {v for row in conn.execute("SELECT uid, sample_id FROM items") for v in row}
    conn.close()
    data = handout.read_bytes()
    models = [*MODELS, "base", "lora", "blind", "sft", "qwen", "llama"]
    samples = [*SAMPLES, *(str(k) for k in range(2000)), *(f"s{k}" for k in range(2000))]
    found = []
    for project_uuid in {meta["uuid"], meta["project_uuid"]}:
        for model in models:
            for sid in samples:
                guess = hashlib.blake2b(
                    f"{project_uuid}\x00{model}\x00{sid}".encode(), digest_size=6
                ).hexdigest()
                if guess in ids or guess.encode() in data:
                    found.append((model, sid))
    assert found == []


def test_a_package_of_an_assigned_rater_is_blind_too(lead, tmp_path):
    assign(lead.db, ["alice", *OTHERS], per_item=2, seed=3)
    folder = tmp_path / "assigned"
    folder.mkdir()
    out = folder / "alice.annotator"
    create_package(lead.db, "alice", out)
    data = out.read_bytes()
    assert [t for t in (*MODELS, *SAMPLES[:5], *OTHERS, SECRET_COMMENT) if t.encode() in data] == []
    ranked = _models_of(lead, out)
    pairs: dict[str, list[tuple[int, str]]] = {}
    for pid, ins, model in ranked:
        pairs.setdefault(ins, []).append((pid, model))
    both = [min(p)[1] == MODELS[0] for p in pairs.values() if len(p) == 2]
    assert len(both) >= 20 and 0.15 <= sum(both) / len(both) <= 0.85
