"""Who is scoring? The project's raters, or a new name. Shown once, before scoring starts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr


class RaterPicker(QDialog):
    """Pick an existing rater (double-click or Enter) or type a new name."""

    def __init__(self, raters: list[str], project_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Who is rating?"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Scoring {project} as:", project=project_name), self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("raterList")
        self.list.addItems(raters)
        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("newRater")
        self.new_name.setPlaceholderText(tr("or a new rater's name"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.new_name)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        self.list.currentRowChanged.connect(self._update)
        self.new_name.textChanged.connect(self._update)
        if raters:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        else:
            self.list.hide()
            self.new_name.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update()

    def rater(self) -> str:
        """The typed new name if any, else the selected rater ("" when neither)."""
        typed = self.new_name.text().strip()
        if typed:
            return typed
        current = self.list.currentItem()
        return current.text() if current is not None else ""

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.rater()))


def pick_rater(
    raters: list[str], project_name: str = "", parent: QWidget | None = None
) -> str | None:
    """Ask who is rating; None if the person cancelled."""
    dialog = RaterPicker(raters, project_name, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.rater() or None
