"""Gates, adjudication, export, live refresh and hand-out, driven through the window."""

from __future__ import annotations

import json

import openpyxl
import pytest
from PySide6.QtCore import Qt

from annotator.core.project import Project
from annotator.gui.lead.views.gates_editor import HARD


def test_changing_a_gate_recomputes_verdicts_and_says_how_many_changed(
    demo_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path)
    before = controller.evaluation.verdicts.items.set_index("item_id")["verdict"].astype(str)
    dialog = controller.gates.open()
    dialog.set_rule("bleu", "bleu >= 0.1")
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: "changed verdict" in dialog.result.text(), timeout=20000)
    with Project.open(demo_path) as check:
        gate = next(g for g in check.gates() if g.key == "bleu")
        after = check.evaluate(resamples=0).verdicts.items.set_index("item_id")["verdict"]
    assert gate.threshold == 0.1
    changed = int((after.astype(str) != before).sum())
    assert changed > 0
    assert dialog.result.text().startswith(f"{changed} items changed verdict")
    wait_idle(controller)
    shown = controller.evaluation.verdicts.items.set_index("item_id")["verdict"].astype(str)
    assert (shown == after.astype(str)).all()


def test_bleu_40_on_a_0_1_scale_is_a_question(demo_path, open_lead, qtbot, wait_idle):
    window, controller = open_lead(demo_path)
    dialog = controller.gates.open()
    controller.answers.yes = False
    dialog.set_rule("bleu", "bleu >= 40")
    dialog.apply_button.click()
    assert "did you mean 0.40?" in controller.answers.questions[-1]
    assert dialog.result.text().startswith("Not applied")
    controller.answers.yes = True
    dialog.set_rule("bleu", "bleu >= 35")
    dialog.apply_button.click()
    wait_idle(controller)
    with Project.open(demo_path) as check:
        assert next(g for g in check.gates() if g.key == "bleu").threshold == 0.35


def test_turning_a_gate_off_and_hard(demo_path, open_lead, qtbot, wait_idle):
    window, controller = open_lead(demo_path)
    dialog = controller.gates.open()
    dialog.set_checked("compliance", HARD, False)
    dialog.set_checked("bleu", 0, False)
    dialog.new_rule.setText("metric:rouge-1 >= 0.3")
    dialog.add_rule()
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: "changed verdict" in dialog.result.text(), timeout=20000)
    with Project.open(demo_path) as check:
        gates = {g.key: g for g in check.gates()}
    assert not gates["compliance"].hard and not gates["bleu"].enabled
    assert gates["rouge-1"].threshold == 0.3 and gates["rouge-1"].enabled


def test_adjudicating_a_disputed_item_is_used_by_the_verdicts(
    demo_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path)
    page = window.disagreements
    stats = controller.evaluation.stats
    one = stats.disagreements[
        (stats.disagreements["n_dimensions"] == 1) & ~stats.disagreements["resolved"]
    ].iloc[0]
    item_id, dimension = int(one["item_id"]), str(one["dimensions"])
    verdicts = controller.evaluation.verdicts.items.set_index("item_id")
    assert verdicts.loc[item_id, "verdict"] == "NEEDS_REVIEW"
    window.show_page("disagreements")
    page.select_item(item_id)
    assert page.item_id == item_id
    assert page.scores.rowCount() == len(page.detail["scores"]) + 1
    page.dimension.setCurrentIndex(page.dimension.findData(dimension))
    page.score.setValue(4)
    page.note.setText("看了三个评分,4 分合理")
    qtbot.mouseClick(page.record, Qt.MouseButton.LeftButton)
    wait_idle(controller)
    qtbot.waitUntil(lambda: page.detail["adjudicated"].get(dimension) == 4)
    with Project.open(demo_path) as check:
        detail = check.item_detail(item_id)
        verdict = (
            check.evaluate(resamples=0).verdicts.items.set_index("item_id").loc[item_id, "verdict"]
        )
    assert detail["adjudicated"] == {dimension: 4}
    assert verdict != "NEEDS_REVIEW"
    shown = controller.evaluation.verdicts.items.set_index("item_id").loc[item_id, "verdict"]
    assert shown == verdict


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_export_and_open(demo_path, open_lead, tmp_path, qtbot, wait_idle, suffix):
    window, controller = open_lead(demo_path)
    target = tmp_path / f"report{suffix}"
    controller.answers.save = str(target)
    controller.exporter.choose()
    wait_idle(controller)
    assert controller.exporter.last_path == target and target.exists(), controller.last_report
    dialog = controller.reports[-1]
    dialog.extra["Open folder"].click()
    assert controller.answers.opened == [str(tmp_path)]
    lora = controller.evaluation.stats.model("lora-v2").means["composite"].mean
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(target).worksheets[0]
        rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "lora-v2"]
        assert any(round(lora, 2) in r for r in rows), rows
    elif suffix == ".json":
        data = json.loads(target.read_text(encoding="utf-8"))
        text = json.dumps(data)
        assert "lora-v2" in text
    else:
        assert target.read_text(encoding="utf-8-sig").splitlines()[0].count(",") >= 3


def test_dashboard_follows_ratings_made_elsewhere(demo_path, open_lead, qtbot):
    window, controller = open_lead(demo_path, poll_ms=100)
    raters = window.raters.model
    before = {raters.value(r, 0): raters.row_value(r, "done") for r in range(raters.rowCount())}
    with Project.open(demo_path) as other:  # another program (or a rater on this machine)
        session = other.session("新评分员")
        for index in range(3):
            item_id = session.item(index).id
            for d in other.rubric.keys:
                session.set_score(item_id, d, 4)
            session.add_time(item_id, 30 + 30 * index)
        session.flush_time()  # as the rater's window does when it closes
    qtbot.waitUntil(
        lambda: "新评分员" in [raters.value(r, 0) for r in range(raters.rowCount())], timeout=10000
    )
    after = {raters.value(r, 0): raters.row_value(r, "done") for r in range(raters.rowCount())}
    assert after["新评分员"] == 3 and {k: after[k] for k in before} == before
    r = [raters.value(r, 0) for r in range(raters.rowCount())].index("新评分员")
    assert raters.row_value(r, "seconds_per_item") == pytest.approx(60.0)
    assert raters.data(raters.index(r, 7)) == "1:00"


def test_hand_out_and_collect(demo_path, open_lead, tmp_path, qtbot, wait_idle):
    window, controller = open_lead(demo_path)
    dialog = controller.handout.open_assign()
    dialog.raters.setText("Alice, 李娜, 王小明")
    dialog.per_item.setValue(2)
    dialog._ok()
    wait_idle(controller)
    assert "Alice:" in controller.last_report and "items" in controller.last_report
    out = tmp_path / "out"
    out.mkdir()
    controller.answers.folder = str(out)
    controller.handout.packages()
    wait_idle(controller)
    packages = sorted(out.glob("*.annotator"))
    assert len(packages) == 3, controller.last_report
    controller.handout.sheets()
    wait_idle(controller)
    assert len(list(out.glob("*.xlsx"))) == 3
    with Project.open(packages[0]) as package:
        rater = package.meta.get("package_rater")
        session = package.session(rater)
        item_id = session.item(0).id
        for d in package.rubric.keys:
            session.set_score(item_id, d, 1)
    controller.answers.files = [str(packages[0]), str(tmp_path / "missing.annotator")]
    controller.handout.merge()
    wait_idle(controller)
    text = controller.last_report
    assert "changed" in text and "missing.annotator: nothing merged" in text
    assert controller.reports[-1].text.isReadOnly()
