"""Loaders for the packaging scripts, which live outside the package (packaging/)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "annotator.spec"
BUILD_MARKER = "# ---- BUILD"


def load_script(name: str) -> ModuleType:
    """Import packaging/<name>.py as a module."""
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and friends look modules up here
    spec.loader.exec_module(module)
    return module


def spec_settings() -> dict:
    """Run the spec's settings part (above the BUILD marker) the way PyInstaller would."""
    text = SPEC.read_text(encoding="utf-8")
    head, marker, _ = text.partition(BUILD_MARKER)
    assert marker, f"{SPEC.name} lost its '{BUILD_MARKER}' marker"
    namespace = {"SPECPATH": str(PACKAGING), "__name__": "__main__", "__file__": str(SPEC)}
    exec(compile(head, str(SPEC), "exec"), namespace)
    return namespace


@pytest.fixture(scope="session")
def spec() -> dict:
    return spec_settings()


@pytest.fixture(scope="session")
def launcher() -> ModuleType:
    return load_script("launcher")


@pytest.fixture(scope="session")
def icons_script() -> ModuleType:
    return load_script("make_icons")
