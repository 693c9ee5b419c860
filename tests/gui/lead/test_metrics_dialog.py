"""The Metrics button: a preset chosen from the core's, a model x metric table, signatures."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.metrics import list_presets
from annotator.core.project import Project
from annotator.gui.lead.models import SORT_ROLE


def _toolbar_button(window, name):
    toolbar = window.findChild(type(window.addToolBar("probe")), "lead-toolbar")
    return toolbar.widgetForAction(window.actions_by_name[name])


def _table(dialog) -> dict[tuple[str, str], float]:
    table = dialog.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    out = {}
    for r in range(table.rowCount()):
        first = table.item(r, 0).text()
        for c in range(1, table.columnCount()):
            out[(first, headers[c])] = table.item(r, c).data(SORT_ROLE)
    return out


def test_metrics_offers_the_core_presets_and_shows_the_stored_run(demo_path, open_lead, qtbot):
    window, controller = open_lead(demo_path)
    qtbot.mouseClick(_toolbar_button(window, "metrics"), Qt.MouseButton.LeftButton)
    dialog = controller.metrics.dialog
    assert dialog is not None and dialog.isVisible()
    presets = [dialog.preset.itemData(i) for i in range(dialog.preset.count())]
    assert presets == list_presets() and "sacrebleu" in presets
    # The demo has a default run: its means are shown as numbers, not as a dict dump.
    with Project.open(demo_path) as check:
        stored = check.metric_runs()["default"]
    shown = _table(dialog)
    for model, means in stored["means"].items():
        for metric, mean in means.items():
            assert shown[(model, metric.upper())] == pytest.approx(mean)
    assert "{" not in dialog.heading.text() and "means:" not in dialog.details.toPlainText()
    for metric, signature in stored["signatures"].items():
        assert f"{metric}: {signature}" in dialog.details.toPlainText()
    bleu = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    header = dialog.table.horizontalHeaderItem(bleu.index("BLEU"))
    assert header.toolTip() == stored["signatures"]["bleu"]


def test_choosing_a_preset_by_keyboard_computes_it_in_the_background(
    demo_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path)
    controller.window.actions_by_name["metrics"].trigger()
    dialog = controller.metrics.dialog
    dialog.preset.setFocus()
    target = list_presets().index("sacrebleu")
    while dialog.preset.currentIndex() < target:
        qtbot.keyClick(dialog.preset, Qt.Key.Key_Down)
    assert dialog.chosen() == "sacrebleu"
    assert dialog.heading.text() == "Not computed yet for this preset."
    assert "exp smoothing" in dialog.description.text()
    qtbot.mouseClick(dialog.compute, Qt.MouseButton.LeftButton)
    assert not dialog.compute.isEnabled()  # running: no second start
    qtbot.waitUntil(lambda: dialog.compute.isEnabled(), timeout=60000)
    wait_idle(controller)
    with Project.open(demo_path) as check:
        stored = check.metric_runs()["sacrebleu"]
    shown = _table(dialog)
    assert set(stored["means"]) == {"base", "lora-v2"}
    for model, means in stored["means"].items():
        for metric, mean in means.items():
            assert shown[(model, metric.split("/")[-1].upper())] == pytest.approx(mean)
        for metric, value in stored["corpus"][model].items():
            header = metric.split("/")[-1].upper()
            assert shown[(f"{model} (corpus)", header)] == pytest.approx(value)
    assert "Preset sacrebleu" in dialog.heading.text()
    assert stored["signatures"]["bleu"] in dialog.details.toPlainText()
    # The default run is still there when the lead goes back to it.
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Home)
    assert dialog.chosen() == "default" and dialog.table.rowCount() == 4


def test_a_warning_reads_in_the_windows_language(tmp_path, chinese, open_lead, qtbot):
    """Issue 14, point 3: the metrics' warning keys are English; the Chinese window shows
    them in Chinese (警告：模型输出为空), never the key."""
    items = tmp_path / "items.csv"
    items.write_text(
        "id,instruction,reference,generated\n1,写一句口红文案,显白又平价,\n2,写一句面霜文案,保湿,保湿\n",
        encoding="utf-8",
    )
    path = tmp_path / "zh.annotator"
    with Project.create(path, "zh", language="zh_CN") as project:
        project.import_file(items, model="base")
        project.compute_metrics()
    window, controller = open_lead(path)
    controller.window.actions_by_name["metrics"].trigger()
    details = controller.metrics.dialog.details.toPlainText()
    assert "模型输出为空" in details and "empty generated text" not in details
