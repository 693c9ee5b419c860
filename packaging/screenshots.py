"""Grab the README's screenshots from the real windows on the demo project.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots.py [--out docs/screenshots]

Writes rater.png, dashboard.png and lead-side-by-side.png (English) and rater-zh.png,
dashboard-zh.png and lead-side-by-side-zh.png (Chinese). Needs a CJK font (Debian:
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


def judge_side_by_side(project: Project) -> None:
    """Comparisons of each candidate with the baseline, judged overall and per dimension
    by the demo's raters in their own blind sessions: the answer the ratings scored higher
    is better (within 0.4: the same; both below 2.5: both bad), and each rater now and
    then sees it otherwise, so the Side by side page shows what the demo's scores say."""
    import numpy as np

    from annotator.core.domain.side_by_side import Choice

    project.side_by_side.create(vs_baseline=True)
    project.side_by_side.configure(dimensions=True)
    items = project.evaluate(resamples=0).stats.items.set_index("item_id")
    score = {"": items["composite"]} | {k: items[f"{k}_mean"] for k in project.rubric.keys}

    def side(dimension: str, left_item: int, right_item: int, draw: float) -> str:
        left = score[dimension].get(left_item, 3.0)
        right = score[dimension].get(right_item, 3.0)
        left, right = (3.0 if v != v else v for v in (left, right))  # NaN: not scored
        chosen = "left" if left > right else "right"
        if max(left, right) < 2.5:
            chosen = "both_bad"
        elif abs(left - right) < 0.4 or draw < 0.12:
            chosen = "tie"
        elif draw < 0.18:
            chosen = "right" if chosen == "left" else "left"
        return chosen

    for k, rater in enumerate(project.raters()):
        rng = np.random.default_rng(k)
        scoring = project.session(rater)
        judging = project.side_by_side.session(scoring)
        for index in range(len(judging)):
            pair = judging.pair(index)
            for dimension in judging.dimensions:
                chosen = side(dimension, pair.left_item, pair.right_item, rng.random())
                judging.judge(pair.comparison_id, Choice(chosen), dimension)
        scoring.close()


def grab_side_by_side(app: QApplication, out: Path, suffix: str) -> None:
    """The lead's Side by side page on the demo with judgments (lead-side-by-side*.png)."""
    from annotator.gui.lead import build_lead_workspace

    with tempfile.TemporaryDirectory() as tmp:
        project = Project.demo(Path(tmp) / "demo.annotator")
        judge_side_by_side(project)
        lead, controller = build_lead_workspace(project, poll_ms=10**8)
        lead.resize(1280, 860)
        lead.show()
        wait(app, lambda: controller.evaluation is not None)
        lead.show_page("side_by_side")
        wait(app, lambda: False, 1.0)
        lead.grab().save(str(out / f"lead-side-by-side{suffix}.png"))
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
        grab_side_by_side(app, out, "")
        app_settings().setValue(LANGUAGE, "zh_CN")
        translator = install_translator(app)
        grab(app, out, "-zh")
        grab_side_by_side(app, out, "-zh")
        if translator:
            app.removeTranslator(translator)
    print(f"wrote {sorted(p.name for p in out.glob('*.png'))}")


if __name__ == "__main__":
    main()
