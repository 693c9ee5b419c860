"""Side-by-side page: is the candidate's answer better, the same or worse than the baseline's?

The GSB table per pair and dimension (counts, win rate and net score with their
intervals, sign test, agreement), the stacked GSB bars, the position bias (in words when
it is more than chance), and with three models or more the Bradley-Terry leaderboard and
its win-probability matrix. Without judgments: how to create comparisons. It only reads
``Evaluation.pairwise``; the statistics op computed everything.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.core.stats.pairwise_bt import ANCHOR
from annotator.gui.lead.common import meaning_color, scrolled_page
from annotator.gui.lead.gsb_bars import GsbBars, GsbRow
from annotator.gui.lead.views.side_by_side_tables import (
    dimension_text,
    fill_gsb,
    fill_leaderboard,
    fill_matrix,
    pair_label,
    position_text,
    position_warning,
    table,
)
from annotator.gui.widgets.plain import plain_label

if TYPE_CHECKING:
    from annotator.core.results import Evaluation

COMMAND = "annotator pairwise create {project} --vs-baseline"


def _title(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _wrapped(text: str = "", *, plain: bool = False) -> QLabel:
    label = plain_label(QLabel(text)) if plain else QLabel(text)
    label.setWordWrap(True)
    return label


def _quoted(path: str) -> str:
    return f'"{path}"' if any(ch.isspace() for ch in path) else path


class EmptyState(QWidget):
    """No judgments yet: what a side-by-side evaluation is and the command that starts it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = _title(tr("No side-by-side judgments yet"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.intro = _wrapped(
            tr(
                "In a side-by-side (GSB) evaluation, raters see two models' answers to the"
                " same prompt, blind, and say whether the left one is better, the same or"
                " worse. Start by creating the comparisons: every candidate against the"
                " baseline, every pair of models, or two models you choose."
            )
        )
        self.or_command = _wrapped(
            tr("Or from the command line (every candidate against the baseline):")
        )
        self.create_button = QPushButton(tr("Create comparisons…"))
        self.create_button.setToolTip(tr("Create side-by-side comparisons of two models' answers"))
        # How many comparisons wait for judgments, when there are any: where the lead is now.
        self.ready = _wrapped()
        bold = self.ready.font()
        bold.setBold(True)
        self.ready.setFont(bold)
        self.ready.hide()
        self.command = plain_label(QLabel(COMMAND.format(project="PROJECT")))
        self.command.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.after = _wrapped(
            tr(
                "Then hand them out as packages or sheets, as with items, and merge what comes"
                " back: the GSB table, the net score with its interval, the position bias and,"
                " with three models or more, the Bradley-Terry ratings appear here."
            )
        )
        button_row = QHBoxLayout()
        button_row.addWidget(self.create_button)
        button_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.ready)
        layout.addWidget(self.intro)
        layout.addLayout(button_row)
        layout.addWidget(self.or_command)
        layout.addWidget(self.command)
        layout.addWidget(self.after)
        layout.addStretch(1)

    def show_project(self, path: str | None) -> None:
        self.command.setText(COMMAND.format(project=_quoted(path) if path else "PROJECT"))

    def show_comparisons(self, count: int) -> None:
        """Comparisons made but not judged yet: how many, and the step that comes next."""
        self.ready.setText(
            tr(
                "{n} comparisons are ready and not judged yet. Next: Assign hands them out"
                " with the items; then Packages or Sheets write each rater's share.",
                n=count,
            )
        )
        self.ready.setVisible(count > 0)


class SideBySidePage(QWidget):
    """GSB per pair and dimension, the bars, position bias, Bradley-Terry (3+ models)."""

    refreshed = Signal()  # redrawn from new data (the controller's changes concerned it)

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.labels = labels
        self.evaluation: Evaluation | None = None
        self.empty = EmptyState()
        self.heading = _wrapped()
        self.explain = _wrapped(tr("A is the candidate, B the model it is compared with"))
        self.gsb = table()
        self.how_read = _wrapped(
            tr(
                "(win rate = (A better + half of same and both bad) / judgments; net = (A better -"
                " B better) / judgments; 95% intervals resample samples; sign test on A better vs"
                " B better; alpha: ordinal, on -1/0/+1)"
            )
        )
        small = self.how_read.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.how_read.setFont(small)
        self.bars = GsbBars()
        self.position = _wrapped()
        self.warning = _wrapped()
        self.ratings_title = plain_label(_title())  # names the anchor model
        self.leaderboard = table()
        self.matrix_title = _title(tr("Predicted win probability (row beats column)"))
        self.matrix = table()
        self.ratings_note = _wrapped(plain=True)
        self.ratings = QWidget()
        ratings = QVBoxLayout(self.ratings)
        ratings.setContentsMargins(0, 8, 0, 0)
        for widget in (
            self.ratings_title,
            self.leaderboard,
            self.matrix_title,
            self.matrix,
            self.ratings_note,
        ):
            ratings.addWidget(widget)

        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addWidget(self.gsb)
        layout.addWidget(self.how_read)
        layout.addWidget(_title(tr("Share of judgments per pair")))
        layout.addWidget(self.bars)
        layout.addWidget(self.position)
        layout.addWidget(self.warning)
        layout.addWidget(self.ratings)
        scrolled_page(self, self.empty, self.content)
        self._show_empty(None)

    @property
    def has_judgments(self) -> bool:
        report = self.evaluation.pairwise if self.evaluation is not None else None
        return report is not None and bool(report.pairs)

    def show_evaluation(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        if self.has_judgments:
            self._fill(evaluation.pairwise)
        else:
            self._show_empty(evaluation.project.get("path"))
        self.refreshed.emit()

    def show_comparisons(self, count: int) -> None:
        """How many comparisons the project holds (the team status counts them)."""
        self.empty.show_comparisons(count)

    def _show_empty(self, path: str | None) -> None:
        self.empty.show_project(path)
        self.empty.show()
        self.content.hide()

    def _ordered(self, report):
        """The pairs in the report's order, each pair's dimensions in the rubric's order
        (overall first), as the rater's view asks them."""
        keys = list(self.labels)
        place = {k: n for n, k in enumerate(keys)}
        return sorted(
            report.pairs,
            key=lambda p: (p.model_a, p.model_b, p.dimension != "", place.get(p.dimension, 99)),
        )

    def _fill(self, report) -> None:
        self.empty.hide()
        self.content.show()
        report = dataclasses.replace(report, pairs=tuple(self._ordered(report)))
        judgments = sum(p.judgments for p in report.pairs if not p.dimension)
        models = {m for p in report.pairs for m in (p.model_a, p.model_b)}
        self.heading.setText(
            tr(
                "{pairs} pair(s) of models, {models} models, {judgments} overall judgments ·"
                " {conf:.0%} bootstrap intervals ({resamples} resamples of samples)",
                pairs=len({(p.model_a, p.model_b) for p in report.pairs}),
                models=len(models),
                judgments=judgments,
                conf=report.confidence,
                resamples=report.resamples,
            )
        )
        fill_gsb(self.gsb, report, self.labels)
        self.bars.set_rows(
            [
                GsbRow(
                    f"{pair_label(p)} · {dimension_text(p.dimension, self.labels)}",
                    (p.wins, p.ties, p.losses, p.both_bad),
                )
                for p in report.pairs
            ]
        )
        self.position.setText(position_text(report.position_bias))
        self._warn(position_warning(report.position_bias))
        self._fill_ratings(report.bradley_terry)

    def _warn(self, text: str) -> None:
        self.warning.setText(text)
        self.warning.setVisible(bool(text))
        color = meaning_color("NEEDS_REVIEW")
        self.warning.setStyleSheet(f"color: {color.name()}; font-weight: bold;" if text else "")

    def _fill_ratings(self, bt) -> None:
        if bt is None or len(bt.models) < 3:
            self.ratings.hide()
            return
        self.ratings.show()
        self.ratings_title.setText(
            tr(
                "Bradley-Terry ratings (Elo scale, {anchor} = {rating:g}; 100 points = 64% wins):",
                anchor=bt.anchor,
                rating=ANCHOR,
            )
        )
        fill_leaderboard(self.leaderboard, bt)
        fill_matrix(self.matrix, bt)
        note = bt.note.text() if bt.note is not None else ""
        self.ratings_note.setText(f"({note})" if note else "")
        self.ratings_note.setVisible(bool(note))
