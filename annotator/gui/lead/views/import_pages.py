"""The first two pages of the import wizard: choose a file, check its columns."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from annotator.core.domain.errors import AnnotatorError, InputError
from annotator.core.formats.items.roles import REQUIRED, ROLES
from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_label, plain_tip


def role_names() -> dict[str, str]:
    return {
        "instruction": tr("Instruction"),
        "input": tr("Input (optional)"),
        "reference": tr("Reference"),
        "generated": tr("Generated"),
        "id": tr("Sample id (optional)"),
        "model": tr("Model column (optional)"),
    }


# One of our own files (``OwnFileError.kind``) -> the lead action that takes it.
REDIRECTS = {"rating_sheet": "import_sheets", "package": "merge"}


def redirect_text(action: str) -> str:
    return {
        "import_sheets": tr("Import it as a filled rating sheet"),
        "merge": tr("Merge it as a rater package"),
    }[action]


def problem_lines(exc: BaseException) -> list[str]:
    problems = getattr(exc, "problems", None)
    return [str(p) for p in problems] if problems else [str(exc)]


class FilePage(QWizardPage):
    """Choose the automatic-evaluation file (or it arrives by drag and drop)."""

    def __init__(self, wizard):
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Choose a file"))
        self.setSubTitle(
            tr(
                "CSV, TSV, Excel, JSON, JSON lines or LLaMA-Factory "
                "generated_predictions.jsonl. Nothing is imported until you confirm."
            )
        )
        self.path = QLineEdit()
        self.path.editingFinished.connect(lambda: self.owner.load(self.path.text()))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self.owner.browse)
        self.status = plain_label(QLabel())  # quotes the file's name and cells
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # One of our own files: the button of the action that takes it (closes the wizard).
        self.redirect = QPushButton()
        self.redirect.setVisible(False)
        self.redirect.clicked.connect(lambda: self.owner.redirect.emit(self.redirect_action))
        self.redirect_action: str | None = None
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.redirect, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def offer(self, action: str | None) -> None:
        """Show the button of ``action`` (None: hide it)."""
        self.redirect_action = action
        self.redirect.setVisible(action is not None)
        if action is not None:
            self.redirect.setText(redirect_text(action))

    def isComplete(self) -> bool:  # noqa: N802
        return self.owner.preview is not None


class ColumnsPage(QWizardPage):
    """Detected format and encoding, the first rows, each role's column, the model name."""

    def __init__(self, wizard):
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Check the columns"))
        self.detected = plain_label(QLabel())  # the file's column names
        self.detected.setWordWrap(True)
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        names = role_names()
        for role in ROLES:
            box = QComboBox()
            box.currentIndexChanged.connect(self._on_role_changed)
            self.combos[role] = box
            form.addRow(names[role], box)
        # The project's models to choose from, or a new name typed in.
        self.model_box = QComboBox()
        self.model_box.setEditable(True)
        self.model_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_box.addItems(wizard.models)
        self.model_name: QLineEdit = self.model_box.lineEdit()
        self.model_name.setText("")
        self.model_name.textChanged.connect(self.completeChanged)
        form.addRow(tr("Model"), self.model_box)
        # Named here, where the model is: the comparisons then read candidate − this model.
        self.baseline = QCheckBox(tr("This is the model before fine-tuning (the baseline)"))
        self.baseline.setToolTip(
            tr("Every other model is then compared with this one (Δ = candidate − baseline)")
        )
        self.model_name.textChanged.connect(self._on_model_named)
        form.addRow("", self.baseline)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(90)
        self.problems.setWordWrap(True)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detected)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(tr("Found in the first rows:")))
        layout.addWidget(self.problems)
        self._filling = False

    def initializePage(self) -> None:  # noqa: N802
        self.fill(self.owner.preview)
        self._on_model_named()

    def _on_model_named(self, *_args) -> None:
        """Only a named model can be the baseline (a model column names several)."""
        named = bool(self.model_name.text().strip())
        self.baseline.setEnabled(named)
        if not named:
            self.baseline.setChecked(False)

    def fill(self, preview) -> None:
        self._filling = True
        try:
            for role, box in self.combos.items():
                box.clear()
                box.addItem(tr("(none)") if role not in REQUIRED else tr("(choose a column)"), "")
                for column in preview.columns:
                    box.addItem(column, column)
                box.setCurrentIndex(max(box.findData(preview.roles.get(role, "")), 0))
        finally:
            self._filling = False
        self.show_preview(preview)
        suggested = self.owner.suggested_name(preview)
        self.model_name.setPlaceholderText(
            tr("one of the models above, or a new name (e.g. {name})", name=suggested)
            if self.owner.models
            else tr("e.g. qwen2.5-lora-v2")
        )
        if not self.model_name.text():
            self.model_name.setText(self.owner.default_model(preview))

    def show_preview(self, preview) -> None:
        fmt = preview.format + (f" ({preview.delimiter!r})" if preview.delimiter else "")
        self.detected.setText(
            tr(
                "{file}: format {fmt}, encoding {enc}, {cols} columns; metrics: {metrics}",
                file=Path(preview.path).name,
                fmt=fmt,
                enc=preview.encoding or "–",
                cols=len(preview.columns),
                metrics=", ".join(f"{c} → {m}" for c, m in preview.metric_columns.items()) or "–",
            )
        )
        role_of = {column: role for role, column in preview.roles.items()}
        role_of.update({c: tr("metric {m}", m=m) for c, m in preview.metric_columns.items()})
        names = role_names()
        other = tr("metadata")  # a column of no role is kept as the item's metadata
        headers = [
            f"{c}\n[{names.get(role_of.get(c), role_of.get(c, other))}]" for c in preview.columns
        ]
        self.table.clear()
        self.table.setColumnCount(len(preview.columns))
        self.table.setRowCount(len(preview.rows))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setVerticalHeaderLabels([str(n) for n in preview.row_numbers])
        for r, row in enumerate(preview.rows):
            for c, column in enumerate(preview.columns):
                text = str(row.get(column, ""))
                item = QTableWidgetItem(text[:120])
                item.setToolTip(plain_tip(text[:2000]))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for c in range(self.table.columnCount()):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 260))
        self.set_problems(
            [str(p) for p in preview.problems] + [tr("note: {n}", n=n) for n in preview.notices]
        )
        self.completeChanged.emit()

    def set_problems(self, lines: list[str]) -> None:
        self.problems.clear()
        self.problems.addItems(lines or [tr("no problems")])

    def mapping(self) -> dict[str, str | None]:
        return {role: (box.currentData() or None) for role, box in self.combos.items()}

    def set_role(self, role: str, column: str | None) -> None:
        box = self.combos[role]
        box.setCurrentIndex(max(box.findData(column or ""), 0))

    def _on_role_changed(self) -> None:
        if self._filling:
            return
        try:
            preview = self.owner.reload(self.mapping())
        except (InputError, AnnotatorError) as exc:
            self.owner.preview_error = exc
            self.set_problems(problem_lines(exc))
            self.completeChanged.emit()
            return
        self.owner.preview_error = None
        self.show_preview(preview)

    def isComplete(self) -> bool:  # noqa: N802
        preview = self.owner.preview
        return (
            preview is not None
            and self.owner.preview_error is None
            and not preview.missing
            and bool(self.model_name.text().strip() or "model" in preview.roles)
        )
