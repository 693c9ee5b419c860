"""A judge's reply read as scores or verdicts, or refused in words: never a made-up score.

The reply is asked for as one JSON object. What models wrap around it is tolerated: a
```json fence, words before or after it, a ``<think>...</think>`` block, the entries keyed
by a dimension's name instead of its key, or under ``"scores"``. What is not tolerated:
no JSON object, a dimension missing, a score that is not a whole number from 1 to 5 (a
``"4"`` in quotes is 4; 4.5, 6, ``"four"`` and ``true`` are refused), a winner that is not
A, B, tie or both_bad. A refusal names what is wrong, for the lead and for the model when
it is asked again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.core.domain.message import Message
from annotator.core.domain.models import Rubric
from annotator.core.domain.rubric import parse_score
from annotator.core.domain.side_by_side import OVERALL

MAX_REASON = 500
_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_FENCE = re.compile(r"```[A-Za-z]*\s*(.*?)```", re.S)
_NESTS = ("scores", "dimensions", "evaluation", "ratings", "verdicts")
_OVERALL_NAMES = ("overall", "total", "整体", "总体", "综合")
_WINNERS = {
    "a": "A", "answer_a": "A", "回答_a": "A",
    "b": "B", "answer_b": "B", "回答_b": "B",
    "tie": "tie", "same": "tie", "equal": "tie", "draw": "tie", "平局": "tie", "相当": "tie",
    "both_bad": "both_bad", "neither": "both_bad", "both_unacceptable": "both_bad",
    "都不好": "both_bad", "都不可接受": "both_bad",
}  # fmt: skip


@dataclass(frozen=True)
class Reply:
    """``values``: key -> (score or winner, reason); ``error``: why the reply is refused."""

    values: dict[str, tuple[object, str]] = field(default_factory=dict)
    error: Message | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_scores(text: str, keys: Sequence[str], rubric: Rubric) -> Reply:
    """A score from 1 to 5 and a reason for every one of ``keys``, or the refusal."""
    found = _object(text)
    if isinstance(found, Message):
        return Reply(error=found)
    entries = _entries(found, keys, rubric)
    values: dict[str, tuple[object, str]] = {}
    for key in keys:
        if key not in entries:
            return Reply(error=Message("the reply has no score for {dimension}", dimension=key))
        entry = entries[key]
        raw = _pick(entry, ("score", "rating", "value", "分数", "评分")) if isinstance(
            entry, dict) else entry  # fmt: skip
        score = None if isinstance(raw, bool | list | dict) else parse_score(raw)
        if score is None:
            return Reply(
                error=Message(
                    "the score of {dimension} is {value}, not a whole number from 1 to 5",
                    dimension=key,
                    value=json.dumps(raw, ensure_ascii=False),
                )
            )
        values[key] = (score, _reason(entry))
    return Reply(values)


def parse_verdicts(text: str, keys: Sequence[str], rubric: Rubric) -> Reply:
    """A winner (A, B, tie, both_bad) and a reason for every one of ``keys`` (OVERALL is
    ``""``: the flat ``{"winner": ...}`` or the entry ``overall``), or the refusal."""
    found = _object(text)
    if isinstance(found, Message):
        return Reply(error=found)
    entries = _entries(found, [k for k in keys if k != OVERALL], rubric)
    overall = next((v for k, v in found.items() if _norm(k) in _OVERALL_NAMES), None)
    if overall is None and _pick(found, ("winner", "verdict", "better")) is not None:
        overall = found
    if overall is not None:
        entries[OVERALL] = overall
    values: dict[str, tuple[object, str]] = {}
    for key in keys:
        shown = key or "overall"
        if key not in entries:
            return Reply(error=Message("the reply has no winner for {dimension}", dimension=shown))
        entry = entries[key]
        raw = _pick(entry, ("winner", "verdict", "better", "choice")) if isinstance(
            entry, dict) else entry  # fmt: skip
        winner = _WINNERS.get(_norm(raw)) if isinstance(raw, str) else None
        if winner is None:
            return Reply(
                error=Message(
                    'the winner for {dimension} is {value}, not "A", "B", "tie" or "both_bad"',
                    dimension=shown,
                    value=json.dumps(raw, ensure_ascii=False),
                )
            )
        values[key] = (winner, _reason(entry))
    return Reply(values)


def _object(text: str) -> dict | Message:
    """The first JSON object in the reply (in a fence first), or why there is none."""
    text = _THINK.sub("", text or "")
    if not text.strip():
        return Message("the reply is empty")
    decoder = json.JSONDecoder()
    for candidate in [*_FENCE.findall(text), text]:
        for start in _starts(candidate):
            try:
                value, _end = decoder.raw_decode(candidate, start)
            except (ValueError, RecursionError):
                continue
            if isinstance(value, dict):
                return value
    snippet = " ".join(text.split())
    return Message(
        'the reply holds no JSON object: "{start}"',
        start=snippet[:80] + ("..." if len(snippet) > 80 else ""),
    )


def _starts(text: str, most: int = 50) -> list[int]:
    """Where outermost ``{`` open (braces inside JSON strings skipped): an object cut off
    at max_tokens is not mistaken for the inner object it still holds."""
    starts, depth, in_string, escaped = [], 0, False, False
    for at, char in enumerate(text):
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"' and depth:
            in_string = True
        elif char == "{":
            if not depth:
                starts.append(at)
                if len(starts) >= most:
                    break
            depth += 1
        elif char == "}" and depth:
            depth -= 1
    return starts


def _entries(found: dict, keys: Sequence[str], rubric: Rubric) -> dict[str, object]:
    """key -> the reply's entry for it, matched by key or name (in any case or width)."""
    names: dict[str, str] = {}
    for d in rubric.dimensions:
        if d.key in keys:
            for name in (d.key, d.name_en, d.name_zh):
                names.setdefault(_norm(name), d.key)
    entries: dict[str, object] = {}
    scopes = [found] + [v for k, v in found.items() if _norm(k) in _NESTS and isinstance(v, dict)]
    for scope in scopes:
        for name, value in scope.items():
            key = names.get(_norm(name))
            if key is not None and key not in entries:
                entries[key] = value
    return entries


def _pick(entry: dict, names: Sequence[str]):
    for name, value in entry.items():
        if _norm(name) in names:
            return value
    return None


def _reason(entry) -> str:
    if not isinstance(entry, dict):
        return ""
    value = _pick(entry, ("reason", "rationale", "explanation", "justification", "理由"))
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:MAX_REASON]


def _norm(text: object) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().strip("\"'").lower()
    return "_".join(text.replace("-", " ").replace("_", " ").split())
