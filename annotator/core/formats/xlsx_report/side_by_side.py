"""The Side by side sheet: GSB per pair and dimension, position bias, Bradley-Terry, a chart.

Written only when the project has side-by-side judgments (``evaluation.pairwise``). The
tables come first, laid out in a ``Grid`` (widths, number formats of their kind), then
a small chart table of each pair's G / S / B / both-bad counts with a native Excel bar
chart beside it: horizontal, percent-stacked (each bar is the whole of a pair's
judgments), one bar per pair and dimension, in the colours of the page in the app.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from openpyxl.chart import BarChart, Reference

from annotator.core.formats.xlsx_report.cells import column_letter
from annotator.core.formats.xlsx_report.comparisons import signed_interval
from annotator.core.formats.xlsx_report.grid import Centred, Grid, Num
from annotator.core.formats.xlsx_report.layout import print_setup
from annotator.core.formats.xlsx_report.summary import color_rules, interval
from annotator.core.i18n import tr
from annotator.core.stats.pairwise_bt import ANCHOR

BIAS_P = 0.05  # a position bias below this p is said in words
# G, S, B, both bad: the app's muted meaning colours (annotator/gui/lead/gsb_bars.py)
SERIES_COLOURS = ("5F9F70", "C3C7CC", "CC6B62", "41464E")
CHART_COLUMNS = 5  # label, G, S, B, both bad


@dataclass(frozen=True)
class ChartPlace:
    """Where the chart's table is: its header row and its last row (1-based)."""

    header: int
    last: int


def pair_label(pair) -> str:
    return tr("{a} vs {b}", a=pair.model_a, b=pair.model_b)


def net_reading(pair) -> str:
    """What the net score's interval says (a reading ``color_rules`` colours), or ""."""
    low, high = pair.net_ci.low, pair.net_ci.high
    if low is None or high is None:
        return ""
    return "better" if low > 0 else "worse" if high < 0 else "no_difference"


def in_rubric_order(report, keys: list[str]):
    """The report with each pair's dimensions in the rubric's order, overall first."""
    place = {k: n for n, k in enumerate(keys)}
    pairs = sorted(
        report.pairs,
        key=lambda p: (p.model_a, p.model_b, p.dimension != "", place.get(p.dimension, 99)),
    )
    return replace(report, pairs=tuple(pairs))


def write_side_by_side(ws, data, L) -> None:
    """The sheet of ``data.evaluation.pairwise`` (the caller skips it when that is None)."""
    report = in_rubric_order(data.evaluation.pairwise, data.rubric.keys)
    names = {d.key: d.name(data.language) for d in data.rubric.dimensions}
    names[""] = L("overall")
    grid = Grid()
    grid.title(L("sbs_title"))
    grid.blank()
    _gsb(grid, report, L, names)
    _position(grid, report, L, names)
    _ratings(grid, report.bradley_terry, L)
    place = _chart_table(grid, report, L, names)
    print_setup(ws)  # before the first row: write-only sheets stream their header
    grid.write(ws)
    last = column_letter(max(len(grid.widths()), 17))
    color_rules(ws, f"A1:{last}{len(grid.rows) + 1}", L)
    ws.add_chart(gsb_chart(ws, place, len(report.pairs), L), f"G{place.header}")


def _gsb(grid: Grid, report, L, names) -> None:
    grid.header(
        [
            L("pair"),
            L("dimension"),
            L("gsb_g"),
            L("gsb_s"),
            L("gsb_b"),
            L("both_bad"),
            L("win_rate"),
            L("ci"),
            L("net"),
            L("ci"),
            L("reading"),
            L("sign_p"),
            L("samples"),
            L("judgments"),
            L("alpha"),
            L("exact"),
        ]
    )
    for p in report.pairs:
        grid.row(
            pair_label(p),
            names.get(p.dimension, p.dimension),
            Num(p.wins, "count"),
            Num(p.ties, "count"),
            Num(p.losses, "count"),
            Num(p.both_bad, "count"),
            Num(p.win_rate, "rate"),
            Centred(interval(p.win_rate_ci, 2)),
            Num(p.net, "signed_rate"),
            Centred(signed_interval(p.net_ci.low, p.net_ci.high, 2)),
            Centred(L.difference(net_reading(p)) or None),
            Num(p.sign_p, "p"),
            Num(p.samples, "count"),
            Num(p.judgments, "count"),
            Num(p.agreement.alpha.alpha, "agree"),
            Num(p.agreement.percent, "share"),
        )
    grid.note(L("sbs_how"))
    grid.blank()


def _position(grid: Grid, report, L, names) -> None:
    grid.section(L("position_bias"))
    grid.header(
        [L("pair"), L("dimension"), L("chose_left"), L("chose_side"), L("share_left"), L("p_50")]
    )

    def row(label: str, dimension: str, bias) -> None:
        grid.row(
            label,
            dimension,
            Num(bias.left, "count"),
            Num(bias.decisive, "count"),
            Num(bias.share, "share"),
            Num(bias.p_value, "p"),
        )

    row(L("all_pairs"), "", report.position_bias)
    for p in report.pairs:
        row(pair_label(p), names.get(p.dimension, p.dimension), p.position)
    warning = position_warning(report.position_bias, L)
    if warning:
        grid.note(warning)
    grid.blank()


def position_warning(bias, L) -> str:
    """The warning in words when the raters favour a side more than chance allows."""
    if bias.p_value is None or bias.share is None or bias.p_value >= BIAS_P:
        return ""
    return tr(
        "Warning: raters chose the answer on the {side} more often than chance allows"
        " (p = {p} < 0.05). Check that the sides are shuffled and balanced, and read the"
        " win rates with care: part of a difference may be where an answer was shown.",
        side=L("left") if bias.share > 0.5 else L("right"),
        p=f"{bias.p_value:.2g}",
    )


def _ratings(grid: Grid, bt, L) -> None:
    """The leaderboard and the win-probability matrix, with three models or more."""
    if bt is None or len(bt.models) < 3:
        return
    title = tr(
        "Bradley-Terry ratings (Elo scale, {anchor} = {rating:g}; 100 points = 64% wins):",
        anchor=bt.anchor,
        rating=ANCHOR,
    )
    grid.section(title.rstrip(":："))
    grid.header([L("model"), L("rank"), L("elo"), L("ci")])
    for entry in bt.leaderboard():
        ci = entry["ci"]
        low, high = ci.get("low"), ci.get("high")
        bounds = None if low is None else f"[{low:.0f}, {high:.0f}]"
        if entry["model"] == bt.anchor:
            bounds = L("anchor")  # held at 1000: its interval is a point
        grid.row(
            entry["model"],
            Num(entry["rank"], "count"),
            Num(entry["rating"], "elo"),
            Centred(bounds),
        )
    if bt.note is not None:
        grid.note(bt.note.text(L.language))
    grid.blank()
    grid.section(L("win_matrix"))
    grid.header(["", *bt.models])
    for i, a in enumerate(bt.models):
        grid.row(
            a,
            *[
                Num(None if i == j else bt.win_probability[i][j], "share")
                for j in range(len(bt.models))
            ],
        )
    grid.blank()


def _chart_table(grid: Grid, report, L, names) -> ChartPlace:
    """The chart's data: one row per pair and dimension, the four counts."""
    grid.section(L("chart_gsb"))
    header = len(grid.rows) + 1
    grid.header([L("pair"), L("gsb_g"), L("gsb_s"), L("gsb_b"), L("both_bad")])
    for p in report.pairs:
        label = f"{pair_label(p)} · {names.get(p.dimension, p.dimension)}"
        grid.row(label, *[Num(v, "count") for v in (p.wins, p.ties, p.losses, p.both_bad)])
    return ChartPlace(header, header + len(report.pairs))


def gsb_chart(ws, place: ChartPlace, bars: int, L) -> BarChart:
    """Horizontal, percent-stacked: each bar is one pair's judgments split into G/S/B/both."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = L("chart_gsb")
    data = Reference(ws, min_col=2, max_col=CHART_COLUMNS, min_row=place.header, max_row=place.last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=place.header + 1, max_row=place.last))
    for series, fill in zip(chart.series, SERIES_COLOURS, strict=True):
        series.graphicalProperties.solidFill = fill
        series.graphicalProperties.line.solidFill = fill
    chart.x_axis.scaling.orientation = "maxMin"  # the first pair on top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorGridlines = None
    chart.legend.position = "b"
    chart.height = 3.5 + 1.0 * bars
    chart.width = 18
    return chart
