"""The Run-a-judge dialog against a real OpenAI-compatible server on 127.0.0.1
(tests/judge_server.py): driven with key presses, then the project file is read with SQL.

The server's scores come from its own rule (``expected_score``), so what must be stored
is known without our code; it counts the requests it received and answered, so "nothing
is asked twice" is checked on the server's side."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from annotator.core.domain.errors import AnnotatorError
from annotator.core.project import Project
from annotator.gui.lead.controllers.judge_run import open_judge_run
from annotator.gui.lead.views.judge_run_dialog import JudgeRunDialog
from tests.judge_server import DIMENSIONS, FakeLLM, expected_score, make_project, stored_scores

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(autouse=True)
def no_proxy_no_key(monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY",
                 "all_proxy", "OPENAI_API_KEY"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def project_file(tmp_path):
    project, where = make_project(tmp_path / "eval.annotator", 5)
    project.close()
    return project.path, where


class Opened:
    """The dialog opened from a page, and how often ``on_finished`` was called."""

    def __init__(self, qtbot, path):
        self.page = QWidget()
        qtbot.addWidget(self.page)
        self.finished = 0
        open_judge_run(self.page, path, self._done)
        self.dialog = self.page.findChild(JudgeRunDialog)
        self.flow = self.dialog.flow
        self.questions: list[str] = []
        self.answer = True
        self.flow.ask_yes_no = self._ask
        qtbot.waitExposed(self.dialog)
        self.dialog.activateWindow()
        qtbot.waitUntil(self.dialog.isActiveWindow)

    def _done(self):
        self.finished += 1

    def _ask(self, _title, text):
        self.questions.append(text)
        return self.answer


@pytest.fixture
def opened(qtbot):
    made: list[Opened] = []

    def open_(path):
        made.append(Opened(qtbot, path))
        return made[-1]

    yield open_
    for o in made:
        o.flow.stop.set()
        for op in (o.flow.op, o.flow.check_op):
            if op is not None:
                op.wait(30)


def type_into(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def expected(where, keys=DIMENSIONS, judge="judge-1"):
    return sorted(
        (judge, model, sample, d, expected_score(k, d), f"r{k} {d}")
        for k, (model, sample) in where.items()
        for d in keys
    )


def check_connection(qtbot, o, url):
    type_into(qtbot, o.dialog.endpoint, url)
    qtbot.keyClick(o.dialog.endpoint, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Checking" not in o.dialog.connection.text(), timeout=15000)


def run_and_wait(qtbot, o, finished_before=None):
    before = o.finished if finished_before is None else finished_before
    qtbot.keyClick(o.dialog, Qt.Key.Key_R, ALT)
    qtbot.waitUntil(lambda: o.finished > before, timeout=30000)


def test_check_connection_lists_the_servers_model(project_file, opened, qtbot):
    path, _ = project_file
    o = opened(path)
    assert o.dialog.endpoint.placeholderText() == "http://gpu-box:8000/v1"
    assert "never stored" in o.dialog.key_note.text()
    # no comparisons in the project: only the items can be judged
    assert [o.dialog.what.itemData(i) for i in range(o.dialog.what.count())] == ["items"]
    with FakeLLM(model="qwen2.5-7b-judge") as server:
        check_connection(qtbot, o, server.url)
    assert o.dialog.model.currentText() == "qwen2.5-7b-judge"
    assert "qwen2.5-7b-judge" in o.dialog.connection.text()
    assert o.dialog.judge.placeholderText() == "qwen2.5-7b-judge"  # the judge's default name
    assert o.finished == 0  # checking stores nothing


def test_a_run_stores_the_scores_and_reports_in_words(project_file, opened, qtbot):
    path, where = project_file
    o = opened(path)
    with FakeLLM() as server:
        check_connection(qtbot, o, server.url)
        o.dialog.dimensions["style"].setFocus()
        qtbot.keyClick(o.dialog.dimensions["style"], Qt.Key.Key_Space)  # not asked
        run_and_wait(qtbot, o)
    keys = ("relevance", "fluency", "compliance")
    assert stored_scores(path) == expected(where, keys)
    assert sum(server.answered.values()) == 10 and max(server.answered.values()) == 1
    assert o.dialog.progress.text() == "10 of 10 answers"
    text = o.dialog.report.toPlainText()
    assert text.startswith("Finished")
    assert "judge-1: 10 answer(s) stored in this run (30 scores" in text
    assert "no key sent" in text and f"endpoint:{server.url}|" in text
    assert "Traceback" not in text
    assert o.finished == 1 and o.dialog.run.isEnabled() and not o.dialog.cancel.isEnabled()


def held(qtbot, o, server) -> int:
    """Wait until the server holds a request and the dialog shows every answer it sent;
    returns how many (the hold starts after ``hold_after``: one more may slip through)."""

    def still() -> bool:
        n = server.total_answered()
        shown = o.dialog.progress.text() == f"{n} of 10 answers"
        return n >= server.hold_after and server.in_flight == 1 and shown

    qtbot.waitUntil(still, timeout=15000)
    qtbot.wait(200)  # a request that slipped through is answered by now: then the next is held
    qtbot.waitUntil(still, timeout=15000)
    n = server.total_answered()
    assert server.hold_after <= n <= server.hold_after + 1
    return n


def test_cancel_keeps_what_was_stored_and_a_second_run_completes_it(project_file, opened, qtbot):
    path, where = project_file
    o = opened(path)
    with FakeLLM() as server:
        check_connection(qtbot, o, server.url)
        type_into(qtbot, o.dialog.concurrency, "1")
        server.hold_after = 3  # the 4th request is held until the run is cancelled
        qtbot.keyClick(o.dialog, Qt.Key.Key_R, ALT)
        n = held(qtbot, o, server)
        assert o.dialog.cancel.isEnabled() and not o.dialog.run.isEnabled()
        qtbot.keyClick(o.dialog, Qt.Key.Key_C, ALT)
        qtbot.waitUntil(lambda: o.finished == 1, timeout=15000)
        first = stored_scores(path)
        answered_first = dict(server.answered)
        assert len(first) == n * len(DIMENSIONS) and set(first) <= set(expected(where))
        text = o.dialog.report.toPlainText()
        assert text.startswith(f"Cancelled: the run stopped. The {n} answer(s) received are stored")
        assert "will not be asked again" in o.dialog.resume.text()
        assert o.dialog.resume.text().startswith(f"{n} answers already stored by judge-1")
        server.hold_after = None
        server.release.set()  # the held request ends unanswered
        received_first = dict(server.received)
        run_and_wait(qtbot, o)
    assert stored_scores(path) == expected(where)
    assert all(n == 1 for n in server.answered.values()) and sum(server.answered.values()) == 10
    for key in answered_first:  # what was stored was not asked again
        assert server.received[key] == received_first[key]
    text = o.dialog.report.toPlainText()
    assert f"judge-1: {10 - n} answer(s) stored in this run" in text
    assert f"{n} already stored and not asked again" in text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_refused_port_is_said_in_words(project_file, opened, qtbot):
    path, _ = project_file
    o = opened(path)
    url = f"http://127.0.0.1:{free_port()}/v1"
    check_connection(qtbot, o, url)
    said = o.dialog.connection.text()
    assert said.startswith("Cannot connect: ") and "refused the connection" in said
    assert "Traceback" not in said
    o.dialog.model.setFocus()
    qtbot.keyClicks(o.dialog.model, "judge-1")
    run_and_wait(qtbot, o)
    text = o.dialog.report.toPlainText()
    assert text.startswith("Stopped: ") and "refused the connection" in text
    assert "Traceback" not in text and stored_scores(path) == []


def test_closing_while_running_asks_then_stops_cleanly(project_file, opened, qtbot):
    path, where = project_file
    o = opened(path)
    with FakeLLM() as server:
        check_connection(qtbot, o, server.url)
        type_into(qtbot, o.dialog.concurrency, "1")
        server.hold_after = 2
        qtbot.keyClick(o.dialog, Qt.Key.Key_R, ALT)
        n = held(qtbot, o, server)
        o.answer = False
        qtbot.keyClick(o.dialog, Qt.Key.Key_Escape)
        assert len(o.questions) == 1 and "Stop it and close?" in o.questions[0]
        assert o.dialog.isVisible() and o.flow.op is not None  # still running
        o.answer = True
        dialog = o.dialog
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert len(o.questions) == 2  # asked once more, not twice for one Esc
        qtbot.waitUntil(lambda: o.finished == 1, timeout=15000)
        server.release.set()
    assert len(stored_scores(path)) == n * len(DIMENSIONS)
    assert o.page.findChild(JudgeRunDialog) is None


def test_comparisons_in_both_orders_when_the_project_has_some(project_file, opened, qtbot):
    path, _ = project_file
    with Project.open(path) as project:
        project.side_by_side.create(models=["base", "lora-v2"])
    o = opened(path)
    what = o.dialog.what
    assert [what.itemData(i) for i in range(what.count())] == ["items", "comparisons", "both"]
    what.setFocus()
    qtbot.keyClick(what, Qt.Key.Key_Down)
    assert what.currentData() == "comparisons"
    with FakeLLM() as server:
        check_connection(qtbot, o, server.url)
        run_and_wait(qtbot, o)
    con = sqlite3.connect(path)
    try:
        orders = con.execute(
            "SELECT comparison_id, count(DISTINCT left_item) FROM judge_judgments GROUP BY 1"
        ).fetchall()
    finally:
        con.close()
    assert len(orders) == 5 and all(n == 2 for _, n in orders)  # both orders of each
    assert stored_scores(path) == []  # the items were not asked
    text = o.dialog.report.toPlainText()
    assert "same verdict in both orders, overall: 1.00 (5 of 5)" in text


# -- the facade's Check connection, on servers that are not what they should be -----------
class _Odd(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/html"):
            status, kind, body = 200, "text/html", b"<html><body>Router login</body></html>"
        else:
            status, kind = 401, "application/json"
            body = json.dumps({"error": {"message": "Incorrect API key provided"}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def odd_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Odd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_models_says_what_is_wrong_in_words(project_file, odd_server, monkeypatch):
    path, _ = project_file
    with Project.open(path) as project:
        with pytest.raises(AnnotatorError, match="wants a key .401: Incorrect API key"):
            project.judges.models(f"{odd_server}/v1")
        monkeypatch.setenv("JUDGE_KEY", "sk-test-1")
        with pytest.raises(AnnotatorError, match="refused the key .401"):
            project.judges.models(f"{odd_server}/v1", api_key_env="JUDGE_KEY")
        with pytest.raises(AnnotatorError, match="not a list of models .text/html"):
            project.judges.models(f"{odd_server}/html/v1")
        with pytest.raises(AnnotatorError, match="JUDGE_MISSING is not set"):
            project.judges.models(f"{odd_server}/v1", api_key_env="JUDGE_MISSING")
        with pytest.raises(AnnotatorError, match="is not an http"):
            project.judges.models("gpu box")
        with FakeLLM() as server:
            assert project.judges.models(server.url.removesuffix("/v1")) == ["judge-1"]
            with pytest.raises(AnnotatorError, match="has no chat completions API .404"):
                project.judges.models(f"{server.url}/nowhere")


def test_the_key_comes_from_the_variable_and_is_stored_nowhere(
    project_file, opened, qtbot, monkeypatch
):
    path, where = project_file
    monkeypatch.setenv("JUDGE_KEY", "sk-gui-7319")
    o = opened(path)
    with FakeLLM(key="sk-gui-7319") as server:
        check_connection(qtbot, o, server.url)
        assert o.flow.op is None and o.dialog.isVisible()  # Enter checked; it did not run
        type_into(qtbot, o.dialog.key_env, "JUDGE_KEY")
        run_and_wait(qtbot, o)
    assert stored_scores(path) == expected(where)
    assert {h.get("Authorization") for h in server.headers} == {"Bearer sk-gui-7319"}
    assert "key from the environment variable JUDGE_KEY" in o.dialog.report.toPlainText()
    assert b"sk-gui-7319" not in path.read_bytes()
    assert "sk-gui-7319" not in o.dialog.report.toPlainText()


def test_a_prompt_file_that_cannot_be_used_is_said_before_anything_is_asked(
    project_file, opened, qtbot, tmp_path
):
    path, _ = project_file
    template = tmp_path / "prompt.txt"
    template.write_text("Judge {answer} against {nonsense}", encoding="utf-8")
    o = opened(path)
    o.flow.ask_prompt_file = lambda: str(template)
    qtbot.keyClick(o.dialog, Qt.Key.Key_O, ALT)  # Browse… (Alt+B is a line edit's word back)
    # a mnemonic "animates" the click: it lands a moment later
    qtbot.waitUntil(lambda: o.dialog.prompt.text() == str(template), timeout=5000)
    with FakeLLM() as server:
        check_connection(qtbot, o, server.url)
        run_and_wait(qtbot, o)
    text = o.dialog.report.toPlainText()
    assert text.startswith("Not started: ") and "nonsense" in text and "Traceback" not in text
    assert sum(server.received.values()) == 0 and stored_scores(path) == []


@pytest.mark.slow
def test_a_run_beside_the_open_lead_window(project_file, open_lead, qtbot, wait_idle):
    """The lead window holds its own connection and polls the file while the judge writes."""
    from annotator.gui.lead.changes import Changes

    path, where = project_file
    window, controller = open_lead(path, poll_ms=50)
    refreshed = []
    open_judge_run(window, path, lambda: refreshed.append(controller.refresh(Changes.everything())))
    dialog = window.findChild(JudgeRunDialog)
    dialog.flow.ask_yes_no = lambda *_: True
    open_judge_run(window, path, lambda: None)  # a second call brings the same dialog back
    assert len(window.findChildren(JudgeRunDialog)) == 1
    with FakeLLM(delay=0.02) as server:
        type_into(qtbot, dialog.endpoint, server.url)
        qtbot.keyClick(dialog.endpoint, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.model.currentText() == "judge-1", timeout=15000)
        qtbot.keyClick(dialog, Qt.Key.Key_R, ALT)
        qtbot.waitUntil(lambda: bool(refreshed), timeout=30000)
    wait_idle(controller)
    assert stored_scores(path) == expected(where)
    assert dialog.report.toPlainText().startswith("Finished")
    assert controller.errors == []


def test_json_mode_can_be_turned_off_for_a_server_that_refuses_it(project_file, opened, qtbot):
    path, where = project_file
    o = opened(path)
    assert o.dialog.json_mode.isChecked()
    with FakeLLM() as server:
        check_connection(qtbot, o, server.url)
        qtbot.keyClick(o.dialog, Qt.Key.Key_S, ALT)
        qtbot.waitUntil(lambda: not o.dialog.json_mode.isChecked(), timeout=5000)
        run_and_wait(qtbot, o)
    assert server.bodies and all("response_format" not in body for body in server.bodies)
    assert "json_mode:False" in o.dialog.report.toPlainText()
    assert stored_scores(path) == expected(where)


def test_a_project_that_cannot_be_opened_is_said_and_no_dialog_opens(
    tmp_path, qtbot, no_modal_dialogs
):
    page = QWidget()
    qtbot.addWidget(page)
    missing = tmp_path / "gone.annotator"
    open_judge_run(page, missing, lambda: None)
    assert page.findChild(JudgeRunDialog) is None
    assert len(no_modal_dialogs) == 1 and no_modal_dialogs[0].startswith("warning: ")
    assert "gone.annotator" in no_modal_dialogs[0] and "Traceback" not in no_modal_dialogs[0]
