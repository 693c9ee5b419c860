"""argparse in the reader's language: the parser's own words, and Chinese wrapped by columns.

The help is built before any project is open, so it speaks ANNOTATOR_LANG or the system's
language (``_common.help_language``); the commands themselves then follow their project.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from annotator.core.i18n import display_width, tr

_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019"
_ATOM = re.compile(f" +|[{_WIDE}]|[^ {_WIDE}]+")
_CLOSING = set("，。、；：！？）》」』”’")
_OPENING = set("（《「『“‘")


def wrap_columns(text: str, width: int) -> list[str]:
    """``text`` (whitespace already collapsed) in lines of at most ``width`` terminal columns.

    Breaks at spaces and between Chinese characters, never before a closing mark (，。）) or
    after an opening one (（“); a word longer than the width gets a line of its own.
    """
    words: list[str] = []
    glue = False  # the last word ends with an opening mark: the next atom joins it
    for atom in _ATOM.findall(text):
        if atom[0] == " ":
            words.append(" ")
            glue = False
        elif words and words[-1] != " " and (glue or atom in _CLOSING):
            words[-1] += atom
            glue = atom in _OPENING
        else:
            words.append(atom)
            glue = atom in _OPENING
    lines: list[str] = []
    line = ""
    for word in words:
        if word == " ":
            line += " " if line else ""
        elif line.strip() and display_width(line + word) > width:
            lines.append(line.rstrip())
            line = word
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


class TranslatedFormatter(argparse.HelpFormatter):
    """argparse's help layout with the usage prefix in the reader's language, and text with
    Chinese in it wrapped by terminal columns (a Chinese character takes two)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:
            prefix = tr("usage: ")
        if usage is not argparse.SUPPRESS and display_width(prefix) != len(prefix):
            # argparse indents the wrapped usage lines by len(prefix), too little for Chinese:
            # lay the usage out behind spaces as wide as the prefix, put it back in format_help
            self._usage_prefix = prefix
            prefix = " " * display_width(prefix)
        super().add_usage(usage, actions, groups, prefix)

    def format_help(self) -> str:
        text = super().format_help()
        prefix = getattr(self, "_usage_prefix", None)
        return text.replace(" " * display_width(prefix), prefix, 1) if prefix else text

    def _split_lines(self, text: str, width: int) -> list[str]:
        if display_width(text) == len(text):
            return super()._split_lines(text, width)
        return wrap_columns(re.sub(r"\s+", " ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if display_width(text) == len(text):
            return super()._fill_text(text, width, indent)
        lines = wrap_columns(re.sub(r"\s+", " ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)


class TranslatedParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words follow the language set when it is built: the usage
    prefix, the group titles, the -h help and the error line. The bodies of argparse's errors
    ("the following arguments are required: ...") stay English. Subparsers made through
    add_subparsers are of the same class (argparse's default parser_class is type(self))."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", TranslatedFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        # argparse titles its two default groups in English when the parser is made and offers
        # no public way to rename them: this is the one place that does
        self._positionals.title = tr("positional arguments")
        self._optionals.title = tr("options")
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=tr("show this help message and exit"),
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, tr("{prog}: error: {message}", prog=self.prog, message=message) + "\n")
