"""The Judges page's flow: the test's margin, using a judge as a rater, running one.

Epsilon and promotion are writes: they go through the lead controller's ``start_write``
(one write at a time) and end in a new evaluation. A judge that has not passed the
alternative annotator test is refused by the core; the refusal is shown in words in a
message box that offers to use the judge anyway (``force``), never silently. The scatter's
per-item pairs are a read, asked for the judge and dimension the page shows.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from annotator.core.domain.errors import AnnotatorError
from annotator.core.i18n import tr
from annotator.gui.lead.changes import ITEMS, JUDGMENTS, RATINGS, Changes

# What the Judges page shows: the humans' scores and judgments beside the judges' own.
# A judge's own data has no change kind of its own yet: its writes redraw as RATINGS
# (a promoted judge counts as a rater, so the human pages are concerned too).
CONCERNS = frozenset({ITEMS, RATINGS, JUDGMENTS})


def concerned(changes: Changes) -> bool:
    """True when ``changes`` touch what the Judges page shows."""
    return bool(changes.kinds & CONCERNS)


class JudgesFlow:
    """Answers the Judges page: configure, use / stop using, run, the scatter's pairs."""

    def __init__(self, controller):
        self.c = controller
        self.page = controller.window.judges
        self.force_box: QMessageBox | None = None
        self.page.epsilon_chosen.connect(self.configure)
        self.page.gates_from_chosen.connect(self.gates_from)
        self.page.use_requested.connect(self.use)
        self.page.run_requested.connect(self.run)
        self.page.pairs_wanted.connect(self.show_pairs)

    @property
    def facade(self):
        return self.c.project.judges

    def show(self, evaluation) -> None:
        self.page.show_evaluation(evaluation)

    def show_pairs(self, name: str, dimension: str) -> None:
        try:
            pairs = self.facade.pairs(name, dimension)
        except AnnotatorError as exc:
            self.c.window.status.setText(str(exc))
            return
        self.page.show_pairs(name, dimension, pairs)

    # -- writes ----------------------------------------------------------------------------
    def configure(self, epsilon: float) -> None:
        facade = self.facade

        def stored(settings: dict) -> None:
            self.c.window.status.setText(
                tr("The judges' test now uses epsilon = {epsilon}", epsilon=settings["epsilon"])
            )

        self.c.start_write(
            tr("Setting the judges' margin…"),
            lambda progress: facade.configure(epsilon=epsilon),
            stored,
            lambda _exc: self.c.refresh(Changes.of(RATINGS)),  # the box goes back
            changes=Changes.of(RATINGS),
        )

    def gates_from(self, source: str) -> None:
        facade = self.facade

        def stored(settings: dict) -> None:
            judge = settings["gate_source"]
            self.c.window.status.setText(
                tr("The model gates now read the human-only means")
                if judge == "humans"
                else tr("The model gates now read the prediction-powered means of {judge}",
                        judge=judge)
            )  # fmt: skip

        self.c.start_write(
            tr("Choosing what the gates read…"),
            lambda progress: facade.configure(gates_from=source),
            stored,
            lambda _exc: self.c.refresh(Changes.of(RATINGS)),  # the box goes back
            changes=Changes.of(RATINGS),
        )

    def use(self, name: str, on: bool, force: bool = False) -> None:
        facade = self.facade

        def work(progress):
            try:
                return facade.use(name, on, force=force)
            except AnnotatorError as exc:
                return exc  # a refusal, shown with the choice to force

        def done(result) -> None:
            if isinstance(result, AnnotatorError):
                self._refused(name, result)
                return
            self.c.window.status.setText(result.message.text() if result.message else "")
            if result.changed:
                self.c.refresh(Changes.of(RATINGS))

        label = tr("Using the judge as a rater…") if on else tr("Taking the judge out…")
        self.c.start_write(label, work, done)

    def _refused(self, name: str, error: AnnotatorError) -> None:
        box = QMessageBox(self.c.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("The judge did not pass"))
        box.setText(
            tr(
                "The judge {judge} has not passed the alternative annotator test, so it"
                " is not used as a rater.",
                judge=name,
            )
        )
        box.setInformativeText(
            str(error)
            + "\n\n"
            + tr(
                "You may use it anyway: the report will then say that it counts as a rater"
                " although it did not pass."
            )
        )
        force = box.addButton(tr("Use it &anyway"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("&Keep it out"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered(button) -> None:
            self.force_box = None
            if button is force:
                self.use(name, True, force=True)
            else:
                self.c.window.status.setText(tr("The judge {judge} is not used.", judge=name))

        box.buttonClicked.connect(answered)
        self.force_box = box
        box.open()  # not modal to the app: the statistics keep coming

    def run(self) -> None:
        """The "Run a judge" dialog (``judge_run``); a new evaluation after every run."""
        from annotator.gui.lead.controllers.judge_run import open_judge_run

        open_judge_run(
            self.c.window, self.c.project.path, lambda: self.c.refresh(Changes.everything())
        )
