"""Decides what the lead workspace does: statistics in the background, live refresh, actions.

The views lay out; this class holds the ``Project``, the current ``Evaluation``
and every ``_on_*`` reaction. Long work (statistics, import, metrics, merges,
exports) goes through ``run_in_background``; while an op that writes is running,
other writes are refused, because the project has one connection and one
transaction at a time. Each write says what it changed (``Changes``): the
statistics are recomputed once and only the views concerned are redrawn. The poll
remains for writes by other processes, which only show as a new change token.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.wording import level_name
from annotator.core.i18n import tr
from annotator.core.project import Project
from annotator.core.stats import DEFAULT_RESAMPLES
from annotator.gui.lead.changes import BASELINE, NOTHING, RATINGS, Changes
from annotator.gui.lead.common import dimension_label
from annotator.gui.lead.controllers.export import Exporter
from annotator.gui.lead.controllers.gates import GatesFlow
from annotator.gui.lead.controllers.gold import GoldFlow
from annotator.gui.lead.controllers.handout import Handout
from annotator.gui.lead.controllers.importing import ImportFlow
from annotator.gui.lead.controllers.judges import JudgesFlow, concerned
from annotator.gui.lead.controllers.metrics import MetricsFlow
from annotator.gui.lead.controllers.progress import run_with_progress
from annotator.gui.lead.controllers.side_by_side import ComparisonsFlow
from annotator.gui.lead.views.report_dialog import ReportDialog
from annotator.gui.lead.views.window import LeadWindow
from annotator.gui.workers import Op, run_in_background

if TYPE_CHECKING:
    from annotator.core.results import Evaluation

POLL_MS = 2000


def labels_for(project: Project, language: str) -> dict[str, str]:
    rubric = project.rubric
    keys = [*rubric.keys, "composite"]
    return {k: dimension_label(rubric, k, language) for k in keys}


class LeadController(QObject):
    """The lead workspace's behaviour over one open ``Project``."""

    def __init__(
        self,
        project: Project,
        window: LeadWindow,
        *,
        settings=None,
        resamples: int = DEFAULT_RESAMPLES,
        poll_ms: int = POLL_MS,
    ):
        super().__init__(window)
        self.project = project
        self.window = window
        self.settings = settings
        self.resamples = resamples
        self.evaluation: Evaluation | None = None
        self.plan = None  # the Plan computed with the evaluation (or why there is none)
        self.token: str | None = None
        self.stats_op: Op | None = None
        self.write_op: Op | None = None
        self._again = False
        self._writing = False
        self._computing = False
        self._pending: list = []  # callbacks for the next computation that starts
        self._running: list = []  # callbacks for the computation under way
        self._pending_changes = NOTHING  # what changed since the running computation read
        self._running_changes = NOTHING  # what the computation under way is for
        self.reports: list[ReportDialog] = []
        self.errors: list[str] = []
        # Questions and file choices go through these, so tests (and scripts) can answer them.
        self.ask_open_files = self._ask_open_files
        self.ask_save_file = self._ask_save_file
        self.ask_folder = self._ask_folder
        self.ask_yes_no = self._ask_yes_no
        self.open_url = QDesktopServices.openUrl

        self.imports = ImportFlow(self)
        self.gates = GatesFlow(self)
        self.handout = Handout(self)
        self.exporter = Exporter(self)
        self.metrics = MetricsFlow(self)
        self.comparisons = ComparisonsFlow(self)
        self.judge_flow = JudgesFlow(self)
        self.gold_flow = GoldFlow(self)
        window.setWindowTitle(tr("annotator - {name} - lead", name=project.name))
        window.project_label.setText(tr("project: {name}", name=project.name))
        acts = window.actions_by_name
        acts["import"].triggered.connect(lambda: self.imports.open())
        acts["metrics"].triggered.connect(lambda: self.metrics.open())
        acts["side_by_side"].triggered.connect(self.comparisons.open)
        acts["assign"].triggered.connect(self.handout.open_assign)
        acts["packages"].triggered.connect(self.handout.packages)
        acts["sheets"].triggered.connect(self.handout.sheets)
        acts["merge"].triggered.connect(self.handout.merge)
        acts["import_sheets"].triggered.connect(self.handout.import_sheets)
        acts["gates"].triggered.connect(self.gates.open)
        acts["export"].triggered.connect(self.exporter.choose)
        acts["refresh"].triggered.connect(lambda: self.refresh(Changes.everything()))
        window.file_dropped.connect(lambda path: self.imports.open(path))
        window.closing.connect(self.shutdown)
        window.overview.verdict_clicked.connect(self._show_model_items)
        window.overview.baseline_chosen.connect(self.set_baseline)
        window.agreement.show_items.connect(self._show_disagreements)
        window.disagreements.item_chosen.connect(self.show_item)
        window.disagreements.adjudicate.connect(self.adjudicate)
        window.items.item_activated.connect(self.open_item)

        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.refresh(Changes.everything())

    # -- statistics ----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while an op that writes is running or its result is not yet handled."""
        return self._writing

    @property
    def computing(self) -> bool:
        # A flag cleared by the callbacks, not Op.finished: the op's thread finishes
        # before its result reaches the UI thread.
        return self._computing

    def refresh(self, changes: Changes | None = None, then=None) -> None:
        """Recompute statistics, verdicts and team status in the background.

        Args:
            changes: what changed; only the views concerned are redrawn (default:
                everything, as for the Refresh action or another process's write).
            then: called with the new ``Evaluation`` once it is shown.
        """
        self._pending_changes |= changes if changes is not None else Changes.everything()
        if then is not None:
            self._pending.append(then)
        if self.computing:
            self._again = True  # the data may have changed after the running one read it
            return
        self._again = False
        self._running, self._pending = self._pending, []
        self._running_changes, self._pending_changes = self._pending_changes, NOTHING
        project, resamples = self.project, self.resamples

        def work(progress):
            token = project.change_token()  # read first: a change during the work shows next time
            # The whole statistics op, model comparisons included (the default seed):
            # the pages only read what it returns.
            evaluation = project.evaluate(resamples=resamples)
            evaluation_plan = plan_of(project, evaluation)
            return token, evaluation, project.team_status(), rater_seconds(project), evaluation_plan

        self.window.status.setText(tr("Computing statistics…"))
        self._computing = True
        self.stats_op = run_in_background(
            work, on_success=self._on_evaluated, on_failure=self._on_stats_failed, parent=self
        )

    def _on_evaluated(self, result) -> None:
        self._computing = False
        self.token, evaluation, status, seconds, self.plan = result
        changes, self._running_changes = self._running_changes, NOTHING
        self.show_evaluation(evaluation, status, seconds, changes=changes)
        if changes.concerns("overview"):
            self.window.overview.plan_panel.show_plan(self.plan)
        callbacks, self._running = self._running, []
        for callback in callbacks:
            callback(evaluation)
        if self._again:
            self.refresh(NOTHING)  # what came in meanwhile is in _pending_changes already

    def show_evaluation(
        self,
        evaluation: Evaluation,
        status: dict | None = None,
        seconds: dict | None = None,
        *,
        changes: Changes | None = None,
    ) -> None:
        """Hand a new evaluation to the views that ``changes`` concerns (default: all)."""
        changes = changes if changes is not None else Changes.everything()
        self.evaluation = evaluation
        w = self.window
        stats = evaluation.stats
        if changes.concerns("overview"):
            w.overview.show_evaluation(evaluation, status)
        if changes.concerns("side_by_side"):
            w.side_by_side.show_evaluation(evaluation)
            if status is not None:  # comparisons made, perhaps not judged yet
                w.side_by_side.show_comparisons(status.get("comparisons", 0))
        if concerned(changes):
            self.judge_flow.show(evaluation)
        if changes.concerns("agreement"):
            w.agreement.show_evaluation(evaluation)
        if changes.concerns("disagreements"):
            w.disagreements.set_disagreements(stats.disagreements, stats.items, stats.dimensions)
        if changes.concerns("items"):
            w.items.show_evaluation(evaluation)
        if status is not None and changes.concerns("raters"):
            w.raters.show_status(status, stats.raters, seconds, evaluation.rater_quality,
                                 items=stats.items)  # fmt: skip
        w.status.setText(
            tr(
                "Updated {time} · {items} items · {ratings} raters · alpha {level}",
                time=datetime.now().strftime("%H:%M:%S"),
                items=len(stats.items),
                ratings=len(stats.raters),
                level=level_name(stats.level),
            )
        )

    def _on_stats_failed(self, exc: BaseException, trace: str) -> None:
        self._computing = False
        self.window.status.setText(tr("Statistics failed: {error}", error=exc))
        self.errors.append(trace or str(exc))
        self._running = []
        # The views still show the older data: they stay owed what this one was for.
        self._pending_changes |= self._running_changes
        self._running_changes = NOTHING
        if self._again:
            self.refresh(NOTHING)

    def poll(self) -> None:
        """Refresh when anything was committed (a merge, a rater on this machine)."""
        if self.busy or self.computing:
            return
        try:
            token = self.project.change_token()
        except Exception:  # noqa: BLE001 - a locked file now is fine on the next tick
            return
        if token != self.token:
            self.refresh(Changes.everything())  # another process: what it changed is unknown

    def shutdown(self) -> None:
        self.timer.stop()
        for op in (self.stats_op, self.write_op):
            if op is not None:
                op.cancel()
                op.wait(10)

    # -- writes ------------------------------------------------------------------------------
    def start_write(
        self, label: str, fn, on_success, on_failure=None, *, changes: Changes = NOTHING
    ) -> Op | None:
        """Run a writing op with a progress dialog; refused while another write runs.

        Args:
            label: what the progress dialog says.
            fn: ``fn(progress)``, run in the background.
            on_success: called with ``fn``'s result on the UI thread.
            on_failure: called with the exception after it is reported.
            changes: what a successful ``fn`` changed: the views concerned are redrawn
                after ``on_success`` (nothing: no statistics are recomputed).
        """
        if self.busy:
            self.window.status.setText(tr("Please wait: another operation is still running."))
            return None

        def succeeded(result):
            self._writing = False
            on_success(result)
            if changes:
                self.refresh(changes)

        def failed(exc, trace):
            self._writing = False
            self.report_error(label, exc, trace)
            if on_failure:
                on_failure(exc)

        self._writing = True
        self.write_op = run_with_progress(self.window, label, fn, succeeded, failed)
        return self.write_op

    def report_error(self, title: str, exc: BaseException, trace: str = "") -> None:
        from annotator.gui.workers import Cancelled

        if isinstance(exc, Cancelled):
            self.window.status.setText(tr("Cancelled; nothing was changed."))
            return
        text = str(exc) if isinstance(exc, AnnotatorError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, AnnotatorError) and trace:
            self.errors.append(trace)
        self.show_report(title, text)

    def show_report(self, title: str, text: str, extra=()) -> ReportDialog:
        """A copyable, non-blocking report of what an operation did."""
        dialog = ReportDialog(title, text, self.window, list(extra))
        self.reports.append(dialog)
        dialog.show()
        return dialog

    @property
    def last_report(self) -> str:
        return self.reports[-1].text.toPlainText() if self.reports else ""

    # -- adjudication ------------------------------------------------------------------------
    def show_item(self, item_id: int) -> None:
        if self.evaluation is None:
            return
        detail = self.project.item_detail(item_id)
        self.window.disagreements.show_detail(item_id, detail, self.evaluation.stats.dimensions)

    def open_item(self, item_id: int) -> None:
        """Show any item (from the Items page) on the adjudication side."""
        self.window.show_page("disagreements")
        self.window.disagreements.select_item(item_id)
        self.show_item(item_id)

    def adjudicate(self, item_id: int, dimension: str, score: int, note: str) -> None:
        if self.busy:
            self.window.status.setText(tr("Please wait: another operation is still running."))
            return
        try:
            self.project.adjudicate(item_id, dimension, score, note=note, by="lead")
        except AnnotatorError as exc:
            self.report_error(tr("Adjudication"), exc)
            return
        self.window.status.setText(
            tr("Recorded {dim} = {score} for item {id}", dim=dimension, score=score, id=item_id)
        )
        self.refresh(Changes.of(RATINGS), then=lambda _: self.show_item(item_id))

    def set_baseline(self, name: str) -> None:
        """Store the lead's baseline (``""``: by name again) off the UI thread, then redraw."""
        project = self.project

        def stored(baseline) -> None:
            self.window.status.setText(str(baseline.describe()))

        def refused(_exc) -> None:  # the combo box goes back to what is stored
            if self.evaluation is not None:
                models = [m.model for m in self.evaluation.stats.models]
                self.window.overview.baseline_bar.show_baseline(self.evaluation.baseline, models)

        self.start_write(
            tr("Naming the baseline…"),
            lambda progress: project.set_baseline(name or None),
            stored,
            refused,
            changes=Changes.of(BASELINE),
        )

    def _show_model_items(self, model: str, verdict: str) -> None:
        self.window.items.show_model(model, verdict)
        self.window.show_page("items")

    def _show_disagreements(self, dimension: str) -> None:
        self.window.disagreements.filter_dimension(dimension)
        self.window.show_page("disagreements")

    # -- questions (replaceable) ---------------------------------------------------------------
    def _ask_open_files(self, title: str, filters: str, many: bool = True) -> list[str]:
        if many:
            return QFileDialog.getOpenFileNames(self.window, title, "", filters)[0]
        path = QFileDialog.getOpenFileName(self.window, title, "", filters)[0]
        return [path] if path else []

    def _ask_save_file(self, title: str, suggested: str, filters: str) -> str:
        return QFileDialog.getSaveFileName(self.window, title, suggested, filters)[0]

    def _ask_folder(self, title: str) -> str:
        return QFileDialog.getExistingDirectory(self.window, title, str(self.project.path.parent))

    def _ask_yes_no(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.window, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def open_path(self, path: Path) -> None:
        self.open_url(QUrl.fromLocalFile(str(path)))


def plan_of(project: Project, evaluation: Evaluation):
    """How many samples and raters the decision needs, from the evaluation just computed
    (no second pass over the project); an error is returned, to be shown, not raised."""
    try:
        return project.plan(evaluation=evaluation)
    except Exception as exc:  # noqa: BLE001 - the evaluation still shows without its plan
        return exc


def rater_seconds(project: Project) -> dict[str, float]:
    """Mean seconds per scored item for each rater (raters with no time are absent)."""
    return project.rater_times()
