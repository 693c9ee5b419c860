"""Raters page: progress and quality per rater (issue 18), and the rater-adjusted means.

One row per rater: assigned, done, median time per item, gold accuracy, leniency, the
flags in words and a small histogram of the rater's scores. The selected rater's flags
are said with their reasons under the table; beside them, each model's raw and
rater-adjusted means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget

from annotator.core.i18n import tr
from annotator.gui.lead.common import number, percent
from annotator.gui.lead.models import Column, FrameModel
from annotator.gui.lead.views.raters_quality import (
    AdjustedMeansBox,
    ScoreBars,
    counts_text,
    flag_word,
    flags_text,
)
from annotator.gui.lead.views.tables import table_view
from annotator.gui.widgets.plain import plain_label

if TYPE_CHECKING:
    from annotator.core.stats.rater_quality import RaterQualityReport, RaterSignals


def _time(seconds: float) -> str:
    """ "1.5 s" under a minute (a speeder's seconds matter), "2:05" above."""
    if not seconds:
        return "–"
    if seconds < 60:
        return tr("{seconds:.1f} s", seconds=seconds)
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def _stamp(value: object) -> str:
    return str(value)[:19].replace("T", " ")


def _columns() -> list[Column]:
    # The model's columns keep the order the first Raters page had (VISUAL_ORDER is shown).
    return [
        Column(tr("Rater"), "rater"),
        Column(tr("Assigned"), "assigned", str, align_right=True),
        Column(tr("Done"), "done", str, align_right=True),
        Column(tr("Progress"), "progress", percent, align_right=True),
        Column(tr("Remaining"), "remaining", str, align_right=True),
        Column(tr("Mean score"), "mean", number, align_right=True),
        Column(
            tr("Leniency"),
            "leniency",
            lambda v: number(v, signed=True),
            align_right=True,
            tooltip=lambda row: tr(
                "mean difference from the other raters on the same items (+ = more lenient)"
            ),
        ),
        Column(
            tr("Median time per item"),
            "median_seconds",
            _time,
            align_right=True,
            tooltip=lambda row: tr(
                "median over {count} timed items; mean {mean}",
                count=row.get("timed_items", 0) or 0,
                mean=_time(row.get("seconds_per_item") or 0),
            ),
        ),
        Column(tr("Gold accuracy"), "gold_accuracy", percent, align_right=True,
               tooltip=lambda row: tr("share of the rater's gold scores within tolerance")),
        Column(tr("Gold scores"), "gold_n", str, align_right=True),
        Column(tr("Flags"), "flags", str, color=lambda v: "NEEDS_REVIEW" if v else None,
               tooltip=lambda row: str(row.get("reasons") or "")),
        Column(tr("Scores 1-5"), "scores_total", lambda v: "",
               tooltip=lambda row: counts_text(row.get("scores"))),
        Column(tr("Gold MAE"), "gold_mae", number, align_right=True),
        Column(tr("Last score"), "last_score", _stamp),
        Column(tr("Last merge"), "last_merge", _stamp),
    ]  # fmt: skip


# On screen, what says who needs a look comes first; the progress and the stamps after.
VISUAL_ORDER = (
    "rater",
    "done",
    "median_seconds",
    "gold_accuracy",
    "gold_n",
    "leniency",
    "flags",
    "scores_total",
    "gold_mae",
    "assigned",
    "progress",
    "remaining",
    "mean",
)


def _quality_row(s: RaterSignals) -> dict:
    gold = s.gold
    counts = getattr(s, "score_counts", None)  # the facade's counts of 1..5, when given
    return {
        "rater": s.rater,
        "median_seconds": s.median_seconds,
        "timed_items": s.timed_items,
        "gold_accuracy": None if gold is None else gold.accuracy,
        "gold_n": None if gold is None else gold.n,
        "gold_mae": None if gold is None else gold.mae,
        "flags": flags_text(s),
        "reasons": "; ".join(f.reason.text() for f in s.flags),
        "scores": None if counts is None else tuple(int(n) for n in counts),
    }


def rater_frame(
    status: dict,
    raters: pd.DataFrame | None,
    times: dict[str, float] | None,
    quality: RaterQualityReport | None,
    counts: dict[str, tuple[int, ...]] | None = None,
) -> pd.DataFrame:
    """``team_status()`` joined with the stats' rater table, the times and the signals."""
    frame = pd.DataFrame(status["raters"])
    if frame.empty:
        frame = pd.DataFrame(columns=["rater", "assigned", "done", "remaining"])
    frame["progress"] = frame["done"] / frame["assigned"].where(frame["assigned"] > 0)
    if raters is not None and not raters.empty:
        frame = frame.merge(raters[["rater", "mean", "leniency"]], on="rater", how="left")
    frame["seconds_per_item"] = frame["rater"].map(times or {})
    if quality is not None and quality.raters:
        signals = pd.DataFrame([_quality_row(s) for s in quality.raters])
        frame = frame.merge(signals, on="rater", how="left")
    if counts is not None:
        frame["scores"] = frame["rater"].map(lambda r: counts.get(r))
    if "scores" in frame:
        frame["scores_total"] = frame["scores"].map(lambda c: sum(c) if c else None)
    return frame


class RatersPage(QWidget):
    """Per rater: progress, time, gold, leniency, flags and scores; the adjusted means."""

    refreshed = Signal()  # redrawn from new data (the controller's changes concerned it)

    def __init__(self, labels: dict[str, str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.quality: RaterQualityReport | None = None
        self.model = FrameModel(_columns(), self)
        self.view, self.proxy = table_view(self.model)
        self.bars = ScoreBars(self._counts_at, self.view)
        self.view.setItemDelegateForColumn(self._column("scores_total"), self.bars)
        self._arrange(VISUAL_ORDER)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.detail = plain_label(QLabel(tr("Choose a rater to see why they are flagged")))
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.adjusted = AdjustedMeansBox(labels or {})
        detail_box = QGroupBox(tr("Selected rater"))
        QVBoxLayout(detail_box).addWidget(self.detail)
        means_box = QGroupBox(tr("Raw and rater-adjusted means"))
        QVBoxLayout(means_box).addWidget(self.adjusted)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(detail_box)
        lower.addWidget(means_box)
        lower.setStretchFactor(1, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(lower)
        split.setStretchFactor(1, 1)
        self.split = split
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def _arrange(self, sources: tuple[str, ...]) -> None:
        """Show the columns in ``sources``' order (the model keeps its own)."""
        header = self.view.horizontalHeader()
        for place, source in enumerate(sources):
            header.moveSection(header.visualIndex(self._column(source)), place)

    def _column(self, source: str) -> int:
        return next(k for k, c in enumerate(self.model.columns) if c.source == source)

    def show_status(
        self,
        status: dict,
        raters: pd.DataFrame | None,
        times: dict[str, float] | None = None,
        quality: RaterQualityReport | None = None,
        counts: dict[str, tuple[int, ...]] | None = None,
        items: pd.DataFrame | None = None,
    ) -> None:
        """``Project.team_status()`` joined with the rater table, times and rater quality.

        Args:
            counts: each rater's counts of the scores 1..5 (default: the signals' own).
            items: item_id, model, sample_id, to name a missed gold item as model/sample.
        """
        self.quality = quality
        self.item_names = item_names(items)
        chosen = self.selected_rater()
        frame = rater_frame(status, raters, times, quality, counts)
        self.model.set_frame(frame)
        has_counts = "scores_total" in frame and frame["scores_total"].notna().any()
        self.view.setColumnHidden(self._column("scores_total"), not has_counts)
        self.view.resizeColumnsToContents()
        self._fit_table(len(frame))
        self.summary.setText(self._summary(status, quality))
        self.adjusted.show_means(None if quality is None else quality.adjusted)
        self.select_rater(chosen or self._first_flagged())
        self._show_detail()
        self.refreshed.emit()

    def _fit_table(self, rows: int) -> None:
        """The table as tall as its rows (up to 12), the rest of the page below it."""
        view = self.view
        height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
        height += view.verticalHeader().defaultSectionSize() * min(max(rows, 3), 12)
        height += view.horizontalScrollBar().sizeHint().height()
        total = max(sum(self.split.sizes()), height + 200)
        self.split.setSizes([height, total - height])

    @staticmethod
    def _summary(status: dict, quality: RaterQualityReport | None) -> str:
        note = "" if status["has_assignments"] else tr("; no assignments (everyone rates all)")
        text = tr(
            "{items} items, {dims} dimensions", items=status["items"], dims=status["dimensions"]
        )
        if quality is None:
            return text + note
        t = quality.thresholds
        team = "–" if quality.team_median_seconds is None else _time(quality.team_median_seconds)
        rules = tr(
            "Team median time per item {team}. Flags: speeding under a third of it or under "
            "{floor:.0f} s; gold accuracy under {gold:.0%}; leniency beyond ±{severity:.2f}; "
            "the same score on every dimension for over {straight:.0%} of items; drift at "
            "p < {p:g}.",
            team=team,
            floor=t.speeding_floor,
            gold=t.gold_accuracy,
            severity=t.severity,
            straight=t.straight_share,
            p=t.drift_p,
        )
        return text + note + "\n" + rules

    def _first_flagged(self) -> str | None:
        flagged = self.quality.flagged() if self.quality is not None else {}
        return next(iter(flagged), None)

    def selected_rater(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return str(self.model.row_value(self.proxy.mapToSource(index).row(), "rater"))

    def select_rater(self, rater: str | None) -> None:
        for r in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(r, 0)).row()
            if rater is None or self.model.row_value(source, "rater") == rater:
                self.view.selectRow(r)
                return

    def _show_detail(self) -> None:
        rater = self.selected_rater()
        signals = None if rater is None or self.quality is None else self.quality.get(rater)
        names = getattr(self, "item_names", {})
        self.detail.setText(detail_text(rater, signals, self._counts(rater), names))

    def _counts_at(self, index) -> tuple[int, ...] | None:
        if "scores" not in self.model.frame:
            return None
        return self.model.row_value(self.proxy.mapToSource(index).row(), "scores")

    def _counts(self, rater: str | None) -> tuple[int, ...] | None:
        frame = self.model.frame
        if rater is None or "scores" not in frame:
            return None
        rows = frame.loc[frame["rater"] == rater, "scores"]
        return rows.iat[0] if len(rows) else None


def item_names(items: pd.DataFrame | None) -> dict[int, str]:
    """item id -> "model/sample", as the report names an item."""
    if items is None or not len(items):
        return {}
    return {
        int(i): f"{m}/{s}"
        for i, m, s in zip(items["item_id"], items["model"], items["sample_id"], strict=True)
    }


def detail_text(rater: str | None, s: RaterSignals | None, counts=None, names=None) -> str:
    """The selected rater's flags with their reasons, notes and gold items missed, in words."""
    if rater is None:
        return tr("Choose a rater to see why they are flagged")
    if s is None:
        return tr("{rater}: no ratings yet", rater=rater)
    lines = [tr("{rater}: {flags}", rater=rater, flags=flags_text(s))] if s.flags else [
        tr("{rater}: no flags", rater=rater)
    ]  # fmt: skip
    lines += [
        "• " + tr("{flag}: {reason}", flag=flag_word(f.code), reason=f.reason.text())
        for f in s.flags
    ]
    lines += [f"• {n.text()}" for n in s.notes]
    if s.gold is not None and s.gold.missed:
        ids = tr(", ").join((names or {}).get(int(i), str(i)) for i in s.gold.missed)
        lines.append(tr("Gold items missed: {ids}", ids=ids))
    if counts:
        lines.append(tr("Scores 1-5: {counts}", counts=counts_text(counts)))
    return "\n".join(lines)
