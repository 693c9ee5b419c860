"""The rater's side-by-side (GSB) workspace: layout only. ``SideBySideController`` decides.

Comparisons list on the left; the instruction on top, the two answers side by side below
it, the judgment rows with their anchor words, comment and flag; a status line that is
the only place that confirms saving. Nothing names a model.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QSplitter,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.side_by_side import Choice
from annotator.core.i18n import tr
from annotator.gui.widgets.answer_panes import AnswerPanes
from annotator.gui.widgets.judge_panel import JudgePanel
from annotator.gui.widgets.plain import plain_label
from annotator.gui.widgets.shortcut_overlay import ShortcutOverlay

SWITCH_KEYS = "F2 / Ctrl+Tab"


def side_by_side_rows(scale: int, per_dimension: bool, switch: bool) -> list[tuple[str, str]]:
    """(keys, what they do) of the side-by-side view, in the order a rater learns them."""
    if scale == 5:
        levels = (
            "1 - 5",
            tr("A much better · A better · about the same · B better · B much better"),
        )
    else:
        levels = ("1 / 2 / 3", tr("A (left) better · about the same · B (right) better"))
    rows = [levels, ("X", tr("both answers unacceptable"))]
    if per_dimension:
        rows += [
            ("← / →", tr("A better / B better")),
            ("Tab / Shift+Tab, ↓ / ↑", tr("next / previous dimension")),
        ]
    else:
        rows.append(("← / ↓ / →", tr("A better / about the same / B better")))
    rows += [
        ("Enter", tr("next comparison not yet judged")),
        ("Ctrl+→ / Ctrl+←, PgDn / PgUp", tr("next / previous comparison")),
        ("Ctrl+Z", tr("undo the last judgment")),
        ("R", tr("show or hide the reference")),
        ("F", tr("flag the comparison")),
        ("C", tr("write a comment (Esc returns to the judgment)")),
        ("Ctrl+= / Ctrl+-", tr("larger / smaller text")),
        ("Ctrl+L", tr("show or hide the comparison list")),
    ]
    if switch:
        rows.append((SWITCH_KEYS, tr("switch between scoring and side by side")))
    rows.append(("?", tr("show or hide this help")))
    return rows


class SideBySideView(QWidget):
    """Header with progress, comparison list, texts, judgment rows, notes, status line."""

    def __init__(
        self,
        levels: list[tuple[Choice, str]],
        rows: list[str],
        *,
        scale: int,
        switch: bool,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("sideBySideView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_list())
        self.splitter.addWidget(self._build_work(levels, rows))
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 1050])
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self._build_status(scale, len(rows) > 1))
        self.overlay = ShortcutOverlay(self, side_by_side_rows(scale, len(rows) > 1, switch))

    def _build_list(self) -> QWidget:
        self.list_host = QWidget(self)
        box = QVBoxLayout(self.list_host)
        box.setContentsMargins(8, 6, 4, 4)
        caption = QLabel(tr("Comparisons"), self.list_host)
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        self.list = QListWidget(self.list_host)
        self.list.setObjectName("comparisonList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.list.setUniformItemSizes(True)  # never measures every row to lay them out
        box.addWidget(caption)
        box.addWidget(self.list, 1)
        self.list_host.setMinimumWidth(180)
        return self.list_host

    def _build_work(self, levels: list[tuple[Choice, str]], rows: list[str]) -> QWidget:
        work = QWidget(self)
        layout = QVBoxLayout(work)
        layout.setContentsMargins(6, 6, 10, 4)
        header = QHBoxLayout()
        self.heading = plain_label(QLabel(work))  # the project's name, as typed
        self.heading.setObjectName("sbsHeading")
        self.position_label = plain_label(QLabel(work))
        self.progress_label = plain_label(QLabel(work))
        self.progress = QProgressBar(work)
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(160)
        header.addWidget(self.heading, 1)
        header.addWidget(self.position_label)
        header.addSpacing(16)
        header.addWidget(self.progress_label)
        header.addWidget(self.progress)
        layout.addLayout(header)
        self.answers = AnswerPanes(work)
        layout.addWidget(self.answers, 1)
        self.panel = JudgePanel(levels, rows, work)
        layout.addWidget(self.panel)
        layout.addLayout(self._build_notes(work))
        return work

    def _build_notes(self, parent: QWidget) -> QHBoxLayout:
        notes = QHBoxLayout()
        self.comment = QLineEdit(parent)
        self.comment.setObjectName("sbsComment")
        self.comment.setPlaceholderText(tr("Comment (C; Esc returns to the judgment)"))
        self.flag_button = QToolButton(parent)
        self.flag_button.setObjectName("sbsFlagButton")
        self.flag_button.setText(tr("Flag (F)"))
        self.flag_button.setCheckable(True)
        self.flag_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.flag_label = plain_label(QLabel(parent))  # a reason the rater typed
        self.flag_text = QLineEdit(parent)
        self.flag_text.setObjectName("sbsFlagText")
        self.flag_text.setPlaceholderText(tr("Why flag this comparison? Enter saves, Esc cancels"))
        self.flag_text.hide()
        notes.addWidget(self.comment, 3)
        notes.addWidget(self.flag_button)
        notes.addWidget(self.flag_label, 1)
        notes.addWidget(self.flag_text, 2)
        return notes

    def _build_status(self, scale: int, per_dimension: bool) -> QStatusBar:
        self.status = QStatusBar(self)
        self.status.setObjectName("sbsStatus")
        self.status.setSizeGripEnabled(False)
        self.saved_label = plain_label(QLabel(self.status))  # may quote an error
        self.saved_label.setObjectName("sbsSavedLabel")
        self.time_label = plain_label(QLabel(self.status))
        keys = "1-5" if scale == 5 else "1/2/3"
        hints = tr(
            "{keys} judge · X both bad · Ctrl+←/→ comparisons · Ctrl+Z undo · F flag · "
            "R reference · ? keys",
            keys=keys,
        )
        if per_dimension:
            hints = tr("Tab next dimension · {hints}", hints=hints)
        self.hints_label = QLabel(hints, self.status)
        self.status.addWidget(self.saved_label)
        self.status.addWidget(QLabel("·", self.status))
        self.status.addWidget(self.time_label)
        self.status.addPermanentWidget(self.hints_label)
        return self.status
