"""judge run against a real HTTP server on 127.0.0.1 speaking the chat-completions
protocol (tests/judge_server.py). The server's scores come from the answer's number and
the dimension only, so what must be stored is known here without our code; everything is
read back from the file with SQL."""

from __future__ import annotations

import socket
import sqlite3
import threading

import pytest

from annotator.core.domain.errors import AnnotatorError, InputError
from tests.judge_server import DIMENSIONS, FakeLLM, make_project, stored_scores
from tests.judge_server import expected_score as score_of

FAST = {"backoff": 0.01}


@pytest.fixture(autouse=True)
def no_proxy_no_key(monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY",
                 "all_proxy", "OPENAI_API_KEY"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def make(tmp_path):
    """make(tags) -> (project, where): 6 samples of two models, answer k tagged tags[k]."""
    made = []

    def _make(tags=None):
        project, where = make_project(tmp_path / f"eval{len(made)}.annotator", 6, tags=tags)
        made.append(project)
        return project, where

    yield _make
    for project in made:
        project.close()


@pytest.fixture
def made(make):
    return make()


def expected(where, keys, judge="judge-1", skip=()) -> list[tuple]:
    return sorted(
        (judge, model, sample, d, score_of(k, d), f"r{k} {d}")
        for k, (model, sample) in where.items()
        if k not in skip
        for d in keys
    )


def rows(path, sql, *params):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_scores_stored_as_the_server_gave_them_with_the_signature(made):
    project, where = made
    with FakeLLM() as server:
        report = project.judges.run(endpoint=server.url, model="judge-1",
                                    dimensions=["relevance", "Fluency"], **FAST)  # fmt: skip
    assert stored_scores(project.path) == expected(where, ("relevance", "fluency"))
    assert (report.asked, report.scored, report.failed, report.skipped) == (12, 12, 0, 0)
    assert report.scores == 24 and report.judge == "judge-1"
    assert set(server.answered.values()) == {1} and len(server.answered) == 12
    (signature,) = rows(project.path, "SELECT signature FROM judges")
    for part in (
        '"kind": "llm"',
        '"model": "judge-1"',
        f'"endpoint": "{server.url}"',
        '"temperature": 0.0',
        '"max_tokens": 1024',
        '"json_mode": true',
        '"seed": null',
        f'"prompt_sha256": "{report.signature["prompt_sha256"]}"',
    ):
        assert part in signature[0]  # fmt: skip
    body = server.bodies[0]
    assert body["model"] == "judge-1" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"} and "seed" not in body
    system, user = body["messages"]
    assert system["role"] == "system" and "JSON" in system["content"]
    # the rubric asked (with its anchors), the item's texts, and nothing of the rest
    assert "Off-topic: ignores the instruction" in user["content"]
    assert "### fluency (Fluency)" in user["content"] and "### style" not in user["content"]
    assert "Write a line about product" in user["content"] and "reference " in user["content"]


def test_the_endpoint_with_or_without_v1_and_its_chat_path(made):
    project, where = made
    with FakeLLM() as server:
        bare = server.url.removesuffix("/v1")
        project.judges.run(endpoint=bare, model="judge-1", judge="a", limit=1, **FAST)
        project.judges.run(endpoint=f"{server.url}/chat/completions", model="judge-1",
                           judge="b", limit=1, **FAST)  # fmt: skip
    sigs = rows(project.path, "SELECT name, signature FROM judges ORDER BY name")
    assert all(f'"endpoint": "{server.url}"' in s for _, s in sigs)


def test_replies_in_a_fence_with_quoted_scores_or_unusable_once_are_read(make):
    project, where = make({0: "FENCE", 1: "STRING", 2: "FLAKY"})
    with FakeLLM() as server:
        report = project.judges.run(endpoint=server.url, model="judge-1", **FAST)
    assert stored_scores(project.path) == expected(where, DIMENSIONS)
    assert report.failed == 0 and server.received[(2,)] == 2
    # asked again with the unusable reply and what was wrong with it
    again = [b for b in server.bodies if "ANSWER-2 " in b["messages"][1]["content"]][1]
    assert [m["role"] for m in again["messages"]] == ["system", "user", "assistant", "user"]
    assert "no JSON" in again["messages"][2]["content"]
    assert "could not be used: the reply holds no JSON object" in again["messages"][3]["content"]


def test_unusable_replies_become_failures_never_scores(make):
    project, where = make({0: "MALFORMED", 1: "OUTOFSCALE", 2: "FLOAT", 3: "MISSING"})
    bad = {0, 1, 2, 3}
    with FakeLLM() as server:
        report = project.judges.run(endpoint=server.url, model="judge-1", reply_retries=2, **FAST)
        assert all(server.received[(k,)] == 3 for k in bad)  # asked, then again twice
        before = server.received.copy()
        # a later run asks the failed ones again (only them) and keeps failing them
        again = project.judges.run(endpoint=server.url, model="judge-1", reply_retries=0, **FAST)
    assert stored_scores(project.path) == expected(where, DIMENSIONS, skip=bad)
    assert (report.scored, report.failed) == (8, 4)
    assert (again.skipped, again.asked, again.failed) == (8, 4, 4)
    assert {k for k in server.received if server.received[k] > before[k]} == {(k,) for k in bad}
    failures = dict(
        rows(
            project.path,
            "SELECT i.generated, f.error FROM judge_failures f JOIN items i "
            "ON 'item:' || i.uid = f.unit",
        )
    )
    assert set(failures) == {
        f"ANSWER-{k} [{t}]"
        for k, t in zip(sorted(bad), ("MALFORMED", "OUTOFSCALE", "FLOAT", "MISSING"), strict=True)
    }
    assert "no JSON object" in failures["ANSWER-0 [MALFORMED]"]
    assert "relevance is 6" in failures["ANSWER-1 [OUTOFSCALE]"]
    assert "fluency is 4.5" in failures["ANSWER-2 [FLOAT]"]
    assert "no score for fluency" in failures["ANSWER-3 [MISSING]"]
    assert rows(project.path, "SELECT DISTINCT attempts FROM judge_failures") == [(1,)]


def test_429_500_and_a_slow_reply_are_retried_with_backoff(make):
    project, where = make({0: "RATE", 1: "E500", 2: "SLOW"})
    with FakeLLM(slow=1.5) as server:
        report = project.judges.run(endpoint=server.url, model="judge-1", timeout=0.5,
                                    **FAST)  # fmt: skip
    assert stored_scores(project.path) == expected(where, DIMENSIONS)
    assert server.received[(0,)] == 2 and server.received[(1,)] == 3
    assert server.received[(2,)] >= 2
    assert report.retries >= 4 and report.failed == 0


def test_retry_after_is_honoured(made):
    project, _ = made
    project.close()
    project, _ = make_project(project.path.with_name("rate.annotator"), 1, models=("m",),
                              tags={0: "RATE"})  # fmt: skip
    stamps = []
    with FakeLLM() as server:
        original = server._reply

        def stamped(*args):
            import time

            stamps.append(time.monotonic())
            return original(*args)

        server._reply = stamped
        project.judges.run(endpoint=server.url, model="judge-1", **FAST)
    project.close()
    assert len(stamps) == 2 and stamps[1] - stamps[0] >= 0.95  # Retry-After: 1, backoff 0.01


def test_a_run_resumes_where_it_stopped_and_asks_nothing_twice(made):
    project, where = made
    with FakeLLM() as server:
        first = project.judges.run(endpoint=server.url, model="judge-1", limit=5, **FAST)
        second = project.judges.run(endpoint=server.url, model="judge-1", **FAST)
        third = project.judges.run(endpoint=server.url, model="judge-1", **FAST)
    assert (first.scored, second.skipped, second.scored, third.skipped, third.asked) == (
        5, 5, 7, 12, 0)  # fmt: skip
    assert len(server.answered) == 12 and set(server.answered.values()) == {1}
    assert stored_scores(project.path) == expected(where, DIMENSIONS)
    # more dimensions later: only those are asked, the stored ones stay as they were
    project.close()


def test_new_dimensions_later_ask_only_for_them(made):
    project, where = made
    with FakeLLM() as server:
        project.judges.run(endpoint=server.url, model="judge-1", dimensions=["relevance"],
                           **FAST)  # fmt: skip
        project.judges.run(endpoint=server.url, model="judge-1", **FAST)
    later = server.bodies[12:]
    assert len(later) == 12
    assert all("### relevance" not in b["messages"][1]["content"] for b in later)
    assert stored_scores(project.path) == expected(where, DIMENSIONS)


def test_cancel_keeps_what_arrived_and_the_next_run_finishes(made):
    project, where = made
    calls = []
    with FakeLLM(delay=0.02) as server:
        report = project.judges.run(
            endpoint=server.url, model="judge-1", concurrency=1,
            progress=lambda done, total: calls.append(done), cancel=lambda: len(calls) > 4,
            **FAST,
        )  # fmt: skip
        assert report.cancelled and 4 <= report.scored < 12
        stored_first = {
            (int(g.split("-")[1]),)
            for (g,) in rows(project.path, "SELECT DISTINCT i.generated FROM judge_scores s "
                             "JOIN items i ON i.id = s.item_id")
        }  # fmt: skip
        assert len(stored_first) == report.scored
        before = server.received.copy()
        rest = project.judges.run(endpoint=server.url, model="judge-1", **FAST)
    assert rest.skipped == report.scored and not rest.cancelled
    assert stored_scores(project.path) == expected(where, DIMENSIONS)
    # what the first run stored was never asked for again; the rest once each
    assert all(server.received[k] == before[k] == 1 for k in stored_first)
    assert all(server.answered[k] == 1 for k in stored_first)
    asked_again = {k for k in server.received if server.received[k] > before[k]}
    assert asked_again == {(k,) for k in where} - stored_first


def test_no_more_requests_in_flight_than_asked(tmp_path):
    project, _ = make_project(tmp_path / "many.annotator", 12)
    with FakeLLM(delay=0.4) as server:  # long enough for 3 in flight on a busy machine
        project.judges.run(endpoint=server.url, model="judge-1", concurrency=3, **FAST)
    project.close()
    assert server.max_in_flight == 3
    assert len(server.answered) == 24


def test_the_key_goes_as_bearer_from_the_variable_and_nowhere_into_the_file(made, monkeypatch):
    project, _ = made
    key = "sk-judge-7f3c9a1e5b2d"
    monkeypatch.setenv("MY_JUDGE_KEY", key)
    with FakeLLM(key=key) as server:
        report = project.judges.run(endpoint=f"{server.url}?api-version=1", model="judge-1",
                                    api_key_env="MY_JUDGE_KEY", **FAST)  # fmt: skip
    assert report.scored == 12 and report.key_from == "MY_JUDGE_KEY"
    assert {h["Authorization"] for h in server.headers} == {f"Bearer {key}"}
    assert key not in repr(report.to_dict())
    path = project.path
    project.close()
    for file in [path, *path.parent.glob(path.name + "-*")]:
        assert key.encode() not in file.read_bytes()
    assert "api-version" not in str(rows(path, "SELECT signature FROM judges"))


def test_the_default_key_is_openai_api_key_when_set(made, monkeypatch):
    project, _ = made
    monkeypatch.setenv("OPENAI_API_KEY", "sk-default")
    with FakeLLM(key="sk-default") as server:
        report = project.judges.run(endpoint=server.url, model="judge-1", limit=1, **FAST)
    assert report.key_from == "OPENAI_API_KEY" and report.scored == 1


def test_401_404_html_and_unreachable_are_said_in_words_with_nothing_stored(made):
    project, _ = made
    with FakeLLM(key="sk-x") as server:
        with pytest.raises(AnnotatorError, match="wants a key.*--api-key-env"):
            project.judges.run(endpoint=server.url, model="judge-1", **FAST)
    with FakeLLM() as server:
        with pytest.raises(AnnotatorError, match="no model of that name.*it serves: judge-1"):
            project.judges.run(endpoint=server.url, model="gpt-9", **FAST)
        with pytest.raises(AnnotatorError, match="no chat completions API.*ends in /v1"):
            project.judges.run(endpoint=f"{server.url}/wrong", model="judge-1", **FAST)
    with FakeLLM(mode="html") as server:
        with pytest.raises(AnnotatorError, match="not JSON.*text/html.*Router login"):
            project.judges.run(endpoint=server.url, model="judge-1", **FAST)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with pytest.raises(AnnotatorError, match="refused the connection: is the server running"):
        project.judges.run(endpoint=f"http://127.0.0.1:{port}", model="judge-1", **FAST)
    with pytest.raises(AnnotatorError, match="host of http://no-such-host.invalid"):
        project.judges.run(endpoint="http://no-such-host.invalid:8000", model="m", **FAST)
    assert rows(project.path, "SELECT count(*) FROM judges") == [(0,)]
    assert rows(project.path, "SELECT count(*) FROM judge_scores") == [(0,)]


def test_a_wrong_key_is_said_and_the_message_stops_the_run_with_what_was_stored(made, monkeypatch):
    project, _ = made
    monkeypatch.setenv("K", "sk-wrong")
    with FakeLLM(key="sk-right") as server:
        with pytest.raises(AnnotatorError, match="refused the key") as caught:
            project.judges.run(endpoint=server.url, model="judge-1", api_key_env="K", **FAST)
    assert caught.value.report.scored == 0
    assert "Nothing was stored" in str(caught.value)
    monkeypatch.delenv("K")
    with pytest.raises(AnnotatorError, match="variable K is not set"):
        project.judges.run(endpoint="http://127.0.0.1:1", model="m", api_key_env="K")


def test_a_server_still_failing_after_five_attempts_stops_the_run(make):
    project, where = make({5: "DOWN"})
    with FakeLLM() as server:
        with pytest.raises(AnnotatorError) as caught:
            project.judges.run(endpoint=server.url, model="judge-1", concurrency=1, **FAST)
    text = str(caught.value)
    assert "answered 503: no replica available (after 5 attempts)" in text
    assert "\nThe 5 answer(s) received are stored; run the same command again to ask for " \
        "the 7 left." in text  # fmt: skip
    assert server.received[(5,)] == 5 and caught.value.report.scored == 5
    assert stored_scores(project.path) == expected(where, DIMENSIONS, skip=set(range(5, 12)))


def test_a_server_refusing_every_request_stops_the_run(make):
    project, _ = make({k: "REFUSE" for k in range(12)})
    with FakeLLM() as server:
        with pytest.raises(AnnotatorError, match="refused the first 3 requests.*context length"):
            project.judges.run(endpoint=server.url, model="judge-1", concurrency=1, **FAST)
    assert len(server.received) < 12  # it stopped (a request or two were on their way)


def test_another_signature_under_the_same_name_is_refused(made):
    project, _ = made
    with FakeLLM() as server:
        project.judges.run(endpoint=server.url, model="judge-1", limit=2, **FAST)
        with pytest.raises(AnnotatorError, match=r"temperature: 0\.0 -> 0\.7.*--judge"):
            project.judges.run(endpoint=server.url, model="judge-1", temperature=0.7, **FAST)
        hot = project.judges.run(endpoint=server.url, model="judge-1", judge="judge-1-hot",
                                 temperature=0.7, seed=5, limit=1, **FAST)  # fmt: skip
    assert hot.scored == 1 and server.bodies[-1]["seed"] == 5
    assert server.bodies[-1]["temperature"] == 0.7


def test_a_judge_may_not_bear_a_raters_name(made):
    project, _ = made
    from annotator.core.storage import RatersRepo

    with project.db.transaction():
        RatersRepo(project.db.conn).id_for("Ann", create=True)
    with pytest.raises(AnnotatorError, match='name of the rater "Ann"'):
        project.judges.run(endpoint="http://127.0.0.1:1", model="m", judge="ann")


def test_bad_settings_and_dimensions_are_refused_in_words(made):
    project, _ = made
    url = "http://127.0.0.1:1/v1"
    cases = [({"concurrency": 0}, "--concurrency"), ({"temperature": 3}, "--temperature"),
             ({"dimensions": ["tone"]}, 'unknown dimension "tone"'), ({"limit": 0}, "--limit"),
             ({"endpoint": "ftp://x"}, "not an http"), ({"model": " "}, "--model"),
             ({"endpoint": "http://u:secret@host/v1"}, "user name or key")]  # fmt: skip
    for change, words in cases:
        with pytest.raises(AnnotatorError, match=words):
            project.judges.run(**{"endpoint": url, "model": "m", **change})
    assert rows(project.path, "SELECT count(*) FROM judges") == [(0,)]


def test_a_template_of_the_lead_with_its_placeholders_checked(made, tmp_path):
    project, _ = made
    template = tmp_path / "judge.txt"
    template.write_text('Task: {instruction}\nAnswer: {answer}\nExample: {"relevance": 3}\n')
    with FakeLLM() as server:
        mine = project.judges.run(endpoint=server.url, model="judge-1", judge="mine",
                                  prompt=template, limit=1, **FAST)  # fmt: skip
        default = project.judges.run(endpoint=server.url, model="judge-1", limit=1, **FAST)
    user = server.bodies[0]["messages"][1]["content"]
    assert user.startswith('Task: Write a line about product 1\nAnswer: ANSWER-0\nExample: {"rel')
    assert "Reply with one JSON object only" in user  # {format} added at the end
    assert mine.signature["prompt_sha256"] != default.signature["prompt_sha256"]
    template.write_text("Rate {answers} for {instruction}\nWith {rubric} and {score}\n")
    with pytest.raises(InputError) as caught:
        project.judges.run(endpoint=server.url, model="judge-1", prompt=template)
    text = str(caught.value)
    assert "line 1" in text and "{answers}" in text and "line 2" in text and "{score}" in text
    assert "has no {answer}" in text


def test_a_chinese_project_asks_in_chinese(tmp_path):
    project, _ = make_project(tmp_path / "zh.annotator", 1, models=("m",), language="zh_CN")
    with FakeLLM() as server:
        project.judges.run(endpoint=server.url, model="judge-1", **FAST)
    project.close()
    system, user = server.bodies[0]["messages"]
    assert "评审" in system["content"] and "## 待评回答" in user["content"]
    assert "答非所问" in user["content"] and "### relevance (相关性)" in user["content"]


# -- side by side ----------------------------------------------------------------------------
def _comparisons(project):
    project.side_by_side.create(models=["base", "lora-v2"])
    return rows(project.path, "SELECT id, item_a, item_b FROM comparisons ORDER BY id")


def _n(project, item_id) -> int:
    (generated,) = rows(project.path, "SELECT generated FROM items WHERE id = ?", item_id)[0]
    return int(generated.split("-")[1].split()[0])


def test_comparisons_are_asked_in_both_orders_and_stored_per_order(made):
    from tests.judge_server import expected_winner

    project, _ = made
    pairs = _comparisons(project)
    with FakeLLM() as server:
        report = project.judges.run(endpoint=server.url, model="judge-1", comparisons=True,
                                    **FAST)  # fmt: skip
    assert (report.asked, report.judgments) == (12, 12)
    stored = {(c, left): o for c, left, o in rows(project.path, "SELECT comparison_id, "
              "left_item, outcome FROM judge_judgments WHERE dimension = ''")}  # fmt: skip
    for cid, a, b in pairs:
        for left, right in ((a, b), (b, a)):
            winner = expected_winner(_n(project, left), _n(project, right))
            model_order = {"A": "a" if left == a else "b", "B": "b" if left == a else "a",
                           "tie": "tie"}  # fmt: skip
            assert stored[(cid, left)] == model_order[winner]
        # A/B shown first, then B/A: the answer of item_a is answer A once, answer B once
        assert server.answered[(_n(project, a), _n(project, b))] == 1
        assert server.answered[(_n(project, b), _n(project, a))] == 1
    (overall,) = [c for c in report.consistency if c["dimension"] == ""]
    assert (overall["pairs"], overall["consistent"], overall["rate"]) == (6, 6, 1.0)


def test_a_judge_that_prefers_what_it_sees_first_is_inconsistent_and_gives_ties(made):
    from annotator.core.storage.judges import JudgesRepo
    from annotator.core.usecases.judges.orders import combine_orders

    project, _ = made
    _comparisons(project)
    project.side_by_side.configure(dimensions=True)
    with FakeLLM() as server:
        server.position_bias = True
        report = project.judges.run(endpoint=server.url, model="judge-1", comparisons=True,
                                    dimensions=["fluency"], **FAST)  # fmt: skip
    counts = rows(project.path, "SELECT dimension, count(*) FROM judge_judgments GROUP BY 1")
    assert counts == [("", 12), ("fluency", 12)]
    assert {c["dimension"]: c["rate"] for c in report.consistency} == {"": 0.0, "fluency": 0.0}
    combined = combine_orders(JudgesRepo(project.db.conn).judgments_frame("judge-1"))
    assert set(combined["outcome"]) == {"tie"} and len(combined) == 12


def test_combining_two_orders_by_hand():
    import pandas as pd

    from annotator.core.usecases.judges.orders import combine_orders, consistency

    frame = pd.DataFrame(
        [(1, "s1", "j", "", "x", "y", "x", "a", ""), (1, "s1", "j", "", "x", "y", "y", "a", ""),
         (2, "s2", "j", "", "x", "y", "x", "a", ""), (2, "s2", "j", "", "x", "y", "y", "b", ""),
         (3, "s3", "j", "", "x", "y", "x", "both_bad", "")],
        columns=["comparison_id", "sample_id", "judge", "dimension", "model_a", "model_b",
                 "left", "outcome", "reason"],
    )  # fmt: skip
    combined = combine_orders(frame)
    assert combined["outcome"].tolist() == ["a", "tie", "both_bad"]
    assert combined["orders"].tolist() == [2, 2, 1]
    (row,) = consistency(combined).to_dict("records")
    assert (row["pairs"], row["consistent"], row["rate"]) == (2, 1, 0.5)


def test_threads_write_nothing_themselves(made):
    """Every write happens on the calling thread (SQLite connections are per thread)."""
    project, _ = made
    writers = set()
    original = project.db.transaction

    def recording():
        writers.add(threading.current_thread().name)
        return original()

    project.db.transaction = recording
    with FakeLLM() as server:
        project.judges.run(endpoint=server.url, model="judge-1", concurrency=4, **FAST)
    assert writers == {threading.current_thread().name}
