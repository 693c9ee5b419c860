"""The Run-a-judge dialog: an OpenAI-compatible endpoint, what to ask, progress and report.

It lays out; ``controllers.judge_run.JudgeRunFlow`` checks the connection, runs the judge
in the background and writes the report. Keyboard first: every field has a mnemonic,
Enter in the endpoint checks the connection, Alt+R runs, Alt+C cancels a run; Esc or the
window's close button ask first while a run is under way (``may_close``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_label

ITEMS, COMPARISONS, BOTH = "items", "comparisons", "both"
ENDPOINT_EXAMPLE = "http://gpu-box:8000/v1"


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget, 1 if isinstance(widget, QLineEdit | QComboBox) else 0)
    return row


class JudgeRunDialog(QDialog):
    """Endpoint, model, judge, key variable, dimensions, units, sampling; Run and Cancel."""

    check_requested = Signal()
    run_requested = Signal()
    cancel_requested = Signal()
    browse_requested = Signal()

    def __init__(
        self,
        dimensions: list[tuple[str, str]],
        comparisons: int,
        parent: QWidget | None = None,
    ):
        """``dimensions``: (key, name in the interface language); ``comparisons``: how many
        side-by-side comparisons the project has (none: only items can be judged)."""
        super().__init__(parent)
        self.setWindowTitle(tr("Run an LLM judge"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.may_close: Callable[[], bool] | None = None  # the flow's question while running
        self._build_fields(dimensions, comparisons)
        self._build_run_part()
        self._lay_out()
        self.model.currentTextChanged.connect(self._model_changed)
        self.endpoint.returnPressed.connect(self.check_requested.emit)
        self.check.clicked.connect(self.check_requested.emit)
        self.browse.clicked.connect(self.browse_requested.emit)
        self.run.clicked.connect(self.run_requested.emit)
        self.cancel.clicked.connect(self.cancel_requested.emit)
        self.resize(680, 640)
        self.set_running(False)

    # -- building ------------------------------------------------------------------------------
    def _build_fields(self, dimensions: list[tuple[str, str]], comparisons: int) -> None:
        self.endpoint = QLineEdit()
        self.endpoint.setPlaceholderText(ENDPOINT_EXAMPLE)
        self.check = QPushButton(tr("C&heck connection"))
        self.connection = plain_label(QLabel(tr("Not checked yet.")))
        self.connection.setWordWrap(True)
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.lineEdit().setPlaceholderText(tr("the model's name as the server serves it"))
        self.judge = QLineEdit()
        self.key_env = QLineEdit()
        self.key_env.setPlaceholderText("OPENAI_API_KEY")
        self.key_note = QLabel(
            tr(
                "The key is read from this environment variable of the computer running the "
                "app, when you check or run; it is never stored in the project. Left empty: "
                "OPENAI_API_KEY if it is set, otherwise no key is sent."
            )
        )
        self.key_note.setWordWrap(True)
        self.dimensions: dict[str, QCheckBox] = {}
        for key, name in dimensions:
            box = QCheckBox(name)
            box.setChecked(True)
            self.dimensions[key] = box
        self.what = QComboBox()
        self.what.addItem(tr("Items (a score on each dimension)"), ITEMS)
        if comparisons:
            self.what.addItem(tr("Side-by-side comparisons, in both orders (A/B and B/A)"),
                              COMPARISONS)  # fmt: skip
            self.what.addItem(tr("Both: the items, then the comparisons"), BOTH)
        else:
            self.what.setToolTip(tr("The project has no side-by-side comparisons."))
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 32)
        self.concurrency.setValue(4)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.json_mode = QCheckBox(
            tr("Ask for J&SON mode (response_format json_object); off for a server that refuses it")
        )
        self.json_mode.setChecked(True)
        self.limit = QSpinBox()
        self.limit.setRange(0, 10_000_000)
        self.limit.setSpecialValueText(tr("no limit"))
        self.prompt = QLineEdit()
        self.prompt.setPlaceholderText(tr("the rubric with its anchors (built in)"))
        # not Alt+B: in a line edit that moves a word back (X11 key bindings)
        self.browse = QPushButton(tr("Br&owse…"))

    def _build_run_part(self) -> None:
        self.resume = plain_label(QLabel())
        self.resume.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(tr("not started"))
        self.report = QPlainTextEdit()  # copyable: failures and the signature are long
        self.report.setReadOnly(True)
        self.report.setMinimumHeight(120)
        self.run = QPushButton(tr("&Run"))
        self.cancel = QPushButton(tr("&Cancel run"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.run, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        for button in (self.check, self.browse, self.run, self.cancel, close):
            button.setAutoDefault(False)  # Enter in a field never runs nor closes by surprise

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(_buddy(tr("&Endpoint:"), self.endpoint), _row(self.endpoint, self.check))
        form.addRow("", self.connection)
        form.addRow(_buddy(tr("&Model:"), self.model), self.model)
        form.addRow(_buddy(tr("&Judge name:"), self.judge), self.judge)
        key = QVBoxLayout()  # the note under its field: a row of its own gets odd spacing
        key.addWidget(self.key_env)
        key.addWidget(self.key_note)
        form.addRow(_buddy(tr("&Key variable:"), self.key_env), key)
        boxes = QHBoxLayout()
        for box in self.dimensions.values():
            boxes.addWidget(box)
        boxes.addStretch(1)
        form.addRow(tr("Dimensions:"), boxes)
        form.addRow(_buddy(tr("&What to judge:"), self.what), self.what)
        form.addRow(_buddy(tr("Co&ncurrency:"), self.concurrency), self.concurrency)
        form.addRow(_buddy(tr("&Temperature:"), self.temperature), self.temperature)
        form.addRow("", self.json_mode)
        form.addRow(_buddy(tr("&Limit:"), self.limit), self.limit)
        form.addRow(_buddy(tr("&Prompt file:"), self.prompt), _row(self.prompt, self.browse))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.resume)
        layout.addWidget(self.progress)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)

    # -- what the flow reads and shows ---------------------------------------------------------
    def chosen(self) -> dict:
        """The settings as typed; the flow checks them (the core says what is wrong)."""
        model = self.model.currentText().strip()
        return {
            "endpoint": self.endpoint.text().strip(),
            "model": model,
            "judge": self.judge.text().strip() or model,
            "api_key_env": self.key_env.text().strip() or None,
            "dimensions": [k for k, box in self.dimensions.items() if box.isChecked()],
            "what": self.what.currentData(),
            "concurrency": self.concurrency.value(),
            "temperature": self.temperature.value(),
            "json_mode": self.json_mode.isChecked(),
            "limit": self.limit.value() or None,
            "prompt": self.prompt.text().strip() or None,
        }

    def set_models(self, names: list[str]) -> None:
        """The models the server lists, the typed name kept when it is one of them."""
        typed = self.model.currentText().strip()
        self.model.clear()
        self.model.addItems(names)
        self.model.setCurrentText(typed if typed in names or not names else names[0])

    def set_connection(self, text: str) -> None:
        self.connection.setText(text)

    def set_running(self, running: bool) -> None:
        for widget in (self.endpoint, self.check, self.model, self.judge, self.key_env,
                       self.what, self.concurrency, self.temperature, self.json_mode, self.limit,
                       self.prompt, self.browse, self.run, *self.dimensions.values()):  # fmt: skip
            widget.setEnabled(not running)
        self.cancel.setEnabled(running)
        if running:
            self.cancel.setFocus()
        else:
            self.run.setFocus()

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        # nothing planned yet (starting, refused, nothing to ask): no "0 of 0" to read
        words = tr("{done} of {total} answers", done=done, total=total) if total else ""
        self.progress.setFormat(words)

    def show_report(self, text: str) -> None:
        self.report.setPlainText(text)

    def _model_changed(self, text: str) -> None:
        self.judge.setPlaceholderText(text.strip() or tr("the model's name"))

    # -- closing while a run is under way ------------------------------------------------------
    def reject(self) -> None:
        if self.may_close is not None and not self.may_close():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.may_close is not None and not self.may_close():
            event.ignore()
            return
        super().closeEvent(event)
