"""The PyInstaller spec agrees with pyproject.toml and ships every run-time resource."""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import tomllib
from pathlib import Path, PurePosixPath

import pytest

import annotator

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
# Sources of shipped files, not read by the app: scripts and the catalog's source.
NOT_SHIPPED_SUFFIXES = {".py", ".pyc", ".po"}


def pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]


def test_name_and_version_come_from_pyproject(spec):
    project = pyproject()
    assert spec["NAME"] == project["name"] == "annotator"
    assert spec["VERSION"] == project["version"]


def test_package_version_matches_pyproject():
    # The window title and About dialog show annotator.__version__; the build is named
    # after pyproject's version. Both must say the same.
    assert annotator.__version__ == pyproject()["version"]


def test_every_listed_file_exists(spec):
    assert spec["DATAS"], "the spec ships no resources"
    for source, _dest in spec["DATAS"]:
        assert Path(source).is_file(), f"the spec lists {source}, which does not exist"
    assert Path(spec["ENTRY"]).is_file()
    for name in ("annotator.ico", "annotator.icns", "annotator.png", "annotator.svg"):
        assert (RESOURCES / "icons" / name).is_file(), name


def test_resources_land_where_the_package_looks_for_them(spec):
    # annotator.core.resources looks for <package>/_resources/rubrics; setup.py installs the
    # same layout. Rebuild the frozen tree's relative paths and compare with the sources'.
    shipped = {
        PurePosixPath(dest, Path(source).name): Path(source) for source, dest in spec["DATAS"]
    }
    for dest, source in shipped.items():
        assert dest.parts[:2] == ("annotator", "_resources"), dest
        assert PurePosixPath(*dest.parts[2:]) == PurePosixPath(source.relative_to(RESOURCES))
    assert PurePosixPath("annotator/_resources/rubrics/default.toml") in shipped


def test_no_runtime_resource_is_left_out(spec):
    shipped = {Path(source).resolve() for source, _ in spec["DATAS"]}
    missing = [
        path.relative_to(RESOURCES).as_posix()
        for path in sorted(RESOURCES.rglob("*"))
        if path.is_file()
        and path.suffix not in NOT_SHIPPED_SUFFIXES
        and "__pycache__" not in path.parts
        and path.resolve() not in shipped
    ]
    assert not missing, f"add these to RESOURCE_FILES in packaging/annotator.spec: {missing}"


def test_compiled_translations_are_picked_up(spec, tmp_path):
    # The .mo files are globbed, not listed: whatever packaging/messages.py built ships. The
    # app has no Qt catalog of its own (.ts/.qm): one gettext catalog speaks for it all.
    built = sorted((RESOURCES / "i18n").glob("*.mo"))
    shipped = {Path(source).name for source, _ in spec["DATAS"]}
    assert [path.name for path in built] == ["messages_zh_CN.mo"]
    assert {path.name for path in built} <= shipped
    assert not [name for name in shipped if name.startswith("annotator_") and name.endswith(".qm")]


@pytest.mark.parametrize("module", ["jieba", "krippendorff", "scipy.stats", "openpyxl"])
def test_hidden_imports_exist(spec, module):
    assert module in spec["HIDDEN_IMPORTS"]
    assert importlib.util.find_spec(module) is not None


def test_every_hidden_import_resolves(spec):
    unknown = [name for name in spec["HIDDEN_IMPORTS"] if importlib.util.find_spec(name) is None]
    assert not unknown


def _imported_modules() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "annotator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names


def test_nothing_the_app_imports_is_excluded(spec):
    excluded = set(spec["EXCLUDES"])
    clashes = sorted(
        name
        for name in _imported_modules()
        if any(name == ex or name.startswith(ex + ".") for ex in excluded)
    )
    assert not clashes, f"the app imports modules the spec excludes: {clashes}"


def test_drop_patterns_spare_what_the_app_needs(spec):
    needed = [
        "annotator/_resources/rubrics/default.toml",
        "jieba/dict.txt",
        "jieba/finalseg/prob_emit.p",
        "PySide6/Qt/lib/libQt6Charts.so.6",
        "PySide6/Qt/lib/libQt6OpenGLWidgets.so.6",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt6Charts.dll",
    ]
    for dest in needed:
        assert not any(fnmatch.fnmatch(dest, p) for p in spec["DROP"]), dest
    dropped = ["PySide6/Qt/lib/libQt6Quick.so.6", "PySide6/Qt6Qml.dll", "jieba/lac_small/x"]
    for dest in dropped:
        assert any(fnmatch.fnmatch(dest, p) for p in spec["DROP"]), dest
