"""Fixed words of the results in the reader's language: verdicts, readings of alpha, levels.

The values themselves ("PASS", "tentative", "ordinal") stay English in JSON and in the
project file; these are for people (command line, app, Excel report). They are the one
place these words come from: the report (in the project's language) and the app (in the
interface's) read the same catalog entries. Kept free of heavy imports so the command
line starts fast.
"""

from __future__ import annotations

from annotator.core.domain.message import Message

VERDICTS = {
    "PASS": Message("PASS"),
    "FAIL": Message("FAIL"),
    "NEEDS_REVIEW": Message("NEEDS REVIEW"),
    "INCONCLUSIVE": Message("INCONCLUSIVE"),
    "NEEDS_MORE_DATA": Message("NEEDS MORE DATA"),
}
DIFFERENCES = {  # a paired comparison's reading (core.stats.compare.reading)
    "better": Message("better"),
    "no_difference": Message("no detectable difference"),
    "worse": Message("worse"),
}
READINGS = {  # Krippendorff's readings of an alpha (core.stats.agreement.interpret)
    "reliable": Message("reliable"),
    "tentative": Message("tentative"),
    "not reliable": Message("not reliable"),
    "not computable": Message("not computable"),
}
LEVELS = {
    "nominal": Message("nominal"),
    "ordinal": Message("ordinal"),
    "interval": Message("interval"),
    "ratio": Message("ratio"),
}


def verdict_name(value: str | None, language: str | None = None) -> str:
    """A verdict ("PASS", "NEEDS_REVIEW") in ``language`` (the current one when None)."""
    message = VERDICTS.get(str(value or ""))
    return message.text(language) if message else (value or "-")


def difference_name(value: str | None, language: str | None = None) -> str:
    """A paired comparison's reading ("better", "no_difference", "worse") in ``language``."""
    message = DIFFERENCES.get(value or "")
    return message.text(language) if message else ""


def reading_name(value: str | None, language: str | None = None) -> str:
    """Krippendorff's reading of an alpha ("reliable", "tentative", ...) in ``language``."""
    message = READINGS.get(value or "")
    return message.text(language) if message else (value or "")


def level_name(level: str, language: str | None = None) -> str:
    """A level of measurement for Krippendorff's alpha, in ``language``."""
    message = LEVELS.get(level)
    return message.text(language) if message else level
