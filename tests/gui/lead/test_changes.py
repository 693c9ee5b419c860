"""A write says what it changed; the lead window redraws only the views it concerns.

Each view's ``refreshed`` signal is counted while the lead works through the real
window: a gate edit typed into the editor, an adjudication, an assignment, and a
write by another process that only the poll can see.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from annotator.core.project import Project
from annotator.gui.lead.views.gates_editor import RULE

VIEWS = ("overview", "agreement", "disagreements", "items", "raters")


def count_refreshes(window) -> Counter:
    """A counter of each view's ``refreshed`` signal from now on."""
    counts: Counter = Counter()
    for name in VIEWS:
        getattr(window, name).refreshed.connect(lambda name=name: counts.update([name]))
    return counts


def type_rule(qtbot, dialog, key: str, text: str) -> None:
    """Edit a rule's cell with the keyboard, as a lead would."""
    table = dialog.table
    table.setFocus()
    table.setCurrentCell(dialog.row_of(key), RULE)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.item(dialog.row_of(key), RULE).text() == text)


def shown_verdicts(window) -> dict[int, str]:
    """Item id -> verdict as the Items view holds it."""
    model = window.items.model
    return {
        int(model.row_value(r, "item_id")): str(model.row_value(r, "verdict"))
        for r in range(model.rowCount())
    }


def test_a_gate_edit_redraws_the_verdict_views_only(demo_path, open_lead, qtbot, wait_idle):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    wait_idle(controller)
    counts = count_refreshes(window)
    before = shown_verdicts(window)
    dialog = controller.gates.open()
    type_rule(qtbot, dialog, "bleu", "bleu >= 0.1")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "changed verdict" in dialog.result.text(), timeout=20000)
    wait_idle(controller)
    assert counts == Counter({"overview": 1, "items": 1})
    with Project.open(demo_path) as check:
        truth = check.evaluate(resamples=0).verdicts.items
    truth = dict(zip(truth["item_id"].astype(int), truth["verdict"].astype(str), strict=True))
    assert shown_verdicts(window) == truth != before  # the redrawn views show the new verdicts


def test_writes_made_while_the_statistics_run_are_all_redrawn(
    demo_path, open_lead, qtbot, wait_idle
):
    """A gate edit, an adjudication and a second gate edit arrive while one computation
    runs: the views owed by any of them are redrawn, the adjudication's included."""
    window, controller = open_lead(demo_path, poll_ms=10**8)
    wait_idle(controller)
    table = controller.evaluation.stats.disagreements
    one = table[(table["n_dimensions"] == 1) & ~table["resolved"].astype(bool)].iloc[0]
    item_id, dimension = int(one["item_id"]), str(one["dimensions"])
    open_before = int((~table["resolved"].astype(bool)).sum())
    counts = count_refreshes(window)
    dialog = controller.gates.open()
    dialog.set_rule("bleu", "bleu >= 0.1")
    dialog.apply_button.click()
    assert controller.computing  # what follows arrives while this one runs
    controller.adjudicate(item_id, dimension, 3, "settled")
    dialog.set_rule("bleu", "bleu >= 0.2")
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: "changed verdict" in dialog.result.text(), timeout=20000)
    wait_idle(controller)
    assert set(counts) == set(VIEWS)  # ratings concern every view, gates two of them
    shown = window.disagreements.frame
    assert int((~shown["resolved"].astype(bool)).sum()) == open_before - 1
    with Project.open(demo_path) as check:
        truth = check.evaluate(resamples=0).verdicts.items
    truth = dict(zip(truth["item_id"].astype(int), truth["verdict"].astype(str), strict=True))
    assert shown_verdicts(window) == truth


def test_an_assignment_redraws_the_raters_view_only(demo_path, open_lead, qtbot, wait_idle):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    wait_idle(controller)
    counts = count_refreshes(window)
    raters = controller.project.raters()
    controller.handout.assign({"raters": raters, "per_item": 2, "seed": 7, "shared": 0.0})
    qtbot.waitUntil(lambda: bool(controller.reports), timeout=20000)
    wait_idle(controller)
    assert counts == Counter({"raters": 1})
    model = window.raters.model
    assigned = {model.row_value(r, "rater"): model.row_value(r, "assigned") for r in range(3)}
    with Project.open(demo_path) as check:
        truth = {r["rater"]: r["assigned"] for r in check.team_status()["raters"]}
    assert {r: assigned.get(r) for r in truth} == truth


def test_a_write_by_another_process_redraws_every_view(demo_path, open_lead, qtbot, wait_idle):
    """What another program changed is unknown: the poll that sees it redraws all."""
    window, controller = open_lead(demo_path, poll_ms=100)
    wait_idle(controller)
    counts = count_refreshes(window)
    with Project.open(demo_path) as other:
        other.edit_gates(rules=["bleu >= 0.1"])  # a gate edit, but nobody told this window
    qtbot.waitUntil(lambda: set(counts) == set(VIEWS), timeout=20000)
