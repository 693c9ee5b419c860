"""Import wizard: file -> columns -> what will happen -> (the lead confirms) import.

The wizard reads and checks; it writes nothing. On Finish it emits ``confirmed``
with an ``ImportRequest`` and the controller runs ``Project.import_file`` in the
background with a progress bar. The dry run on the last page reads the whole
file off the UI thread, so the counts it shows are the import's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from annotator.core.domain.errors import AnnotatorError
from annotator.core.formats.items import OwnFileError
from annotator.core.formats.items.importer import DuplicateIdError
from annotator.core.i18n import tr
from annotator.gui.lead.views.import_pages import REDIRECTS, ColumnsPage, FilePage, problem_lines
from annotator.gui.widgets.plain import plain_label
from annotator.gui.workers import run_in_background


@dataclass(frozen=True)
class ImportRequest:
    """What the lead confirmed: the arguments of ``Project.import_file``."""

    path: Path
    model: str | None
    mapping: dict[str, str | None]
    skip_duplicates: bool
    plan: object = None  # the ImportPlan the confirm page showed, imported as it is
    baseline: bool = False  # name ``model`` the baseline once the import succeeded


class ConfirmPage(QWizardPage):
    """Reads the whole file (off the UI thread) and says what the import will do."""

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("What will happen"))
        self.summary = plain_label(QLabel())  # model names and the file's words
        self.summary.setWordWrap(True)
        self.skip = QCheckBox(tr("Skip repeated ids (keep the first record of each)"))
        self.skip.setVisible(False)
        self.skip.toggled.connect(lambda _: self.run())
        self.problems = QTableWidget(0, 4)
        self.problems.setHorizontalHeaderLabels(
            [tr("Row"), tr("Line"), tr("Column"), tr("Problem")]
        )
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.problems.setVisible(False)
        self.plan = None
        self.error: BaseException | None = None
        self.op = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.skip)
        layout.addWidget(self.problems, 1)

    def initializePage(self) -> None:  # noqa: N802
        self.skip.blockSignals(True)
        self.skip.setChecked(False)
        self.skip.setVisible(False)
        self.skip.blockSignals(False)
        self.run()

    def run(self) -> None:
        self.plan, self.error = None, None
        self.summary.setText(tr("Reading the whole file…"))
        self.problems.setVisible(False)
        self.completeChanged.emit()
        request = self.owner.request(self.skip.isChecked())
        self.op = run_in_background(
            lambda progress: self.owner.plan_fn(request),
            parent=self,
            on_success=self._on_plan,
            on_failure=self._on_error,
        )

    @property
    def running(self) -> bool:
        return self.op is not None and not self.op.finished

    def _on_plan(self, plan) -> None:
        self.plan = plan
        lines = self._count_lines(plan)
        lines += [str(n) for n in plan.notices]
        if plan.duplicates:
            lines.append(tr("{n} repeated ids will be skipped", n=len(plan.duplicates)))
        lines.append(tr("Press Finish to import; nothing has been written yet."))
        self.summary.setText("\n".join(lines))
        self.completeChanged.emit()

    def _count_lines(self, plan) -> list[str]:
        """New, unchanged and updated per model, as the import will decide (nothing written)."""
        try:
            counts = self.owner.count_fn(plan, self.owner.model_name() or None)
        except AnnotatorError as exc:
            by_model = Counter(item.model or self.owner.model_name() for item in plan.items)
            return [
                tr("{n:,} items read", n=len(plan.items))
                + " ("
                + ", ".join(f"{m}: {c:,}" for m, c in by_model.items())
                + ")",
                str(exc),
            ]
        lines = [tr("{n:,} items in the file:", n=len(plan.items))]
        lines += [
            "  "
            + tr(
                "{model}: {added:,} new, {unchanged:,} already imported unchanged, "
                "{updated:,} already imported with other texts",
                model=model,
                added=c.added,
                unchanged=c.unchanged,
                updated=c.updated,
            )
            for model, c in counts.items()
        ]
        if not any(c.added or c.updated for c in counts.values()):
            lines.append(tr("Nothing new: every item of this file is in the project already."))
        changed = sum(c.updated for c in counts.values())
        if changed:
            lines.append(
                tr(
                    "{n:,} item(s) already imported have other texts in this file: the import "
                    "will stop and list them (nothing is replaced)",
                    n=changed,
                )
            )
        return lines

    def _on_error(self, exc: BaseException, trace: str) -> None:
        self.error = exc
        if isinstance(exc, DuplicateIdError):
            self.skip.setVisible(True)
            head = tr(
                "{n} ids appear more than once. Fix the file, or skip the repeats:",
                n=len(exc.duplicates),
            )
        elif isinstance(exc, AnnotatorError):
            head = tr(
                "The file cannot be imported as it is ({n} problems); nothing was written:",
                n=len(problem_lines(exc)),
            )
        else:
            head = f"{type(exc).__name__}: {exc}"
        self.summary.setText(head)
        problems = getattr(exc, "problems", []) or []
        self.problems.setRowCount(len(problems))
        for r, p in enumerate(problems):
            for c, value in enumerate((p.row, p.line, p.column, p.message)):
                self.problems.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.problems.resizeColumnToContents(0)
        self.problems.setVisible(bool(problems))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.plan is not None


class ImportWizard(QWizard):
    """Choose, check, confirm. ``confirmed`` carries the ``ImportRequest``."""

    confirmed = Signal(object)
    redirect = Signal(str)  # one of our own files: the lead action that takes it

    def __init__(
        self,
        preview_fn: Callable,
        plan_fn: Callable,
        pick_file: Callable[[], str | None],
        parent: QWidget | None = None,
        *,
        models: list[str] = (),
        count_fn: Callable | None = None,
    ):
        """``models``: the project's models, offered for the file's outputs;
        ``count_fn(plan, model)``: per model the import's counts (``Project.count_import``)."""
        super().__init__(parent)
        self.setWindowTitle(tr("Import an evaluation file"))
        self.preview_fn, self.plan_fn, self.pick_file = preview_fn, plan_fn, pick_file
        self.models = list(models)
        self.count_fn = count_fn or (lambda plan, model: {})
        self.preview = None
        self.preview_error: BaseException | None = None
        self.path: Path | None = None
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.confirm_page = ConfirmPage(self)
        for page in (self.file_page, self.columns_page, self.confirm_page):
            self.addPage(page)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(900, 640)

    def browse(self) -> None:
        path = self.pick_file()
        if path:
            self.load(path)

    def load(self, path: str | Path) -> bool:
        """Preview ``path``; errors go to the first page. True when it can be imported."""
        path = Path(str(path).strip())
        self.file_page.path.setText(str(path))
        self.path, self.preview, self.preview_error = path, None, None
        try:
            self.preview = self.preview_fn(path, None)
        except AnnotatorError as exc:
            self.preview_error = exc
            self.file_page.status.setText("\n".join(problem_lines(exc)))
            own = isinstance(exc, OwnFileError)
            self.file_page.offer(REDIRECTS.get(exc.kind) if own else None)
        else:
            self.file_page.offer(None)
            p = self.preview
            self.file_page.status.setText(
                tr(
                    "{fmt}, encoding {enc}, {n} columns: {cols}",
                    fmt=p.format,
                    enc=p.encoding or "–",
                    n=len(p.columns),
                    cols=", ".join(p.columns),
                )
            )
        self.file_page.completeChanged.emit()
        return self.preview is not None

    def reload(self, mapping: dict[str, str | None]):
        self.preview = self.preview_fn(self.path, mapping)
        return self.preview

    def suggested_name(self, preview) -> str:
        """A new model's name from the file (its folder for generated_predictions)."""
        stem = Path(preview.path).stem
        return Path(preview.path).parent.name if stem == "generated_predictions" else stem

    def default_model(self, preview) -> str:
        """The model to propose: none with a model column; with models in the project,
        the one the file is named after, else none (the lead picks one or types a new
        name); in a new project the file's name."""
        if "model" in preview.roles:
            return ""
        suggested = self.suggested_name(preview)
        if self.models:
            return suggested if suggested in self.models else ""
        return suggested

    def model_name(self) -> str:
        return self.columns_page.model_name.text().strip()

    def request(self, skip_duplicates: bool = False) -> ImportRequest:
        model = self.model_name() or None
        return ImportRequest(
            self.path,
            model,
            self.columns_page.mapping(),
            skip_duplicates,
            baseline=bool(model) and self.columns_page.baseline.isChecked(),
        )

    def accept(self) -> None:
        request = self.request(self.confirm_page.skip.isChecked())
        self.confirmed.emit(replace(request, plan=self.confirm_page.plan))
        super().accept()
