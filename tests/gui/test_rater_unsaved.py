"""The rater window never drops a score it cannot save (issue 12, part 6).

Another program (a second process) holds the project file with ``BEGIN EXCLUSIVE``,
or the disk is full, while a rater types scores with real key presses. Every score
must stay on screen marked unsaved, the status bar must say why in words, the next
key must land on the next dimension, and once the file can be written the scores
arrive in the file in the order they were typed, on the right dimensions.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.project import Project
from tests.factories import add_items
from tests.gui.test_rater_scoring import KEYS, press

CTRL = Qt.KeyboardModifier.ControlModifier
HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
    conn.close()
    """
)


class Lock:
    """Another program holding the file with BEGIN EXCLUSIVE until ``release``."""

    def __init__(self, path: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=30)


@pytest.fixture
def lock():
    held: list[Lock] = []

    def take(path: Path) -> Lock:
        held.append(Lock(path))
        return held[-1]

    yield take
    for one in held:
        one.release()


@pytest.fixture
def package_path(tmp_path) -> Path:
    """alice's rater package (a rollback-journal file: a lock blocks reading too)."""
    project = tmp_path / "eval.annotator"
    with Project.create(project, "gui eval") as p:
        add_items(p, 3, "base")
        p.assign(["alice"])
        p.create_package("alice", tmp_path / "alice.annotator")
    return tmp_path / "alice.annotator"


def written(path: Path, rater: str = "alice") -> list[tuple[int, str, int | None]]:
    """(item, dimension, new score) of every score change in the file, in write order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT a.item_id, d.key, CAST(a.new_value AS INTEGER) FROM audit_log a "
            "JOIN dimensions d ON d.id = a.dimension_id JOIN raters r ON r.id = a.rater_id "
            "WHERE r.name = ? AND a.action IN ('score', 'rescore', 'unscore') ORDER BY a.id",
            (rater,),
        ).fetchall()
    finally:
        conn.close()


def stored(path: Path, rater: str = "alice") -> dict[tuple[int, str], int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT s.item_id, d.key, s.score FROM ratings s "
            "JOIN dimensions d ON d.id = s.dimension_id JOIN raters r ON r.id = s.rater_id "
            "WHERE r.name = ?",
            (rater,),
        ).fetchall()
    finally:
        conn.close()
    return {(item, dim): score for item, dim, score in rows}


def wait_saved(qtbot, window, timeout=10000) -> None:
    qtbot.waitUntil(lambda: window.saved_label.text().startswith("Saved "), timeout=timeout)


def assert_no_traceback(capfd) -> None:
    out, err = capfd.readouterr()
    assert "Traceback" not in err + out


def test_locked_project_keeps_2_then_4_on_relevance_then_fluency(
    project_path, open_window, qtbot, lock, capfd
):
    window, ctl = open_window(project_path)
    first = ctl.item.id
    holder = lock(project_path)
    press(qtbot, KEYS[2])
    press(qtbot, KEYS[4])
    text = window.saved_label.text()
    assert text.startswith("Not saved: the file is locked by another program")
    assert "2 waiting" in text
    assert ctl.view.grid.focus_key == "style"  # the keys moved on as if saved
    assert window.grid.buttons[0][1].isChecked() and window.grid.buttons[1][3].isChecked()
    assert window.grid.buttons[0][1].property("unsaved") is True
    assert window.grid.unsaved_keys() == {"relevance", "fluency"}
    assert stored(project_path) == {}  # not in the file: and the window does not say it is
    holder.release()
    wait_saved(qtbot, window)
    assert written(project_path) == [(first, "relevance", 2), (first, "fluency", 4)]
    assert window.grid.unsaved_keys() == set()
    assert not window.grid.buttons[0][1].property("unsaved")
    assert_no_traceback(capfd)


def test_locked_project_next_key_press_retries_in_order(
    project_path, open_window, qtbot, lock, capfd
):
    window, ctl = open_window(project_path)
    ctl.saving.timer.setInterval(3_600_000)  # only key presses may retry here
    first = ctl.item.id
    holder = lock(project_path)
    press(qtbot, KEYS[3])
    press(qtbot, KEYS[1])
    holder.release()
    press(qtbot, KEYS[5])  # this key press writes the two waiting ones first, then itself
    assert window.saved_label.text().startswith("Saved ")
    assert written(project_path) == [
        (first, "relevance", 3),
        (first, "fluency", 1),
        (first, "style", 5),
    ]
    assert_no_traceback(capfd)


def test_locked_package_blocks_reading_keys_wait_for_the_next_item(
    package_path, open_window, qtbot, lock, capfd
):
    window, ctl = open_window(package_path)
    first = ctl.item.id
    holder = lock(package_path)
    for score in (2, 4, 1, 3):  # the whole first item: auto-advance cannot read the next
        press(qtbot, KEYS[score])
    press(qtbot, KEYS[5])  # meant for the next item's relevance, not this item's
    press(qtbot, KEYS[4])
    assert ctl.item.id == first
    assert window.saved_label.text().startswith("Cannot open item 2 yet") or (
        window.saved_label.text().startswith("Not saved: the file is locked")
    )
    assert window.grid.unsaved_keys() == {"relevance", "fluency", "style", "compliance"}
    holder.release()
    qtbot.waitUntil(lambda: ctl.item.id != first, timeout=10000)
    wait_saved(qtbot, window)
    second = ctl.item.id
    assert written(package_path) == [
        (first, "relevance", 2),
        (first, "fluency", 4),
        (first, "style", 1),
        (first, "compliance", 3),
        (second, "relevance", 5),
        (second, "fluency", 4),
    ]
    assert ctl.view.grid.focus_key == "style"
    assert_no_traceback(capfd)


def test_undo_takes_back_a_waiting_score_without_touching_the_file(
    project_path, open_window, qtbot, lock, capfd
):
    window, ctl = open_window(project_path)
    first = ctl.item.id
    press(qtbot, KEYS[5])  # saved
    holder = lock(project_path)
    press(qtbot, KEYS[2])  # fluency 2: waits
    press(qtbot, Qt.Key.Key_Z, CTRL)  # takes back the waiting fluency
    assert ctl.view.grid.focus_key == "fluency"
    assert window.grid.unsaved_keys() == set()
    press(qtbot, Qt.Key.Key_Z, CTRL)  # takes back the saved relevance: must wait too
    assert ctl.view.grid.focus_key == "relevance"
    assert window.saved_label.text().startswith("Not saved")
    press(qtbot, KEYS[3])  # relevance 3
    press(qtbot, KEYS[4])  # fluency 4
    holder.release()
    wait_saved(qtbot, window)
    assert stored(project_path) == {(first, "relevance"): 3, (first, "fluency"): 4}
    assert written(project_path) == [
        (first, "relevance", 5),
        (first, "relevance", None),
        (first, "relevance", 3),
        (first, "fluency", 4),
    ]
    assert_no_traceback(capfd)


def test_closing_with_waiting_scores_asks_and_stays_open(
    project_path, open_window, qtbot, lock, no_modal_dialogs, capfd
):
    window, ctl = open_window(project_path)
    first = ctl.item.id
    holder = lock(project_path)
    press(qtbot, KEYS[4])
    window.close()  # retries, then asks; the answer (not "Discard") keeps the window open
    assert window.isVisible()
    assert any("could not be written" in text for text in no_modal_dialogs)
    holder.release()
    window.close()  # now the score is written on the way out, without asking again
    assert not window.isVisible()
    assert len(no_modal_dialogs) == 1
    assert stored(project_path) == {(first, "relevance"): 4}
    assert_no_traceback(capfd)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (root only); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small disk here: " + done.stderr.decode(errors="replace"))
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> Path:
    """Write a file until the disk has no byte left; returns it."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def test_full_disk_keeps_scores_until_space_is_freed(
    package_path, small_disk, open_window, qtbot, capfd
):
    target = small_disk / "alice.annotator"
    shutil.copy(package_path, target)
    window, ctl = open_window(target)
    first = ctl.item.id
    filler = fill(small_disk)
    press(qtbot, KEYS[2])
    press(qtbot, KEYS[4])
    assert window.saved_label.text().startswith("Not saved: the disk is full")
    assert ctl.view.grid.focus_key == "style"
    assert window.grid.unsaved_keys() == {"relevance", "fluency"}
    filler.unlink()
    wait_saved(qtbot, window)
    assert written(target) == [(first, "relevance", 2), (first, "fluency", 4)]
    assert_no_traceback(capfd)
