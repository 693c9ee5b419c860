"""Can the desktop app open a window here? Asked before Qt is imported.

On Linux, Qt finds out that it cannot show a window only after a QApplication exists, and
then aborts the process (exit 134) with its own message, which names ``libxcb-cursor0`` even
when the missing libraries are others. This module asks first, with the standard library
only (it never imports PySide6's QtGui or QtWidgets, which may themselves fail to load): is
there a display, and does the platform plugin Qt will load find every shared library it
needs? The answer is a sentence in the user's language naming the missing libraries and the
one ``apt-get install`` command that installs them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from annotator.core.i18n import current_language, system_language, tr, use_language

__all__ = [
    "PACKAGES",
    "gui_problem",
    "missing_libraries",
    "refuse_gui",
    "system_language",
    "x_server_answers",
]

# The exit status of a refused start: the environment, not the command, is wrong.
REFUSED = 2

# The Debian/Ubuntu package of each shared library the Qt wheel's platform plugins and the
# Qt libraries they load link against (checked against dpkg by tests/test_preflight.py).
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libGLdispatch.so.0": "libglvnd0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libexpat.so.1": "libexpat1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}

# The platform plugins that put a window on a screen, the variable naming their screen and
# the plugin's file. Every other platform (offscreen, minimal, vnc, eglfs ...) needs neither.
_SCREENS = {"xcb": ("DISPLAY", "libqxcb.so"), "wayland": ("WAYLAND_DISPLAY", "libqwayland.so")}
# Python modules of PySide6 the app imports whose Qt libraries must load on any platform.
_MODULES = ("QtWidgets.abi3.so", "QtCharts.abi3.so")
# The variables an answer depends on, and the answers "it can start" given in this process.
_ASKED = (
    "QT_QPA_PLATFORM",
    "XDG_SESSION_TYPE",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "QT_QPA_PLATFORM_PLUGIN_PATH",
    "LD_LIBRARY_PATH",
)
_passed: set[tuple[str, ...]] = set()


def refuse_gui(language: str | None = None, environ: Mapping[str, str] | None = None) -> int | None:
    """Say on stderr why the desktop app cannot start here, before Qt does.

    Args:
        language: the language of the message (default: the process's).
        environ: the environment Qt will see (default: this process's).

    Returns:
        The exit status 2 when the app cannot start (the reason is printed), else None.
    """
    env = os.environ if environ is None else environ
    key = tuple(env.get(name, "") for name in _ASKED)
    if key in _passed:  # `annotator open` asks, then the app's main asks again
        return None
    with use_language(language or current_language()):
        problem = gui_problem(env)
    if problem is None:
        _passed.add(key)
        return None
    print(problem, file=sys.stderr)
    return REFUSED


def gui_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why the app's window cannot open here (in the current language), or None.

    Only Linux is checked. With a platform that needs no screen (QT_QPA_PLATFORM=offscreen,
    minimal, vnc ...) nothing is asked. Otherwise a screen must be named (DISPLAY for X11,
    WAYLAND_DISPLAY for Wayland) and one of the platform plugins Qt will try must find
    every shared library it needs; for X11, something must listen on the display's socket.
    When ``ldd`` or the plugin is missing, the library check is left to Qt.
    """
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    wanted = [name for name in _platforms(env) if name in _SCREENS]
    if not wanted:
        return None
    reachable = [name for name in wanted if env.get(_SCREENS[name][0])]
    if not reachable:
        return _no_display()
    first_missing: list[str] | None = None
    for name in reachable:
        missing = missing_libraries(_binaries(name, env))
        if not missing:
            return None if name != "xcb" or x_server_answers(env["DISPLAY"]) else _no_server(env)
        first_missing = first_missing or missing
    return _missing(first_missing or [])


def _platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order (QT_QPA_PLATFORM, else as Qt 6 chooses)."""
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        names = [part.split(":")[0].strip().lower() for part in chosen.split(";")]
        # wayland-egl, wayland-brcm ... are variants of the one wayland plugin
        return ["wayland" if n.startswith("wayland") else n for n in names if n]
    if env.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return ["wayland", "xcb"]
    return ["xcb"]


def _binaries(platform: str, env: Mapping[str, str]) -> list[Path]:
    """The plugin file of ``platform`` and the PySide6 modules the app loads, where found."""
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing it
    roots = list(spec.submodule_search_locations or []) if spec else []
    folders = [Path(p) for p in env.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders += [Path(root, "Qt", "plugins", "platforms") for root in roots]
    file = _SCREENS[platform][1]
    plugin = next((f / file for f in folders if (f / file).is_file()), None)
    if plugin is None:  # no plugin to check: Qt will say what it finds
        return []
    return [plugin] + [Path(root, m) for root in roots for m in _MODULES if Path(root, m).is_file()]


def x_server_answers(display: str) -> bool:
    """Whether something listens where X11 clients connect for ``display`` (":0", "host:10.0").

    Only the socket is tried (the server's own checks, such as xauth, are left to Qt); a
    name this does not understand counts as answering.
    """
    host, sep, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not sep or not number.isdigit() or host.startswith("/"):
        return True  # e.g. a launchd path or a form Qt knows better
    if host in ("", "unix"):
        places = [("\0/tmp/.X11-unix/X" + number), "/tmp/.X11-unix/X" + number]
        return any(_connects(socket.AF_UNIX, place) for place in places)
    return _connects(socket.AF_INET6 if ":" in host else socket.AF_INET, (host, 6000 + int(number)))


def _connects(family: int, address: object) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(3)
            probe.connect(address)
    except OSError:
        return False
    return True


def missing_libraries(binaries: Sequence[Path]) -> list[str]:
    """The sonames the dynamic loader cannot find for these ELF files, in ldd's order.

    ``ldd`` lists the libraries a file needs and those they need in turn, each resolved as
    the loader would (RUNPATH, LD_LIBRARY_PATH, ld.so.cache, the default folders). Without
    ``ldd`` (or when it fails) nothing is reported: Qt then says what it says.
    """
    ldd = shutil.which("ldd")
    if not ldd:
        return []
    missing: list[str] = []
    for binary in binaries:
        try:
            run = subprocess.run(
                [ldd, str(binary)],
                capture_output=True,
                text=True,
                timeout=20,
                env={**os.environ, "LC_ALL": "C"},
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        for line in run.stdout.splitlines():
            name, arrow, where = line.strip().partition("=>")
            if arrow and where.strip() == "not found" and name.strip() not in missing:
                missing.append(name.strip())
    return missing


def _no_display() -> str:
    return tr(
        "the desktop app cannot start: there is no display to open a window on (neither "
        "DISPLAY nor WAYLAND_DISPLAY is set, as in an SSH session or a container). "
        "The command line works without one: annotator --help lists the commands, e.g. "
        "annotator report PROJECT writes the Excel report."
    )


def _no_server(env: Mapping[str, str]) -> str:
    return tr(
        "the desktop app cannot start: no X server answers on the display {display} "
        "(DISPLAY). Start the app from the desktop's own terminal, or log in again with "
        "ssh -X. The command line works without a display: annotator --help lists the "
        "commands.",
        display=env["DISPLAY"],
    )


def _missing(sonames: list[str]) -> str:
    packages = list(dict.fromkeys(PACKAGES[s] for s in sonames if s in PACKAGES))
    unknown = [s for s in sonames if s not in PACKAGES]
    lines = [
        tr(
            "the desktop app cannot start: Qt needs system libraries that are not "
            "installed: {libraries}.",
            libraries=tr(", ").join(sonames),
        )
    ]
    if packages:
        lines.append(tr("On Debian or Ubuntu, install them with:"))
        lines.append("  sudo apt-get install " + " ".join(packages))
    if unknown:
        lines.append(
            tr(
                "Install the package that provides {libraries} (on Debian or Ubuntu, "
                "apt-file search {first} names it).",
                libraries=tr(", ").join(unknown),
                first=unknown[0],
            )
        )
    lines.append(tr("The command line works without them: annotator --help lists the commands."))
    return "\n".join(lines)


def gui_main() -> int:
    """The ``annotator-gui`` entry point: the check first, then Qt.

    ``annotator.gui.app`` imports QtGui when it is loaded, which already fails when libEGL or
    libGL is missing; this function is Qt-free so that the check speaks before that import.
    """
    if (refused := refuse_gui(system_language())) is not None:
        return refused
    from annotator.gui.app import main

    return main(sys.argv[1:])
