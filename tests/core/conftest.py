"""Projects with real items in a real SQLite file, for core and CLI tests."""

from __future__ import annotations

import pytest

from annotator.core.project import Project
from tests.factories import add_items


@pytest.fixture
def project(tmp_path):
    """A project with 12 items of model "base" and 12 of "lora-v2"."""
    p = Project.create(tmp_path / "eval.annotator", "test eval")
    add_items(p, 12, "base")
    add_items(p, 12, "lora-v2")
    yield p
    p.close()
