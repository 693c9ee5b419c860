"""annotator judge run against a real HTTP server on 127.0.0.1 (tests/judge_server.py):
the report in words and in JSON, every error in words, and a run killed with SIGKILL (or
stopped with Ctrl+C) in a subprocess that resumes with every item asked exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from annotator.cli import main
from tests.judge_server import DIMENSIONS, FakeLLM, make_project, stored_scores
from tests.judge_server import expected_score as score_of


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


def expected(where, keys=DIMENSIONS, judge="judge-1"):
    return sorted(
        (judge, model, sample, d, score_of(k, d), f"r{k} {d}")
        for k, (model, sample) in where.items()
        for d in keys
    )


def run(capsys, *argv):
    code = main(["judge", "run", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_and_the_scores_in_the_file(project_file, capsys, monkeypatch):
    path, where = project_file
    monkeypatch.setenv("JUDGE_KEY", "sk-cli-4242")
    with FakeLLM(key="sk-cli-4242") as server:
        code, out, err = run(capsys, path, "--endpoint", server.url, "--model", "judge-1",
                             "--dimensions", "relevance\uff0cFluency", "--concurrency", "2",
                             "--api-key-env", "JUDGE_KEY", "--json")  # fmt: skip
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["judge"], report["asked"], report["scored"], report["failed"]) == (
        "judge-1", 10, 10, 0)  # fmt: skip
    assert report["signature"]["model"] == "judge-1" and report["key_from"] == "JUDGE_KEY"
    assert report["signature"]["endpoint"] == server.url
    assert "sk-cli-4242" not in out
    assert stored_scores(path) == expected(where, ("relevance", "fluency"))


def test_the_report_in_words(project_file, capsys):
    path, _ = project_file
    with FakeLLM() as server:
        code, out, err = run(
            capsys,
            path,
            "--endpoint",
            server.url.removesuffix("/v1"),
            "--model",
            "judge-1",
            "--judge",
            "qwen-judge",
            "--limit",
            "3",
        )
        assert code == 0, err
        assert "judge qwen-judge: 3 asked, 3 stored, 0 already there, 0 failed" in out
        assert f"endpoint:{server.url}|" in out and "no key sent" in out
        code, out, _ = run(capsys, path, "--endpoint", server.url, "--model", "judge-1",
                           "--judge", "qwen-judge")  # fmt: skip
    assert code == 0 and "7 stored, 3 already there" in out


def test_comparisons_in_both_orders_and_their_consistency(project_file, capsys):
    from annotator.core.project import Project

    path, _ = project_file
    with Project.open(path) as project:
        project.side_by_side.create(models=["base", "lora-v2"])
    with FakeLLM() as server:
        code, out, err = run(capsys, path, "--endpoint", server.url, "--model", "judge-1",
                             "--with-comparisons")  # fmt: skip
    assert code == 0, err
    assert "20 asked, 20 stored" in out  # 10 items, 5 comparisons x 2 orders
    assert "same verdict in both orders, overall: 1.00 (5 of 5)" in out
    con = sqlite3.connect(path)
    try:
        per_order = con.execute(
            "SELECT comparison_id, count(DISTINCT left_item) FROM judge_judgments GROUP BY 1"
        ).fetchall()
    finally:
        con.close()
    assert len(per_order) == 5 and {n for _, n in per_order} == {2}


@pytest.mark.parametrize(
    ("server_args", "argv", "words"),
    [
        ({"key": "sk-1"}, [], "wants a key (401: Incorrect API key provided)"),
        ({}, ["--model", "gpt-x"], "has no model of that name (404"),
        ({"mode": "html"}, [], "not JSON (text/html"),
        ({}, ["--endpoint", "http://127.0.0.1:9/v1"], "refused the connection"),
        ({}, ["--endpoint", "ftp://host/v1"], "is not an http:// or https:// address"),
        ({}, ["--dimensions", "tone"], 'unknown dimension "tone"'),
        ({}, ["--api-key-env", "NO_SUCH_VARIABLE_X"], "NO_SUCH_VARIABLE_X is not set"),
        ({}, ["--prompt", "missing.txt"], "missing.txt: file not found"),
    ],
)
def test_every_error_in_words(project_file, capsys, server_args, argv, words):
    path, _ = project_file
    with FakeLLM(**server_args) as server:
        base = ["--endpoint", server.url, "--model", "judge-1"]
        code, out, err = run(capsys, path, *base, *argv, "--concurrency", "1")
    assert code == 1 and out == ""
    assert err.startswith("error: ") and words in err, err
    assert "Traceback" not in err


def test_an_error_with_json_holds_the_partial_report(project_file, capsys):
    path, _ = project_file
    with FakeLLM(key="sk-1") as server:
        code, out, _ = run(capsys, path, "--endpoint", server.url, "--model", "judge-1",
                           "--json")  # fmt: skip
    payload = json.loads(out)
    assert code == 1 and "wants a key" in payload["error"]
    assert payload["report"]["scored"] == 0 and payload["type"] == "JudgeRunError"


# -- killed and resumed, in a subprocess ---------------------------------------------------------
def _cli(path, url, *extra):
    env = {**os.environ, "ANNOTATOR_LANG": "en", "NO_PROXY": "127.0.0.1,localhost"}
    env.pop("ANNOTATOR_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "annotator", "judge", "run", str(path), "--endpoint", url,
         "--model", "judge-1", "--concurrency", "2", *extra],
        cwd=path.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _stored_items(path) -> int:
    con = sqlite3.connect(path, timeout=5)
    try:
        return con.execute("SELECT count(DISTINCT item_id) FROM judge_scores").fetchone()[0]
    except sqlite3.OperationalError:
        return -1
    finally:
        con.close()


def _wait_until_stored(server, path, k, proc, limit=60.0):
    """Until the server answered at least k requests (then it holds the others) and the
    file holds every one of those answers."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        answered = server.total_answered()
        if answered >= k and _stored_items(path) == answered:
            return answered
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the run never stored what the server answered")


@pytest.mark.slow
def test_killed_midway_and_resumed_every_item_asked_exactly_once(tmp_path):
    project, where = make_project(tmp_path / "kill.annotator", 10)
    path = project.path
    project.close()
    with FakeLLM() as server:
        server.hold_after = 7
        proc = _cli(path, server.url)
        stored = _wait_until_stored(server, path, 7, proc)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        answered_first = {key for key, n in server.answered.items() if n}
        assert len(answered_first) == stored
        server.hold_after = None
        server.release.set()  # the held requests end unanswered
        before = server.received.copy()
        again = _cli(path, server.url, "--json")
        out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    report = json.loads(out)
    assert (report["skipped"], report["scored"]) == (stored, 20 - stored)
    # every item answered exactly once over both runs; none stored by the first asked again
    assert len(server.answered) == 20 and set(server.answered.values()) == {1}
    assert all(server.received[key] == before[key] for key in answered_first)
    assert stored_scores(path) == expected(where)
    con = sqlite3.connect(path)
    try:
        twice = con.execute("SELECT item_id, dimension_id FROM judge_scores "
                            "GROUP BY 1, 2 HAVING count(*) > 1").fetchall()  # fmt: skip
    finally:
        con.close()
    assert twice == []


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_keeping_what_was_stored(tmp_path):
    project, where = make_project(tmp_path / "stop.annotator", 6)
    path = project.path
    project.close()
    with FakeLLM() as server:
        server.hold_after = 4
        proc = _cli(path, server.url)
        stored = _wait_until_stored(server, path, 4, proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        server.release.set()
    assert proc.returncode == 130, err
    assert f"stopped: {stored} answer(s) of this run are stored" in out
    assert "Traceback" not in err and "the answers received so far are kept" in err
    assert _stored_items(path) == stored
