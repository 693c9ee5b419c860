"""The Help menu both workspaces share: the interface language and About."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMessageBox

from annotator import __version__
from annotator.core.i18n import tr
from annotator.gui.settings import LANGUAGE, app_settings


def add_help_menu(window: QMainWindow) -> None:
    """Add Help -> Language (takes effect at the next start) and Help -> About."""
    menu = window.menuBar().addMenu(tr("&Help"))
    languages = menu.addMenu(tr("Language"))
    group = QActionGroup(window)
    current = str(app_settings().value(LANGUAGE, "system"))
    choices = (
        ("system", tr("Follow the system")),
        ("zh_CN", "中文"),
        ("en", "English"),
    )
    for code, label in choices:
        action = QAction(label, window)
        action.setCheckable(True)
        action.setChecked(code == current)
        action.setData(code)
        group.addAction(action)
        languages.addAction(action)
    group.triggered.connect(lambda action: _choose(window, action.data()))
    about = QAction(tr("About annotator"), window)
    about.triggered.connect(lambda: show_about(window))
    menu.addAction(about)


def _choose(window: QMainWindow, code: str) -> None:
    app_settings().setValue(LANGUAGE, code)
    window.statusBar().showMessage(
        tr("The language changes the next time annotator starts."),
        8000,
    )


def about_text() -> str:
    return tr(
        "<b>annotator {version}</b><br>Human evaluation of fine-tuned language models: "
        "blind rating, inter-rater agreement, gated verdicts and an Excel report. "
        "Offline; one SQLite file per evaluation.",
        version=__version__,
    )


def show_about(window: QMainWindow) -> None:
    QMessageBox.about(window, tr("About annotator"), about_text())
