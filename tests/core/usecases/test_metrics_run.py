"""Metrics stored in the project: values, signatures, imported values kept apart."""

from __future__ import annotations

import sacrebleu

from annotator.core.storage import ItemsRepo
from annotator.core.usecases.metrics_run import metrics_wide


def test_default_preset_is_stored_per_item_with_signature(project):
    report = project.compute_metrics("default", workers=1)
    assert set(report.means) == {"base", "lora-v2"}
    assert report.signatures["bleu"].startswith("bleu|order:2")
    values = ItemsRepo(project.db.conn).metrics_frame()
    computed = values[values["origin"] == "computed"]
    assert len(computed) == 24 * 4
    assert set(computed["name"]) == {"bleu", "rouge-1", "rouge-2", "rouge-l"}
    assert all(computed["signature"].str.len() > 10)
    assert project.metric_runs()["default"]["items"] == 24


def test_sacrebleu_preset_matches_sacrebleu(project):
    project.compute_metrics("sacrebleu", workers=1)
    wide, signatures = metrics_wide(project.db)
    items = ItemsRepo(project.db.conn).frame(texts=True).set_index("item_id")
    bleu = sacrebleu.metrics.BLEU(tokenize="zh", effective_order=True)
    name = next(c for c in wide.columns if c.startswith("sacrebleu/bleu"))
    values = wide.set_index("item_id")[name]
    for item_id, value in values.items():
        item = items.loc[item_id]
        expected = bleu.sentence_score(item["generated"], [item["reference"]]).score / 100
        assert abs(value - expected) < 1e-9
    assert signatures[name].startswith("bleu|") and "tok:" in signatures[name]


def test_imported_values_are_never_overwritten(project, tmp_path):
    f = tmp_path / "m.csv"
    f.write_text(
        "id,instruction,reference,generated,bleu,ppl\n"
        "x1,写文案,这款口红显白又平价,学生党必入这款平价口红,40,12.5\n",
        encoding="utf-8",
    )
    project.import_file(f, model="imported-model")
    project.compute_metrics("default", workers=1)
    wide, signatures = metrics_wide(project.db)
    item_id = ItemsRepo(project.db.conn).find("imported-model/x1")[0][0]
    row = wide.set_index("item_id").loc[item_id]
    assert row["imported:bleu"] == 0.40  # normalised from 0-100, kept as imported
    assert row["perplexity"] == 12.5
    assert 0 < row["bleu"] < 1 and row["bleu"] != 0.40
    assert signatures["imported:bleu"].startswith("imported|file:m.csv")
