"""Run an LLM judge from the lead window: check the connection, run in the background, report.

``open_judge_run`` is the entry point (the Judges page calls it). Each operation opens the
project file on the worker thread that uses it, as the CLI does, and closes it at the end:
the judge's answers are stored there one transaction each, so a run stopped by Cancel, by
closing the dialog or by the endpoint keeps what arrived, and the next run asks only for
the rest. Cancel sets an event the run checks between answers (it then returns its report,
``cancelled``), rather than the op's own cancel, which would drop that report.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from annotator.core.domain.errors import AnnotatorError
from annotator.core.i18n import current_language, tr
from annotator.core.project import Project
from annotator.gui.lead.common import dimension_label
from annotator.gui.lead.views.judge_run_dialog import BOTH, COMPARISONS, ITEMS, JudgeRunDialog
from annotator.gui.workers import Op, run_in_background

STOP_WAIT_S = 30.0  # a run checks for Cancel every 50 ms: this is only a bound


def open_judge_run(parent: QWidget, project_path: Path, on_finished: Callable[[], None]) -> None:
    """Open the Run-a-judge dialog over ``project_path`` (one per window: a second call
    brings it back); ``on_finished()`` is called after every run, stopped or not."""
    for dialog in parent.findChildren(JudgeRunDialog):
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return
    JudgeRunFlow(parent, Path(project_path), on_finished).open()


def _words(exc: BaseException) -> str:
    """An error for a person: an AnnotatorError's own words, anything else named (no trace)."""
    return str(exc) if isinstance(exc, AnnotatorError) else f"{type(exc).__name__}: {exc}"


class JudgeRunFlow(QObject):
    """The dialog's reactions; ``ask_yes_no`` and ``ask_prompt_file`` can be replaced."""

    def __init__(self, parent: QWidget, path: Path, on_finished: Callable[[], None]):
        super().__init__(parent)
        self.parent_widget, self.path, self.on_finished = parent, path, on_finished
        self.dialog: JudgeRunDialog | None = None
        self.op: Op | None = None
        self.check_op: Op | None = None
        self.stop = threading.Event()
        self.closing = False
        self.judges: list[dict] = []
        self.names: dict[str, str] = {}
        self.last_progress = (0, 0)  # (done, total) of the run, shown again when it ends
        self.ask_yes_no = self._ask_yes_no
        self.ask_prompt_file = self._ask_prompt_file

    def open(self) -> JudgeRunDialog | None:
        try:
            with Project.open(self.path) as project:
                rubric, language = project.rubric, current_language()
                self.names = {
                    d.key: dimension_label(rubric, d.key, language) for d in rubric.dimensions
                }
                comparisons = project.side_by_side.count()
                self.judges = project.judges.list()
        except AnnotatorError as exc:
            QMessageBox.warning(self.parent_widget, tr("Run an LLM judge"), str(exc))
            self.deleteLater()
            return None
        dialog = JudgeRunDialog(list(self.names.items()), comparisons, self.parent_widget)
        dialog.flow = self  # for tests and for the page that opened it
        dialog.may_close = self.may_close
        dialog.check_requested.connect(self.check)
        dialog.run_requested.connect(self.start)
        dialog.cancel_requested.connect(self.cancel)
        dialog.browse_requested.connect(self.browse)
        dialog.judge.textChanged.connect(self.show_resume)
        dialog.model.currentTextChanged.connect(self.show_resume)
        dialog.what.currentIndexChanged.connect(self.show_resume)
        dialog.destroyed.connect(self._dialog_gone)
        self.dialog = dialog
        self.show_resume()
        dialog.show()
        dialog.endpoint.setFocus()
        return dialog

    # -- check connection ----------------------------------------------------------------------
    def check(self) -> None:
        dialog = self.dialog
        if dialog is None or (self.check_op is not None and not self.check_op.finished):
            return
        chosen, path = dialog.chosen(), self.path
        dialog.set_connection(tr("Checking {endpoint}…", endpoint=chosen["endpoint"] or "-"))
        dialog.check.setEnabled(False)

        def work(_progress):
            with Project.open(path) as project:
                return project.judges.models(chosen["endpoint"], api_key_env=chosen["api_key_env"])

        self.check_op = run_in_background(
            work, on_success=self._checked, on_failure=self._check_failed, parent=self
        )

    def _checked(self, names: list[str]) -> None:
        if self.dialog is None:
            return
        self.dialog.check.setEnabled(self.op is None)
        self.dialog.set_models(names)
        if names:
            text = tr("Connected: the server serves {count} model(s): {models}",
                      count=len(names), models=", ".join(names[:20]))  # fmt: skip
        else:
            text = tr("Connected, but the server lists no model: type the model's name.")
        self.dialog.set_connection(text)

    def _check_failed(self, exc: BaseException, _trace: str) -> None:
        if self.dialog is not None:
            self.dialog.check.setEnabled(self.op is None)
            self.dialog.set_connection(tr("Cannot connect: {error}", error=_words(exc)))

    # -- run -------------------------------------------------------------------------------------
    def start(self) -> None:
        dialog = self.dialog
        if dialog is None or self.op is not None:
            return
        chosen = dialog.chosen()
        if not chosen["dimensions"]:
            dialog.show_report(tr("Not started: choose at least one dimension."))
            return
        what = chosen.pop("what")
        kwargs = chosen | {
            "items": what in (ITEMS, BOTH),
            "comparisons": what in (COMPARISONS, BOTH),
        }
        self.stop = stop = threading.Event()
        path = self.path

        def work(progress):
            with Project.open(path) as project:
                return project.judges.run(**kwargs, progress=progress, cancel=stop.is_set)

        dialog.show_report(tr("Running {judge}…", judge=chosen["judge"] or "-"))
        self.last_progress = (0, 0)
        dialog.show_progress(0, 0)
        dialog.set_running(True)
        self.op = run_in_background(
            work,
            on_success=self._ran,
            on_failure=self._run_failed,
            on_progress=self._progressed,
            parent=self,
        )

    def _progressed(self, done: int, total: int) -> None:
        self.last_progress = (done, total)
        if self.dialog is not None and not self.stop.is_set():
            self.dialog.show_progress(done, total)

    def cancel(self) -> None:
        if self.op is None or self.stop.is_set():
            return
        self.stop.set()
        if self.dialog is not None:
            self.dialog.cancel.setEnabled(False)
            self.dialog.progress.setFormat(tr("Stopping: the answers received so far are kept…"))

    def _ran(self, report) -> None:
        self._ended(report_text(report.to_dict(), self.names))

    def _run_failed(self, exc: BaseException, _trace: str) -> None:
        partial = getattr(exc, "report", None)
        if partial is None:  # refused before asking anything: a setting, the name, the file
            self._ended(tr("Not started: {error}", error=_words(exc)))
        else:
            self._ended(report_text(partial.to_dict(), self.names, error=_words(exc)))

    def _ended(self, text: str) -> None:
        self.op = None
        self._reload_judges()
        if self.dialog is not None:
            self.dialog.set_running(False)
            self.dialog.show_progress(*self.last_progress)  # not "Stopping…" any more
            self.dialog.show_report(text)
            self.show_resume()
        self.on_finished()
        if self.dialog is None:
            self.deleteLater()

    def _reload_judges(self) -> None:
        try:
            with Project.open(self.path) as project:
                self.judges = project.judges.list()
        except AnnotatorError:
            pass  # the note on what is stored is then the older one; the run's report stands

    def show_resume(self, *_args) -> None:
        """Say what this judge holds already: none of it is asked again."""
        dialog = self.dialog
        if dialog is None:
            return
        chosen = dialog.chosen()
        name = chosen["judge"].casefold()
        known = (
            next((j for j in self.judges if j["name"].casefold() == name), None) if name else None
        )
        lines = []
        if known is not None:
            if chosen["what"] in (ITEMS, BOTH) and known.get("items"):
                lines.append(tr("{count} answers already stored by {judge} will not be asked again",
                                count=known["items"], judge=known["name"]))  # fmt: skip
            if chosen["what"] in (COMPARISONS, BOTH) and known.get("judgments"):
                lines.append(tr("{count} side-by-side verdicts already stored by {judge} will "
                                "not be asked again", count=known["judgments"],
                                judge=known["name"]))  # fmt: skip
            if known.get("failures"):
                lines.append(tr("{count} earlier failures will be asked again",
                                count=known["failures"]))  # fmt: skip
        dialog.resume.setText("\n".join(lines))

    def browse(self) -> None:
        if self.dialog is not None and (path := self.ask_prompt_file()):
            self.dialog.prompt.setText(path)

    # -- closing -------------------------------------------------------------------------------
    def may_close(self) -> bool:
        """While a run is under way: ask; yes stops it (what arrived stays) and closes."""
        if self.op is None or self.closing:
            return True
        question = tr(
            "A judge run is under way. Stop it and close? The answers received so far stay "
            "stored; running again asks only for the rest."
        )
        if not self.ask_yes_no(tr("Run an LLM judge"), question):
            return False
        self.closing = True
        self.stop.set()
        self.op.wait(STOP_WAIT_S)  # the report still arrives, and on_finished() is called
        return True

    def _dialog_gone(self, *_args) -> None:
        self.dialog = None
        if self.op is None:
            self.deleteLater()
        else:
            self.stop.set()  # the window went away under a run: stop it, keep what arrived

    def _ask_yes_no(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.dialog or self.parent_widget, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_prompt_file(self) -> str:
        return QFileDialog.getOpenFileName(
            self.dialog,
            tr("Choose a prompt file"),
            "",
            tr("Text files (*.txt *.md);;All files (*)"),
        )[0]


def signature_line(signature: dict) -> str:
    """A judge's signature on one line, ``key:value|key:value`` (hashes cut to 12)."""
    parts = []
    for key in sorted(signature):
        value = signature[key]
        if key.endswith("sha256") and isinstance(value, str):
            value = value[:12]
        parts.append(f"{key}:{value}")
    return "|".join(parts) or "-"


def report_text(report: dict, names: dict[str, str], error: str | None = None) -> str:
    """A run's report in words: why it stopped, what was stored, failures, consistency."""
    scored = report["scored"]
    if error is not None:
        lines = [tr("Stopped: {error}", error=error),
                 tr("What arrived before is stored ({scored} answer(s)); Run again goes on "
                    "where it stopped.", scored=scored)]  # fmt: skip
    elif report["cancelled"]:
        lines = [tr("Cancelled: the run stopped. The {scored} answer(s) received are stored; "
                    "Run again asks only for the rest.", scored=scored)]  # fmt: skip
    elif not report["units"]:
        lines = [tr("nothing to ask: this judge has answered everything asked for")]
    else:
        lines = [tr("Finished: every answer asked for came back.")]
    lines.append(
        tr("{judge}: {scored} answer(s) stored in this run ({scores} scores, {judgments} "
           "side-by-side verdicts), {failed} failed, {skipped} already stored and not asked "
           "again, {retries} retries, {seconds:.1f} s",
           **{k: report[k] for k in ("judge", "scored", "scores", "judgments", "failed",
                                     "skipped", "retries", "seconds")})
    )  # fmt: skip
    key_from = report.get("key_from")
    lines.append(tr("key from the environment variable {name}", name=key_from) if key_from
                 else tr("no key sent"))  # fmt: skip
    lines.append(tr("signature: {signature}", signature=signature_line(report["signature"])))
    if report["failures"]:
        lines.append(tr("failures (recorded, no score; the next run asks again):"))
        lines += [
            "  " + tr("{label}, attempts {attempts}: {error}", **f) for f in report["failures"]
        ]
    for c in report.get("consistency", []):
        rate = "-" if c["pairs"] == 0 else f"{c['rate']:.2f}"
        lines.append(
            tr("same verdict in both orders, {dimension}: {rate} ({consistent} of {pairs})",
               dimension=names.get(c["dimension"], c["dimension"]) or tr("overall"), rate=rate,
               consistent=c["consistent"], pairs=c["pairs"])
        )  # fmt: skip
    return "\n".join(lines)
