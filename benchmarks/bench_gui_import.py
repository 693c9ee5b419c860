"""A 100,000-row import through the lead's wizard: how long, and does the window keep up?

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_import.py [ROWS]``.

The reference is the same import through the core facade (``Project.import_file``)
in the same process, on the same file. The wizard reads the file once to show what
the import will do (the plan) and imports that plan, so its total should stay close
to the reference. While it works, a 5 ms timer on the UI thread records how late
each tick fires: the longest gap is the longest the window could not repaint or
answer a key.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import import make_csv  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.project import Project  # noqa: E402


class Stalls:
    """Gaps between the ticks of a 5 ms UI-thread timer (ms)."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.last = 0.0

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.gaps.append(now - self.last)
        self.last = now

    def start(self) -> None:
        self.gaps = []
        self.clock.start()
        self.last = 0.0
        self.timer.start()

    def stop(self) -> tuple[float, float]:
        self.timer.stop()
        gaps = sorted(self.gaps) or [0.0]
        return gaps[-1], gaps[int(0.99 * (len(gaps) - 1))]


def wait_until(app: QApplication, done, timeout: float = 600) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the wizard did not finish")
        app.processEvents()
        time.sleep(0.001)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    tmp = Path(tempfile.mkdtemp(prefix="bench-gui-import-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    csv = tmp / "lora_eval.csv"
    make_csv(csv, rows)
    print(f"file: {rows:,} rows, {csv.stat().st_size / 1e6:.1f} MB")

    t0 = time.perf_counter()
    with Project.create(tmp / "reference.annotator", "reference") as project:
        project.import_file(csv, model="lora")
    reference = time.perf_counter() - t0
    print(f"reference, Project.import_file:     {reference:6.2f} s")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from annotator.gui.lead import build_lead_workspace

    Project.create(tmp / "gui.annotator", "gui").close()
    project = Project.open(tmp / "gui.annotator")
    window, controller = build_lead_workspace(project, poll_ms=10**8)
    window.show()
    wait_until(app, lambda: controller.evaluation is not None)
    stalls = Stalls()

    t0 = time.perf_counter()
    wizard = controller.imports.open(str(csv))  # reads a sample, shows the columns
    preview = time.perf_counter() - t0
    wizard.columns_page.model_name.setText("lora")
    stalls.start()
    t0 = time.perf_counter()
    wizard.next()  # the confirm page reads the whole file off the UI thread
    page = wizard.confirm_page
    wait_until(app, lambda: page.plan is not None or page.error is not None)
    planned = time.perf_counter() - t0
    plan_gaps = stalls.stop()
    if page.error is not None:
        raise SystemExit(f"the wizard refused the file: {page.error}")
    stalls.start()
    t0 = time.perf_counter()
    wizard.accept()
    wait_until(app, lambda: controller.imports.last_report is not None)
    imported = time.perf_counter() - t0
    import_gaps = stalls.stop()
    added = controller.imports.last_report.models["lora"].added
    assert added == rows, f"{added} of {rows} rows imported"

    total = preview + planned + imported
    print(f"wizard: sample and columns page:    {preview:6.2f} s (on the UI thread)")
    print(f"wizard: whole file read (the plan): {planned:6.2f} s (worker thread)")
    print(f"wizard: import of the plan:         {imported:6.2f} s (worker thread)")
    print(f"wizard total / reference:           {total / reference:6.2f}x")
    for name, (longest, p99) in (("reading", plan_gaps), ("importing", import_gaps)):
        print(
            f"UI thread while {name:>9}: longest gap {longest:4.0f} ms, p99 {p99:3.0f} ms "
            "(5 ms timer)"
        )
    controller.shutdown()
    window.close()
    project.close()


if __name__ == "__main__":
    main()
