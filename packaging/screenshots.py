"""Grab the README's screenshots from the real windows on the demo project.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots.py [--out docs/screenshots]

Writes rater.png and dashboard.png (English) and rater-zh.png and dashboard-zh.png
(Chinese). Needs a CJK font (Debian: fonts-noto-cjk).
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
        app_settings().setValue(LANGUAGE, "zh_CN")
        translator = install_translator(app)
        grab(app, out, "-zh")
        if translator:
            app.removeTranslator(translator)
    print(f"wrote {sorted(p.name for p in out.glob('*.png'))}")


if __name__ == "__main__":
    main()
