"""The requests of a judge run, from worker threads, and each answer stored as it comes.

The workers only talk HTTP (``ChatClient``), one request in flight each, so at most
``concurrency`` are in flight. The calling thread takes their outcomes off a queue and
writes each in one short transaction of its own (SQLite connections are per thread:
``Database.conn``), so a run killed at any moment keeps every answer it received. The
workers are daemon threads, not a pool: a cancelled or interrupted run returns at once
instead of waiting for the requests in flight (their answers are dropped and asked for by
the next run).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from dataclasses import dataclass, field

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.domain.side_by_side import Choice, outcome_of
from annotator.core.storage import Database, RubricRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.usecases.judges.http import (
    Cancelled,
    ChatClient,
    EndpointError,
    RequestRefused,
)
from annotator.core.usecases.judges.prompt import Prompts
from annotator.core.usecases.judges.units import Unit

SIDES = {"A": "left", "B": "right", "tie": "tie", "both_bad": "both_bad"}
REFUSALS_BEFORE_STOP = 3  # requests refused with nothing answered yet: the run stops
MAX_FAILURES_SHOWN = 50
ORIGIN = "run"


@dataclass
class JudgeRunReport:
    """``asked``: units sent this run; ``scored``: answered and stored; ``skipped``: stored
    before; ``failed``: recorded as failures; ``retries``: repeated requests (transport and
    re-asks); ``scores`` / ``judgments``: rows stored; ``units``: to ask this run."""

    judge: str
    signature: dict
    asked: int = 0
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    retries: int = 0
    seconds: float = 0.0
    units: int = 0
    scores: int = 0
    judgments: int = 0
    cancelled: bool = False
    key_from: str | None = None  # the environment variable the key was read from
    failures: list[dict] = field(default_factory=list)  # unit, label, attempts, error
    consistency: list[dict] = field(default_factory=list)  # comparisons: per dimension

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, list) else v) for k, v in vars(self).items()}


class JudgeRunError(AnnotatorError):
    """The run stopped on the endpoint's error; ``report`` says what was stored."""

    def __init__(self, message: Message, report: JudgeRunReport):
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Settings:
    """The request's settings (all but the endpoint: the signature's sampling part)."""

    model: str
    temperature: float
    max_tokens: int
    seed: int | None
    json_mode: bool
    reply_retries: int
    concurrency: int

    def body(self, messages: list[dict]) -> dict:
        body = {"model": self.model, "messages": messages, "temperature": self.temperature,
                "max_tokens": self.max_tokens, "stream": False}  # fmt: skip
        if self.seed is not None:
            body["seed"] = self.seed
        if self.json_mode:
            body["response_format"] = {"type": "json_object"}
        return body


class _Stop(Exception):
    """Raised on the calling thread: the run stops for ``problem``."""

    def __init__(self, problem: Message):
        super().__init__(problem)
        self.problem = problem


@dataclass
class _Outcome:
    unit: Unit
    values: dict | None
    error: Message | None
    attempts: int
    refused: bool = False


class _Run:
    """One run's state on the calling thread: the judge, the file, the report."""

    def __init__(self, db: Database, judge_id: int | None, prompts: Prompts,
                 report: JudgeRunReport):  # fmt: skip
        self.db, self.judge_id, self.prompts, self.report = db, judge_id, prompts, report
        self.dim_ids = RubricRepo(db.conn).ids()
        self.signed = False

    def _sign(self, repo: JudgesRepo) -> None:
        """The judge (created with the first answer: a run that got none leaves no trace)
        and its signature, in the transaction of that first answer."""
        if self.signed:
            return
        report = self.report
        if self.judge_id is None:
            self.judge_id = repo.id_for(report.judge, create=True, signature=report.signature)
        repo.set_signature(self.judge_id, report.signature)
        self.signed = True

    def store(self, out: _Outcome) -> None:
        """One unit's answer (or failure) in one transaction."""
        unit, report = out.unit, self.report
        with self.db.transaction():
            repo = JudgesRepo(self.db.conn)
            self._sign(repo)
            if out.values is None:
                error = out.error.text(self.prompts.language) if out.error else ""
                repo.record_failure(self.judge_id, unit.key, out.attempts, error)
            elif unit.pair:
                rows = [
                    (self.judge_id, unit.comparison_id, k, unit.left_item,
                     outcome_of(Choice(SIDES[out.values[k][0]]), unit.left_item, unit.item_a),
                     out.values[k][1], ORIGIN)
                    for k in unit.store
                ]  # fmt: skip
                repo.upsert_judgments(rows)
                repo.clear_failure(self.judge_id, unit.key)
            else:
                rows = [(self.judge_id, unit.item_id, self.dim_ids[k], out.values[k][0],
                         out.values[k][1], ORIGIN) for k in unit.keys]  # fmt: skip
                repo.upsert_scores(rows)
                repo.clear_failure(self.judge_id, unit.key)
        if out.values is None:
            report.failed += 1
            if len(report.failures) < MAX_FAILURES_SHOWN:
                report.failures.append(
                    {"unit": unit.key, "label": unit.label, "attempts": out.attempts,
                     "error": error}
                )  # fmt: skip
            return
        report.scored += 1
        if unit.pair:
            report.judgments += len(unit.store)
        else:
            report.scores += len(unit.keys)

    def drain(self, results: queue.SimpleQueue) -> None:
        """Store the answers that arrived before the run stopped."""
        while True:
            try:
                out = results.get_nowait()
            except queue.Empty:
                return
            if isinstance(out, _Outcome):
                self.store(out)


def execute(
    db: Database,
    judge_id: int | None,
    units: list[Unit],
    client: ChatClient,
    settings: Settings,
    prompts: Prompts,
    report: JudgeRunReport,
    progress=None,
    cancel=None,
) -> int | None:
    """Ask every unit; store each answer as it comes; stop on cancel or the endpoint's
    error (raised as ``JudgeRunError``, after storing what had arrived). ``judge_id``
    None: the judge is created with its first answer. Returns the judge's id (None when
    nothing was stored)."""
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for unit in units:
        todo.put(unit)
    results: queue.SimpleQueue = queue.SimpleQueue()
    stop, lock, run = client.stop, threading.Lock(), _Run(db, judge_id, prompts, report)

    def worker() -> None:
        while not stop.is_set():
            try:
                unit = todo.get_nowait()
            except queue.Empty:
                return
            with lock:
                report.asked += 1
            try:
                results.put(_ask(unit, client, settings, prompts))
            except Cancelled:
                return
            except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                stop.set()
                results.put(exc)
                return

    for n in range(min(settings.concurrency, len(units))):
        threading.Thread(target=worker, name=f"judge-{n}", daemon=True).start()
    if progress:
        progress(0, len(units))
    try:
        _collect(run, results, len(units), progress, cancel)
    except _Stop as exc:
        stop.set()
        run.drain(results)
        raise JudgeRunError(stopped_message(exc.problem, report), report) from None
    except BaseException:  # Ctrl+C, a full disk: keep what arrived if the file can take it
        stop.set()
        with contextlib.suppress(AnnotatorError):
            run.drain(results)
        raise
    stop.set()
    run.drain(results)
    return run.judge_id


def _collect(run: _Run, results: queue.SimpleQueue, total: int, progress, cancel) -> None:
    done = refused = 0
    report = run.report
    while done < total:
        if cancel is not None and cancel():
            report.cancelled = True
            return
        try:
            out = results.get(timeout=0.05)
        except queue.Empty:
            continue
        if isinstance(out, EndpointError):
            raise _Stop(out.message)
        if isinstance(out, BaseException):
            raise out
        done += 1
        refused += out.refused
        run.store(out)
        if refused >= REFUSALS_BEFORE_STOP and not report.scored:
            problem = Message(
                "the server refused the first {count} requests; the last said: {error}",
                count=refused,
                error=out.error,
            )
            raise _Stop(problem)
        if progress:
            progress(done, total)


def stopped_message(problem: Message | str, report: JudgeRunReport) -> Message:
    if not report.scored:
        return Message("{problem}\nNothing was stored by this run.", problem=problem)
    return Message(
        "{problem}\nThe {scored} answer(s) received are stored; run the same command "
        "again to ask for the {rest} left.",
        problem=problem,
        scored=report.scored,
        rest=report.units - report.scored - report.failed,
    )


def _ask(unit: Unit, client: ChatClient, settings: Settings, prompts: Prompts) -> _Outcome:
    """One unit, asked again (with what was wrong) while its reply cannot be used."""
    base = unit.messages(prompts)
    messages, error = base, None
    for attempt in range(1, settings.reply_retries + 2):
        if attempt > 1:
            client.count_retry()
        try:
            completion = client.complete(settings.body(messages))
        except RequestRefused as exc:
            return _Outcome(unit, None, exc.message, attempt, refused=True)
        reply = unit.parse(completion.content, prompts.rubric)
        if reply.ok:
            return _Outcome(unit, reply.values, None, attempt)
        error = reply.error
        if completion.finish_reason == "length":
            error = Message(
                "the reply was cut off at max_tokens ({max_tokens}): {error}",
                max_tokens=settings.max_tokens,
                error=error,
            )
        messages = [
            *base,
            {"role": "assistant", "content": completion.content[:4000]},
            {"role": "user", "content": prompts.repair(error.text(prompts.language))},
        ]
    return _Outcome(unit, None, error, settings.reply_retries + 1)
