"""The lead's window shows and sets the decision (issue 15): the baseline, the comparison rows
with their intervals, every verdict in its colour, the decision rule and the minimum.

Real projects, the real window, the keyboard and the mouse; the numbers are checked
against pairs formed here from the item table, scipy's Wilcoxon test and d_z by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from scipy.stats import wilcoxon

from annotator.core.domain.decision import DecisionRule
from annotator.core.project import Project
from annotator.gui.lead.common import meaning_color
from annotator.gui.lead.models import SORT_ROLE


def column(table, header: str) -> int:
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return headers.index(header)


def delta_row(table) -> int:
    rows = [r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("Δ")]
    assert len(rows) == 1
    return rows[0]


def paired_composite(items, baseline: str, candidate: str) -> np.ndarray:
    """candidate − baseline on the samples whose items are complete for both (by hand)."""
    wide = items[items["composite"].notna()].pivot_table(
        index="sample_id", columns="model", values="composite"
    )
    both = wide[[baseline, candidate]].dropna()
    return (both[candidate] - both[baseline]).to_numpy()


def choose_baseline_by_keys(qtbot, box, name: str) -> None:
    """Walk the combo box with the arrow keys until it shows ``name``, as a lead would."""
    box.setFocus()
    start = box.currentIndex()
    target = box.findData(name)
    key = Qt.Key.Key_Down if target > start else Qt.Key.Key_Up
    for _ in range(abs(target - start)):
        qtbot.keyClick(box, key)
    assert box.currentData() == name


def test_the_line_above_the_table_names_the_baseline_and_how(demo_path, open_lead):
    window, controller = open_lead(demo_path)
    bar = window.overview.baseline_bar
    assert bar.isVisible()
    text = bar.text.text()
    # "base" is chosen by its name, and the line says so.
    assert text.startswith("baseline: base (") and "name" in text
    assert [bar.box.itemData(i) for i in range(bar.box.count())] == ["base", "lora-v2", ""]
    rule = window.overview.rule_line
    assert rule.isVisible() and "95% interval" in rule.text() and "30 complete" in rule.text()


def test_each_difference_shows_its_interval_reading_p_and_d_z(demo_path, open_lead):
    window, controller = open_lead(demo_path)
    table = window.overview.table
    r = delta_row(table)
    assert table.item(r, 0).text() == "Δ lora-v2 − base"
    item = table.item(r, column(table, "Composite"))
    diff = paired_composite(controller.evaluation.stats.items, "base", "lora-v2")
    assert item.data(SORT_ROLE) == pytest.approx(diff.mean())
    first, interval = item.text().split("\n")
    assert first == f"{diff.mean():+.2f}"
    low, high = (float(x) for x in interval.strip("[]").split(","))
    assert low < diff.mean() < high  # a 95% interval around the mean difference
    tip = item.toolTip()
    reading = "better" if low > 0 else "worse" if high < 0 else "no_difference"
    words = {"better": "better", "worse": "worse", "no_difference": "no detectable difference"}
    assert tip.startswith(words[reading] + ":")
    assert f"over {len(diff)} samples complete for both" in tip
    assert f"p = {wilcoxon(np.round(diff, 9)).pvalue:.2g}" in tip  # equal differences tie
    assert f"d_z = {diff.mean() / diff.std(ddof=1):.2f}" in tip
    assert item.foreground().color() == meaning_color(reading)
    pairs = table.item(r, column(table, "Complete items"))
    assert pairs.text() == f"{len(diff)} pairs"


def test_changing_the_baseline_flips_the_comparison_and_is_stored(
    demo_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    table = window.overview.table
    before = table.item(delta_row(table), column(table, "Composite")).data(SORT_ROLE)
    choose_baseline_by_keys(qtbot, window.overview.baseline_bar.box, "lora-v2")
    qtbot.waitUntil(lambda: controller.evaluation.baseline.model == "lora-v2", timeout=20000)
    wait_idle(controller)
    r = delta_row(table)
    assert table.item(r, 0).text() == "Δ base − lora-v2"
    after = table.item(r, column(table, "Composite")).data(SORT_ROLE)
    diff = paired_composite(controller.evaluation.stats.items, "lora-v2", "base")
    assert after == pytest.approx(diff.mean()) and after == pytest.approx(-before)
    assert "named by the lead" in window.overview.baseline_bar.text.text()
    with Project.open(demo_path) as check:
        assert check.models()[1].model == "lora-v2" and check.models()[1].how == "named"
    # Back to "by name": base again, and the sign with it.
    choose_baseline_by_keys(qtbot, window.overview.baseline_bar.box, "")
    qtbot.waitUntil(lambda: controller.evaluation.baseline.model == "base", timeout=20000)
    wait_idle(controller)
    r = delta_row(table)
    assert table.item(r, 0).text() == "Δ lora-v2 − base"
    assert table.item(r, column(table, "Composite")).data(SORT_ROLE) == pytest.approx(before)


def test_the_gate_editor_saves_the_rule_and_the_minimum(demo_path, open_lead, qtbot, wait_idle):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    dialog = controller.gates.open()
    assert dialog.rule_box.currentData() == "interval" and dialog.minimum_box.value() == 30
    dialog.rule_box.setFocus()
    qtbot.keyClick(dialog.rule_box, Qt.Key.Key_Down)
    assert dialog.rule_box.currentData() == "point"
    spin = dialog.minimum_box
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "50")
    assert spin.value() == 50
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "items changed verdict" in controller.gates.last_result, timeout=20000)
    with Project.open(demo_path) as check:
        assert check.decision() == DecisionRule("point", 50)
    overview = window.overview
    assert (
        "point estimate" in overview.rule_line.text() and "50 complete" in overview.rule_line.text()
    )
    # 42 complete items each (counted here) < 50: neither model is judged; the hard
    # compliance gate still fails both, as the core's order says (a low score decides first).
    items = controller.evaluation.stats.items
    assert (items[items["composite"].notna()].groupby("model").size() < 50).all()
    # Applying again without a change says so, and saves nothing new.
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert controller.gates.last_result == "Nothing changed."


def _verdict_cells(window) -> dict[str, tuple[str, object]]:
    table = window.overview.table
    c = column(table, "Verdict")
    out = {}
    for r in range(table.rowCount()):
        item = table.item(r, c)
        if item is not None:
            out[table.item(r, 0).text()] = (item.data(SORT_ROLE), item)
    return out


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({}, {"base": "FAIL", "lora-v2": "FAIL"}),
        ({"disable": ["compliance"]}, {"lora-v2": "INCONCLUSIVE"}),  # BLEU straddles 0.40
        ({"disable": ["compliance", "bleu"]}, {"lora-v2": "NEEDS_REVIEW"}),
        ({"disable": ["compliance"], "minimum": 50}, {"base": "NEEDS_MORE_DATA"}),
    ],
)
def test_each_verdict_has_its_own_colour_and_says_why(demo_path, open_lead, edit, expected):
    with Project.open(demo_path) as project:
        if edit:
            project.edit_gates(**edit)
    window, controller = open_lead(demo_path, poll_ms=10**8)
    cells = _verdict_cells(window)
    for model, verdict in expected.items():
        code, item = cells[model]
        assert code == verdict
        assert item.foreground().color() == meaning_color(verdict)
        mv = controller.evaluation.verdicts.model(model)
        for reason in mv.reason_messages:
            assert str(reason) in item.toolTip()
        assert f"{mv.n_complete} complete samples" in item.toolTip()


def test_the_five_verdict_colours_differ_in_light_and_dark(qapp):
    codes = ["PASS", "FAIL", "INCONCLUSIVE", "NEEDS_MORE_DATA", "NEEDS_REVIEW"]
    before = qapp.palette()
    seen = []
    try:
        for window, text in (("#f4f4f4", "#111111"), ("#202124", "#e8eaed")):
            palette = QPalette(before)
            palette.setColor(QPalette.ColorRole.Window, QColor(window))
            palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
            qapp.setPalette(palette)
            colours = [meaning_color(c).name() for c in codes]
            assert len(set(colours)) == 5
            seen.append(colours)
    finally:
        qapp.setPalette(before)
    assert seen[0] != seen[1]  # the dark palette gets its own, lighter shades


def test_a_refused_baseline_is_reported_and_the_box_shows_what_is_stored(
    demo_path, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    controller.set_baseline("gpt-9")  # e.g. a model renamed by another process meanwhile
    wait_idle(controller)
    assert "gpt-9" in controller.last_report and "lora-v2" in controller.last_report
    assert window.overview.baseline_bar.box.currentData() == ""  # still "automatic"
    with Project.open(demo_path) as check:
        assert check.models()[1].how == "name"


def test_a_model_that_clears_every_gate_is_pass_in_green(tmp_path, open_lead):
    """Two raters agreeing everywhere: no review, so the fine-tune can PASS."""
    from tests.factories import add_items

    path = tmp_path / "pass.annotator"
    with Project.create(path, "pass") as project:
        add_items(project, 6, "base")
        add_items(project, 6, "lora-v2")
        lines = ["sample_id,model,rater,dimension,score"]
        for model, score in (("base", 2), ("lora-v2", 5)):
            for k in range(1, 7):
                for dim in project.rubric.keys:
                    lines += [f"s{k},{model},{r},{dim},{score}" for r in ("ann", "bo")]
        ratings = tmp_path / "ratings.csv"
        ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
        project.import_ratings(ratings)
        project.edit_gates(minimum=5)
    window, controller = open_lead(path, poll_ms=10**8)
    cells = _verdict_cells(window)
    assert cells["lora-v2"][0] == "PASS"
    assert cells["lora-v2"][1].foreground().color() == meaning_color("PASS")
    assert cells["base"][0] == "FAIL"
    table = window.overview.table
    assert table.item(0, column(table, "Complete items")).text() == "6 / 6"
    # Every pair differs by +3: the interval is [+3.00, +3.00] and the reading "better".
    item = table.item(delta_row(table), column(table, "Composite"))
    assert item.text() == "+3.00\n[+3.00, +3.00]"
    assert item.foreground().color() == meaning_color("better")


def test_a_difference_that_rounds_to_zero_has_no_minus_sign():
    from annotator.gui.lead.common import number

    assert [number(v, signed=True) for v in (-0.001, 0.0, -0.3)] == ["+0.00", "+0.00", "-0.30"]
    assert number(-0.0004, 3) == "0.000" and number(-1e-9) == "0.00"
