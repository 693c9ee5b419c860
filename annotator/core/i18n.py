"""Messages in the reader's language (Simplified Chinese or English), without Qt.

Every sentence the core, the CLI or the app writes for a person goes through ``tr`` (or a
``domain.message.Message``, translated when shown)::

    raise InputError(tr("row {row}: expected a score from 1 to 5, got {value!r}",
                        row=row, value=value))

The English text is the message id; ``resources/i18n/messages_zh_CN.po`` holds
the Chinese (compiled to ``.mo`` by ``packaging/messages.py``, read with the
standard ``gettext`` module). Placeholders are named, so a translation may put
them in any order. The language is per process (``set_language``), with a
per-thread override (``use_language``) for work done in another language, such
as a report written in the project's language while the window is in English.
"""

from __future__ import annotations

import gettext
import os
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache

from annotator.core.resources import resource

LANGUAGES = ("zh_CN", "en")
DOMAIN = "messages"
_default = "en"
_local = threading.local()


def normalize(language: str | None) -> str:
    """Map a locale name ("zh", "zh_CN.UTF-8", "zh-Hans", "en_US") to zh_CN or en."""
    text = (language or "").strip().lower().replace("-", "_")
    return "zh_CN" if text.startswith("zh") else "en"


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return normalize(value.split(":")[0])
    return "en"


def set_language(language: str | None) -> str:
    """Set the process's language; returns the normalised name."""
    global _default
    _default = normalize(language)
    return _default


def current_language() -> str:
    return getattr(_local, "language", None) or _default


@contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Write messages in ``language`` in this thread until the block ends."""
    previous = getattr(_local, "language", None)
    _local.language = normalize(language)
    try:
        yield _local.language
    finally:
        _local.language = previous


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language``; English (the message ids) needs none."""
    if language == "en":
        return gettext.NullTranslations()
    path = resource("i18n", f"{DOMAIN}_{language}.mo")
    try:
        with open(path, "rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:  # a broken installation still speaks English rather than failing
        return gettext.NullTranslations()


def tr(message: str, /, **params: object) -> str:
    """``message`` in the current language, with ``{name}`` placeholders filled in."""
    text = catalog(current_language()).gettext(message)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):  # a faulty translation must not hide the error
        return message.format(**params)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: object, width: int, align: str = "<") -> str:
    """``text`` padded to ``width`` terminal columns ("<" left, ">" right aligned)."""
    s = str(text)
    fill = " " * max(0, width - display_width(s))
    return s + fill if align == "<" else fill + s
