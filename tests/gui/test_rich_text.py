"""User-provided text is shown as typed, never rendered as rich text (issue 12, part 6).

A project name or an item text such as ``<b>x</b><img src="file:///etc/passwd">`` must
read literally in the rater window and in the lead window: no bold, no image loaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QLabel

from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.usecases.importing import MemoryPlan, import_plan

HOSTILE = '<b>x</b><img src="file:///etc/passwd">'


@pytest.fixture
def hostile_path(tmp_path) -> Path:
    path = tmp_path / "hostile.annotator"
    with Project.create(path, HOSTILE) as p:
        drafts = [
            ItemDraft(
                sample_id=f"s{k}",
                instruction=f"{HOSTILE} {k}",
                reference=f"<i>ref</i> {k}",
                generated=f"<h1>gen</h1> {k}",
                row=k + 1,
                model=model,
            )
            for k in range(1, 4)
            for model in ("base", "lora")
        ]
        import_plan(p.db, MemoryPlan(Path("items.jsonl"), drafts, "sha-hostile"))
    return path


def shown_as(tip: str) -> str:
    """What a tooltip (always rendered as rich text when it looks like it) displays."""
    doc = QTextDocument()
    if Qt.mightBeRichText(tip):
        doc.setHtml(tip)
    else:
        doc.setPlainText(tip)
    return doc.toPlainText()


def assert_literal(label: QLabel, text: str) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert text in label.text()


def test_rater_window_shows_project_name_and_texts_literally(hostile_path, open_window, qtbot):
    window, ctl = open_window(hostile_path)
    assert_literal(window.heading, HOSTILE)
    assert window.texts.texts()[0].startswith(HOSTILE)
    for label in window.grid.labels:
        assert label.textFormat() == Qt.TextFormat.PlainText
    row = ctl.model.row_of(ctl.index)
    tip = ctl.model.data(ctl.model.index(row, 3), Qt.ItemDataRole.ToolTipRole)
    assert shown_as(tip) == ctl.item.instruction
    ctl.set_flag(HOSTILE)  # a free-text flag reason the rater typed
    assert_literal(window.flag_label, HOSTILE)
    for label in (window.position_label, window.saved_label, window.progress_label):
        assert label.textFormat() == Qt.TextFormat.PlainText
