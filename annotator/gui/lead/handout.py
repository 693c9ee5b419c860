"""Hand out and collect: assign, packages, rating sheets, merge packages, import sheets.

Each action runs in the background and ends in a copyable report of what it did.
Several files at once are handled one by one: each file is all-or-nothing (the
core's promise), and one bad file does not stop the others.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.lead.common import tr

PACKAGES = "Rater packages (*.annotator);;All files (*)"
SHEETS = "Rating sheets (*.xlsx);;All files (*)"


def safe_name(rater: str) -> str:
    """A file name for a rater (Chinese names stay; path separators do not)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", rater).strip("_") or "rater"


class AssignDialog(QDialog):
    """Who rates, how many raters per item, which items, and the shared overlap."""

    chosen = Signal(dict)  # Project.assign keyword arguments

    def __init__(self, raters: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Assign items to raters"))
        self.raters = QLineEdit(", ".join(raters))
        self.raters.setPlaceholderText(tr("names, separated by commas"))
        self.per_item = QSpinBox()
        self.per_item.setRange(0, 50)
        self.per_item.setSpecialValueText(tr("every rater"))
        self.per_item.setValue(2 if len(raters) > 2 else 0)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr('e.g. "model=lora-v2" or "sample=zh-*"'))
        self.shared = QDoubleSpinBox()
        self.shared.setRange(0, 1)
        self.shared.setSingleStep(0.05)
        self.shared.setToolTip(tr("share of items that every rater scores (for agreement)"))
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        form = QFormLayout(self)
        form.addRow(tr("Raters"), self.raters)
        form.addRow(tr("Raters per item"), self.per_item)
        form.addRow(tr("Only items"), self.filter)
        form.addRow(tr("Shared by all"), self.shared)
        form.addRow(tr("Seed"), self.seed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.close)
        form.addRow(buttons)

    def arguments(self) -> dict:
        names = [n.strip() for n in re.split(r"[,，;；\n]", self.raters.text()) if n.strip()]
        return {
            "raters": names,
            "per_item": self.per_item.value() or None,
            "items_filter": self.filter.text().strip() or None,
            "seed": self.seed.value(),
            "shared": self.shared.value(),
        }

    def _ok(self) -> None:
        self.chosen.emit(self.arguments())
        self.close()


def describe_assign(report) -> str:
    lines = [
        tr("{items} items in {groups} groups, {per} raters per item, seed {seed}").format(
            items=report.items, groups=report.groups, per=report.per_item, seed=report.seed
        )
    ]
    lines += [tr("  {rater}: {n} items").format(rater=r, n=n) for r, n in report.load.items()]
    if report.shared_items:
        lines.append(tr("  shared by every rater: {n} items").format(n=report.shared_items))
    if report.kept_elsewhere:
        lines.append(
            tr("  kept as they were: {n} assignments outside the filter").format(
                n=report.kept_elsewhere
            )
        )
    lines += [tr("  note: {n}").format(n=n) for n in report.notices]
    return "\n".join(lines)


class Handout:
    """The toolbar's team actions."""

    def __init__(self, controller):
        self.c = controller
        self.assign_dialog: AssignDialog | None = None

    def _raters_with_work(self) -> list[str]:
        status = self.c.project.team_status()
        return [r["rater"] for r in status["raters"] if r["assigned"] > 0]

    def open_assign(self) -> AssignDialog:
        dialog = AssignDialog(self.c.project.raters(), self.c.window)
        dialog.chosen.connect(self.assign)
        self.assign_dialog = dialog
        dialog.show()
        return dialog

    def assign(self, arguments: dict) -> None:
        project = self.c.project
        self.c.start_write(
            tr("Assigning items…"),
            lambda progress: project.assign(**arguments),
            lambda report: self._done(tr("Assignment"), describe_assign(report)),
        )

    def packages(self, folder: str | None = None) -> None:
        folder = folder or self.c.ask_folder(tr("Folder for the rater packages"))
        if folder:
            self._per_rater(
                tr("Rater packages"),
                Path(folder),
                ".annotator",
                self.c.project.create_package,
                lambda r: tr("{rater}: {items} items → {path}").format(
                    rater=r.rater, items=r.items, path=r.path
                ),
            )

    def sheets(self, folder: str | None = None) -> None:
        folder = folder or self.c.ask_folder(tr("Folder for the rating sheets"))
        if folder:
            self._per_rater(
                tr("Rating sheets"),
                Path(folder),
                ".xlsx",
                self.c.project.create_sheet,
                lambda r: tr("{rater}: {items} items → {path}").format(
                    rater=r.rater, items=r.items, path=r.path
                ),
            )

    def _per_rater(self, title: str, folder: Path, suffix: str, make, describe) -> None:
        raters = self._raters_with_work()

        def work(progress):
            lines = []
            for n, rater in enumerate(raters):
                progress(n, len(raters))
                target = folder / f"{safe_name(rater)}{suffix}"
                try:
                    lines.append(describe(make(rater, target)))
                except AnnotatorError as exc:
                    lines.append(tr("{rater}: not written: {error}").format(rater=rater, error=exc))
            progress(len(raters), len(raters))
            return "\n".join(lines) or tr("No rater has items to rate.")

        self.c.start_write(title + "…", work, lambda text: self._done(title, text, refresh=False))

    def merge(self, paths: list[str] | None = None) -> None:
        paths = paths or self.c.ask_open_files(tr("Merge rater packages"), PACKAGES)
        if paths:
            self._per_file(tr("Merge packages"), paths, self.c.project.merge_package)

    def import_sheets(self, paths: list[str] | None = None) -> None:
        paths = paths or self.c.ask_open_files(tr("Import rating sheets"), SHEETS)
        if paths:
            self._per_file(tr("Import rating sheets"), paths, self.c.project.import_sheet)

    def _per_file(self, title: str, paths: list[str], apply) -> None:
        def work(progress):
            lines = []
            for n, path in enumerate(paths):
                progress(n, len(paths))
                try:
                    lines.append(apply(path).summary())
                except AnnotatorError as exc:
                    lines.append(
                        tr("{file}: nothing merged:\n  {error}").format(
                            file=path, error=str(exc).replace("\n", "\n  ")
                        )
                    )
            progress(len(paths), len(paths))
            return "\n".join(lines)

        self.c.start_write(title + "…", work, lambda text: self._done(title, text))

    def _done(self, title: str, text: str, refresh: bool = True) -> None:
        self.c.show_report(title, text)
        if refresh:
            self.c.refresh()
