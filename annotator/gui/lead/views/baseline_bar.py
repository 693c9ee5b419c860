"""The line above the overview's table: which model is the baseline, why, and a way to change it.

Every difference on the page reads candidate − baseline, so the page must say which
model that is and how it was chosen (named by the lead, by its name, first imported).
The combo box only says what the lead picked (``chosen``); the controller stores it
with ``Project.set_baseline`` and the page is redrawn from the new statistics.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from annotator.core.domain.decision import NAMED
from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_label

AUTOMATIC = ""  # the combo's data for "choose by name again" (set_baseline(None))


class BaselineBar(QWidget):
    """ "baseline: base (named by the lead)" and a combo box listing the models."""

    chosen = Signal(str)  # a model's name, or AUTOMATIC

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = plain_label(QLabel())  # quotes model names
        self.text.setWordWrap(True)
        self.box = QComboBox()
        self.box.setToolTip(tr("The model every candidate is compared with (Δ = candidate − it)"))
        self.box.activated.connect(self._on_activated)  # the lead's choice only
        self.box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.label = QLabel(tr("Baseline:"))
        self.label.setBuddy(self.box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.box)

    def show_baseline(self, baseline, models: list[str]) -> None:
        """Fill from ``Evaluation.baseline`` and the models in import order."""
        self.text.setText(str(baseline.describe()))
        box = self.box
        box.blockSignals(True)
        box.clear()
        for name in models:
            box.addItem(name, name)
        box.addItem(tr("automatic (by its name, else the first imported)"), AUTOMATIC)
        named = baseline.model if baseline.how == NAMED else AUTOMATIC
        box.setCurrentIndex(max(box.findData(named), 0))
        box.blockSignals(False)
        show = len(models) > 1  # one model: nothing to compare, nothing to choose
        self.box.setVisible(show)
        self.label.setVisible(show)

    def choose(self, name: str) -> None:
        """Pick ``name`` (or AUTOMATIC) as the lead would, with the combo box."""
        index = self.box.findData(name)
        if index < 0:
            raise KeyError(name)
        self.box.setCurrentIndex(index)
        self._on_activated(index)

    def _on_activated(self, index: int) -> None:
        self.chosen.emit(str(self.box.itemData(index)))
