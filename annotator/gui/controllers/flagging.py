"""The flag: a popup menu of presets (no modal dialog), or a free-text reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu

from annotator.core.domain.scoring import FLAG_PRESETS
from annotator.core.i18n import tr

if TYPE_CHECKING:
    from annotator.core.domain.models import BlindItem
    from annotator.core.project import RaterSession
    from annotator.gui.views.rater_view import RaterWindow


class FlagHost(Protocol):
    """What the flag control uses of the rater controller (a QObject, its parent)."""

    view: RaterWindow
    session: RaterSession
    item: BlindItem | None

    def set_flag(self, flag: str) -> None: ...


def preset_labels() -> dict[str, str]:
    """The presets (stored in English) as shown, in the interface language."""
    return {"unclear instruction": tr("unclear instruction"), "broken output": tr("broken output")}


def preset_label(flag: str) -> str:
    """A flag as shown: a preset translated, a free-text reason as the rater wrote it."""
    return preset_labels().get(flag, flag)


class FlagControl(QObject):
    """Flag menu and free-text flag box of the rater workspace (the side-by-side view
    reuses it: ``MENU_NAME``, ``_current_flag`` and ``_return_focus`` are what differ)."""

    MENU_NAME = "flagMenu"

    def __init__(self, controller: FlagHost):
        super().__init__(controller)
        self.controller = controller
        view = controller.view
        self.menu = QMenu(view)
        self.menu.setObjectName(self.MENU_NAME)
        labels = preset_labels()
        for n, preset in enumerate(FLAG_PRESETS, start=1):
            act = self.menu.addAction(f"&{n}  {labels.get(preset, preset)}")
            act.setData(preset)
        self.other_action = self.menu.addAction(tr("&Other reason…"))
        self.clear_action = self.menu.addAction(tr("&Clear flag"))
        self.menu.triggered.connect(self._chosen)
        self.menu.aboutToHide.connect(self._menu_closed)
        view.flag_button.setCheckable(True)
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
        # Keys after the menu closes score again, unless the rater is typing a reason.
        if not self.controller.view.flag_text.isVisible():
            self._return_focus()

    def _free_text_done(self) -> None:
        view = self.controller.view
        text = view.flag_text.text().strip()
        if text:
            self.controller.set_flag(text)
        else:
            self.show_flag(self._current_flag())
        self._return_focus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.show_flag(self._current_flag())
            self._return_focus()
            return True
        return super().eventFilter(watched, event)

    def _current_flag(self) -> str:
        return self.controller.session.annotation(self.controller.item.id)[1]

    def _return_focus(self) -> None:
        self.controller.view.grid.setFocus()
