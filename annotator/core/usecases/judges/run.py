"""Use case: run an LLM judge over the project's items (and/or comparisons) through an
OpenAI-compatible chat-completions endpoint, storing every answer the moment it arrives.

At most ``concurrency`` requests are in flight, one per worker thread; the workers only
talk HTTP. Every unit's answer is written by the calling thread, in one short transaction
of its own, so a run killed at any point keeps all it received and the next run with the
same judge asks only for the rest. A reply that does not parse or is out of scale is asked
again (with what was wrong) up to ``reply_retries`` times, then recorded in
``judge_failures``, never as a score. The judge's signature (endpoint without credentials
or query, model, prompt hash, temperature, max_tokens, seed, JSON mode) is stored with it;
a run with another signature under the same name is refused. The key comes from an
environment variable and is never stored or shown.

The requests and the writes are ``execute``'s; this module checks the settings, the
dimensions, the judge's name and signature, and plans what to ask (``units``).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.storage import Database, MetaRepo, RatersRepo, RubricRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.storage.rater_names import rater_key
from annotator.core.usecases.judges.execute import JudgeRunError, JudgeRunReport, Settings, execute
from annotator.core.usecases.judges.http import ChatClient, parse_endpoint
from annotator.core.usecases.judges.import_scores import refuse_package
from annotator.core.usecases.judges.orders import combine_orders, consistency
from annotator.core.usecases.judges.prompt import build_prompts
from annotator.core.usecases.judges.units import Unit, comparison_units, item_units

__all__ = ["JudgeRunError", "JudgeRunReport", "run_judge"]

DEFAULT_KEY_ENV = "OPENAI_API_KEY"


def run_judge(
    db: Database,
    *,
    endpoint: str,
    model: str,
    judge: str | None = None,
    dimensions: Sequence[str] | None = None,
    items: bool | None = None,
    comparisons: bool = False,
    limit: int | None = None,
    concurrency: int = 4,
    prompt: str | Path | None = None,
    pair_prompt: str | Path | None = None,
    temperature: float = 0.0,
    max_tokens: int = 1024,
    seed: int | None = None,
    json_mode: bool = True,
    timeout: float = 120.0,
    reply_retries: int = 3,
    api_key_env: str | None = None,
    backoff: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> JudgeRunReport:
    """Ask the judge for what it has not given yet; store each answer as it arrives.

    ``items`` defaults to ``not comparisons``. Returns the report (``cancelled`` when
    ``cancel()`` said so).

    Raises:
        AnnotatorError: a bad setting, an unknown dimension, a judge name of a human rater
            or with another signature, nothing to judge; a rater package.
        InputError: a prompt template that cannot be used.
        JudgeRunError: the endpoint failed (unreachable, refused the key, no such model,
            not an API, still failing after its retries); what was stored stays.
    """
    refuse_package(db)
    started = time.monotonic()
    _check_numbers(concurrency, temperature, max_tokens, timeout, reply_retries, limit)
    where = parse_endpoint(endpoint)
    model = (model or "").strip()
    if not model:
        raise AnnotatorError(Message("name the model the endpoint serves (--model NAME)"))
    rubric = RubricRepo(db.conn).load()
    keys = _dimensions(rubric, dimensions)
    key_from, api_key = _api_key(api_key_env)
    prompts = build_prompts(rubric, MetaRepo(db.conn).get("language") or "zh_CN",
                            item_file=prompt, pair_file=pair_prompt)  # fmt: skip
    settings = Settings(model, float(temperature), int(max_tokens), seed, bool(json_mode),
                        int(reply_retries), int(concurrency))  # fmt: skip
    signature = {
        "kind": "llm", "endpoint": where.shown, "model": model,
        "prompt_sha256": prompts.sha256, "temperature": settings.temperature,
        "max_tokens": settings.max_tokens, "seed": seed, "json_mode": bool(json_mode),
    }  # fmt: skip
    name, judge_id = _judge(db, (judge or "").strip() or model, signature)
    report = JudgeRunReport(judge=name, signature=signature, key_from=key_from)
    units = _plan(db, judge_id, keys, comparisons, items, report)
    units = units[:limit] if limit else units
    report.units = len(units)
    if units:
        client = ChatClient(where, api_key=api_key, timeout=timeout, backoff=backoff)
        try:
            judge_id = execute(
                db, judge_id, units, client, settings, prompts, report, progress, cancel
            )
        finally:
            report.retries += client.retries
            report.seconds = round(time.monotonic() - started, 3)
    if comparisons and judge_id:
        rows = consistency(combine_orders(JudgesRepo(db.conn).judgments_frame(name)))
        order = {key: n for n, key in enumerate(("", *rubric.keys))}  # overall first
        report.consistency = sorted(
            rows.to_dict("records"), key=lambda r: order.get(r["dimension"], len(order))
        )
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _check_numbers(concurrency, temperature, max_tokens, timeout, reply_retries, limit):
    checks = [
        (isinstance(concurrency, int) and 1 <= concurrency <= 64,
         Message("--concurrency must be a whole number from 1 to 64")),
        (isinstance(temperature, int | float) and math.isfinite(temperature)
         and 0 <= temperature <= 2, Message("--temperature must be a number from 0 to 2")),
        (isinstance(max_tokens, int) and 1 <= max_tokens <= 1_000_000,
         Message("--max-tokens must be a whole number above 0")),
        (isinstance(timeout, int | float) and math.isfinite(timeout) and timeout > 0,
         Message("--timeout must be a number of seconds above 0")),
        (isinstance(reply_retries, int) and 0 <= reply_retries <= 10,
         Message("--reply-retries must be a whole number from 0 to 10")),
        (limit is None or (isinstance(limit, int) and limit >= 1),
         Message("--limit must be a whole number above 0")),
    ]  # fmt: skip
    for ok, message in checks:
        if not ok:
            raise AnnotatorError(message)


def _dimensions(rubric, dimensions: Sequence[str] | None) -> tuple[str, ...]:
    if not dimensions:
        return rubric.keys
    resolver, keys = DimensionResolver(rubric), []
    for text in dimensions:
        key = resolver.resolve(text)
        if key is None:
            raise AnnotatorError(
                Message('unknown dimension "{dimension}"; expected one of {expected}',
                        dimension=text.strip(), expected=resolver.expected())
            )  # fmt: skip
        if key not in keys:
            keys.append(key)
    return tuple(k for k in rubric.keys if k in keys)  # the rubric's order


def _api_key(name: str | None) -> tuple[str | None, str | None]:
    """(the variable the key came from, the key); no variable named: OPENAI_API_KEY if set."""
    if name:
        value = os.environ.get(name, "").strip()
        if not value:
            raise AnnotatorError(
                Message("the environment variable {name} is not set (or is empty); it "
                        "should hold the endpoint's key", name=name)
            )  # fmt: skip
        return name, value
    value = os.environ.get(DEFAULT_KEY_ENV, "").strip()
    return (DEFAULT_KEY_ENV, value) if value else (None, None)


def _judge(db: Database, name: str, signature: dict) -> tuple[str, int | None]:
    """The judge's name as stored and its id (None: new); refuses a human rater's name and
    another signature under the same name (unless that judge holds nothing yet)."""
    for human in RatersRepo(db.conn).names():
        if rater_key(human) == rater_key(name):
            raise AnnotatorError(
                Message('the judge "{judge}" has the name of the rater "{rater}"; a judge is '
                        "not a person: give it another name with --judge", judge=name,
                        rater=human)
            )  # fmt: skip
    for known in JudgesRepo(db.conn).judges():
        if rater_key(known["name"]) != rater_key(name):
            continue
        old = known["signature"]
        held = known["scores"] or known["judgments"] or known["failures"]
        if old != signature and held:
            changed = [
                f"{k}: {json.dumps(old.get(k), ensure_ascii=False)} -> "
                f"{json.dumps(signature.get(k), ensure_ascii=False)}"
                for k in sorted(set(old) | set(signature)) if old.get(k) != signature.get(k)
            ]  # fmt: skip
            raise AnnotatorError(
                Message(
                    'the judge "{judge}" was run with another signature ({changes}); its '
                    "numbers would mix two judges: give this run another name with --judge",
                    judge=known["name"],
                    changes="; ".join(changed),
                )
            )
        return known["name"], known["id"]
    return name, None


def _plan(db, judge_id, keys, comparisons: bool, items: bool | None, report) -> list[Unit]:
    units: list[Unit] = []
    if items if items is not None else not comparisons:
        found, skipped = item_units(db, judge_id, keys)
        if not found and not skipped:
            raise AnnotatorError(Message("the project has no items to judge; import some first"))
        units += found
        report.skipped += skipped
    if comparisons:
        found, skipped = comparison_units(db, judge_id, keys)
        if not found and not skipped:
            raise AnnotatorError(
                Message("the project has no side-by-side comparisons; create them first "
                        "(annotator pairwise create)")
            )  # fmt: skip
        units += found
        report.skipped += skipped
    return units
