"""Messages as data: a ``Message(msgid, **params)`` is turned into text when it is shown.

``tr`` translates at once, in the language of the moment. A ``Message`` keeps its
English id and its values, so the same message reads in Chinese in the app and in
English in a report, each when (and in the language) its reader needs it, like napari's
``trans._(..., deferred=True)``::

    reason = Message("mean {measure} {value} {op} {threshold}", measure="BLEU", ...)
    str(reason)             # in the current language (``i18n.current_language``)
    reason.text("zh_CN")    # in Chinese, whatever the current language

A value that is itself a message (a ``Message``, a ``Verbatim`` or a ``Term``) is shown
in the same language as the sentence that holds it. ``packaging/messages.py`` and the
catalog test extract ``Message("...")`` calls like ``tr("...")`` calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.core.i18n import catalog, current_language, normalize


def _language(language: str | None) -> str:
    return normalize(language) if language else current_language()


def _shown(value: object, language: str) -> object:
    """A placeholder's value for a sentence in ``language`` (nested messages as text)."""
    text = getattr(value, "text", None)
    return text(language) if callable(text) and not isinstance(value, str) else value


def _fill(template: str, fallback: str, params: Mapping[str, object], language: str) -> str:
    if not params:
        return template
    values = {k: _shown(v, language) for k, v in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a faulty translation must not hide the message
        return fallback.format(**values)


@dataclass(frozen=True, init=False)
class Message:
    """A sentence for a person, kept as its English id and named values until shown.

    Attributes:
        msgid: the English text, with ``{name}`` placeholders; the catalog's key.
        params: the placeholders' values, as sorted ``(name, value)`` pairs.
    """

    msgid: str
    params: tuple[tuple[str, object], ...]

    def __init__(self, msgid: str, /, **params: object) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", tuple(sorted(params.items())))

    def _template(self, language: str) -> str:
        return catalog(language).gettext(self.msgid)

    def text(self, language: str | None = None) -> str:
        """The sentence in ``language`` (the current language when None)."""
        lang = _language(language)
        return _fill(self._template(lang), self.msgid, dict(self.params), lang)

    def __str__(self) -> str:
        return self.text()

    def __hash__(self) -> int:
        # Computed once: the verdicts of 100,000 items hash their reasons many times.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            pass
        try:
            value = hash((type(self), self.msgid, self.params))
        except TypeError:  # a list among the values: equal messages still hash alike
            value = hash((type(self), self.msgid, repr(self.params)))
        object.__setattr__(self, "_hash", value)
        return value

    def __getstate__(self) -> dict[str, object]:
        # A str's hash differs between processes: a copy computes its own.
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params)
        return f"{type(self).__name__}({self.msgid!r}{args})"


@dataclass(frozen=True, init=False, repr=False, eq=True)
class Verbatim(Message):
    """A template with no words to translate ("{measure} {value} {op} {threshold}").

    Its values are still shown in the reader's language; the template is not looked up,
    so it needs no catalog entry.
    """

    def _template(self, language: str) -> str:
        return self.msgid

    __hash__ = Message.__hash__


@dataclass(frozen=True)
class Term:
    """A name that comes with the data, not the catalog: a dimension's key and its
    Chinese name from the rubric. Shown as the Chinese name in Chinese, else the key."""

    key: str
    zh: str = ""

    def text(self, language: str | None = None) -> str:
        return self.zh if self.zh and _language(language) == "zh_CN" else self.key

    def __str__(self) -> str:
        return self.text()


def as_text(value: object, language: str | None = None) -> str:
    """``value`` as text in ``language``: a message is translated, a string kept."""
    if isinstance(value, str):
        return value
    return str(_shown(value, _language(language)))


def join(parts: Iterable[object], language: str | None = None, sep: str = "; ") -> str:
    """Several messages as one text, separated by the catalog's ``sep`` in ``language``."""
    lang = _language(language)
    return catalog(lang).gettext(sep).join(as_text(p, lang) for p in parts)


_SEP = object()  # the key of the separator among a Renderer's texts


class Renderer:
    """Texts of many messages (or tuples of them) in one language, each distinct one once.

    The verdicts of 100,000 items share a few hundred distinct reasons: rendering each
    distinct tuple once keeps a second language cheap.
    """

    def __init__(self, language: str | None = None):
        self.language = _language(language)
        self._seen: dict[object, str] = {}

    def __call__(self, value: object) -> str:
        try:
            return self._seen[value]
        except KeyError:
            pass
        except TypeError:  # unhashable values: rendered every time
            return self._render(value)
        text = self._seen[value] = self._render(value)
        return text

    def texts(self, values: Iterable[object]) -> list[str]:
        """The text of each value, in order."""
        return [self(v) for v in values]

    def _render(self, value: object) -> str:
        if isinstance(value, tuple):  # the parts repeat far more often than whole tuples
            return self._sep().join(self(part) for part in value)
        return as_text(value, self.language)

    def _sep(self) -> str:
        sep = self._seen.get(_SEP)
        if sep is None:
            sep = self._seen[_SEP] = catalog(self.language).gettext("; ")
        return sep
