"""The comparisons dialog: which pairs of models to compare side by side, on which scale.

It lays out; ``controllers.side_by_side.ComparisonsFlow`` decides. Every change of the
request is announced (``request_changed``) so the controller can say, per pair, how many
samples both models answered; OK (Enter) hands the whole choice over (``chosen``) and
the controller closes the dialog once the comparisons are created, or leaves it open
after an error so the lead can choose again. Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.side_by_side import BOTH_BAD, level_labels
from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_label

VS_BASELINE, ALL_PAIRS, TWO_MODELS = "vs_baseline", "all_pairs", "models"


def scale_words(scale: int) -> str:
    """The levels of a scale, left to right ("A better / About the same / B better")."""
    return " / ".join(
        str(words) for choice, words in level_labels(scale) if choice.side != BOTH_BAD
    )


def _radio(text: str, group: QButtonGroup, key: str, layout) -> QRadioButton:
    button = QRadioButton(text)
    button.setObjectName(key)
    group.addButton(button)
    layout.addWidget(button)
    return button


class ComparisonsDialog(QDialog):
    """Which comparisons (vs the baseline, every pair, two models), the scale, dimensions."""

    request_changed = Signal(dict)  # Project.side_by_side.create keyword arguments
    chosen = Signal(dict)  # {"request": create's arguments, "scale": 3|5, "dimensions": bool}

    def __init__(
        self,
        models: list[str],
        baseline: str,
        settings: dict,
        dimensions: list[str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(tr("Create side-by-side comparisons"))
        self.models = list(models)
        self.intro = QLabel(
            tr(
                "A comparison is one sample answered by two models: raters see both answers"
                " side by side, blind, and say which is better. Comparisons are made on the"
                " samples both models answered; creating again adds only what is new."
            )
        )
        self.intro.setWordWrap(True)

        which = QGroupBox(tr("Compare"))
        column = QVBoxLayout(which)
        self.which = QButtonGroup(self)
        self.vs_baseline = _radio(
            tr("Every candidate against the &baseline ({name})", name=baseline),
            self.which,
            VS_BASELINE,
            column,
        )
        self.all_pairs = _radio(tr("Every &pair of models"), self.which, ALL_PAIRS, column)
        # Among two models every pair is the one pair: the choice would say nothing more.
        self.all_pairs.setVisible(len(models) >= 3)
        self.two = _radio(tr("&These two models:"), self.which, TWO_MODELS, column)
        self.model_a, self.model_b = QComboBox(), QComboBox()
        for combo in (self.model_a, self.model_b):
            combo.addItems(self.models)
        candidates = [m for m in self.models if m != baseline]
        self.model_a.setCurrentText(candidates[-1] if candidates else self.models[0])
        self.model_b.setCurrentText(baseline)
        self.model_a.setAccessibleName(tr("first model"))
        self.model_b.setAccessibleName(tr("second model"))
        pair = QHBoxLayout()
        pair.setContentsMargins(24, 0, 0, 0)
        pair.addWidget(self.model_a, 1)
        pair.addWidget(QLabel(tr("vs")))
        pair.addWidget(self.model_b, 1)
        column.addLayout(pair)
        column.addSpacing(6)
        self.preview = plain_label(QLabel())  # model names, as typed
        self.preview.setWordWrap(True)
        column.addWidget(self.preview)

        scale = QGroupBox(tr("Scale"))
        levels = QVBoxLayout(scale)
        self.scale = QButtonGroup(self)
        self.three = _radio(
            tr("&3 levels: {levels}", levels=scale_words(3)), self.scale, "3", levels
        )
        self.five = _radio(
            tr("&5 levels: {levels}", levels=scale_words(5)), self.scale, "5", levels
        )
        both = QLabel(
            tr("On either scale a rater can also say that both answers are unacceptable.")
        )
        both.setWordWrap(True)
        levels.addWidget(both)
        self.dimensions = QCheckBox(
            tr("Also judge each rubric &dimension ({dimensions})", dimensions=", ".join(dimensions))
        )
        levels.addWidget(self.dimensions)
        note = QLabel(
            tr(
                "The scale and the dimensions hold for every comparison of the project: set"
                " them before handing the comparisons out."
            )
        )
        note.setWordWrap(True)
        levels.addWidget(note)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Create"))
        self.ok.setDefault(True)  # Enter creates, from any field
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)  # Esc too
        layout = QVBoxLayout(self)
        for widget in (self.intro, which, scale, self.buttons):
            layout.addWidget(widget)

        (self.five if settings.get("scale") == 5 else self.three).setChecked(True)
        self.dimensions.setChecked(bool(settings.get("dimensions")))
        self.vs_baseline.setChecked(True)
        self._order_tabs()
        self._sync()
        self.which.buttonToggled.connect(lambda *_: self._sync())
        self.model_a.currentIndexChanged.connect(lambda *_: self._sync())
        self.model_b.currentIndexChanged.connect(lambda *_: self._sync())
        # The dialog grows with what the preview says; it is never squeezed below it.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(640)

    def _order_tabs(self) -> None:
        """Top to bottom: the request, the two models, the scale, dimensions, the buttons."""
        chain = [
            self.vs_baseline,
            self.all_pairs,
            self.two,
            self.model_a,
            self.model_b,
            self.three,
            self.five,
            self.dimensions,
            self.ok,
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def kind(self) -> str:
        checked = self.which.checkedButton()
        return checked.objectName() if checked is not None else VS_BASELINE

    def request(self) -> dict:
        """Project.side_by_side.create's keyword arguments for what is chosen."""
        kind = self.kind()
        if kind == TWO_MODELS:
            return {"models": [self.model_a.currentText(), self.model_b.currentText()]}
        return {kind: True}

    def arguments(self) -> dict:
        return {
            "request": self.request(),
            "scale": 5 if self.five.isChecked() else 3,
            "dimensions": self.dimensions.isChecked(),
        }

    def _sync(self) -> None:
        two = self.kind() == TWO_MODELS
        self.model_a.setEnabled(two)
        self.model_b.setEnabled(two)
        self.request_changed.emit(self.request())

    def show_preview(self, text: str, *, can_create: bool) -> None:
        """What the request would create (or why it cannot), under the choice."""
        self.preview.setText(text)
        self.ok.setEnabled(can_create)

    def _ok(self) -> None:
        if self.ok.isEnabled():
            self.chosen.emit(self.arguments())
