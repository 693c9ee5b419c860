"""Where the shipped resources (rubrics, demo data, translations, icons) are."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import annotator


@cache
def resource_dir() -> Path:
    """The resources folder: inside the installed package, or the source checkout's."""
    package = Path(annotator.__file__).resolve().parent
    for candidate in (package / "_resources", package.parent / "resources"):
        if (candidate / "rubrics").is_dir():
            return candidate
    raise FileNotFoundError(
        f"annotator's resources are missing (looked in {package / '_resources'} and "
        f"{package.parent / 'resources'}); reinstall annotator."
    )


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
