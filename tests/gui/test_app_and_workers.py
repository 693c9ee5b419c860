"""Starting the app, the rater picker, and the background-op helper."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from annotator.core.project import Project
from annotator.gui import app as gui_app
from annotator.gui.dialogs.rater_picker import RaterPicker
from annotator.gui.settings import RECENT_PROJECT, app_settings
from annotator.gui.workers import Cancelled, run_in_background


def test_smoke_test_opens_and_remembers_the_project(project_path, qapp):
    assert gui_app.main([str(project_path), "--rater", "alice", "--smoke-test"]) == 0
    assert app_settings().value(RECENT_PROJECT) == str(project_path.resolve())
    # no path now: the recent project opens again
    assert gui_app.main(["--rater", "alice", "--smoke-test"]) == 0
    with Project.open(project_path) as p:
        assert "alice" in p.raters()


def test_a_bad_file_is_a_message_not_a_traceback(tmp_path, qapp, no_modal_dialogs):
    bad = tmp_path / "notes.annotator"
    bad.write_text("not a database", encoding="utf-8")
    assert gui_app.main([str(bad), "--rater", "a", "--smoke-test"]) == 1
    assert no_modal_dialogs and "not an annotator project file" in no_modal_dialogs[0]
    assert gui_app.main([str(tmp_path / "missing.annotator"), "--smoke-test"]) == 1
    assert "does not exist" in no_modal_dialogs[1]


def test_a_rater_package_skips_the_picker(project_path, qapp, monkeypatch):
    with Project.open(project_path) as p, p.db.transaction():
        p.meta.set("package_rater", "李娜")
    asked = []
    monkeypatch.setattr(
        "annotator.gui.dialogs.rater_picker.pick_rater", lambda *a, **k: asked.append(a) or None
    )
    assert gui_app.main([str(project_path), "--smoke-test"]) == 0
    assert asked == []
    with Project.open(project_path) as p:
        assert p.raters() == ["李娜"]


def test_without_a_rater_the_picker_asks_and_cancel_exits(project_path, qapp, monkeypatch):
    asked = []
    monkeypatch.setattr(
        "annotator.gui.dialogs.rater_picker.pick_rater",
        lambda raters, name, parent=None: asked.append((raters, name)) or None,
    )
    assert gui_app.main([str(project_path)]) == 0  # cancelled: returns before any window
    assert asked == [([], "gui eval")]
    assert app_settings().value(RECENT_PROJECT) is None  # no window was opened


def test_a_smoke_test_never_waits_for_a_rater(project_path, qapp, monkeypatch):
    monkeypatch.setattr(
        "annotator.gui.dialogs.rater_picker.pick_rater",
        lambda *a, **k: pytest.fail("the smoke test asked for a rater"),
    )
    assert gui_app.main([str(project_path), "--smoke-test"]) == 0


def test_rater_picker_prefers_a_typed_name(qtbot):
    picker = RaterPicker(["王小明", "Alice"], "demo")
    qtbot.addWidget(picker)
    ok = picker.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert picker.rater() == "王小明" and ok.isEnabled()
    picker.list.setCurrentRow(1)
    assert picker.rater() == "Alice"
    qtbot.keyClicks(picker.new_name, "  bob ")
    assert picker.rater() == "bob"
    empty = RaterPicker([], "demo")
    qtbot.addWidget(empty)
    assert (
        empty.rater() == ""
        and not empty.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    )


def test_background_op_reports_progress_and_result_on_the_ui_thread(qtbot):
    ui_thread = threading.get_ident()
    seen = {"progress": [], "threads": set()}

    def work(progress):
        seen["worker"] = threading.get_ident()
        for k in range(1, 4):
            progress(k, 3)
        return "done"

    def on_progress(done, total):
        seen["progress"].append((done, total))
        seen["threads"].add(threading.get_ident())

    with qtbot.waitCallback() as cb:
        run_in_background(work, on_success=cb, on_progress=on_progress)
    assert cb.args == ["done"]
    qtbot.waitUntil(lambda: len(seen["progress"]) == 3)
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]
    assert seen["threads"] == {ui_thread} != {seen["worker"]}


def test_background_op_failure_and_cancel(qtbot):
    def boom(progress):
        raise ValueError("bad row 7")

    with qtbot.waitCallback() as failed:
        run_in_background(boom, on_failure=failed)
    exc, trace = failed.args
    assert isinstance(exc, ValueError) and "bad row 7" in trace

    gate = threading.Event()
    steps = []

    def long(progress):
        for k in range(1000):
            gate.wait(5)
            steps.append(k)
            progress(k, 1000)
        return "finished"

    succeeded = []
    with qtbot.waitCallback() as cancelled:
        op = run_in_background(long, on_success=succeeded.append, on_failure=cancelled)
        op.cancel()
        gate.set()
    assert isinstance(cancelled.args[0], Cancelled)
    assert op.wait(5) and succeeded == [] and len(steps) == 1
