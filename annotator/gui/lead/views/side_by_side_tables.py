"""The tables of the side-by-side page: GSB per pair, Bradley-Terry leaderboard, win matrix.

Each function fills a ``QTableWidget`` from the ``PairwiseReport`` the statistics op
computed; nothing is computed here but the wording. Every cell keeps its raw value
(``SORT_ROLE``) and says in its tooltip how it was made. Colours carry meaning only: the
net score by what its interval says (better, no detectable difference, worse), a
position bias worth a warning in amber.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget

from annotator.core.domain.wording import difference_name
from annotator.core.i18n import tr
from annotator.gui.lead.common import number, percent
from annotator.gui.lead.views.cells import cell

BIAS_P = 0.05  # a position bias below this p is said in words


def table() -> QTableWidget:
    t = QTableWidget(0, 0)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    t.setTabKeyNavigation(False)  # Tab goes on to the next control; arrows move in it
    return t


def p_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.2g}"


def pair_label(pair) -> str:
    return tr("{a} vs {b}", a=pair.model_a, b=pair.model_b)


def dimension_text(key: str, labels: dict[str, str]) -> str:
    return labels.get(key, key) if key else tr("overall")


def net_reading(pair) -> str | None:
    """What the net score's interval says: "better" above 0, "worse" below, else none."""
    low, high = pair.net_ci.low, pair.net_ci.high
    if low is None or high is None:
        return None
    return "better" if low > 0 else "worse" if high < 0 else "no_difference"


def with_interval(value: float, ci, *, signed: bool) -> str:
    text = number(value, signed=signed)
    if ci.low is None or ci.high is None:
        return text
    return f"{text}\n[{number(ci.low, signed=signed)}, {number(ci.high, signed=signed)}]"


GSB_HEADERS = (
    "Pair",
    "Dimension",
    "G: A better",
    "S: same",
    "B: B better",
    "Both bad",
    "Win rate of A",
    "Net score",
    "Sign test p",
    "Samples",
    "Judgments",
    "Alpha",
    "Exact agreement",
    "Left chosen",
)
COLUMN = {name: index for index, name in enumerate(GSB_HEADERS)}


def gsb_headers() -> list[str]:
    """The column headers, the long ones on two lines (the table fits the page)."""
    return [
        tr("Pair"),
        tr("Dimension"),
        "G\n" + tr("A better"),
        "S\n" + tr("same"),
        "B\n" + tr("B better"),
        tr("Both\nbad"),
        tr("Win rate\nof A"),
        tr("Net\nscore"),
        tr("Sign\ntest p"),
        tr("Samples"),
        tr("Judgments"),
        tr("Alpha"),
        tr("Exact\nagreement"),
        tr("Left\nchosen"),
    ]


def fit(t: QTableWidget) -> None:
    """A small table exactly as large as its cells: every row shown, as wide as its
    columns (not the page). A page narrower than the table scrolls as a whole."""
    t.resizeColumnsToContents()
    t.resizeRowsToContents()
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header, side = t.horizontalHeader(), t.verticalHeader()
    frame = 2 * t.frameWidth()
    height = max(header.height(), header.sizeHint().height()) + frame
    height += sum(t.rowHeight(r) for r in range(t.rowCount()))
    width = header.length() + frame
    if not side.isHidden():
        width += max(side.width(), side.sizeHint().width())
    t.setFixedSize(width + 2, height + 2)


def _tips(pair, report) -> dict[str, str]:
    interval = tr(
        "{conf:.0%} bootstrap interval resampling samples (all judgments of a sample"
        " together), {resamples} resamples",
        conf=report.confidence,
        resamples=report.resamples,
    )
    alpha = pair.agreement.alpha
    reading = difference_name(net_reading(pair)) or tr("no interval")
    return {
        "pair": tr("A = {a} (the candidate), B = {b}", a=pair.model_a, b=pair.model_b),
        "win": tr("win rate = (A better + half of same and both bad) / judgments")
        + "\n"
        + interval,
        "net": tr("net score = (A better − B better) / judgments; {reading}", reading=reading)
        + "\n"
        + interval,
        "sign": tr(
            "two-sided sign test on {wins} A better against {losses} B better"
            " (same and both bad left out)",
            wins=pair.wins,
            losses=pair.losses,
        ),
        "alpha": tr(
            "Krippendorff's alpha, ordinal, on -1 / 0 / +1 (B better / same or both bad /"
            " A better) over {units} samples judged by 2+ raters",
            units=alpha.units,
        ),
        "exact": tr(
            "share of the {pairs} pairs of raters on the same sample who gave the same verdict",
            pairs=pair.agreement.rater_pairs,
        ),
        "left": position_text(pair.position),
    }


def fill_gsb(t: QTableWidget, report, labels: dict[str, str]) -> None:
    """One row per pair and dimension, in the report's order."""
    t.clear()
    t.setColumnCount(len(GSB_HEADERS))
    t.setHorizontalHeaderLabels(gsb_headers())
    t.setRowCount(len(report.pairs))
    for r, p in enumerate(report.pairs):
        tips = _tips(p, report)
        bias = p.position
        warn = "NEEDS_REVIEW" if bias.p_value is not None and bias.p_value < BIAS_P else None
        cells = (
            cell(pair_label(p), (p.model_a, p.model_b), tips["pair"], right=False),
            cell(dimension_text(p.dimension, labels), p.dimension, right=False),
            cell(str(p.wins), p.wins),
            cell(str(p.ties), p.ties),
            cell(str(p.losses), p.losses),
            cell(str(p.both_bad), p.both_bad),
            cell(with_interval(p.win_rate, p.win_rate_ci, signed=False), p.win_rate, tips["win"]),
            cell(
                with_interval(p.net, p.net_ci, signed=True),
                p.net,
                tips["net"],
                meaning=net_reading(p),
            ),
            cell(p_text(p.sign_p), p.sign_p, tips["sign"]),
            cell(str(p.samples), p.samples),
            cell(str(p.judgments), p.judgments),
            cell(number(p.agreement.alpha.alpha), p.agreement.alpha.alpha, tips["alpha"]),
            cell(percent(p.agreement.percent), p.agreement.percent, tips["exact"]),
            cell(
                f"{percent(bias.share)} (p {p_text(bias.p_value)})",
                bias.share,
                tips["left"],
                meaning=warn,
            ),
        )
        for c, item in enumerate(cells):
            t.setItem(r, c, item)
    fit(t)


def position_text(bias) -> str:
    return tr(
        "Position bias: {share} of the judgments that chose a side chose the left answer"
        " (binomial test against 50%: p = {p})",
        share=percent(bias.share),
        p=p_text(bias.p_value),
    )


def position_warning(bias) -> str:
    """A warning in words when the left (or the right) answer wins more than chance allows."""
    if bias.p_value is None or bias.p_value >= BIAS_P or bias.share is None:
        return ""
    side = tr("left") if bias.share > 0.5 else tr("right")
    return tr(
        "Warning: raters chose the answer on the {side} more often than chance allows"
        " (p = {p} < 0.05). Check that the sides are shuffled and balanced, and read the"
        " win rates with care: part of a difference may be where an answer was shown.",
        side=side,
        p=p_text(bias.p_value),
    )


def fill_leaderboard(t: QTableWidget, bt) -> None:
    """Rank, model, rating (Elo, the anchor at 1000) and its interval, best first."""
    t.clear()
    headers = [tr("Rank"), tr("Model"), tr("Rating (Elo)"), tr("95% CI")]
    t.setColumnCount(len(headers))
    t.setHorizontalHeaderLabels(headers)
    rows = bt.leaderboard()
    t.setRowCount(len(rows))
    tip = tr(
        "Bradley-Terry by maximum likelihood on {n} overall judgments (same and both bad"
        " count half a win each way); Elo scale, {anchor} = 1000; bootstrap interval"
        " resampling samples",
        n=bt.judgments,
        anchor=bt.anchor,
    )
    for r, entry in enumerate(rows):
        ci = entry["ci"]
        low, high = ci.get("low"), ci.get("high")
        bounds = "–" if low is None else f"[{low:.0f}, {high:.0f}]"
        if entry["model"] == bt.anchor:
            bounds = tr("anchor")  # held at 1000: its interval is a point
        t.setItem(r, 0, cell(str(entry["rank"]), entry["rank"]))
        t.setItem(r, 1, cell(entry["model"], entry["model"], right=False))
        t.setItem(r, 2, cell(f"{entry['rating']:.0f}", entry["rating"], tip))
        t.setItem(r, 3, cell(bounds, low, tip))
    fit(t)


def fill_matrix(t: QTableWidget, bt) -> None:
    """``[row][column]``: the predicted probability that the row's model beats the column's."""
    t.clear()
    models = list(bt.models)
    t.setRowCount(len(models))
    t.setColumnCount(len(models))
    t.setHorizontalHeaderLabels(models)
    t.setVerticalHeaderLabels(models)
    t.verticalHeader().setVisible(True)
    for i, a in enumerate(models):
        for j, b in enumerate(models):
            if i == j:
                t.setItem(i, j, cell("–", None))
                continue
            value = bt.win_probability[i][j]
            tip = tr("predicted probability that {a} beats {b}", a=a, b=b)
            t.setItem(i, j, cell(percent(value), value, tip))
    fit(t)
