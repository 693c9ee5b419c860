"""Project-level rules: the core stays Qt-free, CI runs the README's test command."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import annotator.core

ROOT = Path(__file__).resolve().parent.parent

BLOCKER = r"""
import importlib, importlib.abc, pkgutil, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "qtpy", "shiboken6") or \
                name.startswith("annotator.gui"):
            raise ImportError(f"the core imported {name}")
        return None

sys.meta_path.insert(0, Block())
import annotator.core
names = [m.name for m in pkgutil.walk_packages(annotator.core.__path__, "annotator.core.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_core_module_imports_with_qt_blocked():
    package_root = str(Path(annotator.core.__file__).resolve().parent.parent.parent)
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": package_root, "PATH": ""},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = len(list(pkgutil.walk_packages(annotator.core.__path__, "annotator.core.")))
    assert int(result.stdout.strip()) == expected > 10


def test_no_core_source_mentions_qt():
    core = Path(annotator.core.__file__).resolve().parent
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt\d|qtpy|annotator\.gui)", re.M)
    offenders = [str(p) for p in core.rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def _fenced_commands(text: str) -> list[str]:
    return re.findall(r"```\n(.+?)\n```", text)


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = _fenced_commands(setup)
    assert len(commands) == 2, "the README's set-up section has exactly two commands"
    assert all("\n" not in c for c in commands)
    assert "annotator demo" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_import_linter_contract_holds():
    """The same rule as import-linter sees it (pyproject's [tool.importlinter] contract)."""
    import shutil

    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [lint, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
