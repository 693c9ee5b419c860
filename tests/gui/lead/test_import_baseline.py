"""The import wizard names the baseline when the lead says this is the model before fine-tuning."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from annotator.core.project import Project


def _csv(tmp_path, name: str):
    path = tmp_path / name
    path.write_text(
        "id,instruction,reference,generated\n"
        "zh-copy-01,写一句口红文案,平价显白,学生党必入\n"
        "zh-copy-02,写一句面霜文案,保湿不油腻,一抹化水\n",
        encoding="utf-8",
    )
    return path


def test_the_checkbox_names_the_imported_model_the_baseline(
    demo_path, tmp_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    wizard = controller.imports.open(str(_csv(tmp_path, "orig.csv")))
    columns = wizard.columns_page
    assert wizard.currentPage() is columns
    box = columns.baseline
    assert box.isVisible() and not box.isChecked()
    columns.model_name.clear()
    assert not box.isEnabled()  # no model named yet: nothing to call the baseline
    qtbot.keyClicks(columns.model_name, "qwen-orig")
    assert box.isEnabled()
    # On the box itself (the widget spans the form's field, its middle is empty space).
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    wizard.next()
    confirm = wizard.confirm_page
    qtbot.waitUntil(lambda: confirm.plan is not None or confirm.error is not None)
    assert confirm.plan is not None, confirm.summary.text()
    wizard.accept()
    wait_idle(controller)
    qtbot.waitUntil(lambda: controller.evaluation.baseline.model == "qwen-orig", timeout=20000)
    assert "baseline: qwen-orig (named by the lead)" in controller.last_report
    with Project.open(demo_path) as check:
        rows, baseline = check.models()
        assert (baseline.model, baseline.how) == ("qwen-orig", "named")
        assert [r["name"] for r in rows if r["baseline"]] == ["qwen-orig"]
    table = window.overview.table
    titles = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "Δ base − qwen-orig" in titles and "Δ lora-v2 − qwen-orig" in titles
    assert window.overview.baseline_bar.box.currentData() == "qwen-orig"


def test_without_the_checkbox_the_baseline_stays_chosen_by_name(
    demo_path, tmp_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    wizard = controller.imports.open(str(_csv(tmp_path, "sft.csv")))
    wizard.columns_page.model_name.setText("qwen-sft")
    wizard.next()
    confirm = wizard.confirm_page
    qtbot.waitUntil(lambda: confirm.plan is not None or confirm.error is not None)
    wizard.accept()
    wait_idle(controller)
    qtbot.waitUntil(lambda: len(controller.evaluation.stats.models) == 3, timeout=20000)
    assert "baseline:" not in controller.last_report
    with Project.open(demo_path) as check:
        assert check.models()[1].model == "base" and check.models()[1].how == "name"
