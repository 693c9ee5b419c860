"""The import wizard as a lead walks it: real files, a role changed by hand, then import."""

from __future__ import annotations

import json

from annotator.core.project import Project


def _empty_project(tmp_path):
    path = tmp_path / "eval.annotator"
    Project.create(path, "wizard test").close()
    return path


def test_csv_with_a_role_changed_by_hand_imports_after_confirming(
    tmp_path, open_lead, qtbot, wait_idle
):
    csv = tmp_path / "base_eval.csv"
    # "gold_text" is no known name for the reference: the lead has to pick it.
    csv.write_text(
        "编号,问题,gold_text,模型输出,bleu\n"
        "s1,写一句口红文案,平价显白,学生党必入,0.31\n"
        "s2,写一句面霜文案,保湿不油腻,一抹化水,0.42\n"
        "s3,写一句防晒文案,清爽不黏,,0.12\n",
        encoding="utf-8-sig",
    )
    path = _empty_project(tmp_path)
    window, controller = open_lead(path)
    wizard = controller.imports.open(str(csv))
    columns = wizard.columns_page
    assert wizard.currentPage() is columns
    assert "csv" in columns.detected.text() and "utf-8" in columns.detected.text()
    assert columns.table.rowCount() == 3 and columns.table.columnCount() == 5
    assert wizard.preview.missing == ["reference"]
    assert not columns.isComplete()

    columns.set_role("reference", "gold_text")
    assert wizard.preview.roles["reference"] == "gold_text"
    assert columns.isComplete()
    assert columns.model_name.text() == "base_eval"  # from the file name
    columns.model_name.setText("base")
    assert Project.open(path).info()["items"] == 0  # nothing written before confirming

    wizard.next()
    confirm = wizard.confirm_page
    qtbot.waitUntil(lambda: confirm.plan is not None or confirm.error is not None)
    text = confirm.summary.text()
    assert "3 items" in text and "1 item(s) have an empty generated text" in text
    wizard.accept()
    wait_idle(controller)
    report = controller.imports.last_report
    assert report.models["base"].added == 3
    assert "base: 3 added" in controller.last_report
    with Project.open(path) as check:
        assert check.info()["items"] == 3
    qtbot.waitUntil(
        lambda: controller.evaluation is not None and len(controller.evaluation.stats.items) == 3
    )
    assert window.items.model.rowCount() == 3


def test_llamafactory_jsonl_by_drag_and_drop(tmp_path, open_lead, qtbot, wait_idle):
    folder = tmp_path / "lora-v2"
    folder.mkdir()
    jsonl = folder / "generated_predictions.jsonl"
    rows = [
        {"prompt": f"为产品 {k} 写一句文案", "label": f"参考 {k}", "predict": f"输出 {k}"}
        for k in range(1, 6)
    ]
    jsonl.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    path = _empty_project(tmp_path)
    window, controller = open_lead(path)
    window.file_dropped.emit(str(jsonl))
    wizard = controller.imports.wizard
    assert wizard.currentPage() is wizard.columns_page
    assert wizard.preview.format == "llamafactory"
    assert wizard.preview.roles == {
        "instruction": "prompt",
        "reference": "label",
        "generated": "predict",
    }
    assert wizard.columns_page.model_name.text() == "lora-v2"  # the run folder's name
    wizard.next()
    qtbot.waitUntil(lambda: wizard.confirm_page.plan is not None)
    assert "5 items" in wizard.confirm_page.summary.text()
    wizard.accept()
    wait_idle(controller)
    with Project.open(path) as check:
        assert check.info()["models"] == [{"name": "lora-v2", "items": 5}]


def test_errors_show_row_and_column_and_block_the_import(tmp_path, open_lead, qtbot):
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "id,instruction,reference,generated,bleu\n"
        "a,q1,r1,g1,0.3\n"
        "b,q2,r2,g2,high\n"
        "a,q3,r3,g3,0.2\n",
        encoding="utf-8",
    )
    path = _empty_project(tmp_path)
    window, controller = open_lead(path)
    wizard = controller.imports.open(str(csv))
    wizard.next()
    confirm = wizard.confirm_page
    qtbot.waitUntil(lambda: confirm.error is not None)
    assert not confirm.isComplete()
    table = confirm.problems
    cells = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert any(row[0] == "3" and row[2] == "bleu" for row in cells), cells
    with Project.open(path) as check:
        assert check.info()["items"] == 0


def test_repeated_ids_can_be_skipped_in_the_wizard(tmp_path, open_lead, qtbot, wait_idle):
    csv = tmp_path / "dups.csv"
    csv.write_text(
        "id,instruction,reference,generated\na,q1,r1,g1\nb,q2,r2,g2\na,q3,r3,g3\n", encoding="utf-8"
    )
    path = _empty_project(tmp_path)
    window, controller = open_lead(path)
    wizard = controller.imports.open(str(csv))
    wizard.next()
    confirm = wizard.confirm_page
    qtbot.waitUntil(lambda: confirm.error is not None)
    assert confirm.skip.isVisibleTo(wizard)
    confirm.skip.setChecked(True)
    qtbot.waitUntil(lambda: confirm.plan is not None)
    assert "2 items" in confirm.summary.text()
    assert "1 repeated ids will be skipped" in confirm.summary.text()
    wizard.accept()
    wait_idle(controller)
    with Project.open(path) as check:
        assert check.info()["items"] == 2


def test_an_unreadable_file_is_explained_on_the_first_page(tmp_path, open_lead):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    window, controller = open_lead(_empty_project(tmp_path))
    wizard = controller.imports.open(str(empty))
    assert wizard.currentPage() is wizard.file_page
    assert not wizard.file_page.isComplete()
    assert "empty" in wizard.file_page.status.text()
