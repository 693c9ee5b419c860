"""Metrics: the lead picks a preset, it is computed in the background, the means are shown."""

from __future__ import annotations

from annotator.core.i18n import tr
from annotator.core.metrics import list_presets
from annotator.gui.lead.changes import METRICS, Changes
from annotator.gui.lead.views.metrics_dialog import MetricsDialog


class MetricsFlow:
    """Opens the Metrics dialog with the runs stored so far; Compute runs one preset."""

    def __init__(self, controller):
        self.c = controller
        self.dialog: MetricsDialog | None = None

    def open(self) -> MetricsDialog:
        if self.dialog is not None:  # one dialog: a second click brings it back
            self.dialog.show()
            self.dialog.raise_()
            return self.dialog
        dialog = MetricsDialog(list_presets(), self.c.window)
        dialog.set_results(self.c.project.metric_runs())
        dialog.compute_requested.connect(self.compute)
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.show()
        return dialog

    def compute(self, preset: str = "default") -> None:
        project = self.c.project
        dialog = self.dialog

        def done(report) -> None:
            if self.dialog is not None:
                self.dialog.set_running(False)
                self.dialog.show_result(report.to_dict())

        def failed(_exc) -> None:
            if self.dialog is not None:
                self.dialog.set_running(False)

        op = self.c.start_write(
            tr("Computing metrics (preset {preset}) for every item…", preset=preset),
            lambda progress: project.compute_metrics(preset, progress=progress),
            done,
            failed,
            changes=Changes.of(METRICS),
        )
        if op is not None and dialog is not None:
            dialog.set_running(True)
