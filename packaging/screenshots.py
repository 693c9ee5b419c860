"""Grab the README's screenshots from the real windows on the demo project.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots.py [--out docs/screenshots]

Writes rater.png, dashboard.png, lead-side-by-side.png, lead-judges.png and
rater-side-by-side.png
(English) and the same with -zh (Chinese). Needs a CJK font (Debian:
fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.gui.app import build_rater_workspace, install_translator  # noqa: E402
from annotator.gui.settings import LANGUAGE, app_settings  # noqa: E402

SIZE = (1440, 860)


def wait(app: QApplication, until, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def grab_rater_side_by_side(app: QApplication, out: Path, suffix: str) -> None:
    """A new rater's side-by-side view on the demo, six judgments and a flag in
    (rater-side-by-side*.png)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    with tempfile.TemporaryDirectory() as tmp:
        project = Project.demo(Path(tmp) / "demo.annotator")
        window, controller = build_rater_workspace(project, "赵敏")
        window.resize(1280, 800)
        window.show()
        wait(app, lambda: False, 0.5)
        window.activateWindow()
        QTest.keyClick(window.grid, Qt.Key.Key_F2)
        wait(app, lambda: False, 0.3)
        panel = controller.modes.page.panel
        for key in "132133":
            QTest.keyClick(panel, getattr(Qt.Key, f"Key_{key}"))
        QTest.keyClick(panel, Qt.Key.Key_X)
        QTest.keyClick(panel, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
        wait(app, lambda: False, 0.5)
        window.grab().save(str(out / f"rater-side-by-side{suffix}.png"))
        window.close()
        project.close()


def grab_page(app: QApplication, out: Path, suffix: str, page: str) -> None:
    """A page of the lead's window on the demo (lead-side-by-side*.png: its judgments;
    lead-judges*.png: its simulated LLM judge)."""
    from annotator.gui.lead import build_lead_workspace

    with tempfile.TemporaryDirectory() as tmp:
        project = Project.demo(Path(tmp) / "demo.annotator")  # judged side by side
        lead, controller = build_lead_workspace(project, poll_ms=10**8)
        lead.resize(1280, 860)
        lead.show()
        wait(app, lambda: controller.evaluation is not None)
        lead.show_page(page)
        wait(app, lambda: False, 1.5)
        name = page.replace("_", "-")
        lead.grab().save(str(out / f"lead-{name}{suffix}.png"))
        controller.shutdown()
        lead.close()
        project.close()


def grab(app: QApplication, out: Path, suffix: str) -> None:
    from annotator.gui.lead import build_lead_workspace

    with tempfile.TemporaryDirectory() as tmp:
        project = Project.demo(Path(tmp) / "demo.annotator")
        window, _ = build_rater_workspace(project, "王小明")
        window.resize(*SIZE)
        window.show()
        wait(app, lambda: False, 1.0)
        window.grab().save(str(out / f"rater{suffix}.png"))
        window.close()
        lead, controller = build_lead_workspace(project, poll_ms=10**8)
        lead.resize(1280, 860)
        lead.show()
        wait(app, lambda: controller.evaluation is not None)
        wait(app, lambda: False, 1.0)
        lead.grab().save(str(out / f"dashboard{suffix}.png"))
        controller.shutdown()
        lead.close()
        project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="docs/screenshots")
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as config:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, config)
        app = QApplication([])
        app_settings().setValue(LANGUAGE, "en")
        grab(app, out, "")
        grab_page(app, out, "", "side_by_side")
        grab_page(app, out, "", "judges")
        grab_rater_side_by_side(app, out, "")
        app_settings().setValue(LANGUAGE, "zh_CN")
        translator = install_translator(app)
        grab(app, out, "-zh")
        grab_page(app, out, "-zh", "side_by_side")
        grab_page(app, out, "-zh", "judges")
        grab_rater_side_by_side(app, out, "-zh")
        if translator:
            app.removeTranslator(translator)
    print(f"wrote {sorted(p.name for p in out.glob('*.png'))}")


if __name__ == "__main__":
    main()
