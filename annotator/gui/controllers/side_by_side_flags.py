"""The flag of a comparison: the scoring view's popup menu of presets (no modal dialog),
or a free-text reason typed under the answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu

from annotator.core.domain.scoring import FLAG_PRESETS
from annotator.core.i18n import tr
from annotator.gui.controllers.flagging import preset_label, preset_labels

if TYPE_CHECKING:
    from annotator.gui.views.side_by_side_view import SideBySideView


class PairFlagHost(Protocol):
    """What the flag control uses of the side-by-side controller (its parent)."""

    view: SideBySideView

    def current_flag(self) -> str: ...

    def set_flag(self, flag: str) -> None: ...


class PairFlags(QObject):
    """Flag menu and free-text flag box of the side-by-side view."""

    def __init__(self, controller: PairFlagHost):
        super().__init__(controller)
        self.controller = controller
        view = controller.view
        self.menu = QMenu(view)
        self.menu.setObjectName("sbsFlagMenu")
        labels = preset_labels()
        for n, preset in enumerate(FLAG_PRESETS, start=1):
            act = self.menu.addAction(f"&{n}  {labels.get(preset, preset)}")
            act.setData(preset)
        self.other_action = self.menu.addAction(tr("&Other reason…"))
        self.clear_action = self.menu.addAction(tr("&Clear flag"))
        self.menu.triggered.connect(self._chosen)
        self.menu.aboutToHide.connect(self._menu_closed)
        view.flag_button.clicked.connect(self.open_menu)
        view.flag_text.returnPressed.connect(self._free_text_done)
        view.flag_text.installEventFilter(self)

    def open_menu(self) -> None:
        """Pop the menu up under the flag button (popup, not exec: nothing blocks)."""
        button = self.controller.view.flag_button
        self.menu.popup(button.mapToGlobal(QPoint(0, button.height())))

    def show_flag(self, flag: str) -> None:
        view = self.controller.view
        view.flag_text.hide()
        view.flag_label.setText(tr("flagged: {reason}", reason=preset_label(flag)) if flag else "")
        view.flag_button.setChecked(bool(flag))

    def _chosen(self, action) -> None:
        if action is self.other_action:
            view = self.controller.view
            view.flag_label.setText("")
            view.flag_text.setText("")
            view.flag_text.show()
            view.flag_text.setFocus()
            return
        self.controller.set_flag("" if action is self.clear_action else action.data())

    def _menu_closed(self) -> None:
        # Keys after the menu closes judge again, unless the rater is typing a reason.
        view = self.controller.view
        if not view.flag_text.isVisible():
            view.panel.setFocus()

    def _free_text_done(self) -> None:
        view = self.controller.view
        text = view.flag_text.text().strip()
        if text:
            self.controller.set_flag(text)
        else:
            self.show_flag(self.controller.current_flag())
        view.panel.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.show_flag(self.controller.current_flag())
            self.controller.view.panel.setFocus()
            return True
        return super().eventFilter(watched, event)
