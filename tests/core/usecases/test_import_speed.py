"""The faster import stores exactly the rows a 1,000-row file describes.

The expected rows are built here from the CSV as written (texts, row numbers, metric
values) and from the documented identities (public id and content hash: BLAKE2b of the
NUL-joined fields), then compared with what sqlite3 reads from the project file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import sqlite3
from pathlib import Path

import pytest

from annotator.core.project import Project

_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
_ODD = ['"', ",", "\n", "\r\n", "；", "　", "'"]


def _text(rng: random.Random, n: int) -> str:
    chars = rng.choices(_CHARS, k=n)
    for _ in range(rng.randrange(0, 3)):  # quotes, commas and line breaks inside cells
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(_ODD))
    return "".join(chars).strip()


def _write_file(path: Path, rows: int, *, models: tuple[str, ...] = ()) -> list[dict]:
    """A seeded CSV; returns its records as written, with their spreadsheet row numbers."""
    rng = random.Random(19)
    header = ["id", "instruction", "reference", "generated", "bleu", "rouge-l", "note"]
    if models:
        header.insert(1, "model")
    records = []
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for k in range(rows):
            record = {
                "id": f"s{k // len(models)}" if models else f"s{k}",
                "model": models[k % len(models)] if models else "",
                "instruction": _text(rng, rng.randint(5, 30)),
                "reference": _text(rng, rng.randint(10, 50)),
                "generated": _text(rng, rng.randint(10, 50)),
                # every 7th record has no bleu: no value is stored for it
                "bleu": "" if k % 7 == 3 else f"{rng.random():.4f}",
                "rouge-l": f"{rng.random():.4f}",
                "note": rng.choice(["", "短", "long note, with a comma"]),
                "row": k + 2,  # header = row 1; quoted line breaks do not shift rows
            }
            records.append(record)
            writer.writerow([record[c] for c in header])
    return records


def _uid(project_uuid: str, model: str, sample: str) -> str:
    data = f"{project_uuid}\x00{model}\x00{sample}".encode()
    return hashlib.blake2b(data, digest_size=6).hexdigest()


def _content_hash(r: dict) -> str:
    data = "\x00".join((r["instruction"], r["reference"], r["generated"])).encode()
    return hashlib.blake2b(data).hexdigest()


def _stored(path: Path) -> tuple[str, list[tuple], list[tuple], list[tuple]]:
    with sqlite3.connect(path) as conn:
        project_uuid = conn.execute("SELECT value FROM project WHERE key = 'uuid'").fetchone()[0]
        items = conn.execute(
            "SELECT i.id, i.uid, i.sample_id, m.name, i.instruction, i.reference, i.generated, "
            "i.source_row, i.metadata, i.content_hash, s.path, s.format, s.n_items "
            "FROM items i JOIN models m ON m.id = i.model_id JOIN sources s ON s.id = i.source_id "
            "ORDER BY i.id"
        ).fetchall()
        values = conn.execute(
            "SELECT v.item_id, v.name, v.origin, v.value, r.signature, r.source "
            "FROM metric_values v JOIN metric_runs r ON r.id = v.run_id ORDER BY v.name, v.item_id"
        ).fetchall()
        runs = conn.execute("SELECT name, origin, n_values FROM metric_runs ORDER BY id").fetchall()
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        assert problems == []
    return project_uuid, items, values, runs


def _expected(project_uuid: str, records: list[dict], file: Path, default_model: str):
    """(items, metric values, runs) as the file describes them, ids in file order from 1."""
    per_model: dict[str, int] = {}
    for r in records:
        per_model[r["model"] or default_model] = per_model.get(r["model"] or default_model, 0) + 1
    items, values = [], []
    # items are stored model by model in order of first appearance, each in file order
    order = sorted(records, key=lambda r: list(per_model).index(r["model"] or default_model))
    for item_id, r in enumerate(order, start=1):
        model = r["model"] or default_model
        metadata = json.dumps({"note": r["note"]}, ensure_ascii=False)
        items.append(
            (item_id, _uid(project_uuid, model, r["id"]), r["id"], model, r["instruction"],
             r["reference"], r["generated"], r["row"], metadata, _content_hash(r), str(file),
             "csv", per_model[model])
        )  # fmt: skip
        for name in ("bleu", "rouge-l"):
            if r[name]:
                signature = f"imported|file:{file.name}"
                values.append((item_id, name, "imported", float(r[name]), signature, str(file)))
    values.sort(key=lambda v: (v[1], v[0]))
    runs = []
    for model in per_model:
        for name in ("bleu", "rouge-l"):
            count = sum(1 for r in records if (r["model"] or default_model) == model and r[name])
            runs.append((name, "imported", count))
    return items, values, runs


def test_a_thousand_rows_stored_as_the_file_says(tmp_path: Path) -> None:
    file = tmp_path / "outputs.csv"
    records = _write_file(file, 1000)
    project = tmp_path / "p.annotator"
    with Project.create(project, "p") as p:
        report = p.import_file(file, model="lora-v2")
    assert report.added == 1000
    project_uuid, items, values, runs = _stored(project)
    want_items, want_values, want_runs = _expected(project_uuid, records, file, "lora-v2")
    assert len(items) == 1000
    assert items == want_items
    assert len(values) == 1000 + 1000 - sum(1 for r in records if not r["bleu"])
    assert values == want_values
    assert runs == want_runs


def test_two_models_in_one_file_each_get_their_rows_and_ids(tmp_path: Path) -> None:
    file = tmp_path / "two.csv"
    records = _write_file(file, 1000, models=("base", "lora"))
    project = tmp_path / "p.annotator"
    with Project.create(project, "p") as p:
        report = p.import_file(file)
    assert {m: c.added for m, c in report.models.items()} == {"base": 500, "lora": 500}
    project_uuid, items, values, runs = _stored(project)
    want_items, want_values, want_runs = _expected(project_uuid, records, file, "")
    assert items == want_items
    assert values == want_values
    assert runs == want_runs


def test_a_refused_file_leaves_the_project_as_it_was(tmp_path: Path) -> None:
    """All or nothing still: a bad metric cell in the last row writes no item, no value."""
    file = tmp_path / "bad.csv"
    _write_file(file, 1000)
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append("late,指令,参考,生成,not-a-number,0.5,\n")
    file.write_text("".join(lines), encoding="utf-8")
    project = tmp_path / "p.annotator"
    with Project.create(project, "p") as p:
        with pytest.raises(Exception) as caught:
            p.import_file(file, model="m")
    assert "not-a-number" in str(caught.value)
    with sqlite3.connect(project) as conn:
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM metric_values").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 0
