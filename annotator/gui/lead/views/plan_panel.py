"""The overview's plan: how many more samples and raters the decision needs.

A verdict of NEEDS MORE DATA or INCONCLUSIVE asks the lead to rate more; this panel
says how much more, and what each number rests on (an observed spread over n values,
or a spread assumed before there are two). The ``Plan`` is computed in the statistics
op (``core.stats.plan``); the panel only lays it out.
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.i18n import tr
from annotator.gui.lead.common import number
from annotator.gui.lead.views.cells import cell, fit_height
from annotator.gui.widgets.plain import plain_label


def _basis_text(basis, observed) -> str:
    """ "sd of the paired differences 0.82 over 42 pairs" (``observed(value, n)``), or the
    assumption's note before there are two values."""
    if basis.assumed:
        return str(basis.note) if basis.note else tr("assumed {value}", value=number(basis.value))
    return observed(number(basis.value), basis.n)


def _more(needed: int | None, now: float | None) -> tuple[str, int | None]:
    """ "+19" still needed, "enough", or "–" when nothing can be planned."""
    if needed is None:
        return "–", None
    more = max(0, needed - math.ceil(now or 0))
    return (f"+{more}" if more else tr("enough")), more


class PlanPanel(QGroupBox):
    """Samples per candidate to detect a difference, per model for a precise mean, and
    raters per item for reliable item means."""

    def __init__(self, labels: dict[str, str], parent: QWidget | None = None):
        super().__init__(tr("How much evidence is enough?"), parent)
        self.labels = labels
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [tr("Question"), tr("For"), tr("Needed"), tr("Now"), tr("More"), tr("Rests on")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.error = plain_label(QLabel())
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        self.plan = None

    def show_plan(self, plan) -> None:
        """Fill from a ``core.stats.plan.Plan`` (or an exception: why there is none)."""
        self.plan = plan if not isinstance(plan, BaseException) else None
        failed = isinstance(plan, BaseException)
        self.error.setVisible(failed)
        self.table.setVisible(not failed)
        if failed:
            self.error.setText(tr("No plan: {error}", error=plan))
            return
        self.intro.setText(
            tr(
                "From the ratings so far: samples to detect a composite difference of "
                "{delta} (paired t-test, power {power:.0%}, α = {alpha:g}); samples for each "
                "model's {conf:.0%} interval to be within ±{half}; raters per item for "
                "item means of reliability {target} (Spearman-Brown).",
                delta=number(plan.delta),
                power=plan.power,
                alpha=plan.alpha,
                conf=plan.confidence,
                half=number(plan.half_width),
                target=number(plan.target_reliability),
            )
        )
        table = self.table
        table.setRowCount(0)
        for need in plan.comparisons:
            self._comparison_row(plan, need)
        for need in plan.models:
            self._model_row(plan, need)
        for need in plan.raters:
            self._rater_row(plan, need)
        fit_height(table)
        header = table.horizontalHeader()
        for c in range(header.count() - 1):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # "rests on" takes the rest of the width

    def _row(self, cells: list) -> None:
        table = self.table
        r = table.rowCount()
        table.insertRow(r)
        for c, item in enumerate(cells):
            table.setItem(r, c, item)

    def _comparison_row(self, plan, need) -> None:
        more, raw = _more(need.samples_needed, need.samples_now)
        rests = _basis_text(
            need.basis, lambda v, n: tr("sd of the paired differences {v} over {n} pairs", v=v, n=n)
        )
        tip = str(need.reason) if need.reason else rests
        self._row(
            [
                cell(tr("detect Δ {delta}", delta=number(plan.delta)), right=False),
                cell(tr("{b} − {a}", a=need.baseline, b=need.candidate), right=False),
                cell(
                    _count(need.samples_needed, lambda n: tr("{n} pairs", n=n)),
                    need.samples_needed,
                    tip,
                ),
                cell(str(need.samples_now), need.samples_now),
                cell(more, raw, tip),
                cell(str(need.reason) if need.reason else rests, None, tip, right=False),
            ]
        )

    def _model_row(self, plan, need) -> None:
        more, raw = _more(need.samples_needed, need.samples_now)
        rests = _basis_text(
            need.basis, lambda v, n: tr("sd of the composite {v} over {n} complete items", v=v, n=n)
        )
        self._row(
            [
                cell(tr("interval ±{half}", half=number(plan.half_width)), right=False),
                cell(need.candidate, right=False),
                cell(
                    _count(need.samples_needed, lambda n: tr("{n} samples", n=n)),
                    need.samples_needed,
                    rests,
                ),
                cell(str(need.samples_now), need.samples_now),
                cell(more, raw, rests),
                cell(rests, None, rests, right=False),
            ]
        )

    def _rater_row(self, plan, need) -> None:
        more, raw = _more(need.raters_needed, need.raters_now)
        rests = _basis_text(
            need.basis,
            lambda v, n: tr(
                "Krippendorff's alpha of one rater {v} over {n} pairable scores", v=v, n=n
            ),
        )
        now = number(need.raters_now, 1)
        if need.reliability_now is not None:
            now += " " + tr("(reliability {r})", r=number(need.reliability_now))
        tip = str(need.reason) if need.reason else rests
        dimension = tr("all dimensions") if need.dimension == "all" else need.dimension
        self._row(
            [
                cell(tr("reliability {r}", r=number(plan.target_reliability)), right=False),
                cell(self.labels.get(need.dimension, dimension), right=False),
                cell(
                    _count(need.raters_needed, lambda n: tr("{n} raters", n=n)),
                    need.raters_needed,
                    tip,
                ),
                cell(now, need.raters_now),
                cell(more, raw, tip),
                cell(str(need.reason) if need.reason else rests, None, tip, right=False),
            ]
        )


def _count(n: int | None, words) -> str:
    return "–" if n is None else words(n)
