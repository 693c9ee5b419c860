"""What went wrong talking to a chat-completions endpoint, in words, and whether to retry.

``Transient``: 408, 409, 425, 429, 5xx, 529, a timeout, a dropped or refused connection, a
host the resolver cannot look up now: retried with backoff, honouring ``Retry-After``.
``EndpointError``: the run cannot go on (401/403, 404, a redirect, an unknown host, a
failed TLS handshake, a quota used up, a JSON mode the server does not take).
``RequestRefused``: the server refused this one request (400, 413, 422: e.g. a prompt
longer than the model's context), the unit's failure, not the run's. The server's own
words are quoted on one line; a key is never part of them.
"""

from __future__ import annotations

import email.utils
import errno
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
from collections.abc import Callable

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message

TRANSIENT = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})
REFUSED = frozenset({400, 413, 422})


class EndpointError(AnnotatorError):
    """The endpoint cannot be used (now): the run stops, what was stored stays."""


class RequestRefused(Exception):
    """The server refused this one request (400, 413, 422); ``message`` says why."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


class Cancelled(Exception):
    """The run was stopped while this request waited."""


class Transient(Exception):
    """Worth another try, after ``retry_after`` seconds if the server said."""

    def __init__(self, message: Message, retry_after: float | None = None, *, refused=False):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.refused = refused  # the connection was refused: nothing listens (yet, or now)


def status_problem(
    status: int,
    raw: bytes,
    headers,
    where: str,
    *,
    has_key: bool,
    models: Callable[[], list[str] | None],
) -> Exception:
    """The exception for an HTTP error status; ``models`` lists what the server serves."""
    words = said(parse_json(raw)) or snippet(raw)
    if status in TRANSIENT:
        if status == 429 and "insufficient_quota" in raw.decode("utf-8", "replace"):
            return EndpointError(
                Message(
                    "{endpoint} refuses: the account's quota is used up (429 "
                    "insufficient_quota: {said}); waiting will not help",
                    endpoint=where,
                    said=words,
                )
            )
        return Transient(
            Message("{endpoint} answered {status}: {said}", endpoint=where, status=status,
                    said=words),
            retry_after=retry_after(headers),
        )  # fmt: skip
    if status in REFUSED:
        if "response_format" in words or "json_object" in words:
            return EndpointError(
                Message(
                    "{endpoint} does not take the JSON mode (response_format json_object): "
                    "{said}; run again with --no-json-mode",
                    endpoint=where,
                    said=words,
                )
            )
        return RequestRefused(
            Message("the server refused the request ({status}): {said}", status=status,
                    said=words)
        )  # fmt: skip
    return EndpointError(_fatal(status, words, headers, where, has_key, models))


def _fatal(status, words, headers, where, has_key, models) -> Message:
    if status in (401, 403):
        if not has_key:
            return Message(
                "{endpoint} wants a key ({status}: {said}); put it in an environment "
                "variable and name it with --api-key-env NAME",
                endpoint=where,
                status=status,
                said=words,
            )
        return Message(
            "{endpoint} refused the key ({status}: {said}); check the key in the "
            "environment variable given with --api-key-env",
            endpoint=where,
            status=status,
            said=words,
        )
    if status == 404:
        return _not_found(words, where, models())
    if 300 <= status < 400:
        return Message(
            "{endpoint} redirects to {location}; give that address as the endpoint",
            endpoint=where,
            location=no_query((headers.get("Location") if headers else None) or "?"),
        )
    return Message("{endpoint} answered {status}: {said}", endpoint=where, status=status,
                   said=words)  # fmt: skip


def _not_found(words: str, where: str, names: list[str] | None) -> Message:
    """404: a model the server does not have, or no API at that address."""
    if names is None:
        return Message(
            "{endpoint} has no chat completions API (404: {said}); check the address "
            "(it usually ends in /v1, e.g. http://host:8000/v1)",
            endpoint=where,
            said=words,
        )
    return Message(
        "{endpoint} has no model of that name (404: {said}); it serves: {models}",
        endpoint=where,
        said=words,
        models=", ".join(names[:20]) or "-",
    )


def connection_problem(exc: BaseException, where: str, timeout: float) -> Exception:
    """The exception for a failure below HTTP: DNS, TLS, a timeout, a refused connection."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        if reason.errno == socket.EAI_AGAIN:
            return Transient(Message("cannot look up the host of {endpoint} now (DNS)",
                                     endpoint=where))  # fmt: skip
        return EndpointError(
            Message(
                "cannot find the host of {endpoint} (DNS: {detail}); check the address",
                endpoint=where,
                detail=reason.strerror or reason,
            )
        )
    if isinstance(reason, ssl.SSLError):
        return EndpointError(
            Message("the secure connection to {endpoint} failed: {detail}", endpoint=where,
                    detail=getattr(reason, "reason", None) or reason)
        )  # fmt: skip
    if isinstance(reason, TimeoutError | socket.timeout):
        return Transient(
            Message("{endpoint} did not answer within {seconds:g} s", endpoint=where,
                    seconds=timeout)
        )  # fmt: skip
    if isinstance(reason, ConnectionRefusedError) or (
        getattr(reason, "errno", None) == errno.ECONNREFUSED
    ):
        return Transient(
            Message("{endpoint} refused the connection: is the server running on that port?",
                    endpoint=where),
            refused=True,
        )  # fmt: skip
    detail = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return Transient(
        Message("the connection to {endpoint} failed: {detail}", endpoint=where, detail=detail)
    )


def retry_after(headers) -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, or ``Retry-After`` as seconds
    or an HTTP date (RFC 9110, 10.2.3); None when it says nothing usable."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("Retry-After", 1.0)):
        value = headers.get(name)
        if not value:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            pass
        if scale == 1.0:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            return max(0.0, when.timestamp() - time.time())
    return None


def parse_json(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def said(data) -> str:
    """The server's own words in an error body, on one line."""
    if not isinstance(data, dict):
        return ""
    error = data.get("error")
    if isinstance(error, dict):
        error = error.get("message")
    value = error or data.get("message") or data.get("detail") or ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    return " ".join(value.split())[:300]


def snippet(raw: bytes) -> str:
    text = " ".join(raw.decode("utf-8", "replace").split())
    return (text[:120] + "...") if len(text) > 120 else text


def no_query(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
