"""The Judges page's pieces: the empty state, a judge's header, the words of a point.

Layout only, as the page: what a judge is and the two ways to get one; a judge's name,
signature on one line, counts, and whether it counts as a rater with its button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.core.i18n import tr
from annotator.gui.lead.views.judges_tables import dimension_text, signature_text, signature_tip
from annotator.gui.widgets.plain import plain_label, plain_tip

if TYPE_CHECKING:
    from annotator.core.results import JudgeResult

COMMAND = "annotator judges import {project} FILE --judge NAME"
EPSILONS = (0.2, 0.15, 0.1)


def title(text: str = "", scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def wrapped(text: str = "", *, plain: bool = False, small: bool = False) -> QLabel:
    label = plain_label(QLabel(text)) if plain else QLabel(text)
    label.setWordWrap(True)
    if small:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
    return label


def _fixed(text: str = "") -> QLabel:
    label = plain_label(QLabel(text))
    label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _quoted(path: str) -> str:
    return f'"{path}"' if any(ch.isspace() for ch in path) else path


def _sentence(text: str) -> str:
    """The first letter up, the rest as written (names keep their case)."""
    return text[:1].upper() + text[1:]


def epsilon_words(epsilon: float) -> str:
    words = {0.2: tr("expert raters"), 0.15: tr("skilled raters"), 0.1: tr("crowd raters")}
    return tr("{who} (epsilon = {epsilon})", who=words[epsilon], epsilon=epsilon)


def point_text(row, labels: dict[str, str]) -> str:
    """What a point of the scatter is: the item, its model and dimension, its two scores."""
    return tr(
        "item {item} ({model}, {dimension}): judge {judge:g}, human mean {mean:.2f} of"
        " {n} rater(s)",
        item=int(row["item_id"]),
        model=row["model"],
        dimension=dimension_text(str(row["dimension"]), labels),
        judge=float(row["judge"]),
        mean=float(row["human_mean"]),
        n=int(row["humans"]),
    )


class EmptyState(QWidget):
    """No judge yet: what a judge is, and the two ways to get one."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title(tr("No judge yet"), 1.2)
        self.intro = wrapped(
            tr(
                "A judge is a large language model that scores the items by the rubric, as a"
                " rater would. Its scores are kept apart from the raters': this page shows"
                " whether it agrees with them well enough to replace a rater (the alternative"
                " annotator test), and the means its scores can tighten. It never counts in"
                " the human means or verdicts unless you choose to use it as a rater here."
            )
        )
        self.run_way = wrapped(
            tr(
                "Run one from here: a model served by an OpenAI-compatible endpoint (vLLM,"
                " SGLang, Ollama, LM Studio, LLaMA-Factory's API server) scores every item;"
                " each score is stored as it arrives."
            )
        )
        self.run_button = QPushButton(tr("Ru&n a judge…"))
        self.run_button.setToolTip(tr("Ask an LLM served by an endpoint to score the items"))
        self.import_way = wrapped(
            tr(
                "Or import the scores a judge gave elsewhere, in the long form of ratings"
                " import (a judge or rater column, or --judge NAME):"
            )
        )
        self.command = _fixed(COMMAND.format(project="PROJECT"))
        row = QHBoxLayout()
        row.addWidget(self.run_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.run_way)
        layout.addLayout(row)
        layout.addWidget(self.import_way)
        layout.addWidget(self.command)
        layout.addStretch(1)

    def show_project(self, path: str | None) -> None:
        self.command.setText(COMMAND.format(project=_quoted(path) if path else "PROJECT"))


class JudgeHeader(QWidget):
    """A judge's name, signature, counts, and whether it counts as a rater."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = plain_label(title("", 1.2))
        self.signature = _fixed()
        self.counts = wrapped()
        self.promotion = QLabel()
        self.use_button = QPushButton()
        # The button next to the words, not at the far edge: a page wider than the window
        # (a wide table) scrolls, and the button stays in sight on the left.
        row = QHBoxLayout()
        row.addWidget(self.promotion)
        row.addWidget(self.use_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name)
        layout.addWidget(self.signature)
        layout.addWidget(self.counts)
        layout.addLayout(row)

    def show_judge(self, judge: JudgeResult) -> None:
        self.name.setText(judge.name)
        self.signature.setText(signature_text(judge.signature))
        self.signature.setToolTip(plain_tip(signature_tip(judge.signature)))
        self.counts.setText(
            tr(
                "{scores} scores on {items} items, {judgments} side-by-side verdicts,"
                " {failures} failures",
                scores=judge.scores,
                items=judge.items,
                judgments=judge.judgments,
                failures=judge.failures,
            )
        )
        promotion = judge.promotion()
        self.promotion.setText(
            _sentence(promotion.text())
            if promotion is not None
            else tr("Not used as a rater: its scores count in no human mean, agreement or verdict.")
        )
        self.use_button.setText(tr("Stop &using") if judge.promoted else tr("&Use as a rater"))
        self.use_button.setToolTip(
            tr("Its scores stop counting with the raters'")
            if judge.promoted
            else tr("Count its scores with the raters' (it must have passed the test)")
        )
