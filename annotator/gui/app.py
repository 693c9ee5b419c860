"""The desktop app's entry point: ``annotator`` with no arguments, or ``annotator open``."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QEventLoop, QLibraryInfo, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import __version__
from annotator.core.domain.errors import AnnotatorError
from annotator.core.i18n import set_language, tr
from annotator.core.project import Project
from annotator.core.resources import resource
from annotator.gui.settings import RECENT_PROJECT, app_settings, ui_language
from annotator.gui.workers import run_in_background


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="annotator-gui", description="annotator desktop app")
    parser.add_argument("project", nargs="?", help="project or rater package file")
    parser.add_argument("--rater", help="score as this rater (skips the rater question)")
    parser.add_argument("--lead", action="store_true", help="open the lead's workspace")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open, show the window, close it again and exit (for packaging)",
    )
    return parser.parse_args(argv)


def install_translator(app: QApplication) -> QTranslator | None:
    """Set the interface language (chosen in Help -> Language, or the system's) for the
    whole process: every sentence of the app, the core and the CLI comes from the one
    gettext catalog (``annotator.core.i18n``), translated when a widget is built; a new
    language takes effect at the next start. In Chinese, Qt's own words (a wizard's
    Back/Finish, Yes/No, a file dialog) come from Qt's catalog, installed here.

    Returns:
        Qt's translator, installed, or None (English, or Qt ships no Chinese catalog).
    """
    language = set_language(ui_language())
    if language != "zh_CN":
        return None
    qt_base = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not qt_base.load("qtbase_zh_CN", qt_dir):
        return None
    app.installTranslator(qt_base)
    return qt_base


def build_rater_workspace(project: Project, rater: str, *, settings=None):
    """The rater window and its controller for ``rater`` on an open project.

    Returns:
        (window, controller); the caller shows the window and keeps both alive.
    """
    from annotator.gui.controllers.rater_controller import RaterController
    from annotator.gui.views.rater_view import RaterWindow

    session = project.session(rater)
    window = RaterWindow(session.rubric, ui_language())
    controller = RaterController(session, window, project_name=project.name, settings=settings)
    return window, controller


def _default_project(settings) -> Path | None:
    recent = settings.value(RECENT_PROJECT, "")
    if recent and Path(str(recent)).is_file():
        return Path(str(recent))
    return None


def _open_in_background(path: Path | None) -> Project:
    """Open (or build the demo) off the UI thread, keeping the event loop running."""
    result: dict = {}
    loop = QEventLoop()

    def work(progress):
        if path is None:
            return Project.demo()
        return Project.open(path)

    def done(project):
        result["project"] = project
        loop.quit()

    def failed(exc, trace):
        result["error"] = (exc, trace)
        loop.quit()

    op = run_in_background(work, on_success=done, on_failure=failed)
    if not op.finished or not result:
        loop.exec()
    if "error" in result:
        exc, trace = result["error"]
        if not isinstance(exc, AnnotatorError):
            sys.stderr.write(trace)
        raise exc
    return result["project"]


def _show_error(message: str) -> None:
    QMessageBox.critical(None, "annotator", message)  # the name, in every language


def main(argv: list[str] | None = None) -> int:
    """Start the app on a project (or the last one, or the demo). Returns the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else list(argv))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("annotator")
    app.setApplicationName("annotator")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("annotator")
    app.setWindowIcon(QIcon(str(resource("icons", "annotator.svg"))))
    install_translator(app)
    settings = app_settings()

    path = Path(args.project) if args.project else _default_project(settings)
    try:
        project = _open_in_background(path)
    except AnnotatorError as exc:
        _show_error(str(exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - a message box beats a silent crash
        traceback.print_exc()
        _show_error(f"{type(exc).__name__}: {exc}")
        return 1

    try:
        if args.lead:
            if project.kind == "package":
                _show_error(tr("This is a rater package: open it as its rater, not as the lead."))
                return 1
            from annotator.gui.lead import build_lead_workspace

            window, controller = build_lead_workspace(project, settings=settings)
            return _run_window(app, window, settings, project, args.smoke_test)
        rater = args.rater or project.meta.get("package_rater")
        if args.smoke_test and not rater:  # no one to ask: score as the first rater
            rater = (project.raters() or ["smoke-test"])[0]
        if not rater:
            from annotator.gui.dialogs.rater_picker import pick_rater

            rater = pick_rater(project.raters(), project.name)
            if not rater:
                return 0
        try:
            window, controller = build_rater_workspace(project, rater, settings=settings)
        except AnnotatorError as exc:
            _show_error(str(exc))
            return 1
        return _run_window(app, window, settings, project, args.smoke_test)
    finally:
        project.close()


def _run_window(app, window, settings, project: Project, smoke_test: bool) -> int:
    settings.setValue(RECENT_PROJECT, str(project.path.resolve()))
    window.show()
    if smoke_test:
        app.processEvents()
        window.close()
        app.processEvents()
        return 0
    code = app.exec()
    # Tear the widgets down while the interpreter is whole: leaving charts and models to
    # the final garbage collection can crash at exit.
    window.deleteLater()
    app.processEvents()
    return code
