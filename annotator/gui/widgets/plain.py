"""User-provided text shown as text: never as Qt rich text.

A ``QLabel`` guesses whether its text is HTML (``Qt.mightBeRichText``) and a tooltip
always does, so an item text or project name like ``<b>x</b><img src="file:///...">``
would render bold and load a file. Labels that show such text use ``plain_label``;
tooltips go through ``plain_tip``.
"""

from __future__ import annotations

import html

from PySide6.QtGui import Qt  # mightBeRichText lives in QtGui's Qt
from PySide6.QtWidgets import QLabel


def plain_tip(text: str | None) -> str:
    """A tooltip that shows ``text`` literally, line breaks kept (empty stays empty)."""
    if not text:
        return ""
    if not Qt.mightBeRichText(text):
        return text  # Qt shows it as plain text already
    # A tooltip in rich text whose content is escaped: Qt can no longer guess markup.
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text as typed, markup and all; returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
