"""A small OpenAI-compatible chat-completions server for the judge-run tests.

It speaks the real protocol over HTTP on 127.0.0.1 (``POST /v1/chat/completions``,
``GET /v1/models``) and reads what to do from the answer it is shown: every test item's
answer holds ``ANSWER-<n>`` and maybe a tag in brackets. Its scores come from ``n`` and the
dimension only (``expected_score``), so a test knows what must be stored without reading
our code; its side-by-side verdict from ``n`` of the two answers (``expected_winner``).

Tags: ``[MALFORMED]`` never JSON; ``[OUTOFSCALE]`` a 6; ``[FLOAT]`` a 4.5; ``[MISSING]`` no
fluency; ``[STRING]`` scores as "4"; ``[FENCE]`` a ```json fence inside words;
``[FLAKY]`` not JSON the first time; ``[SLOW]`` the first request sleeps ``slow`` seconds;
``[RATE]`` the first request gets 429 with ``Retry-After: 1``; ``[E500]`` the first two get
500; ``[DOWN]`` always 503; ``[REFUSE]`` always 400 (a prompt too long).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIMENSIONS = ("relevance", "fluency", "style", "compliance")
_MARK = re.compile(r"ANSWER-(\d+)((?: \[[A-Z0-9]+\])*)")


def expected_score(n: int, dimension: str) -> int:
    return 1 + (3 * n + 2 * DIMENSIONS.index(dimension)) % 5


def expected_winner(n_a: int, n_b: int) -> str:
    """The winner of answer n_a (shown as A) against n_b: by n mod 3, ties equal."""
    qa, qb = n_a % 3, n_b % 3
    return "A" if qa > qb else "B" if qb > qa else "tie"


class FakeLLM:
    """The server; ``answered[key]`` counts replies fully sent, ``received[key]`` requests
    that arrived; ``key`` is ``(n,)`` for item n, ``(n_a, n_b)`` for a pair shown so."""

    def __init__(self, *, model="judge-1", key=None, slow=3.0, delay=0.0, mode="ok"):
        self.model, self.key, self.slow, self.delay, self.mode = model, key, slow, delay, mode
        self.lock = threading.Lock()
        self.answered: Counter = Counter()
        self.received: Counter = Counter()
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        self.in_flight = self.max_in_flight = 0
        self.hold_after: int | None = None  # after this many answers, hold every request
        self.release = threading.Event()
        self.position_bias = False  # always "A": verdicts that depend on the order
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def total_answered(self) -> int:
        with self.lock:
            return sum(self.answered.values())

    # -- the protocol -------------------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                if self.path.rstrip("/") == "/v1/models":
                    self._send(200, {"object": "list", "data": [{"id": fake.model}]})
                else:
                    self._send(404, {"detail": "Not Found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                with fake.lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    fake._answer(self, body)
                finally:
                    with fake.lock:
                        fake.in_flight -= 1

            def _send(self, status, payload, headers=(), raw=None, kind="application/json"):
                data = raw if raw is not None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

        return Handler

    def _answer(self, handler, body) -> None:
        if self.path_ok(handler) is False:
            return
        user = body["messages"][1]["content"]
        marks = _MARK.findall(user)
        key = tuple(int(m[0]) for m in marks)
        tags = marks[0][1] if marks else ""
        with self.lock:
            self.bodies.append(body)
            self.headers.append(dict(handler.headers))
            self.received[key] += 1
            seen = self.received[key]
            held = self.hold_after is not None and sum(self.answered.values()) >= self.hold_after
        if held:
            self.release.wait()
            return  # never answered: the client is killed meanwhile
        if self.delay:
            time.sleep(self.delay)
        status, payload, headers, raw = self._reply(body, marks, tags, seen)
        if status == 200 and raw is None:
            payload = {
                "id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": payload}}],
            }  # fmt: skip
        try:
            handler._send(status, payload, headers, raw,
                          "text/html" if raw is not None else "application/json")  # fmt: skip
        except OSError:  # the client gave up (a timeout): not answered
            return
        with self.lock:
            self.answered[key] += 1

    def path_ok(self, handler) -> bool:
        if handler.path.split("?")[0].rstrip("/") != "/v1/chat/completions":
            handler._send(404, {"detail": "Not Found"})
            return False
        if self.key is not None and handler.headers.get("Authorization") != f"Bearer {self.key}":
            handler._send(401, {"error": {"message": "Incorrect API key provided",
                                          "type": "invalid_request_error"}})  # fmt: skip
            return False
        return True

    def _reply(self, body, marks, tags, seen):
        """(status, content or error payload, headers, raw body)."""
        if self.mode == "html":
            return 200, None, (), b"<!DOCTYPE html><html><body>Router login</body></html>"
        if body["model"] != self.model:
            return 404, {"object": "error", "message": f"The model `{body['model']}` does "
                         "not exist.", "type": "NotFoundError", "code": 404}, (), None  # fmt: skip
        if "[SLOW]" in tags and seen == 1:
            time.sleep(self.slow)
        if "[RATE]" in tags and seen == 1:
            return 429, {"error": {"message": "Rate limit reached"}}, [("Retry-After", "1")], None
        if "[E500]" in tags and seen <= 2:
            return 500, {"error": {"message": "engine overloaded"}}, (), None
        if "[DOWN]" in tags:
            return 503, {"error": {"message": "no replica available"}}, (), None
        if "[REFUSE]" in tags:
            return 400, {"object": "error", "message": "This model's maximum context length "
                         "is 4096 tokens", "code": 400}, (), None  # fmt: skip
        if len(marks) == 2:
            return 200, self._verdicts(body, marks), (), None
        return 200, self._scores(int(marks[0][0]), tags, seen), (), None

    def _scores(self, n, tags, seen) -> str:
        if "[MALFORMED]" in tags or ("[FLAKY]" in tags and seen == 1):
            return "Sure! relevance: 4, fluency: 5 (no JSON, sorry)"
        scores = {d: {"score": expected_score(n, d), "reason": f"r{n} {d}"} for d in DIMENSIONS}
        if "[OUTOFSCALE]" in tags:
            scores["relevance"]["score"] = 6
        if "[FLOAT]" in tags:
            scores["fluency"]["score"] = 4.5
        if "[MISSING]" in tags:
            del scores["fluency"]
        if "[STRING]" in tags:
            scores = {d: {**v, "score": str(v["score"])} for d, v in scores.items()}
        text = json.dumps(scores)
        if "[FENCE]" in tags:
            return f"Here is my assessment:\n```json\n{text}\n```\nHope this helps."
        return text

    def _verdicts(self, body, marks) -> str:
        n_a, n_b = int(marks[0][0]), int(marks[1][0])
        winner = "A" if self.position_bias else expected_winner(n_a, n_b)
        entry = {"winner": winner, "reason": f"v{n_a}-{n_b}"}
        return json.dumps({"overall": entry, **{d: entry for d in DIMENSIONS}})


# -- projects whose answers the server reads ----------------------------------------------
def make_project(path, n: int = 6, *, models=("base", "lora-v2"), tags=None, language="en"):
    """A project with ``n`` samples answered by each model; the answers are numbered
    ``ANSWER-<k>`` across models (k = 0, 1, ...) and carry ``tags[k]`` when given.
    Returns (project, {k: (model, sample_id)})."""
    from pathlib import Path

    from annotator.core.domain.models import ItemDraft
    from annotator.core.project import Project
    from annotator.core.usecases.importing import MemoryPlan, import_plan

    tags = tags or {}
    project = Project.create(path, "judge run", language=language)
    where, k = {}, 0
    for model in models:
        drafts = []
        for s in range(1, n + 1):
            tag = f" [{tags[k]}]" if k in tags else ""
            drafts.append(
                ItemDraft(sample_id=f"s{s}", instruction=f"Write a line about product {s}",
                          reference=f"reference {s}", generated=f"ANSWER-{k}{tag}",
                          row=s + 1, model=model)
            )  # fmt: skip
            where[k] = (model, f"s{s}")
            k += 1
        import_plan(project.db, MemoryPlan(Path(f"{model}.jsonl"), drafts, f"sha-{model}"))
    return project, where


def stored_scores(path) -> list[tuple[str, str, str, str, int, str]]:
    """(judge, model, sample, dimension, score, reason) straight from the file."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return sorted(
            con.execute(
                "SELECT j.name, m.name, i.sample_id, d.key, s.score, s.reason "
                "FROM judge_scores s JOIN judges j ON j.id = s.judge_id "
                "JOIN items i ON i.id = s.item_id JOIN models m ON m.id = i.model_id "
                "JOIN dimensions d ON d.id = s.dimension_id"
            ).fetchall()
        )
    finally:
        con.close()
