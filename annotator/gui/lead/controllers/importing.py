"""The import flow: wizard (reads, writes nothing) -> confirmed -> background import."""

from __future__ import annotations

from annotator.core.i18n import tr
from annotator.gui.lead.changes import BASELINE, ITEMS, METRICS, Changes
from annotator.gui.lead.views.import_wizard import ImportRequest, ImportWizard


def describe_import(report) -> str:
    """An ``ImportReport`` in words, as the CLI prints it."""
    encoding = report.encoding or tr("binary")
    lines = [f"{report.file}: {report.format}, {encoding}"]
    for model, counts in report.models.items():
        lines.append(
            tr(
                "  {model}: {added} added, {unchanged} unchanged, {updated} updated",
                model=model,
                added=counts.added,
                unchanged=counts.unchanged,
                updated=counts.updated,
            )
        )
    if report.already_imported:
        lines.append(tr("  already imported: nothing changed"))
    for column, metric in report.metric_columns.items():
        lines.append(
            tr("  metric column {column!r} kept as {metric}", column=column, metric=metric)
        )
    lines += [tr("  note: {n}", n=n) for n in report.notices]
    if report.backup:
        lines.append(tr("  backup written: {b}", b=report.backup))
    return "\n".join(lines)


class ImportFlow:
    """Opens the wizard and runs the confirmed import with a progress bar."""

    def __init__(self, controller):
        self.c = controller
        self.wizard: ImportWizard | None = None
        self.last_report = None

    def open(self, path: str | None = None) -> ImportWizard:
        project = self.c.project

        def plan(request: ImportRequest):
            return project.plan_import(
                request.path,
                model=request.model,
                mapping=request.mapping,
                skip_duplicates=request.skip_duplicates,
            )

        def pick() -> str | None:
            paths = self.c.ask_open_files(
                tr("Import an evaluation file"),
                tr("Evaluation files (*.csv *.tsv *.txt *.xlsx *.json *.jsonl);;All files (*)"),
                False,
            )
            return paths[0] if paths else None

        wizard = ImportWizard(
            lambda p, m: project.preview_import(p, mapping=m),
            plan,
            pick,
            self.c.window,
            models=[m["name"] for m in project.info()["models"]],
            count_fn=lambda plan, model: project.count_import(plan, model=model),
        )
        wizard.confirmed.connect(self.run)
        wizard.redirect.connect(self._redirect)
        self.wizard = wizard
        if path and wizard.load(path):
            wizard.show()
            wizard.next()  # a dropped file that reads well goes straight to its columns
        else:
            wizard.show()
        return wizard

    def _redirect(self, action: str) -> None:
        """One of our own files: close the wizard, start the action that takes it."""
        if self.wizard is not None:
            self.wizard.reject()
        self.c.window.actions_by_name[action].trigger()

    def run(self, request: ImportRequest) -> None:
        project = self.c.project

        def work(progress):
            report = project.import_file(
                request.path,
                model=request.model,
                mapping=request.mapping,
                skip_duplicates=request.skip_duplicates,
                progress=progress,
                plan=request.plan,  # what the wizard showed: the file is not read twice
            )
            # After the import only: a failed import names no baseline.
            baseline = project.set_baseline(request.model) if request.baseline else None
            return report, baseline

        def done(result) -> None:
            report, baseline = result
            self.last_report = report
            text = describe_import(report)
            if baseline is not None:
                text += "\n" + str(baseline.describe())
            self.c.show_report(tr("Import finished"), text)

        self.c.start_write(
            tr("Importing {name}…", name=request.path.name),
            work,
            done,
            # Metric columns come with the items; the baseline changes the comparisons.
            changes=Changes.of(ITEMS, METRICS, BASELINE),
        )
