"""A judge's reply read tolerantly but never made up; the endpoint as a lead types it;
Retry-After as servers send it. Pure functions, no server."""

from __future__ import annotations

import email.utils
import time

import pytest

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.rubric import load_rubric
from annotator.core.usecases.judges.http import parse_endpoint
from annotator.core.usecases.judges.http_errors import retry_after
from annotator.core.usecases.judges.reply import parse_scores, parse_verdicts

RUBRIC = load_rubric()
KEYS = ("relevance", "fluency")


@pytest.mark.parametrize(
    "text",
    [
        '{"relevance": {"score": 4, "reason": "on topic"}, "fluency": {"score": 2}}',
        'Sure.\n```json\n{"relevance": {"score": 4, "reason": "on topic"}, '
        '"fluency": {"score": 2}}\n```\nDone.',
        '<think>maybe {"relevance": 1}</think>{"Relevance": {"score": "4", "reason": '
        '" on\\n topic "}, "流畅度": {"score": 2.0}}',
        '{"scores": {"relevance": {"score": 4, "reason": "on topic"}, "fluency": 2}}',
        'My verdict: {"relevance": {"rating": 4, "rationale": "on topic"}, "fluency": '
        '{"score": " 2 "}} and that is all. {"other": 1}',
    ],
)
def test_scores_read_in_the_shapes_models_write(text):
    reply = parse_scores(text, KEYS, RUBRIC)
    assert reply.ok, reply.error
    assert reply.values == {"relevance": (4, "on topic"), "fluency": (2, "")}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("relevance 4, fluency 2", "no JSON object"),
        ('{"relevance": {"score": 4}', "no JSON object"),  # cut off
        ('{"relevance": {"score": 4}}', "no score for fluency"),
        ('{"relevance": {"score": 4.5}, "fluency": 2}', "relevance is 4.5"),
        ('{"relevance": {"score": 6}, "fluency": 2}', "relevance is 6"),
        ('{"relevance": {"score": 0}, "fluency": 2}', "relevance is 0"),
        ('{"relevance": {"score": "four"}, "fluency": 2}', 'relevance is "four"'),
        ('{"relevance": {"score": true}, "fluency": 2}', "relevance is true"),
        ('{"relevance": {"score": null}, "fluency": 2}', "relevance is null"),
        ('{"relevance": {"reason": "good"}, "fluency": 2}', "relevance is null"),
        ('{"relevance": [4], "fluency": 2}', "relevance is [4]"),
    ],
)
def test_no_score_is_made_up(text, words):
    reply = parse_scores(text, KEYS, RUBRIC)
    assert not reply.ok and reply.values == {}
    assert words in str(reply.error)


def test_verdicts_flat_keyed_and_refused():
    flat = parse_verdicts('{"winner": "B", "reason": "shorter"}', ("",), RUBRIC)
    assert flat.values == {"": ("B", "shorter")}
    keyed = parse_verdicts(
        '```json\n{"overall": {"winner": "a"}, "Fluency": {"winner": "both bad"}, '
        '"relevance": "Tie"}\n```',
        ("", "fluency", "relevance"),
        RUBRIC,
    )
    assert keyed.values == {"": ("A", ""), "fluency": ("both_bad", ""), "relevance": ("tie", "")}
    missing = parse_verdicts('{"overall": {"winner": "A"}}', ("", "fluency"), RUBRIC)
    assert "no winner for fluency" in str(missing.error)
    wrong = parse_verdicts('{"winner": "C"}', ("",), RUBRIC)
    assert 'overall is "C"' in str(wrong.error)


@pytest.mark.parametrize(
    ("given", "url", "shown"),
    [
        ("http://gpu:8000", "http://gpu:8000/v1/chat/completions", "http://gpu:8000/v1"),
        ("gpu:8000/", "http://gpu:8000/v1/chat/completions", "http://gpu:8000/v1"),
        ("http://gpu:8000/v1/", "http://gpu:8000/v1/chat/completions", "http://gpu:8000/v1"),
        ("https://h/api/v1", "https://h/api/v1/chat/completions", "https://h/api/v1"),
        ("http://[::1]:8000", "http://[::1]:8000/v1/chat/completions", "http://[::1]:8000/v1"),
        ("http://例子.中国/v1", "http://例子.中国/v1/chat/completions", "http://例子.中国/v1"),
        ("http://h/v1/chat/completions?api-version=2", "http://h/v1/chat/completions?api-"
         "version=2", "http://h/v1"),
    ],
)  # fmt: skip
def test_the_endpoint_with_or_without_v1(given, url, shown):
    endpoint = parse_endpoint(given)
    assert (endpoint.url, endpoint.shown) == (url, shown)


@pytest.mark.parametrize(
    "given",
    ["ftp://h/v1", "http://", "http://me:sk-1@h/v1", "", "http://[::1", "http://h:abc/v1",
     "http://h:99999", "http://a b/v1", "http://h/v1\x01", "x" * 20000,
     "http://" + "a" * 64 + ".example/v1"],
)  # fmt: skip
def test_an_endpoint_that_cannot_be_used(given):
    with pytest.raises(AnnotatorError):
        parse_endpoint(given)


def test_retry_after_in_seconds_milliseconds_or_a_date():
    assert retry_after({"Retry-After": "7"}) == 7.0
    assert retry_after({"retry-after-ms": "250", "Retry-After": "7"}) == 0.25
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= retry_after({"Retry-After": when}) <= 30.5
    assert retry_after({"Retry-After": "soon"}) is None
    assert retry_after({}) is None
