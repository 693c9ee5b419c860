"""The installed distribution of annotator, as pip left it (not the checkout the tests sit in).

CI installs with ``pip install ".[test]"`` (a copy in site-packages); a developer's venv is
often editable (``pip install -e``: the import leads back into the source folder). Tests
that claim to check "the installed package" ask here where it is, and run a fresh Python
outside the checkout, so that neither the current folder nor the test runner's own
``sys.path`` decides which ``annotator`` is imported.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

DIST = "annotator"
CHECKOUT = Path(__file__).resolve().parent.parent


def distribution() -> importlib.metadata.Distribution:
    """The installed distribution's metadata (its RECORD, entry points, direct_url.json).

    Looked up on ``sys.path`` without the checkout: ``python -m pytest`` run there puts it
    first, and its ``annotator.egg-info`` (left by an editable install) is not what pip
    installed.
    """
    path = [p for p in sys.path if Path(p or ".").resolve() != CHECKOUT]
    found = next(iter(importlib.metadata.distributions(name=DIST, path=path)), None)
    if found is None:
        raise importlib.metadata.PackageNotFoundError(DIST)
    return found


def is_editable() -> bool:
    """Whether pip installed the distribution in editable mode (``pip install -e``)."""
    direct = distribution().read_text("direct_url.json")
    return bool(direct) and bool(json.loads(direct).get("dir_info", {}).get("editable"))


def recorded() -> dict[str, Path]:
    """Every file the distribution's RECORD lists, by its recorded name, to where it is."""
    dist = distribution()
    return {f.as_posix(): Path(dist.locate_file(f)).resolve() for f in dist.files or ()}


def package_dir() -> Path:
    """The folder ``import annotator`` should lead to for this installation.

    Non-editable: the ``annotator/__init__.py`` that RECORD lists. Editable: the source
    folder that ``direct_url.json`` names (setuptools maps ``annotator`` to its ``annotator``).
    """
    if is_editable():
        url = json.loads(distribution().read_text("direct_url.json"))["url"]
        return (Path(unquote(urlparse(url).path)) / "annotator").resolve()
    return recorded()["annotator/__init__.py"].parent


def fresh_python(code: str, cwd: Path, extra_env: dict | None = None):
    """Run ``code`` in a new interpreter started in ``cwd``, the checkout off its path.

    ``-P`` keeps the current folder off ``sys.path``; PYTHONPATH is passed on only when the
    caller's environment sets it (an installation made with ``pip --target``).
    """
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", **(extra_env or {})}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
