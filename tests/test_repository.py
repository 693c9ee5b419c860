"""Project-level rules: the core stays Qt-free, CI runs the README's test command.

The import contracts are in pyproject.toml; the other machine-checked rules (no import
cycle, module size, complexity) are in tests/test_architecture.py.
"""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.installed import fresh_python, package_dir

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
print(annotator.core.__file__)
print(len(names))
"""


def test_every_core_module_imports_with_qt_blocked(tmp_path):
    """The installed package's core (not the checkout's), each module, with Qt unimportable."""
    result = fresh_python(BLOCKER, tmp_path, {"PATH": ""})
    assert result.returncode == 0, result.stderr
    core_file, count = result.stdout.split()
    installed_core = package_dir() / "core"
    assert Path(core_file).resolve().parent == installed_core
    expected = len(list(pkgutil.walk_packages([str(installed_core)], "annotator.core.")))
    assert int(count) == expected > 10


def test_no_core_source_mentions_qt():
    """A rule on the source: the checkout's files, the ones a commit carries."""
    core = ROOT / "annotator" / "core"
    assert (core / "__init__.py").is_file()
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
    with (ROOT / "pyproject.toml").open("rb") as f:
        contracts = tomllib.load(f)["tool"]["importlinter"]["contracts"]
    result = subprocess.run(
        [lint, "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    # An exception (ignore_imports) that no longer matches fails too: the list only shrinks.
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(contracts)} kept, 0 broken" in result.stdout
