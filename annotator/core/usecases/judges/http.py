"""An OpenAI-compatible chat-completions client on the standard library (issue 17).

vLLM, SGLang, Ollama, LM Studio and LLaMA-Factory's API server all answer ``POST
{base}/chat/completions`` with ``{"choices": [{"message": {"content": ...},
"finish_reason": ...}]}``; an error is ``{"error": {"message": ...}}`` (OpenAI, Ollama),
``{"message": ...}`` (vLLM) or ``{"detail": ...}`` (FastAPI). The endpoint is given as the
server's address (``http://gpu-box:8000``, ``/v1`` added) or its API base
(``http://gpu-box:8000/v1``, ``https://host/api/v1``: kept); a trailing
``/chat/completions`` is dropped. The key travels only as ``Authorization: Bearer``; a key
in the address is refused, and what is shown or stored of the address has no query.

What can pass is retried with exponential backoff and jitter (429, 5xx, a timeout, a
dropped or refused connection), honouring ``Retry-After``, at most ``attempts`` times in
all; what cannot (401, 403, 404, an unknown host, a redirect, a body that is not JSON) is
an ``EndpointError`` at once. A request the server refuses as such (400, 413, 422: a
prompt too long for the model) is a ``RequestRefused``: that unit's failure, not the run's.
Redirects are not followed: a key is never sent to an address the lead did not give.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from annotator import __version__
from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.usecases.judges.http_errors import (
    Cancelled,
    EndpointError,
    RequestRefused,
    Transient,
    connection_problem,
    parse_json,
    said,
    snippet,
    status_problem,
)

__all__ = ["Cancelled", "ChatClient", "Endpoint", "EndpointError", "RequestRefused"]

MAX_BODY = 32 * 1024 * 1024  # a chat reply is a few kB; a page of megabytes is not one
MAX_WAIT = 300.0  # a Retry-After past this is reported, not waited out
BACKOFF_CAP = 30.0


@dataclass(frozen=True)
class Endpoint:
    """``url``: where requests go (with its query); ``base``: the API base (``.../v1``);
    ``shown``: the address without credentials or query, for messages and signatures."""

    url: str
    base: str
    shown: str


@dataclass(frozen=True)
class Completion:
    content: str
    finish_reason: str


def _host_name(host: str) -> None:
    """Raises ValueError for a host name no resolver takes (a label over 63 characters)."""
    if ":" not in host:  # an IPv6 address has no labels
        host.encode("idna")  # UnicodeError is a ValueError


def parse_endpoint(text: str) -> Endpoint:
    """The endpoint a lead typed, checked.

    Raises:
        AnnotatorError: not an http(s) address, no host, or a key or password in it.
    """
    given = (text or "").strip()
    try:
        parts = urllib.parse.urlsplit(given if "://" in given else f"http://{given}")
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port that is no port
        _host_name(parts.hostname or "")
    except ValueError:
        usable = False
    if not usable or any(c.isspace() or not c.isprintable() for c in given):
        raise AnnotatorError(
            Message(
                '"{endpoint}" is not an http:// or https:// address of an OpenAI-compatible '
                "server (for example http://gpu-box:8000/v1)",
                endpoint=given,
            )
        )
    if parts.username or parts.password:
        raise AnnotatorError(
            Message(
                "the endpoint holds a user name or key; give the address without it and the "
                "key in an environment variable (--api-key-env NAME)"
            )
        )
    path = parts.path.rstrip("/")
    if path.endswith("/chat/completions"):
        path = path[: -len("/chat/completions")]
    if not path:
        path = "/v1"
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    query = f"?{parts.query}" if parts.query else ""
    return Endpoint(url=f"{base}/chat/completions{query}", base=base, shown=base)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises the 3xx as an HTTPError: said in words below


class ChatClient:
    """One endpoint, one key; ``complete`` is safe to call from several threads."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        attempts: int = 5,
        backoff: float = 1.0,
        stop: threading.Event | None = None,
    ):
        self.endpoint = endpoint
        self._key = api_key or None
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.stop = stop or threading.Event()
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._lock = threading.Lock()
        self.retries = 0
        self.answered = False  # any reply yet (a refused connection is then worth a retry)

    def count_retry(self) -> None:
        """A request sent again for its reply (not the connection): counted with the rest."""
        with self._lock:
            self.retries += 1

    # -- one chat completion, retried ---------------------------------------------------------
    def complete(self, body: dict) -> Completion:
        """POST ``body``; the reply's text. Raises EndpointError, RequestRefused, Cancelled."""
        for attempt in range(1, self.attempts + 1):
            if self.stop.is_set():
                raise Cancelled
            try:
                completion = self._post(body)
            except Transient as exc:
                # nothing ever answered there: no server to wait for (a restart mid-run is)
                if exc.refused and not self.answered:
                    raise EndpointError(exc.message) from None
                if attempt == self.attempts:
                    raise EndpointError(
                        Message("{problem} (after {attempts} attempts)", problem=exc.message,
                                attempts=attempt)
                    ) from None  # fmt: skip
                self._wait(attempt, exc)
            else:
                self.answered = True
                return completion
        raise AssertionError("unreachable")

    def _wait(self, attempt: int, exc: Transient) -> None:
        if exc.retry_after is not None and exc.retry_after > MAX_WAIT:
            raise EndpointError(
                Message(
                    "{problem}; the server asks to wait {seconds:.0f} s before the next "
                    "request: run again later",
                    problem=exc.message,
                    seconds=exc.retry_after,
                )
            )
        step = min(BACKOFF_CAP, self.backoff * 2 ** (attempt - 1))
        delay = step / 2 + random.uniform(0, step / 2)  # jitter: threads do not retry together
        if exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        self.count_retry()
        if self.stop.wait(delay):
            raise Cancelled

    def _post(self, body: dict) -> Completion:
        request = urllib.request.Request(
            self.endpoint.url,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers=self._headers(),
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read(MAX_BODY + 1)
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            raise self._status_error(exc) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise connection_problem(exc, self.endpoint.shown, self.timeout) from None
        return self._completion(raw, kind)

    def _headers(self) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"annotator/{__version__}",
        }
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        return headers

    # -- what came back -----------------------------------------------------------------------
    def _completion(self, raw: bytes, kind: str) -> Completion:
        where = self.endpoint.shown
        if len(raw) > MAX_BODY:
            raise EndpointError(
                Message("{endpoint} answered with more than 32 MB; that is no chat reply",
                        endpoint=where)
            )  # fmt: skip
        data = parse_json(raw)
        if not isinstance(data, dict):
            raise EndpointError(
                Message(
                    "{endpoint} answered with something that is not JSON ({kind}: "
                    '"{start}"); is it an OpenAI-compatible API (its address usually ends '
                    "in /v1)?",
                    endpoint=where,
                    kind=kind.split(";")[0] or "?",
                    start=snippet(raw),
                )
            )
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            words = said(data)
            raise EndpointError(
                Message(
                    "{endpoint} answered without a reply (no choices in its JSON): {said}",
                    endpoint=where,
                    said=words or snippet(raw),
                )
            )
        first = choices[0]
        message = first.get("message") if isinstance(first.get("message"), dict) else {}
        return Completion(_text(message.get("content")), str(first.get("finish_reason") or ""))

    def _status_error(self, exc: urllib.error.HTTPError) -> Exception:
        try:
            raw = exc.read(64 * 1024)
        except (OSError, http.client.HTTPException):
            raw = b""
        return status_problem(exc.code, raw, exc.headers, self.endpoint.shown,
                              has_key=bool(self._key), models=self.models)  # fmt: skip

    def models(self) -> list[str] | None:
        """The ids ``GET {base}/models`` lists; None when that does not answer as an API."""
        request = urllib.request.Request(f"{self.endpoint.base}/models", headers=self._headers())
        try:
            with self._opener.open(request, timeout=min(self.timeout, 10.0)) as response:
                data = parse_json(response.read(MAX_BODY))
        except (urllib.error.URLError, OSError, http.client.HTTPException):
            return None
        rows = data.get("data") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            return None
        return [str(r["id"]) for r in rows if isinstance(r, dict) and "id" in r]


def _text(content) -> str:
    """The reply's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            p.get("text", "") for p in content if isinstance(p, dict) and isinstance(
                p.get("text"), str)
        )  # fmt: skip
    return ""
