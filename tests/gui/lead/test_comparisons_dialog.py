"""Creating side-by-side comparisons from the lead window, with the keyboard.

The dialog is opened from the toolbar (or the Side by side page's empty state), driven with
real key presses, and the project is then read through a new ``Project.open``: the
comparisons of each pair are counted and oriented against SQL over the items and models
written here (the baseline as B; between two candidates, the one imported first as B), the
scale and the dimensions read from the project table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar

from annotator.core.project import Project
from tests.factories import add_items


@pytest.fixture
def three_models(tmp_path) -> Path:
    """base and lora-v1 on s1..s6, lora-v2 on s1..s4: different overlaps per pair."""
    path = tmp_path / "sbs.annotator"
    with Project.create(path, "sbs eval") as p:
        add_items(p, 6, "base")
        add_items(p, 6, "lora-v1")
        add_items(p, 4, "lora-v2")
    return path


def _button(window, name):
    return window.findChild(QToolBar, "lead-toolbar").widgetForAction(window.actions_by_name[name])


def _open_dialog(window, controller, qtbot):
    qtbot.mouseClick(_button(window, "side_by_side"), Qt.MouseButton.LeftButton)
    dialog = controller.comparisons.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press to whatever has the focus, as a person would type it."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _shared(conn, a: str, b: str) -> int:
    """Samples both models answered, counted here from the items."""
    return conn.execute(
        "SELECT count(*) FROM items x JOIN models mx ON mx.id = x.model_id "
        "JOIN items y ON y.sample_id = x.sample_id JOIN models my ON my.id = y.model_id "
        "WHERE mx.name = ? AND my.name = ?",
        (a, b),
    ).fetchone()[0]


def _stored(path: Path) -> tuple[dict[tuple[str, str], int], dict, int]:
    """(model of item a, model of item b) -> comparisons; the settings; comparisons whose
    two items are not of one sample (must be none)."""
    with Project.open(path) as check:
        conn = check.db.conn
        rows = conn.execute(
            "SELECT ma.name, mb.name, count(*) FROM comparisons c "
            "JOIN items a ON a.id = c.item_a JOIN models ma ON ma.id = a.model_id "
            "JOIN items b ON b.id = c.item_b JOIN models mb ON mb.id = b.model_id "
            "GROUP BY ma.name, mb.name"
        ).fetchall()
        mismatched = conn.execute(
            "SELECT count(*) FROM comparisons c JOIN items a ON a.id = c.item_a "
            "JOIN items b ON b.id = c.item_b "
            "WHERE a.sample_id != b.sample_id OR c.sample_id != a.sample_id"
        ).fetchone()[0]
        settings = dict(
            conn.execute(
                "SELECT key, value FROM project WHERE key IN ('sbs_scale', 'sbs_dimensions')"
            ).fetchall()
        )
    return {(a, b): n for a, b, n in rows}, settings, mismatched


def _expected(path: Path, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    with Project.open(path) as check:
        return {(a, b): _shared(check.db.conn, a, b) for a, b in pairs}


def _first_imported(path: Path, x: str, y: str) -> str:
    with Project.open(path) as check:
        rows = check.db.conn.execute(
            "SELECT m.name FROM models m JOIN items i ON i.model_id = m.id "
            "WHERE m.name IN (?, ?) GROUP BY m.name ORDER BY min(i.id)",
            (x, y),
        ).fetchall()
    return rows[0][0]


def test_every_candidate_against_the_baseline_is_the_default_and_enter_creates(
    three_models, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(three_models, resamples=20)
    dialog = _open_dialog(window, controller, qtbot)
    assert dialog.vs_baseline.isChecked() and "(base)" in dialog.vs_baseline.text()
    assert dialog.all_pairs.isVisibleTo(dialog)  # three models: every pair is a choice
    assert not dialog.model_a.isEnabled()
    expected = _expected(three_models, [("lora-v1", "base"), ("lora-v2", "base")])
    assert expected == {("lora-v1", "base"): 6, ("lora-v2", "base"): 4}
    preview = dialog.preview.text()
    for (a, b), n in expected.items():
        assert f"{a} vs {b}: {n} samples answered by both" in preview
    _key(qtbot, Qt.Key.Key_Return)
    wait_idle(controller)
    assert not dialog.isVisible() and controller.comparisons.dialog is None
    stored, settings, mismatched = _stored(three_models)
    assert stored == expected and mismatched == 0  # the baseline is always B
    assert settings == {"sbs_scale": "3", "sbs_dimensions": "0"}
    report = controller.last_report
    for (a, b), n in expected.items():
        assert f"{a} vs {b}: {n} created, 0 already there" in report
    assert f"{sum(expected.values())} comparisons created in all" in report
    assert "Next: Assign hands them out with the items" in report
    # The Side by side page and the status were redrawn from the new data.
    ready = window.side_by_side.empty.ready
    assert ready.isVisibleTo(window.side_by_side)
    assert ready.text().startswith(f"{sum(expected.values())} comparisons are ready")


def test_every_pair_five_levels_and_dimensions_with_the_keyboard(
    three_models, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(three_models, resamples=20)
    dialog = _open_dialog(window, controller, qtbot)
    dialog.vs_baseline.setFocus()
    _key(qtbot, Qt.Key.Key_Down)  # the next choice of the group: every pair
    assert dialog.all_pairs.isChecked()
    _key(qtbot, Qt.Key.Key_Tab)  # the two combo boxes are off: straight to the scale
    assert QApplication.focusWidget() is dialog.three
    _key(qtbot, Qt.Key.Key_Down)
    assert dialog.five.isChecked()
    _key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.dimensions
    _key(qtbot, Qt.Key.Key_Space)
    assert dialog.dimensions.isChecked()
    first = _first_imported(three_models, "lora-v1", "lora-v2")  # B between two candidates
    later = ({"lora-v1", "lora-v2"} - {first}).pop()
    pairs = [("lora-v1", "base"), ("lora-v2", "base"), (later, first)]
    expected = _expected(three_models, pairs)
    for (a, b), n in expected.items():
        assert f"{a} vs {b}: {n} samples answered by both" in dialog.preview.text()
    _key(qtbot, Qt.Key.Key_Return)
    wait_idle(controller)
    stored, settings, mismatched = _stored(three_models)
    assert stored == expected and mismatched == 0
    assert settings == {"sbs_scale": "5", "sbs_dimensions": "1"}
    assert "Scale: 5 levels (A much better / A better" in controller.last_report
    assert "also per rubric dimension" in controller.last_report


def test_two_models_chosen_in_the_combo_boxes_and_created_again(
    three_models, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(three_models, resamples=20)
    dialog = _open_dialog(window, controller, qtbot)
    _key(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # &These two models
    qtbot.waitUntil(dialog.two.isChecked)  # a mnemonic clicks the button (animated)
    assert dialog.model_a.isEnabled()
    _key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.model_a
    while dialog.model_a.currentText() != "lora-v1":
        _key(qtbot, Qt.Key.Key_Up)  # a closed combo box steps through its models
    _key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.model_b
    while dialog.model_b.currentText() != "lora-v2":
        _key(qtbot, Qt.Key.Key_Down)
    assert dialog.request() == {"models": ["lora-v1", "lora-v2"]}
    # Between two candidates, the one imported first is B.
    first = _first_imported(three_models, "lora-v1", "lora-v2")
    later = ({"lora-v1", "lora-v2"} - {first}).pop()
    expected = _expected(three_models, [(later, first)])
    assert f"{later} vs {first}: {expected[(later, first)]} samples" in dialog.preview.text()
    _key(qtbot, Qt.Key.Key_Return)
    wait_idle(controller)
    stored, settings, _ = _stored(three_models)
    assert stored == expected
    # Again, the same request: nothing new, and the preview says so first.
    dialog = _open_dialog(window, controller, qtbot)
    dialog.two.setChecked(True)
    dialog.model_a.setCurrentText("lora-v1")
    dialog.model_b.setCurrentText("lora-v2")
    n = expected[(later, first)]
    assert f"{n} of them compared already" in dialog.preview.text()
    dialog.ok.click()
    wait_idle(controller)
    assert f"{later} vs {first}: 0 created, {n} already there" in controller.last_report
    assert _stored(three_models)[0] == expected


def test_no_shared_sample_is_refused_in_words_and_nothing_is_written(
    tmp_path, open_lead, qtbot, wait_idle, no_modal_dialogs
):
    path = tmp_path / "apart.annotator"
    with Project.create(path, "apart") as p:
        add_items(p, 5, "base")
        add_items(p, 3, "lora-x", prefix="t")  # t1..t3: no sample in common with base
    window, controller = open_lead(path, resamples=20)
    dialog = _open_dialog(window, controller, qtbot)
    assert not dialog.all_pairs.isVisibleTo(dialog)  # two models: one pair only
    assert "lora-x vs base: no sample answered by both" in dialog.preview.text()
    dialog.five.setFocus()
    _key(qtbot, Qt.Key.Key_Space)
    assert dialog.five.isChecked()
    _key(qtbot, Qt.Key.Key_Return)
    wait_idle(controller)
    warning = [t for t in no_modal_dialogs if t.startswith("warning:")]
    assert len(warning) == 1
    assert "No comparisons were created" in warning[0]
    assert "no sample was answered by both models of lora-x / base" in warning[0]
    assert "Traceback" not in warning[0]
    assert dialog.isVisible()  # still open: the lead can choose again
    stored, settings, _ = _stored(path)
    assert stored == {} and settings == {}  # not even the scale


def test_the_same_model_twice_cannot_be_created_and_esc_cancels(
    three_models, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(three_models, resamples=20)
    dialog = _open_dialog(window, controller, qtbot)
    dialog.two.setChecked(True)
    dialog.model_a.setCurrentText("base")
    dialog.model_b.setCurrentText("base")
    assert "Choose two different models." in dialog.preview.text()
    assert not dialog.ok.isEnabled()
    dialog.model_a.setFocus()
    _key(qtbot, Qt.Key.Key_Return)
    wait_idle(controller)
    assert dialog.isVisible() and not controller.reports
    _key(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert _stored(three_models)[:2] == ({}, {})
    # Opened again: a fresh dialog, on the defaults.
    again = _open_dialog(window, controller, qtbot)
    assert again is not dialog and again.vs_baseline.isChecked() and again.ok.isEnabled()
    window.actions_by_name["side_by_side"].trigger()  # while it is open: the same one
    assert controller.comparisons.dialog is again


def test_the_empty_state_button_opens_the_dialog(three_models, open_lead, qtbot):
    window, controller = open_lead(three_models, resamples=20)
    window.show_page("side_by_side")
    button = window.side_by_side.empty.create_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert controller.comparisons.dialog is not None
    assert controller.comparisons.dialog.isVisible()
    tip = window.actions_by_name["side_by_side"].toolTip()
    assert tip == "Create side-by-side comparisons of two models' answers"


def test_one_model_says_why_without_a_dialog(tmp_path, open_lead, no_modal_dialogs):
    path = tmp_path / "one.annotator"
    with Project.create(path, "one") as p:
        add_items(p, 3, "base")
    window, controller = open_lead(path, resamples=20)
    window.actions_by_name["side_by_side"].trigger()
    assert controller.comparisons.dialog is None
    assert any("side by side needs two models; the project has 1" in t for t in no_modal_dialogs)
