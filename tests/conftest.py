"""Shared fixtures. GUI tests run offscreen; nothing here mocks our own storage."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Messages follow the system's language when a project does not say otherwise; the tests
# start from English whatever the machine speaks, and switch language where they test it.
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "ANNOTATOR_LANG"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"
# Crash reports of commands run by tests (the CLI's safety net writes one per unexpected
# error) go to a folder of this run, never into the user's own log folder.
import tempfile  # noqa: E402

os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="annotator-test-state-")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def english_messages():
    """A command run in-process sets the language of its project; the next test starts over."""
    from annotator.core.i18n import set_language

    set_language("en")
    yield
    set_language("en")
