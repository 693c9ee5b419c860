"""A read-only drive and a full disk, made for real (tests run as root here).

Root ignores file mode bits, so a read-only medium is a read-only bind mount and a full
disk is a small tmpfs; a read-only folder or file for an ordinary user is a subprocess
run as ``nobody``. Each helper skips its test, with the reason, where the sandbox does
not allow it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
ROOT = Path(__file__).resolve().parents[3]


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True)


@contextmanager
def read_only_view(folder: Path) -> Iterator[Path]:
    """``folder`` seen through a read-only bind mount (a read-only drive)."""
    view = folder.parent / (folder.name + "-ro")
    view.mkdir()
    if _run("mount", "--bind", str(folder), str(view)).returncode:
        view.rmdir()
        pytest.skip("cannot bind-mount here (needs root and mount rights)")
    try:
        if _run("mount", "-o", "remount,bind,ro", str(view)).returncode:
            pytest.skip("cannot remount a bind mount read-only here")
        yield view
    finally:
        if _run("umount", str(view)).returncode:
            _run("umount", "-l", str(view))  # a file still open in it: detach anyway
        view.rmdir()


@contextmanager
def small_disk(parent: Path, size: str = "2m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted under ``parent``: a disk that really fills up."""
    disk = parent / "disk"
    disk.mkdir()
    if _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)).returncode:
        disk.rmdir()
        pytest.skip("cannot mount a small tmpfs here (needs root and mount rights)")
    try:
        yield disk
    finally:
        if _run("umount", str(disk)).returncode:
            _run("umount", "-l", str(disk))
        disk.rmdir()


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill ``disk`` up to the last byte, then free ``leave`` bytes again."""
    filler = disk / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        chunk = b"\0" * 65536
        while True:
            try:
                if os.write(fd, chunk) < len(chunk):
                    chunk = chunk[:4096]
            except OSError:
                if len(chunk) == 1:
                    break
                chunk = chunk[: max(1, len(chunk) // 16)]
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def shared_folder() -> Path:
    """A folder outside pytest's private tmp (mode 700) that ``nobody`` can reach."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-ro-", dir="/tmp"))
    folder.chmod(0o755)
    return folder


def run_as_nobody(code: str, *args: str) -> subprocess.CompletedProcess:
    """Run Python ``code`` as the unprivileged user ``nobody``; skip if that is impossible."""
    probe = subprocess.run([*NOBODY, "true"], capture_output=True)
    if probe.returncode:
        pytest.skip("cannot run a process as nobody here (setpriv)")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "ANNOTATOR_LANG": "en"}
    return subprocess.run(
        [*NOBODY, sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=120,
    )
