"""Build the one-folder app with packaging/annotator.spec and run what was built.

Slow (a PyInstaller build takes minutes): marked ``packaging``, outside the default run.
Run with ``pytest tests/packaging -m packaging``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from annotator.core.metrics.suite import PARALLEL_THRESHOLD

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "annotator.spec"


@pytest.fixture(scope="module")
def built_app(tmp_path_factory) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install 'annotator[dev]')")
    out = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(out / "dist"), "--workpath", str(out / "work"), str(SPEC)],
        check=True,
        cwd=out,
        timeout=1800,
    )  # fmt: skip
    folder = out / "dist" / "annotator"
    exe = folder / ("annotator.exe" if sys.platform == "win32" else "annotator")
    assert exe.is_file()
    return exe


@pytest.fixture()
def sandbox_env(tmp_path) -> dict[str, str]:
    """A throwaway home, so the demo project and settings never touch the tester's."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.update(APPDATA=str(tmp_path / "appdata"), LOCALAPPDATA=str(tmp_path / "localappdata"))
    return env


def run(exe: Path, *args: str, env: dict[str, str], timeout: float = 300):
    return subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_smoke_test_opens_the_demo_and_exits_cleanly(built_app, sandbox_env, tmp_path):
    result = run(built_app, "--smoke-test", "--rater", "smoke-test", env=sandbox_env)
    assert result.returncode == 0, result.stderr
    # It really opened the demo: the project file now exists in the sandbox's data folder.
    assert list(tmp_path.rglob("demo.annotator")), "the smoke test did not build the demo"


def test_version_is_pyproject_version(built_app, sandbox_env):
    with open(ROOT / "pyproject.toml", "rb") as file:
        version = tomllib.load(file)["project"]["version"]
    result = run(built_app, "--version", env=sandbox_env)
    assert result.returncode == 0
    assert result.stdout.strip() == f"annotator {version}"


def test_resources_are_where_the_package_looks(built_app):
    internal = built_app.parent / "_internal"
    assert (internal / "annotator" / "_resources" / "rubrics" / "default.toml").is_file()
    assert (internal / "jieba" / "dict.txt").is_file()


def test_the_frozen_command_line_speaks_the_project_language(built_app, sandbox_env, tmp_path):
    # The compiled message catalog ships: a Chinese project's summary reads in Chinese.
    for language in ("zh_CN", "en"):
        project = tmp_path / f"{language}.annotator"
        made = run(built_app, "init", str(project), "--language", language, env=sandbox_env)
        assert made.returncode == 0, made.stderr
    zh = run(built_app, "info", str(tmp_path / "zh_CN.annotator"), env=sandbox_env).stdout
    en = run(built_app, "info", str(tmp_path / "en.annotator"), env=sandbox_env).stdout
    assert "条目：0" in zh and "items: 0" in en


def test_frozen_metrics_pool_matches_the_source(built_app, sandbox_env, tmp_path):
    # Enough items for the spawn pool, scored with jieba words (the llamafactory preset):
    # exercises freeze_support, the worker processes and jieba's dictionary in the build.
    rng = random.Random(8)
    chars = "今天天气很好我们去公园散步然后吃饭模型生成的答案和参考答案比较"
    data = tmp_path / "predictions.jsonl"
    with data.open("w", encoding="utf-8") as file:
        for i in range(PARALLEL_THRESHOLD + 200):
            row = {
                "id": f"s{i}",
                "instruction": f"问题 {i}",
                "reference": "".join(rng.choice(chars) for _ in range(24)),
                "generated": "".join(rng.choice(chars) for _ in range(24)),
            }
            file.write(json.dumps(row, ensure_ascii=False) + "\n")
    frozen, source = tmp_path / "frozen.annotator", tmp_path / "source.annotator"
    for project in (frozen, source):
        assert run(built_app, "init", str(project), env=sandbox_env).returncode == 0
        imported = run(built_app, "import", str(project), str(data), "--model", "m",
                       env=sandbox_env)  # fmt: skip
        assert imported.returncode == 0, imported.stderr

    args = ["metrics", "--preset", "llamafactory", "--json"]
    built = run(built_app, *args[:1], str(frozen), *args[1:], "--workers", "2", env=sandbox_env)
    assert built.returncode == 0, built.stderr
    reference = subprocess.run(
        [sys.executable, "-m", "annotator", *args[:1], str(source), *args[1:], "--workers", "1"],
        env=sandbox_env, capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert reference.returncode == 0, reference.stderr
    built_json, reference_json = json.loads(built.stdout), json.loads(reference.stdout)
    assert built_json["items"] == reference_json["items"] == PARALLEL_THRESHOLD + 200
    assert built_json["signatures"] == reference_json["signatures"]
    for block in ("means", "corpus"):
        assert built_json[block].keys() == reference_json[block].keys() == {"m"}
        assert built_json[block]["m"] == pytest.approx(reference_json[block]["m"], rel=1e-12)
