"""Refresh the translation files: extract every tr() string, then build the .qm files.

    python packaging/i18n.py            # lupdate + lrelease
    python packaging/i18n.py --release-only   # only rebuild the .qm files

Sources: every module under annotator/gui. Targets: resources/i18n/annotator_zh_CN.ts
(translated) and annotator_en.ts (the English source, for translators' tools), built to
.qm next to them. The .qm files are committed so an installed app needs no Qt tools.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN", "en")


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        raise SystemExit(f"{name} not found: install PySide6 (pip install pyside6)")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "annotator" / "gui").rglob("*.py"))


def update() -> None:
    for lang in LANGUAGES:
        ts = I18N / f"annotator_{lang}.ts"
        subprocess.run(
            [
                _tool("pyside6-lupdate"),
                *sources(),
                "-no-obsolete",
                "-locations",
                "none",
                "-target-language",
                lang,
                "-ts",
                str(ts.relative_to(ROOT)),
            ],
            cwd=ROOT,
            check=True,
        )
    release()


def release() -> None:
    for lang in LANGUAGES:
        ts = I18N / f"annotator_{lang}.ts"
        subprocess.run(
            [_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--release-only", action="store_true", help="only build .qm files")
    args = parser.parse_args()
    I18N.mkdir(parents=True, exist_ok=True)
    release() if args.release_only else update()


if __name__ == "__main__":
    main()
