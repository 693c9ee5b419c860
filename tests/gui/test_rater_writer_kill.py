"""A SIGKILL right after a key press loses no score the status bar called saved (issue 19).

A child process opens the real rater window offscreen, types digits with QTest (real key
events, the event loop running between them as it does for a person) and prints, each
time the status bar says "Saved", every score given so far. The parent kills it with
SIGKILL right after a key press, while that key's commit is likely in flight on the
writer thread, and reads the file with sqlite3: each score a "Saved" covered is there
with its value.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import annotator
from annotator.core.project import Project
from tests.factories import add_items

CHILD = textwrap.dedent(
    """
    import json, os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    path, settings = sys.argv[1], sys.argv[2]
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
    app = QApplication([])
    from annotator.core.project import Project
    from annotator.gui.app import build_rater_workspace

    project = Project.open(path)
    window, ctl = build_rater_workspace(project, "alice")
    window.show()
    app.processEvents()
    given = []
    show = ctl.saving._show

    def spy(text, unsaved):
        show(text, unsaved)
        if text.startswith("Saved "):
            print("SAVED " + json.dumps(given), flush=True)

    ctl.saving._show = spy
    keys = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]

    def step():
        n = len(given)
        score = (n * 7 + 3) % 5 + 1
        item_id, dim = ctl.item.id, ctl.view.grid.focus_key
        QTest.keyClick(QApplication.focusWidget() or window.grid, keys[score - 1])
        given.append([item_id, dim, score])  # in the session now; "Saved" may cover it
        print("PRESSED", len(given), flush=True)
        # a fast typist (0-3 ms between keys) who pauses now and then: "Saved" shows
        QTimer.singleShot(40 if n % 5 == 4 else n % 4, step)

    QTimer.singleShot(0, step)
    app.exec()
    """
)


def file_scores(path: Path) -> dict[tuple[int, str], int]:
    conn = sqlite3.connect(path)  # read-write: a killed writer's WAL is recovered
    try:
        rows = conn.execute(
            "SELECT s.item_id, d.key, s.score FROM ratings s "
            "JOIN dimensions d ON d.id = s.dimension_id JOIN raters r ON r.id = s.rater_id "
            "WHERE r.name = 'alice'"
        ).fetchall()
    finally:
        conn.close()
    return {(item, dim): score for item, dim, score in rows}


def kill_after(path: Path, settings: Path, presses: int) -> tuple[list, list]:
    """Run the child, SIGKILL it right after press number ``presses`` (or the first press
    after that once the status bar has said "Saved").

    Returns:
        (the scores the last "Saved" covered, every score given before the kill).
    """
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(annotator.__file__).resolve().parents[1]),
        "QT_QPA_PLATFORM": "offscreen",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(settings)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    saved: list = []
    given = 0
    try:
        for line in proc.stdout:
            if line.startswith("SAVED "):
                saved = json.loads(line[6:])
            elif line.startswith("PRESSED "):
                given = int(line.split()[1])
                # right after a key press (a window that never says "Saved" fails below)
                if given >= presses and (saved or given >= presses + 30):
                    os.kill(proc.pid, signal.SIGKILL)
                    break
        for line in proc.stdout:  # printed before the kill: claims all the same
            if line.startswith("SAVED "):
                saved = json.loads(line[6:])
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert given >= presses, "the child stopped before it was killed"
    return saved, given


@pytest.mark.slow
@pytest.mark.parametrize("presses", [9, 22, 41])
def test_sigkill_after_a_key_press_keeps_every_score_shown_as_saved(tmp_path, presses):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "kill") as p:
        add_items(p, 20, "base")
    settings = tmp_path / "settings"
    settings.mkdir()
    saved, given = kill_after(path, settings, presses)
    assert saved, 'the status bar never said "Saved" before the kill'
    # Scores the child gave, in order, recomputed here: the same formula as the child's.
    values = [(n * 7 + 3) % 5 + 1 for n in range(given)]
    assert [score for _, _, score in saved] == values[: len(saved)]
    in_file = file_scores(path)
    covered = {(item_id, dim): score for item_id, dim, score in saved}
    assert len(covered) == len(saved)  # 80 cells, fewer presses: no cell is scored twice
    for key, score in covered.items():
        assert in_file.get(key) == score, f"{key}={score} was shown as saved; file: {in_file}"
    assert len(in_file) <= given  # and nothing the child did not give
