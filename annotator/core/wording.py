"""Fixed words of the results in the reader's language: verdicts, readings of alpha, levels.

The values themselves ("PASS", "tentative", "ordinal") stay English in JSON and in the
project file; these are for people (command line, app). Kept free of heavy imports so
the command line starts fast.
"""

from __future__ import annotations

from annotator.core.i18n import tr


def verdict_name(value: str | None) -> str:
    names = {"PASS": tr("PASS"), "FAIL": tr("FAIL"), "NEEDS_REVIEW": tr("NEEDS REVIEW")}
    return names.get(value or "", value or "-")


def reading_name(value: str | None) -> str:
    """Krippendorff's reading of an alpha ("reliable", "tentative", ...)."""
    names = {
        "reliable": tr("reliable"),
        "tentative": tr("tentative"),
        "not reliable": tr("not reliable"),
        "not computable": tr("not computable"),
    }
    return names.get(value or "", value or "")


def level_name(level: str) -> str:
    """A level of measurement for Krippendorff's alpha."""
    names = {
        "nominal": tr("nominal"),
        "ordinal": tr("ordinal"),
        "interval": tr("interval"),
        "ratio": tr("ratio"),
    }
    return names.get(level, level)
