"""The lead window shows user-provided names as typed, never as rich text (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.test_rich_text import HOSTILE, assert_literal, hostile_path  # noqa: F401


def test_lead_window_shows_project_name_literally(hostile_path, open_lead):
    window, controller = open_lead(hostile_path)
    assert_literal(window.project_label, HOSTILE)
    assert window.status.textFormat() == Qt.TextFormat.PlainText
    assert window.overview.heading.textFormat() == Qt.TextFormat.PlainText
