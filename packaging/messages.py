"""Refresh the one message catalog (gettext) of the core, the CLI and the app, then compile it.

    python packaging/messages.py                      # extract, merge, compile
    python packaging/messages.py --fill zh.json       # also take translations from a map
    python packaging/messages.py --compile-only       # only rebuild the .mo files

Every ``tr("...")`` or ``Message("...")`` call under annotator/ (core, cli, gui and
preflight.py) is a message; its English text is the id. ``pgettext("context", "...")`` gives
an English word that needs two translations its own entry (the report's "Items" as a
count, 条目数, beside the app's "Items", 条目); ``--fill`` takes it as "context\u0004English".
``resources/i18n/messages_zh_CN.po`` keeps the translations (existing ones are kept,
messages no longer in the code are dropped), and the compiled ``.mo`` next to it is
committed, so an installed annotator needs no gettext tools.
Needs Babel (``pip install -e ".[dev]"``). Qt keeps its own catalog only for Qt's own words
(a wizard's Back/Finish, Yes/No, a file dialog): ``qtbase_zh_CN`` from Qt's translations
folder, loaded by ``annotator.gui.app.install_translator``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
SOURCES = (ROOT / "annotator",)  # core, cli, gui and preflight.py (the check before Qt)
LANGUAGES = ("zh_CN",)  # English is the message ids themselves


def po_path(lang: str) -> Path:
    return I18N / f"messages_{lang}.po"


KEYWORDS = {"tr": None, "Message": None, "pgettext": ((1, "c"), 2)}
Key = tuple[str | None, str]  # (context, message id)


def extract() -> dict[Key, list[str]]:
    """Every (context, message id) in the sources, with the files it comes from."""
    found: dict[Key, list[str]] = {}
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            for _line, message, _comments, context in extract_from_file(
                "python", path, keywords=KEYWORDS
            ):
                if isinstance(message, str) and message:
                    files = found.setdefault((context, message), [])
                    if rel not in files:
                        files.append(rel)
    return found


def update(lang: str, found: dict[Key, list[str]], fill: dict[str, str]) -> tuple[int, int]:
    """Rewrite the .po of ``lang`` for ``found``; returns (messages, untranslated)."""
    old: dict[Key, str] = {}
    if po_path(lang).exists():
        with open(po_path(lang), "rb") as fh:
            old = {(m.context, m.id): m.string for m in read_po(fh) if m.id and m.string}
    catalog = Catalog(locale=lang, project="annotator", domain="messages", fuzzy=False)
    missing = 0
    for key in sorted(found, key=lambda k: (k[1], k[0] or "")):
        context, message = key
        filled = fill.get(f"{context}\x04{message}" if context else message)
        text = filled or old.get(key) or ""
        missing += not text
        catalog.add(message, text, locations=[(f, None) for f in found[key]], context=context)
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, sort_output=True)
    before = po_path(lang).read_bytes() if po_path(lang).exists() else b""
    if _undated(out.getvalue()) != _undated(before):  # a new date alone is no change
        po_path(lang).write_bytes(out.getvalue())
    return len(found), missing


def _undated(po: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", po)


def compile_all() -> None:
    for lang in LANGUAGES:
        with open(po_path(lang), "rb") as fh:
            catalog = read_po(fh, locale=lang)
        with open(po_path(lang).with_suffix(".mo"), "wb") as fh:
            write_mo(fh, catalog)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-only", action="store_true")
    parser.add_argument("--fill", type=Path, help="a JSON {English: translation} map (zh_CN)")
    args = parser.parse_args()
    if not args.compile_only:
        fill = json.loads(args.fill.read_text(encoding="utf-8")) if args.fill else {}
        found = extract()
        for lang in LANGUAGES:
            total, missing = update(lang, found, fill)
            print(f"{po_path(lang).relative_to(ROOT)}: {total} messages, {missing} untranslated")
            if missing:
                print("  translate them, then run this again", file=sys.stderr)
    compile_all()


if __name__ == "__main__":
    main()
