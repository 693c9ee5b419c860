"""Small pieces every lead page shares: number formats, verdict words, meaning colours.

Colours carry meaning only (verdicts and agreement readings); everything else
follows the system palette, light or dark.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from annotator.core.domain.wording import verdict_name
from annotator.core.i18n import tr

# Verdict and reading -> (light palette colour, dark palette colour)
_MEANING = {
    "PASS": ("#1b7f3b", "#5fd38d"),
    "FAIL": ("#b3261e", "#ff8a80"),
    "NEEDS_REVIEW": ("#a15c00", "#ffc857"),
    # The interval straddles a threshold: blue; too few complete samples to judge: lilac
    # (the Excel summary's hues, so a lead reads the same colour in both).
    "INCONCLUSIVE": ("#1f4e79", "#8ab4f8"),
    "NEEDS_MORE_DATA": ("#5b2c6f", "#d7aefb"),
    "NO_DIFFERENCE": ("#5f6368", "#bdc1c6"),  # a comparison's "no detectable difference"
}
# A paired comparison's reading (core.stats.compare.reading) -> its colour's key.
_DIFFERENCES = {"better": "PASS", "worse": "FAIL", "no_difference": "NO_DIFFERENCE"}
_READINGS = {  # Krippendorff's alpha readings from core.stats.agreement.interpret
    "reliable": "PASS",
    "tentative": "NEEDS_REVIEW",
    "unreliable": "FAIL",
}


def is_dark() -> bool:
    """True when the system palette is dark (text lighter than the window)."""
    palette = QGuiApplication.palette()
    return palette.windowText().color().lightness() > palette.window().color().lightness()


def meaning_color(key: str | None) -> QColor | None:
    """The colour of a verdict (the five codes), a comparison's reading ("better",
    "no_difference", "worse") or an alpha reading."""
    if not key:
        return None
    key = _DIFFERENCES.get(key) or _READINGS.get(reading_kind(key), key)
    pair = _MEANING.get(str(key).upper())
    if pair is None:
        return None
    return QColor(pair[1] if is_dark() else pair[0])


def reading_kind(text: str) -> str:
    """ "reliable", "tentative" or "unreliable" from an interpretation sentence."""
    low = str(text).lower()
    if "not reliable" in low or "unreliable" in low or "poor" in low:
        return "unreliable"
    if "tentative" in low or "moderate" in low:
        return "tentative"
    if "reliable" in low or "good" in low:
        return "reliable"
    return low


def verdict_text(verdict: str | None) -> str:
    """How a verdict reads in a table."""
    if not verdict:
        return ""
    short = {"PASS": tr("PASS"), "FAIL": tr("FAIL"), "NEEDS_REVIEW": tr("REVIEW")}
    return short.get(str(verdict)) or verdict_name(str(verdict))


def number(value: float | None, digits: int = 2, *, signed: bool = False) -> str:
    """A number for a table cell: "3.41", "+0.81", or "–" when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if round(value, digits) == 0:
        value = 0.0  # "-0.00" says nothing a reader can use
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def percent(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:.0f}%"


def dimension_label(rubric, key: str, language: str) -> str:
    """The rubric's name for a dimension in the UI language (the key for "composite")."""
    if key == "composite":
        return tr("Composite")
    for d in rubric.dimensions:
        if d.key == key:
            return d.name_zh if language == "zh_CN" else d.name_en
    return key


def scrolled_page(page: QWidget, *parts: QWidget) -> None:
    """Lay ``parts`` out one under the other in a scroll area filling ``page``: a wide
    table or a tall chart scrolls with the page instead of being cut off."""
    inner = QWidget()
    column = QVBoxLayout(inner)
    for part in parts:
        column.addWidget(part)
    column.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(inner)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
