"""The assign dialog: who rates, how many per item, which items, the shared overlap."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from annotator.core.i18n import tr


class AssignDialog(QDialog):
    """Who rates, how many raters per item, which items, and the shared overlap."""

    chosen = Signal(dict)  # Project.assign keyword arguments

    def __init__(self, raters: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Assign items to raters"))
        self.raters = QLineEdit(", ".join(raters))
        self.raters.setPlaceholderText(tr("names, separated by commas"))
        self.per_item = QSpinBox()
        self.per_item.setRange(0, 50)
        self.per_item.setSpecialValueText(tr("every rater"))
        self.per_item.setValue(2 if len(raters) > 2 else 0)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr('e.g. "model=lora-v2" or "sample=zh-*"'))
        self.shared = QDoubleSpinBox()
        self.shared.setRange(0, 1)
        self.shared.setSingleStep(0.05)
        self.shared.setToolTip(tr("share of items that every rater scores (for agreement)"))
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        form = QFormLayout(self)
        form.addRow(tr("Raters"), self.raters)
        form.addRow(tr("Raters per item"), self.per_item)
        form.addRow(tr("Only items"), self.filter)
        form.addRow(tr("Shared by all"), self.shared)
        form.addRow(tr("Seed"), self.seed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.close)
        form.addRow(buttons)

    def arguments(self) -> dict:
        names = [n.strip() for n in re.split(r"[,，;；\n]", self.raters.text()) if n.strip()]
        return {
            "raters": names,
            "per_item": self.per_item.value() or None,
            "items_filter": self.filter.text().strip() or None,
            "seed": self.seed.value(),
            "shared": self.shared.value(),
        }

    def _ok(self) -> None:
        self.chosen.emit(self.arguments())
        self.close()
