"""Benchmark: the rater workspace on a 100,000-item project, driven offscreen.

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [n_items] [presses]``.
Prints, each next to its target: the time from a keystroke that moves to the next item
(Right, or the digit that completes an item) to its texts being shown, p50/p95, and for
the digit the time until the status bar says "Saved" (its commit on the writer thread); the
time and peak memory to open the project (Project.open + session + window shown); and
the time from a fresh process to a window ready for the first keystroke. References
measured in the same run: a bare QLabel.setText of the same three texts, and a fresh
process that only starts a QApplication and shows a QLabel.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.models import ItemDraft  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.usecases.importing import MemoryPlan, import_plan  # noqa: E402

CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"  # noqa: E501


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def text(rng: random.Random) -> str:
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(20, 200)))


def build(path: Path, n: int) -> float:
    rng = random.Random(11)
    drafts = [
        ItemDraft(
            sample_id=f"s{k}",
            instruction=text(rng),
            reference=text(rng),
            generated=text(rng),
            row=k + 1,
            model="lora-v2",
        )
        for k in range(n)
    ]
    start = time.perf_counter()
    with Project.create(path, "bench") as p:
        import_plan(p.db, MemoryPlan(Path("bench.jsonl"), drafts, "sha-bench"))
    return time.perf_counter() - start


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    cur = int(fields["VmRSS"].split()[0]) / 1024
    peak = int(fields["VmHWM"].split()[0]) / 1024
    return cur, peak


def time_presses(qtbot_target, key, n: int, before=None, saved=None) -> list[float]:
    """Frame times (ms) of ``n`` presses: the key press to the next item's texts painted.

    With ``saved``, each press is followed (untimed in the frame) by waiting until
    ``saved()`` is true: the status bar says "Saved", the commit has returned. Those
    latencies, from the same key press, go to ``time_presses.commits``.
    """
    times = []
    time_presses.commits = []
    for _ in range(n):
        if before:
            before()
        target = QApplication.focusWidget() or qtbot_target
        start = time.perf_counter()
        QTest.keyClick(target, key)  # the new texts are set when it returns
        QApplication.processEvents()  # ... and painted
        times.append((time.perf_counter() - start) * 1000)
        if saved is not None:
            while not saved():
                QApplication.processEvents()
                time.sleep(0.0002)
            time_presses.commits.append((time.perf_counter() - start) * 1000)
    return times


def startup_seconds(code: str, runs: int = 3) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    presses = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    tmp = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    path = tmp / "big.annotator"
    print(f"building {n:,} items ... {build(path, n):.1f} s")
    # Opening is measured in a fresh process too, so its memory is not the builder's.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, __file__, "--open-only", str(path), str(tmp)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    print(out.strip())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from annotator.gui.app import build_rater_workspace

    base_cur, _ = rss_mb()
    start = time.perf_counter()
    t0 = time.perf_counter()
    project = Project.open(path)
    t_open = time.perf_counter() - t0
    t0 = time.perf_counter()
    window, ctl = build_rater_workspace(project, "bench")
    t_session = time.perf_counter() - t0
    window.show()
    window.activateWindow()
    app.processEvents()
    opened = time.perf_counter() - start
    cur, peak = rss_mb()
    print(
        f"(in this process) open project + session + window: {opened:.2f} s (target <= 1 s; Project.open "  # noqa: E501
        f"{t_open:.2f} s incl. integrity check, session+window {t_session:.2f} s)"
    )
    print(
        f"(in this process) memory after open: RSS {cur:.0f} MB, peak {peak:.0f} MB (target <= 300 MB; "  # noqa: E501
        f"{cur - base_cur:.0f} MB added by the open)"
    )

    ctl.view.grid.setFocus()
    app.processEvents()
    right = time_presses(window.grid, Qt.Key.Key_Right, presses)

    def saved() -> bool:
        return ctl.view.saved_label.text().startswith("Saved ")

    def to_last_dimension() -> None:
        for key in ctl.session.rubric.keys[:-1]:  # scored through the session, untimed
            ctl.session.set_score(ctl.item.id, key, 3)
        ctl.show_item(ctl.index)
        ctl.view.grid.set_focus_row(len(ctl.session.rubric.keys) - 1)
        while ctl.session.saving or ctl.session.unsaved_count():  # their commit, untimed
            app.processEvents()
            time.sleep(0.0002)

    digit_n = max(20, presses // 3)
    completing = time_presses(
        window.grid, Qt.Key.Key_4, digit_n, before=to_last_dimension, saved=saved
    )
    commits = time_presses.commits

    item_texts = [ctl.session.item(k) for k in range(presses)]
    # Reference: only showing the same three texts in three plain read-only editors.
    host = QWidget()
    host.resize(1280, 800)
    box = QVBoxLayout(host)
    editors = [QPlainTextEdit(host) for _ in range(3)]
    for editor in editors:
        editor.setReadOnly(True)
        box.addWidget(editor)
    host.show()
    app.processEvents()
    ref = []
    for item in item_texts:
        t0 = time.perf_counter()
        for editor, value in zip(
            editors, (item.instruction, item.reference, item.generated), strict=True
        ):
            editor.setPlainText(value)
        app.processEvents()
        ref.append((time.perf_counter() - t0) * 1000)
    ref50 = statistics.median(ref)
    for name, values in (
        ("Right -> next item shown", right),
        ("digit completing an item -> next unscored shown", completing),
    ):
        p50, p95 = statistics.median(values), pct(values, 0.95)
        print(
            f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(values)} presses "
            f"(target p95 <= 16 ms; {p50 / ref50:.1f}x setting and painting the same "
            f"texts in three bare editors, {ref50:.2f} ms)"
        )
    print(
        f'digit completing an item -> status bar "Saved" (the commit on the writer thread, '
        f"synchronous = FULL): p50 {statistics.median(commits):.1f} ms, "
        f"p95 {pct(commits, 0.95):.1f} ms"
    )
    t0 = time.perf_counter()
    found = ctl.session.search("no such text 找不到", 0)
    print(
        f"search that matches nothing ({n:,} items): {time.perf_counter() - t0:.2f} s "
        f"(found={found})"
    )
    window.close()
    project.close()

    demo = tmp / "demo.annotator"

    Project.demo(demo).close()
    app_start = startup_seconds(
        "import sys; from annotator.gui.app import main; "
        f"sys.exit(main([{str(demo)!r}, '--rater', 'bench', '--smoke-test']))"
    )
    bare = startup_seconds(
        "from PySide6.QtWidgets import QApplication, QLabel; app = QApplication([]); "
        "w = QLabel('x'); w.show(); app.processEvents()"
    )
    imports = startup_seconds("import annotator.core.project")
    print(
        f"process start -> window ready (demo, --smoke-test): {app_start:.2f} s "
        f"(target <= 1.5 s; {app_start / bare:.1f}x a bare QApplication+QLabel process, "
        f"{bare:.2f} s; importing annotator.core.project alone takes {imports:.2f} s)"
    )


def open_only(path: Path, settings: Path) -> None:
    """Child process: import, open, show; print time and memory."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    app = QApplication(sys.argv[:1])
    from annotator.gui.app import build_rater_workspace

    before, _ = rss_mb()
    start = time.perf_counter()
    project = Project.open(path)
    t_open = time.perf_counter() - start
    window, _ = build_rater_workspace(project, "fresh")
    window.show()
    app.processEvents()
    opened = time.perf_counter() - start
    cur, peak = rss_mb()
    print(
        f"open project + session + window (fresh process): {opened:.2f} s (target <= 1 s; "
        f"Project.open {t_open:.2f} s of it, with its integrity check); "
        f"RSS {cur:.0f} MB, peak {peak:.0f} MB (target <= 300 MB; {before:.0f} MB "
        f"before opening: Python, Qt and the imported libraries)"
    )
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--open-only":
        open_only(Path(sys.argv[2]), Path(sys.argv[3]))
    main()
    sys.stdout.flush()
    # PySide6 can crash while collecting widgets at interpreter exit; the figures are out.
    os._exit(0)
