"""Hand out and collect: assign, packages, rating sheets, merge packages, import sheets.

Each action runs in the background and ends in a copyable report of what it did.
Several files at once are handled one by one: each file is all-or-nothing (the
core's promise), and one bad file does not stop the others.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.core.domain.errors import AnnotatorError
from annotator.core.i18n import tr
from annotator.gui.lead.changes import ASSIGNMENTS, RATINGS, Changes
from annotator.gui.lead.views.assign_dialog import AssignDialog


def safe_name(rater: str) -> str:
    """A file name for a rater (Chinese names stay; path separators do not)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", rater).strip("_") or "rater"


def describe_assign(report) -> str:
    lines = [
        tr(
            "{items} items in {groups} groups, {per} raters per item, seed {seed}",
            items=report.items,
            groups=report.groups,
            per=report.per_item,
            seed=report.seed,
        )
    ]
    lines += [tr("  {rater}: {n} items", rater=r, n=n) for r, n in report.load.items()]
    if report.shared_items:
        lines.append(tr("  shared by every rater: {n} items", n=report.shared_items))
    if report.kept_elsewhere:
        lines.append(
            tr("  kept as they were: {n} assignments outside the filter", n=report.kept_elsewhere)
        )
    lines += [tr("  note: {n}", n=n) for n in report.notices]
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
            changes=Changes.of(ASSIGNMENTS),
        )

    def packages(self, folder: str | None = None) -> None:
        folder = folder or self.c.ask_folder(tr("Folder for the rater packages"))
        if folder:
            self._per_rater(
                tr("Rater packages"),
                Path(folder),
                ".annotator",
                self.c.project.create_package,
                lambda r: tr(
                    "{rater}: {items} items → {path}", rater=r.rater, items=r.items, path=r.path
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
                lambda r: tr(
                    "{rater}: {items} items → {path}", rater=r.rater, items=r.items, path=r.path
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
                    lines.append(tr("{rater}: not written: {error}", rater=rater, error=exc))
            progress(len(raters), len(raters))
            return "\n".join(lines) or tr("No rater has items to rate.")

        # A package or a sheet is a new file: the project itself is not changed.
        self.c.start_write(title + "…", work, lambda text: self._done(title, text))

    def merge(self, paths: list[str] | None = None) -> None:
        paths = paths or self.c.ask_open_files(
            tr("Merge rater packages"), tr("Rater packages (*.annotator);;All files (*)")
        )
        if paths:
            self._per_file(tr("Merge packages"), paths, self.c.project.merge_package)

    def import_sheets(self, paths: list[str] | None = None) -> None:
        paths = paths or self.c.ask_open_files(
            tr("Import rating sheets"), tr("Rating sheets (*.xlsx);;All files (*)")
        )
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
                        tr(
                            "{file}: nothing merged:\n  {error}",
                            file=path,
                            error=str(exc).replace("\n", "\n  "),
                        )
                    )
            progress(len(paths), len(paths))
            return "\n".join(lines)

        self.c.start_write(
            title + "…",
            work,
            lambda text: self._done(title, text),
            changes=Changes.of(RATINGS),  # scores, comments and flags of the raters
        )

    def _done(self, title: str, text: str) -> None:
        self.c.show_report(title, text)
