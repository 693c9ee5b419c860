"""When two spellings of a rater's name are the same rater (issue 14, point 9).

"Wang Wu", "wang  wu" and full-width "ｗａｎｇ ｗｕ" are one person: a name is compared by
its key, NFKC-normalised, case-folded, with every run of white space made one space and
none at either end. Zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM), which
arrive invisibly from copied text, are dropped before that: a name that looks the same is
the same. The first spelling stored stays the rater's display name.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"\s+")


def rater_key(name: str) -> str:
    """The key two spellings of one rater's name share."""
    text = unicodedata.normalize("NFKC", str(name)).translate(_INVISIBLE)
    return _SPACES.sub(" ", text.casefold()).strip()
