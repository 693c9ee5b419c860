"""What to do next, on the Overview of a project with no ratings yet (instead of empty charts).

A short list of the steps of an evaluation, each with the buttons of the toolbar actions
that do it; the steps already done are ticked and the next one is in bold. The buttons
only ask: the window triggers its own action (``action_requested``), so a button does
exactly what the toolbar does.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_label


def steps() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(key, what to do, [(action name, button text)]) in the order of the work."""
    return [
        (
            "import",
            tr("Import the model outputs to rate (CSV, TSV, XLSX, JSON, JSONL)"),
            [("import", tr("Import…"))],
        ),
        (
            "assign",
            tr("Assign items to raters (optional: without it every rater rates every item)"),
            [("assign", tr("Assign…"))],
        ),
        (
            "hand_out",
            tr("Hand out the work: a rater package for the app, or an Excel rating sheet"),
            [("packages", tr("Packages…")), ("sheets", tr("Sheets…"))],
        ),
        (
            "collect",
            tr("Bring the ratings back: merge returned packages, import filled sheets"),
            [("merge", tr("Merge…")), ("import_sheets", tr("Import sheets…"))],
        ),
    ]


class NextSteps(QWidget):
    """The steps, ticked when done, with buttons; ``show_state`` says where the project is."""

    action_requested = Signal(str)  # a toolbar action's name

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel(tr("No ratings yet. What to do next:"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        grid = QGridLayout(self)
        grid.addWidget(self.title, 0, 0, 1, 3)
        self.marks: dict[str, QLabel] = {}
        self.texts: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        for row, (key, text, actions) in enumerate(steps(), start=1):
            mark = QLabel()
            label = QLabel(text)  # one line each: the buttons line up beside them
            box = QHBoxLayout()
            for name, button_text in actions:
                button = QPushButton(button_text)
                button.clicked.connect(lambda _=False, n=name: self.action_requested.emit(n))
                box.addWidget(button)
                self.buttons[name] = button
            box.addStretch(1)
            grid.addWidget(mark, row, 0)
            grid.addWidget(label, row, 1)
            grid.addLayout(box, row, 2)
            self.marks[key], self.texts[key] = mark, label
        self.summary = plain_label(QLabel())  # quotes model names
        self.summary.setWordWrap(True)
        grid.addWidget(self.summary, len(self.marks) + 1, 0, 1, 3)
        self.hint = QLabel(tr("The charts, agreement and verdicts appear with the first ratings."))
        grid.addWidget(self.hint, len(self.marks) + 2, 0, 1, 3)
        grid.setColumnStretch(3, 1)  # the buttons stay beside their step on a wide window
        grid.setRowStretch(len(self.marks) + 3, 1)
        self.next_step = "import"

    def show_state(self, items: int, models: list[str], assigned: bool) -> None:
        """Tick what is done: items imported, items assigned; the next step in bold."""
        done = {"import": items > 0, "assign": assigned}
        self.next_step = next(k for k, _, _ in steps() if not done.get(k, False))
        for key, label in self.texts.items():
            label.setStyleSheet("font-weight: bold" if key == self.next_step else "")
            self.marks[key].setText(
                "✓" if done.get(key) else ("→" if key == self.next_step else "")
            )
        self.summary.setText(
            tr(
                "{items} items of {models} imported.",
                items=items,
                models=tr(", ").join(models),
            )
            if items
            else ""
        )
