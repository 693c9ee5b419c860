"""Text tables for the terminal, aligned by display width (a Chinese character takes two
columns), whatever the length of the names in them."""

from __future__ import annotations

from annotator.core.i18n import display_width, pad

GAP = "  "


def text_table(rows: list[list[str]], right: frozenset[int] | set[int] = frozenset()) -> list[str]:
    """``rows`` (the first is the header) as lines whose columns start at the same display
    column; the columns in ``right`` are right-aligned. Trailing spaces are removed."""
    if not rows:
        return []
    count = max(len(r) for r in rows)
    rows = [[str(c) for c in r] + [""] * (count - len(r)) for r in rows]
    widths = [max(display_width(r[j]) for r in rows) for j in range(count)]
    return [
        GAP.join(
            pad(cell, widths[j], ">" if j in right else "<") for j, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
