"""Lead workspace fixtures: the demo project (or an empty one) opened in the real window."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.project import Project


class Answers:
    """Scripted answers for the controller's questions (file pickers, yes/no, open file)."""

    def __init__(self):
        self.yes = True
        self.questions: list[str] = []
        self.files: list[str] = []
        self.folder = ""
        self.save = ""
        self.opened: list[str] = []


@pytest.fixture
def demo_path(tmp_path) -> Path:
    path = tmp_path / "demo.annotator"
    Project.demo(path, fresh=True).close()
    return path


@pytest.fixture
def open_lead(qtbot):
    """Open the lead workspace on a project file and wait for its first statistics."""
    from annotator.gui.lead import build_lead_workspace

    opened: list[tuple] = []

    def open_(path: Path, **kwargs):
        project = Project.open(path)
        window, controller = build_lead_workspace(project, **kwargs)
        answers = Answers()

        def ask_yes_no(title, text):
            answers.questions.append(text)
            return answers.yes

        controller.ask_yes_no = ask_yes_no
        controller.ask_open_files = lambda title, filters, many=True: list(answers.files)
        controller.ask_folder = lambda title: answers.folder
        controller.ask_save_file = lambda title, suggested, filters: answers.save
        controller.open_url = lambda url: answers.opened.append(url.toLocalFile())
        controller.answers = answers
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: controller.evaluation is not None, timeout=20000)
        opened.append((project, window, controller))
        return window, controller

    yield open_
    for project, window, controller in opened:
        controller.shutdown()
        for op in (controller.write_op, controller.stats_op):
            if op is not None:
                op.wait(20)
        window.close()
        project.close()


@pytest.fixture
def wait_idle(qtbot):
    """Wait until no write and no statistics op of the controller is running."""

    def wait(controller, timeout: int = 20000) -> None:
        qtbot.waitUntil(lambda: not controller.busy and not controller.computing, timeout=timeout)

    return wait
