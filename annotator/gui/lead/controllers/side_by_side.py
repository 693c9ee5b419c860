"""The comparisons flow: the dialog's choice -> what it would create -> created, configured.

The dialog says per pair how many samples both models answered (``preview``, a read);
OK creates the comparisons and stores the scale and the dimensions in the background,
in that order, so a refused request leaves the project exactly as it was. A refusal is
shown in words in a message box and the dialog stays open; success closes it and ends
in a copyable report, per pair, of what was created and what was there already.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.i18n import current_language, tr
from annotator.gui.lead.changes import JUDGMENTS, Changes
from annotator.gui.lead.common import dimension_label
from annotator.gui.lead.views.comparisons_dialog import ComparisonsDialog, scale_words


def pair_line(pair: dict) -> str:
    """One pair of the dialog's preview."""
    if not pair["samples"]:
        return tr("{a} vs {b}: no sample answered by both", a=pair["model_a"], b=pair["model_b"])
    if pair["existing"]:
        return tr(
            "{a} vs {b}: {samples} samples answered by both, {existing} of them compared already",
            a=pair["model_a"],
            b=pair["model_b"],
            samples=pair["samples"],
            existing=pair["existing"],
        )
    return tr(
        "{a} vs {b}: {samples} samples answered by both",
        a=pair["model_a"],
        b=pair["model_b"],
        samples=pair["samples"],
    )


def describe_created(report: dict, settings: dict) -> str:
    """What ``create`` did (``CreateReport.to_dict()``), per pair, and what comes next."""
    lines = [
        tr(
            "{a} vs {b}: {created} created, {existing} already there",
            a=p["model_a"],
            b=p["model_b"],
            created=p["created"],
            existing=p["existing"],
        )
        if p["samples"]
        else tr("{a} vs {b}: no sample answered by both", a=p["model_a"], b=p["model_b"])
        for p in report["pairs"]
    ]
    lines.append(tr("{n} comparisons created in all", n=report["created"]))
    scale = tr(
        "Scale: {n} levels ({levels})",
        n=settings["scale"],
        levels=scale_words(settings["scale"]),
    )
    lines.append(scale + (tr("; also per rubric dimension") if settings["dimensions"] else ""))
    lines.append("")
    lines.append(
        tr(
            "Next: Assign hands them out with the items; then Packages or Sheets"
            " write each rater's share."
        )
    )
    return "\n".join(lines)


class ComparisonsFlow:
    """Opens the comparisons dialog and creates what the lead chose."""

    def __init__(self, controller):
        self.c = controller
        self.dialog: ComparisonsDialog | None = None

    @property
    def facade(self):
        return self.c.project.side_by_side

    def open(self) -> ComparisonsDialog | None:
        if self.dialog is not None:
            if self.dialog.isVisible():  # asked again: the one already open comes forward
                self.dialog.raise_()
                self.dialog.activateWindow()
                return self.dialog
            self.dialog.deleteLater()  # cancelled earlier
            self.dialog = None
        rows, baseline = self.c.project.models()
        names = [row["name"] for row in rows]
        if len(names) < 2:
            self._refused(
                Message("side by side needs two models; the project has {n}", n=len(names))
            )
            return None
        labels = self._dimension_labels()
        dialog = ComparisonsDialog(
            names, baseline.model, self.facade.settings(), labels, self.c.window
        )
        dialog.request_changed.connect(self.preview)
        dialog.chosen.connect(self.create)
        self.dialog = dialog
        self.preview(dialog.request())
        dialog.show()
        dialog.activateWindow()
        return dialog

    def _dimension_labels(self) -> list[str]:
        rubric, language = self.c.project.rubric, current_language()
        return [dimension_label(rubric, key, language) for key in rubric.keys]

    def preview(self, request: dict) -> None:
        """Per pair, the samples both models answered (read now: a count, not a write)."""
        if self.dialog is None:
            return
        models = request.get("models")
        if models is not None and models[0] == models[1]:
            self.dialog.show_preview(tr("Choose two different models."), can_create=False)
            return
        try:
            pairs = self.facade.preview(**request)
        except AnnotatorError as exc:
            self.dialog.show_preview(str(exc), can_create=False)
            return
        self.dialog.show_preview(
            "\n".join("• " + pair_line(p) for p in pairs), can_create=bool(pairs)
        )

    def create(self, arguments: dict) -> None:
        facade, request = self.facade, arguments["request"]

        def work(progress):
            # Created first: a refusal then leaves the settings as they were too.
            try:
                report = facade.create(**request)
            except AnnotatorError as exc:
                return exc
            settings = facade.configure(
                scale=arguments["scale"], dimensions=arguments["dimensions"]
            )
            return report.to_dict(), settings

        self.c.start_write(tr("Creating comparisons…"), work, self._created)

    def _created(self, result) -> None:
        if isinstance(result, AnnotatorError):
            self._refused(result)  # the dialog stays open: the lead can choose again
            return
        report, settings = result
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        self.c.window.status.setText(tr("{n} comparisons created", n=report["created"]))
        self.c.show_report(tr("Side-by-side comparisons"), describe_created(report, settings))
        # The comparisons and the settings the Side by side page and the status show.
        self.c.refresh(Changes.of(JUDGMENTS))

    def _refused(self, error) -> None:
        text = tr("No comparisons were created: {error}", error=error)
        self.c.window.status.setText(text)
        QMessageBox.warning(self.dialog or self.c.window, tr("Side-by-side comparisons"), text)
