"""The installed package, as pip installed it: its files, its resources, its commands.

These read the distribution's own record (importlib.metadata) and run a fresh Python
outside the checkout, so that a wheel missing a sub-package or a resource fails here even
though the checkout beside the tests has it. Correct for an editable install (a developer's
venv) and for CI's ``pip install ".[test]"`` alike.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.installed import distribution, fresh_python, is_editable, package_dir, recorded

ROOT = Path(__file__).resolve().parent.parent
# Sources that setup.py leaves out of the wheel (scripts that build resources).
NOT_SHIPPED = {".py", ".pyc"}

WHERE = """
import annotator, annotator.core.resources as r
print(annotator.__file__)
print(r.resource_dir())
"""


def _shipped_resources() -> list[str]:
    """The resource files of the checkout that the installed package must carry."""
    base = ROOT / "resources"
    return sorted(
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and p.suffix not in NOT_SHIPPED and "__pycache__" not in p.parts
    )


def _where(tmp_path: Path) -> tuple[Path, Path]:
    result = fresh_python(WHERE, tmp_path)
    assert result.returncode == 0, result.stderr
    module, resources = result.stdout.split("\n")[:2]
    return Path(module).resolve(), Path(resources).resolve()


def test_a_fresh_python_imports_the_installed_package(tmp_path):
    module, _ = _where(tmp_path)
    assert module.parent == package_dir()
    if not is_editable():  # the copy pip made, never the checkout beside the tests
        assert recorded()["annotator/__init__.py"] == module
        # (CI's venv lives inside the checkout: what matters is that it is not the source)
        assert not module.is_relative_to(ROOT / "annotator")


def test_every_module_of_the_source_is_installed():
    """A sub-package without __init__.py (or left out of setup.py) is missing from a wheel."""
    if is_editable():
        pytest.skip("an editable install imports the source itself")
    files = recorded()
    source = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "annotator").rglob("*.py")
        if "__pycache__" not in p.parts
    )
    missing = [name for name in source if name not in files]
    assert missing == [], f"modules of the source not in the installed package: {missing}"


def test_the_installed_package_finds_its_own_resources(tmp_path):
    _, resources = _where(tmp_path)
    if is_editable():
        assert resources == package_dir().parent / "resources"
    else:  # setup.py maps resources/ into the package as annotator/_resources
        assert resources == package_dir() / "_resources"
    for name in ("rubrics/default.toml", "i18n/messages_zh_CN.mo"):
        assert (resources / name).is_file(), f"the installed package lacks {name}"


SPEAKS = """
from annotator.core.i18n import tr, use_language
with use_language("zh_CN"):
    print(tr("&Scoring"))  # the app's menu, from the one catalog
    print(tr("unscored"))
"""


def test_the_installed_catalog_speaks_for_the_app(tmp_path):
    """The app has no Qt catalog of its own: its words come from the installed .mo."""
    result = fresh_python(SPEAKS, tmp_path)
    assert result.returncode == 0, result.stderr
    menu, status = result.stdout.split("\n")[:2]
    assert menu != "&Scoring" and "&S" in menu and status != "unscored", result.stdout


def test_every_resource_is_in_the_distribution_record():
    if is_editable():
        pytest.skip("an editable install reads resources/ from the source")
    files = recorded()
    missing = [n for n in _shipped_resources() if f"annotator/_resources/{n}" not in files]
    assert missing == [], f"resources not shipped in the installed package: {missing}"
    for name in _shipped_resources():
        installed = files[f"annotator/_resources/{name}"]
        assert installed.read_bytes() == (ROOT / "resources" / name).read_bytes(), name


def _installed_script(command: str) -> Path | None:
    """The console script pip wrote for ``command``, as the RECORD lists it."""
    names = (command, f"{command}.exe")
    for name, path in recorded().items():
        if Path(name).name in names and Path(name).parent.name in ("bin", "Scripts"):
            if path.is_file():
                return path
            # pip --target records it from its staging folder: it lies in <target>/bin
            moved = Path(distribution().locate_file("")) / Path(name).parent.name / Path(name).name
            return moved if moved.is_file() else None
    return None


def test_the_installed_commands_point_at_the_package():
    scripts = {e.name: e.value for e in distribution().entry_points}
    assert scripts["annotator"] == "annotator.cli:main"
    assert scripts["annotator-gui"] == "annotator.preflight:gui_main"


def test_the_installed_annotator_command_runs(tmp_path):
    """The console script pip wrote (listed in RECORD), run from an unrelated folder."""
    script = _installed_script("annotator")
    assert script is not None, "no annotator command in the distribution's RECORD"
    result = subprocess.run(
        [str(script), "--version"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert distribution().version in result.stdout
