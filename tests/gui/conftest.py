"""GUI fixtures: real project files, the real window, and no modal dialog that could hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMessageBox

from annotator.core.i18n import current_language, set_language
from annotator.core.project import Project
from tests.factories import add_items


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A message box or dialog that would block records its text and returns at once."""
    shown: list[str] = []

    def box(kind):
        def fake(parent, title, text, *args, **kwargs):
            shown.append(f"{kind}: {text}")
            return QMessageBox.StandardButton.Ok

        return staticmethod(fake)

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    return shown


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory):
    """Each test writes its preferences to a fresh folder, never the user's."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def project_path(tmp_path) -> Path:
    """A closed project file with 6 items of "base" and 6 of "lora-v2"."""
    path = tmp_path / "eval.annotator"
    with Project.create(path, "gui eval") as p:
        add_items(p, 6, "base")
        add_items(p, 6, "lora-v2")
    return path


@pytest.fixture
def open_window(qtbot):
    """Open the rater workspace on a project file; closes windows and projects afterwards."""
    from annotator.gui.app import build_rater_workspace

    opened: list[tuple] = []

    def open_(path: Path, rater: str = "alice"):
        project = Project.open(path)
        window, controller = build_rater_workspace(project, rater)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        controller.view.grid.setFocus()
        opened.append((project, window))
        return window, controller

    yield open_
    for project, window in opened:
        window.close()
        project.close()


@pytest.fixture
def chinese(qapp, private_settings):
    """The app as it starts with Chinese chosen: the one catalog speaks zh_CN, and Qt's own
    words (Cancel, Yes/No) come from Qt's catalog. Yields Qt's translator (or None)."""
    from annotator.gui.app import install_translator
    from annotator.gui.settings import LANGUAGE, app_settings

    app_settings().setValue(LANGUAGE, "zh_CN")
    qt_words = install_translator(qapp)
    assert current_language() == "zh_CN"
    yield qt_words
    if qt_words is not None:
        qapp.removeTranslator(qt_words)
    app_settings().setValue(LANGUAGE, "en")
    set_language("en")  # the core's messages followed the interface; later tests read English
