"""The message catalog: every tr() and Message() message is a literal, is translated, and
keeps its placeholders; the compiled .mo says what the .po says."""

from __future__ import annotations

import ast
import gettext
import re
import string
from pathlib import Path

from babel.messages.pofile import read_po

from annotator.core.resources import resource

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "annotator"]  # core, cli, gui and preflight.py, as packaging/messages.py
PO = resource("i18n", "messages_zh_CN.po")
MO = resource("i18n", "messages_zh_CN.mo")
CJK = re.compile(r"[\u4e00-\u9fff]")
KEYWORDS = ("tr", "Message", "pgettext")  # the same keywords as packaging/messages.py extracts


def tr_calls():
    """(file, line, call) for every call of tr or Message in the core and the CLI."""
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) in KEYWORDS:
                    yield path.relative_to(ROOT), node.lineno, node


def fields(text: str) -> list[tuple[str, str, str]]:
    """The placeholders of a format string: (name, conversion, spec), sorted."""
    return sorted(
        (name, conv or "", spec or "")
        for _, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    )


def _key(call: ast.Call) -> str | None:
    """The catalog key of a call: its message id, "context\x04id" for pgettext."""
    args = [a.value for a in call.args if isinstance(a, ast.Constant)]
    if call.func.id == "pgettext":
        return "\x04".join(args) if len(args) == 2 else None
    return args[0] if args else None


def _text(call: ast.Call) -> ast.expr | None:
    """The English text of a call (pgettext's second argument)."""
    at = 1 if call.func.id == "pgettext" else 0
    return call.args[at] if len(call.args) > at else None


def code_messages() -> set[str]:
    return {key for _, _, call in tr_calls() if (key := _key(call))}


def catalog() -> gettext.GNUTranslations:
    with open(MO, "rb") as fh:
        return gettext.GNUTranslations(fh)


def test_every_message_is_a_literal_with_the_placeholders_it_fills():
    problems = []
    calls = list(tr_calls())
    assert len(calls) > 100  # the core and the CLI do speak through tr
    for path, line, call in calls:
        first = _text(call)
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            problems.append(f"{path}:{line}: the message must be a string literal")
            continue
        if any(k.arg is None for k in call.keywords):  # **params: cannot be checked here
            continue
        wanted = {name for name, _, _ in fields(first.value)}
        given = {k.arg for k in call.keywords}
        if wanted != given:
            problems.append(f"{path}:{line}: placeholders {sorted(wanted)}, given {sorted(given)}")
    assert problems == []


def test_every_message_is_translated_into_chinese_with_the_same_placeholders():
    translations = catalog()._catalog
    problems = []
    for message in sorted(code_messages()):
        text = translations.get(message)
        english = message.split("\x04")[-1]
        if not text:
            problems.append(f"untranslated: {message!r}")
        elif fields(text) != fields(english):
            problems.append(f"placeholders differ: {message!r} -> {text!r}")
        elif _words(english) and _words(text) and not CJK.search(text):
            problems.append(f"still English: {message!r} -> {text!r}")
    assert problems == []


def _words(text: str) -> bool:
    """Whether ``text`` has English words outside its placeholders."""
    return bool(re.search("[A-Za-z]{3}", re.sub(r"\{[^{}]*\}", "", text)))


def test_the_compiled_catalog_matches_the_po_file():
    with open(PO, "rb") as fh:
        po = {
            (f"{m.context}\x04" if m.context else "") + m.id: m.string for m in read_po(fh) if m.id
        }
    compiled = {k: v for k, v in catalog()._catalog.items() if k}
    assert compiled == {k: v for k, v in po.items() if v}, (
        "run python packaging/messages.py --compile-only"
    )
    stale = set(po) - code_messages()
    assert stale == set(), "run python packaging/messages.py to drop messages no longer used"
