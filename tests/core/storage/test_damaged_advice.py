"""A damaged file's advice fits what is beside it (issue 14, point 9).

A rater's package has no ``.bak`` copies: telling its rater to open one sent them looking
for a file that does not exist. The copies are advised only where there are some.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.domain.errors import ProjectFileError
from annotator.core.project import Project
from tests.factories import add_items


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)  # the header's tail and the schema page
    path.write_bytes(bytes(data))


def test_a_damaged_package_asks_for_a_new_package_not_a_bak(tmp_path):
    project = tmp_path / "eval.annotator"
    with Project.create(project, "eval", language="en") as p:
        add_items(p, 3, "base")
        p.assign(["alice"])
        package = tmp_path / "out" / "alice.annotator"
        package.parent.mkdir()
        p.create_package("alice", package)
    _damage(package)
    with pytest.raises(ProjectFileError) as caught:
        Project.open(package)
    text = str(caught.value)
    assert str(package) in text and "damaged" in text
    assert ".bak" not in text and "ask the lead for a new package" in text


def test_a_damaged_project_with_backups_still_points_to_them(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "eval", language="en") as p:
        add_items(p, 3, "base")
    backup = path.with_name(path.name + ".20260101-000000-000000.before-import.bak")
    backup.write_bytes(path.read_bytes())
    _damage(path)
    with pytest.raises(ProjectFileError, match=r"damaged.*\.bak copies"):
        Project.open(path)
