"""Before Qt starts, the app says in words why it cannot open a window (issue 14, point 2).

Everything here runs the real tools: the installed PySide6 wheel's platform plugin, the
system's ``ldd`` and dynamic loader, ``dpkg`` as the independent oracle of which Debian package
ships a library, and ``annotator`` itself in a subprocess with the environment a user has.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.preflight import PACKAGES, missing_libraries

ROOT = Path(__file__).resolve().parents[2]
PYSIDE = Path(next(iter(importlib.util.find_spec("PySide6").submodule_search_locations)))
PLATFORMS = PYSIDE / "Qt" / "plugins" / "platforms"
XCB = PLATFORMS / "libqxcb.so"
# What the app loads on any platform (the check adds these to the plugin)
# PySide6 and shiboken6 are wheels, installed beside each other: not system libraries
SITE = PYSIDE.resolve().parent
MODULES = [PYSIDE / m for m in ("QtWidgets.abi3.so", "QtCharts.abi3.so") if (PYSIDE / m).exists()]

# Packages every Debian or Ubuntu system has, so the README need not list them: each is a
# dependency of dpkg or apt themselves (dpkg: libc6, zlib1g, liblzma5, libzstd1, libmd0;
# apt: libstdc++6, libgcc-s1, libsystemd0 -> libcap2, libgcrypt20 -> libgpg-error0, liblz4-1;
# grep, which is Essential: libpcre2-8-0). Nothing that draws a window is here.
BASE = {
    "libc6",
    "libgcc-s1",
    "libstdc++6",
    "zlib1g",
    "liblzma5",
    "libzstd1",
    "liblz4-1",
    "libmd0",
    "libsystemd0",
    "libcap2",
    "libgcrypt20",
    "libgpg-error0",
    "libpcre2-8-0",
}

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
needs_ldd = pytest.mark.skipif(not shutil.which("ldd"), reason="no ldd here")
needs_dpkg = pytest.mark.skipif(
    not (shutil.which("dpkg") and shutil.which("dpkg-query")), reason="not a Debian system"
)
needs_plugin = pytest.mark.skipif(not XCB.is_file(), reason="the wheel has no xcb plugin")


def _ldd(binary: Path) -> list[tuple[str, str]]:
    """(soname, resolved path or 'not found') for every library ldd lists."""
    out = subprocess.run(
        ["ldd", str(binary)], capture_output=True, text=True, check=True, env={"LC_ALL": "C"}
    ).stdout
    return [
        (name.strip(), where.split("(")[0].strip())
        for name, arrow, where in (line.strip().partition("=>") for line in out.splitlines())
        if arrow and where.strip()
    ]


def _owner(path: str) -> str | None:
    """The Debian package dpkg says ships ``path`` (tried as listed, resolved, with /usr)."""
    real = os.path.realpath(path)
    for candidate in dict.fromkeys([path, real, "/usr" + path, "/usr" + real]):
        run = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if run.returncode == 0:
            return run.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def _readme_packages(name: str = "README.md") -> list[str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    lines = re.findall(r"`sudo apt-get install -y ([^`]+)`", text)
    assert len(lines) == 1, f"{name} gives one apt-get line"
    return lines[0].split()


def _installed_closure(packages: list[str]) -> set[str]:
    """The packages and everything they depend on, as dpkg's status records it."""
    seen: set[str] = set()
    todo = list(packages)
    while todo:
        pkg = todo.pop()
        if pkg in seen:
            continue
        seen.add(pkg)
        run = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Depends}, ${Pre-Depends}, ${Provides}", pkg],
            capture_output=True,
            text=True,
        )
        for part in run.stdout.split(","):
            first = part.split("|")[0].strip().split(" ")[0].split(":")[0]
            if first:
                todo.append(first)
    return seen


@linux_only
@pytest.mark.slow  # ldd and dpkg over every library the plugin links against: ~15 s
@needs_ldd
@needs_dpkg
@needs_plugin
def test_the_readme_line_installs_what_the_xcb_plugin_links_against():
    """Every library the plugin and the app's Qt modules resolve outside the wheel comes from a
    package dpkg names; that package is in the README's line (or pulled in by one of them,
    per dpkg's own records), or in the small Debian base above. A library missing here is
    mapped by the module's table, which the next test checks against dpkg."""
    wanted = _readme_packages()
    assert wanted == _readme_packages("README.zh-CN.md"), "both READMEs give the same line"
    covered = _installed_closure(wanted) | BASE
    needed: dict[str, str] = {}
    for binary in [XCB, *MODULES]:
        for soname, where in _ldd(binary):
            if where == "not found":
                needed[PACKAGES.get(soname, f"<no package known for {soname}>")] = soname
            elif where.startswith("/") and SITE not in Path(where).resolve().parents:
                needed[_owner(where) or f"<dpkg knows no package of {where}>"] = where
    assert len(needed) > 15, needed  # the plugin was really read
    assert {pkg: lib for pkg, lib in needed.items() if pkg not in covered} == {}
    assert "libxcb-icccm4" in wanted and "libxcb-keysyms1" in wanted  # issue 14's two


@pytest.mark.slow  # dpkg -S for each package: ~5 s
@linux_only
@needs_dpkg
def test_the_package_table_agrees_with_dpkg():
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    checked = 0
    for soname, package in PACKAGES.items():
        found = re.search(rf"^\s*{re.escape(soname)} \(.*x86-64.*\) => (\S+)$", cache, re.M)
        found = found or re.search(rf"^\s*{re.escape(soname)} .*=> (\S+)$", cache, re.M)
        if not found:
            continue
        assert _owner(found.group(1)) == package, soname
        checked += 1
    assert checked >= 20  # most of the table is installed on any machine these tests run on


def _run(args: list[str], *, drop=(), **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in drop}
    environ.update(env)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=environ, timeout=120
    )


NO_SCREEN = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")
GUI_ENTRY = ["-c", "import sys; from annotator.preflight import gui_main; sys.exit(gui_main())"]


def _assert_words_not_qt(result: subprocess.CompletedProcess, *phrases: str) -> None:
    assert result.returncode == 2, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert "qt.qpa" not in result.stderr and "platform plugin" not in result.stderr


@pytest.fixture
def project(tmp_path):
    result = _run(["-m", "annotator", "demo", "--path", str(tmp_path / "demo.annotator")])
    assert result.returncode == 0, result.stderr
    return tmp_path / "demo.annotator"


@linux_only
@pytest.mark.parametrize(
    "args",
    [
        ["-m", "annotator", "open", "PROJECT"],
        ["-m", "annotator", "demo", "--open", "--path", "PROJECT"],
        ["-m", "annotator"],
        GUI_ENTRY,  # the annotator-gui entry point (annotator.preflight:gui_main)
    ],
    ids=["open", "demo --open", "bare", "annotator-gui"],
)
def test_no_display_is_said_in_words_with_exit_2(project, args):
    args = [str(project) if a == "PROJECT" else a for a in args]
    # the demo project speaks Chinese; ANNOTATOR_LANG wins (the Chinese test is below)
    result = _run(args, drop=NO_SCREEN, HOME=str(project.parent), ANNOTATOR_LANG="en")
    _assert_words_not_qt(result, "there is no display to open a window on", "annotator --help")


@linux_only
def test_no_display_in_chinese(project):
    result = _run(["-m", "annotator", "open", str(project)], drop=NO_SCREEN, LANG="zh_CN.UTF-8")
    _assert_words_not_qt(result, "没有可以打开窗口的显示器", "annotator --help")


@linux_only
def test_a_missing_file_is_said_before_qt_even_without_a_display(tmp_path):
    result = _run(["-m", "annotator", "open", str(tmp_path / "nope.annotator")], drop=NO_SCREEN)
    assert result.returncode == 1
    assert "nope.annotator does not exist" in result.stderr
    assert "Traceback" not in result.stderr and "qt.qpa" not in result.stderr


def _absent_known_soname() -> str | None:
    """A soname of the table no library here answers to (at most 19 bytes, as keysyms')."""
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for soname in (
        "libOpenGL.so.0",
        "libxcb-glx.so.0",
        "libwayland-egl.so.1",
        "libxcb-xinput.so.0",
    ):
        if f"\t{soname} " not in cache:
            return soname
    return None


def _shadow_pyside(tmp_path: Path, renames: dict[bytes, bytes]) -> Path:
    """A PySide6 package folder whose every file is the installed wheel's (symlinks), except
    libqxcb.so: a copy whose DT_NEEDED names are renamed (same length or shorter, NUL-padded)."""
    top = tmp_path / "site"
    path = [PYSIDE, PYSIDE / "Qt", PYSIDE / "Qt" / "plugins", PLATFORMS]
    for here, deeper in zip(path, [*path[1:], None], strict=True):
        target = top / here.relative_to(PYSIDE.parent)
        target.mkdir(parents=True)
        for entry in here.iterdir():
            if entry not in (deeper, XCB):  # the next folder down is made, not linked
                (target / entry.name).symlink_to(entry)
    (top / "shiboken6").symlink_to(PYSIDE.parent / "shiboken6")  # the modules' RUNPATH
    data = XCB.read_bytes()
    for old, new in renames.items():
        assert data.count(old + b"\0") == 1, old  # the one string in .dynstr
        data = data.replace(old + b"\0", new.ljust(len(old), b"\0") + b"\0")
    (top / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so").write_bytes(data)
    return top


@linux_only
@needs_ldd
@needs_plugin
def test_missing_libraries_are_named_with_the_apt_line(project, tmp_path):
    """Missing system libraries made real without root and without faking a tool: the wheel's
    own plugin, copied, with two of its DT_NEEDED names renamed, one to a library of the
    table that this machine lacks, one to a name no package has. The real ldd and loader then
    miss exactly those two; PYTHONPATH puts this PySide6 folder (all else the installed
    wheel's files) before site-packages, and a real `annotator open` with a display named runs
    the check. (LD_LIBRARY_PATH cannot hide a library that is installed, and a fake ldd would
    test nothing but itself.)"""
    known = _absent_known_soname()
    if known is None:
        pytest.skip("every candidate library is installed here")
    site = _shadow_pyside(
        tmp_path,
        {b"libxcb-keysyms.so.1": known.encode(), b"libxcb-icccm.so.4": b"libabsent-x.so.1"},
    )
    plugin = site / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    assert {known, "libabsent-x.so.1"} <= set(missing_libraries([plugin]))

    env = {"DISPLAY": ":0", "PYTHONPATH": str(site)}
    for args in (["-m", "annotator", "open", str(project)], GUI_ENTRY):
        result = _run(args, drop=NO_SCREEN, ANNOTATOR_LANG="en", **env)
        _assert_words_not_qt(
            result,
            "Qt needs system libraries that are not installed",
            known,
            "libabsent-x.so.1",
            "sudo apt-get install " + PACKAGES[known],
            "apt-file search libabsent-x.so.1",
        )
    chinese = _run(["-m", "annotator", "open", str(project)], drop=NO_SCREEN, LANG="zh_CN", **env)
    _assert_words_not_qt(
        chinese, "Qt 需要的系统库未安装", "sudo apt-get install " + PACKAGES[known]
    )


def test_the_check_imports_no_qt():
    code = (
        "import sys, annotator.preflight as p;"
        "p.gui_problem({'DISPLAY': ':0'}); p.gui_problem({});"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert _run(["-c", code]).returncode == 0


def test_offscreen_passes_and_the_smoke_test_runs(project):
    result = _run(
        ["-m", "annotator", "open", str(project), "--rater", "alice", "--smoke-test"],
        drop=NO_SCREEN,
        QT_QPA_PLATFORM="offscreen",
    )
    assert result.returncode == 0, result.stderr
    assert "cannot start" not in result.stderr


@linux_only
@needs_plugin
@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="xvfb-run is not installed")
def test_with_a_real_display_the_check_agrees_with_qt(project):
    """On a virtual X server (Xvfb), with Qt's default platform (xcb): when ldd finds every
    library the plugin needs, the check lets the app start and the smoke test runs; when it
    does not, the app stops with the names instead of Qt's abort."""
    missing = missing_libraries([XCB, *MODULES])
    environ = {k: v for k, v in os.environ.items() if k not in NO_SCREEN}
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-m", "annotator", "open", str(project)]
        + ["--rater", "alice", "--smoke-test"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=180,
    )
    if missing:
        _assert_words_not_qt(result, *missing)
    else:
        assert result.returncode == 0, result.stderr
        assert "cannot start" not in result.stderr


@linux_only
def test_a_display_no_x_server_answers_on_is_said_in_words(project):
    """A DISPLAY left over (an SSH session without -X, a stopped X server) made Qt abort with
    exit 134; a display number with no X socket of any kind on this machine is refused first."""
    import socket

    def listening(number: int) -> bool:
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(f"\0/tmp/.X11-unix/X{number}")
            except OSError:
                return os.path.exists(f"/tmp/.X11-unix/X{number}")
            return True

    number = next(n for n in range(97, 200) if not listening(n))
    result = _run(
        ["-m", "annotator", "open", str(project)],
        drop=NO_SCREEN,
        DISPLAY=f":{number}",
        ANNOTATOR_LANG="en",
    )
    _assert_words_not_qt(result, f"no X server answers on the display :{number}", "ssh -X")
