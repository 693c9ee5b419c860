"""A rating sheet tells its holder nothing the lead hides: an attacker's view of the xlsx.

The attacker holds bob's sheet, knows how annotator used to work (uids were
blake2b(project uuid, model, sample id), the order was seeded by sha256(project uuid,
rater), both read from the sheet's own meta sheet), knows the candidate model names
and sample ids, and reads every byte of every part of the file.
"""

from __future__ import annotations

import hashlib
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.importing import MemoryPlan, import_plan, item_uid
from annotator.core.usecases.team import assign, create_sheet

MODEL_A, MODEL_B = "zqxmodel-alpha-sft-7b", "zqxmodel-beta-lora-13b"
OTHER_RATERS = ("alicezqx", "carolzqx")
PAIRS = 60
SECRET_COMMENT = "ALICE-ZQX-PRIVATE-NOTE"


def _sample(k: int) -> str:
    return f"SAMPLEZQX-{k:04d}"


@pytest.fixture
def project(tmp_path):
    """60 samples answered by two models (imported A first), three raters with work."""
    p = Project.create(tmp_path / "blind.annotator", "blind eval")
    for model in (MODEL_A, MODEL_B):
        drafts = [
            ItemDraft(
                sample_id=_sample(k),
                instruction=f"写一句关于产品 {k} 的广告语",  # the same for both models: pairs
                reference=f"参考 {k}",
                generated=f"输出 {k} {'一' if model == MODEL_A else '二'}",
                row=k + 1,
                model=model,
                metadata={"origin": f"METAZQX-{model}"},
            )
            for k in range(PAIRS)
        ]
        import_plan(p.db, MemoryPlan(Path(f"/data/PATHZQX-{model}.jsonl"), drafts, f"h-{model}"))
    assign(p.db, ["bob", *OTHER_RATERS], per_item=3)  # everyone rates everything
    for rater in OTHER_RATERS:
        session = p.session(rater)
        for item_id in session.order[:10]:
            session.set_score(item_id, "relevance", 4)
            session.set_comment(item_id, f"{SECRET_COMMENT} {rater}")
        session.save_pending()
    yield p
    p.close()


@pytest.fixture
def sheet(project, tmp_path):
    path = tmp_path / "bob.xlsx"
    create_sheet(project.db, "bob", path)
    return path


def _parts(path: Path) -> dict[str, bytes]:
    """The file itself and every member of the zip, decompressed."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["<file>"] = path.read_bytes()
    return parts


def _truth(project: Project) -> dict[str, tuple[str, str, str]]:
    """item uid -> (model, sample id, instruction), as only the lead knows it."""
    team = TeamRepo(project.db.conn)
    rows = {r[0]: r for r in team.items_for_assignment()}
    texts = {r[0]: r[2] for r in team.item_texts(list(rows))}
    return {uid: (model, sid, texts[i]) for i, (_, uid, sid, model) in rows.items()}


def _model_by_texts(project: Project) -> dict[tuple[str, str], str]:
    """(instruction, generated) -> model: how the test (not the rater) tells rows apart."""
    team = TeamRepo(project.db.conn)
    models = {r[0]: r[3] for r in team.items_for_assignment()}
    return {(t[2], t[4]): models[t[0]] for t in team.item_texts(list(models))}


def _sheet_rows(sheet: Path) -> list[tuple[str, str, str]]:
    ws = openpyxl.load_workbook(sheet)["ratings"]
    return [(r[0], r[1], r[3]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]


def _meta(sheet: Path) -> dict[str, str]:
    ms = openpyxl.load_workbook(sheet)["meta"]
    return {r[0]: r[1] for r in ms.iter_rows(values_only=True) if r[0] != "item"}


def test_no_part_of_the_file_names_a_model_a_sample_another_rater_or_their_comments(project, sheet):
    truth = _truth(project)
    secrets = [
        MODEL_A,
        MODEL_B,
        "zqxmodel",
        "SAMPLEZQX",
        "METAZQX",
        "PATHZQX",
        SECRET_COMMENT,
        *OTHER_RATERS,
        project.meta.get("handout_secret"),
        *truth,  # the items' uids (which the old id column held)
    ]
    parts = _parts(sheet)
    names = set(parts)
    assert {"docProps/core.xml", "docProps/app.xml", "xl/workbook.xml"} <= names
    for name, data in parts.items():
        for text in secrets:
            for encoded in (text.encode(), text.encode("utf-16-le")):
                assert encoded.lower() not in data.lower(), (text, name)
    core = parts["docProps/core.xml"].decode()
    assert "blind eval" not in core and "bob" not in core  # no title, no people
    wb = openpyxl.load_workbook(sheet)
    assert not wb.defined_names  # nothing hidden in names
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible", "visible", "veryHidden"]
    assert not any(c.comment for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_pair_order_does_not_tell_the_first_imported_model(project, sheet):
    """For each sample answered by both models: is the first row always model A's?"""
    by_content = _model_by_texts(project)
    model_of_row = {}
    first_is_a = 0
    seen: dict[str, str] = {}
    for blind, ins, gen in _sheet_rows(sheet):
        model_of_row[blind] = by_content[(ins, gen)]
        if ins in seen:
            continue
        seen[ins] = model_of_row[blind]
        first_is_a += model_of_row[blind] == MODEL_A
    assert len(seen) == PAIRS
    # Import order would give 60 of 60; a fair shuffle gives 30 +- 3.9 (bounds are 3.9 sd).
    assert 15 <= first_is_a <= 45, first_is_a


def test_the_old_shuffle_seed_from_the_meta_sheet_does_not_undo_the_order(project, sheet):
    """Re-derive the order from sha256(project uuid, rater) over sorted ids (the old scheme)."""
    meta = _meta(sheet)
    rows = _sheet_rows(sheet)
    seed = hashlib.sha256(f"{meta['project_uuid']}\x00{meta['rater']}".encode()).digest()
    guessed = list(range(1, len(rows) + 1))  # ids follow import order: A's 60, then B's 60
    random.Random(int.from_bytes(seed[:8], "big")).shuffle(guessed)
    by_content = _model_by_texts(project)
    hits = sum(
        by_content[(ins, gen)] == (MODEL_A if guess <= PAIRS else MODEL_B)
        for (_, ins, gen), guess in zip(rows, guessed, strict=True)
    )
    # The old scheme gives 120 of 120; chance is 60 +- 5.5.
    assert 30 <= hits <= 90, hits


def test_a_dictionary_of_models_and_sample_ids_maps_no_id(project, sheet):
    """blake2b(project uuid, model, sample id) over every guess: no sheet id is one."""
    meta = _meta(sheet)
    guesses = {
        item_uid(meta["project_uuid"], model, _sample(k))
        for model in (MODEL_A, MODEL_B, "base", "lora", "sft")
        for k in range(-5, PAIRS + 50)
    }
    ids = {blind for blind, _, _ in _sheet_rows(sheet)}
    assert len(ids) == 2 * PAIRS
    assert not ids & guesses
    assert not any(blind[:12] in guesses or blind[-12:] in guesses for blind in ids)
