"""The flag of a comparison: the scoring view's flag control (popup menu of presets, or a
free-text reason), reading the comparison's flag and giving the keys back to the judge panel."""

from __future__ import annotations

from annotator.gui.controllers.flagging import FlagControl


class PairFlags(FlagControl):
    """Flag menu and free-text flag box of the side-by-side view. Its host (the side-by-side
    controller) has ``view``, ``current_flag()`` and ``set_flag(flag)``."""

    MENU_NAME = "sbsFlagMenu"

    def _current_flag(self) -> str:
        return self.controller.current_flag()

    def _return_focus(self) -> None:
        self.controller.view.panel.setFocus()
