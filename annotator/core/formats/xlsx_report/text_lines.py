"""A long sentence of a report sheet in lines that fit the printed page.

Lines are broken at spaces (and at "|", between the parts of a signature) and between
Chinese characters; a closing mark ("）", "，", "。" ...) never starts a line.
"""

from __future__ import annotations

from annotator.core.i18n import display_width

LINE = 130  # terminal columns of a sentence's line: the width of the widest table
CLOSING = set("）)，。；：、”’！？")


def wrapped(text: str, width: int = LINE) -> list[str]:
    """``text`` in lines of at most ``width`` columns (one word longer than that stays
    whole on its own line)."""
    out, line = [], ""
    for atom in _atoms(text):
        if line and atom[:1] in CLOSING:
            line += atom
        elif line and display_width(line + atom.rstrip()) > width:
            out.append(line.rstrip())
            line = atom.lstrip()
        else:
            line += atom
    return [*out, line.rstrip()] if line.strip() else out


def _atoms(text: str):
    word = ""
    for ch in text:
        word += ch
        if ch in " |" or display_width(ch) == 2:
            yield word
            word = ""
    if word:
        yield word
