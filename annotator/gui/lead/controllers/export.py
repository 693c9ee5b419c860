"""Export: the Excel report, the ratings as CSV, the summary as JSON, then open it."""

from __future__ import annotations

from pathlib import Path

from annotator.core.i18n import tr

SUFFIXES = (".xlsx", ".csv", ".json")


class Exporter:
    """Runs ``Project.export`` in the background; afterwards offers to open the result."""

    def __init__(self, controller):
        self.c = controller
        self.last_path: Path | None = None

    def choose(self) -> None:
        suggested = str(self.c.project.path.with_name(self.c.project.path.stem + "-report.xlsx"))
        target = self.c.ask_save_file(
            tr("Export"),
            suggested,
            tr("Excel report (*.xlsx);;Ratings, long form (*.csv);;Summary (*.json)"),
        )
        if target:
            self.export(target)

    def export(self, target: str | Path) -> None:
        target = Path(target)
        if target.suffix.lower() not in SUFFIXES:
            target = target.with_suffix(".xlsx")
        project = self.c.project
        # The statistics on screen are the ones exported, unless the project changed since.
        evaluation = self.c.evaluation if project.change_token() == self.c.token else None

        def work(progress):
            return project.export(target, progress=progress, evaluation=evaluation)

        self.c.start_write(tr("Writing {name}…", name=target.name), work, self._done)

    def _done(self, path: Path) -> None:
        self.last_path = Path(path)
        self.c.show_report(
            tr("Export finished"),
            tr("Written: {path}", path=path),
            [
                (tr("Open file"), lambda: self.c.open_path(self.last_path)),
                (tr("Open folder"), lambda: self.c.open_path(self.last_path.parent)),
            ],
        )
