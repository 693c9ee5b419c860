"""The frozen entry script sends each command line to the CLI or straight to the app."""

from __future__ import annotations

import multiprocessing
import sys

import pytest

import annotator.cli
import annotator.gui.app


@pytest.mark.parametrize(
    "argv",
    [[], ["info", "x.annotator"], ["--version"], ["open", "p.annotator", "--smoke-test"]],
)
def test_command_lines_go_to_the_cli(launcher, argv):
    assert not launcher.wants_gui(argv)


@pytest.mark.parametrize(
    "argv", [["--smoke-test"], ["--rater", "alice"], ["--rater=alice"], ["--lead"]]
)
def test_app_options_go_to_the_app(launcher, argv):
    assert launcher.wants_gui(argv)


def test_a_double_clicked_project_opens_in_the_app(launcher, tmp_path):
    project = tmp_path / "评测.annotator"
    assert not launcher.wants_gui([str(project)])  # not there (yet): the CLI explains
    project.write_bytes(b"")
    assert launcher.wants_gui([str(project)])
    shouting = tmp_path / "EVAL.ANNOTATOR"
    shouting.write_bytes(b"")
    assert launcher.wants_gui([str(shouting)])
    assert not launcher.wants_gui([str(tmp_path)])  # a folder is not a project


def _record(calls, name, result=0):
    def fake(argv=None):
        calls.append((name, list(argv) if argv is not None else None))
        return result

    return fake


def test_main_freezes_first_then_dispatches(launcher, monkeypatch):
    calls: list = []
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: calls.append(("freeze", None)))
    monkeypatch.setattr(annotator.cli, "main", _record(calls, "cli", 3))
    monkeypatch.setattr(annotator.gui.app, "main", _record(calls, "gui", 4))

    monkeypatch.setattr(sys, "argv", ["annotator", "info", "p.annotator"])
    assert launcher.main() == 3
    monkeypatch.setattr(sys, "argv", ["annotator", "--smoke-test", "--rater", "r"])
    assert launcher.main() == 4
    assert calls == [
        ("freeze", None),
        ("cli", ["info", "p.annotator"]),
        ("freeze", None),
        ("gui", ["--smoke-test", "--rater", "r"]),
    ]
