#!/usr/bin/env bash
# Build the one-folder desktop app (dist/annotator/) and check that it starts.
#
#   packaging/build.sh                      # venv in .venv-build/, output in dist/
#   VENV=/path/to/venv packaging/build.sh   # use (or create) another venv
#   SKIP_INSTALL=1 VENV=... packaging/build.sh   # the venv already has annotator + pyinstaller
#   DIST=/tmp/out WORK=/tmp/work packaging/build.sh
#
# Steps: venv -> pip install the project and PyInstaller -> icons (if missing) -> PyInstaller
# with packaging/annotator.spec -> run the built app offscreen with --smoke-test (demo project,
# in a throwaway home folder) -> print the folder size and the start times.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv-build}"
DIST="${DIST:-$ROOT/dist}"
WORK="${WORK:-$ROOT/build/pyinstaller}"
NAME="annotator"

if [[ -x "$VENV/bin/python" ]]; then
    VPY="$VENV/bin/python"
elif [[ -x "$VENV/Scripts/python.exe" ]]; then  # Git Bash on Windows
    VPY="$VENV/Scripts/python.exe"
else
    echo "==> creating $VENV"
    "$PYTHON" -m venv "$VENV"
    VPY="$VENV/bin/python"
    [[ -x "$VPY" ]] || VPY="$VENV/Scripts/python.exe"
fi

if [[ -z "${SKIP_INSTALL:-}" ]]; then
    echo "==> installing annotator and PyInstaller into $VENV"
    "$VPY" -m pip install --quiet --upgrade pip
    "$VPY" -m pip install --quiet "$ROOT" "pyinstaller>=6"
fi

ICONS="$ROOT/resources/icons"
if [[ ! -f "$ICONS/annotator.ico" || ! -f "$ICONS/annotator.icns" || ! -f "$ICONS/annotator.png" ]]; then
    echo "==> rendering the icons from annotator.svg"
    "$VPY" "$ROOT/packaging/make_icons.py"
fi

po="$ROOT/resources/i18n/messages_zh_CN.po"
if [[ -f "$po" && ( ! -f "${po%.po}.mo" || "$po" -nt "${po%.po}.mo" ) ]]; then
    echo "warning: messages_zh_CN.mo is missing or older than its .po: run python packaging/messages.py --compile-only" >&2
fi

echo "==> PyInstaller ($("$VPY" -m PyInstaller --version))"
"$VPY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/annotator.spec"

APP="$DIST/$NAME/$NAME"
[[ -x "$APP" ]] || APP="$DIST/$NAME/$NAME.exe"

# A throwaway home: the smoke test builds the demo project and saves the recent-project
# setting, which must not touch the builder's own.
SANDBOX="$(mktemp -d)"
trap 'rm -rf "$SANDBOX"' EXIT

now() {  # seconds, with microseconds where bash 5 has them (macOS's bash 3.2: whole seconds)
    if [[ -n "${EPOCHREALTIME:-}" ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s; fi
}

smoke() {
    local start end
    start=$(now)
    HOME="$SANDBOX" XDG_DATA_HOME="$SANDBOX/data" XDG_CONFIG_HOME="$SANDBOX/config" \
        QT_QPA_PLATFORM=offscreen "$APP" --smoke-test --rater smoke-test >&2 ||
        { echo "smoke test FAILED (exit code $?)" >&2; return 1; }
    end=$(now)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

echo "==> smoke test: $APP --smoke-test (offscreen)"
first=$(smoke)   # builds the demo project, computes its metrics
second=$(smoke)  # reopens it: the start time a user sees
version=$("$APP" --version)

echo
echo "built:        $DIST/$NAME ($version)"
echo "size:         $(du -sh "$DIST/$NAME" | cut -f1) in $(find "$DIST/$NAME" -type f | wc -l) files"
echo "first start:  $first s (builds the demo project and its metrics)"
echo "second start: $second s (open the demo, show the window, close, exit 0)"
