"""The Summary sheet: one page a lead can show in a meeting.

Collected in a ``Grid`` first, so every column is as wide as its longest label and
every number has the format of its kind (``layout.FORMATS``); rows of a table that
have nothing to show (a comparison without pairs) are left out and named below it.
"""

from __future__ import annotations

from datetime import datetime

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill

from annotator.core.domain.gates import reason_names, source_text
from annotator.core.formats.xlsx_report.cells import column_letter
from annotator.core.formats.xlsx_report.comparisons import comparison_sections
from annotator.core.formats.xlsx_report.grid import Centred, Grid, Num
from annotator.core.formats.xlsx_report.judges_words import summary_lines
from annotator.core.formats.xlsx_report.layout import print_setup
from annotator.core.formats.xlsx_report.raters import rater_section

GREEN = PatternFill("solid", fgColor="C6EFCE")
RED = PatternFill("solid", fgColor="FFC7CE")
AMBER = PatternFill("solid", fgColor="FFEB9C")
BLUE = PatternFill("solid", fgColor="DDEBF7")  # inconclusive: the interval straddles a gate
LILAC = PatternFill("solid", fgColor="E4DFEC")  # needs more data: too few complete samples
GREY = PatternFill("solid", fgColor="EDEDED")  # no detectable difference
GREEN_FONT, RED_FONT, AMBER_FONT, BLUE_FONT, LILAC_FONT, GREY_FONT = (
    Font(color="006100"),
    Font(color="9C0006"),
    Font(color="9C5700"),
    Font(color="1F4E79"),
    Font(color="5B2C6F"),
    Font(color="404040"),
)


def color_rules(ws, cell_range: str, labels) -> None:
    """Verdicts, readings of a comparison and of agreement carry their color; nothing
    else does (each of the five verdicts has its own, readable in black and white too)."""
    for value, fill, font in (
        (labels.verdict("PASS"), GREEN, GREEN_FONT),
        (labels.verdict("FAIL"), RED, RED_FONT),
        (labels.verdict("NEEDS_REVIEW"), AMBER, AMBER_FONT),
        (labels.verdict("INCONCLUSIVE"), BLUE, BLUE_FONT),
        (labels.verdict("NEEDS_MORE_DATA"), LILAC, LILAC_FONT),
        (labels.difference("better"), GREEN, GREEN_FONT),
        (labels.difference("no_difference"), GREY, GREY_FONT),
        (labels.difference("worse"), RED, RED_FONT),
        (labels.reading("reliable"), GREEN, GREEN_FONT),
        (labels.reading("tentative"), AMBER, AMBER_FONT),
        (labels.reading("not reliable"), RED, RED_FONT),
    ):
        ws.conditional_formatting.add(
            cell_range, CellIsRule(operator="equal", formula=[f'"{value}"'], fill=fill, font=font)
        )


def interval(ci, kind_digits: int) -> str | None:
    if not ci or ci.low is None:
        return None
    return f"[{ci.low:.{kind_digits}f}, {ci.high:.{kind_digits}f}]"


def percent_interval(bounds) -> str | None:
    """A pass rate's Wilson interval in whole percent ("[52%, 78%]"), or None."""
    low, high = bounds if bounds else (None, None)
    if low is None or high is None:
        return None
    return f"[{low:.0%}, {high:.0%}]"


def write_summary(ws, data, L) -> None:
    ev = data.evaluation
    names = {d.key: d.name(data.language) for d in data.rubric.dimensions}
    names["all"] = L("all_dimensions")
    names["composite"] = L("composite")
    grid = Grid()
    grid.title(L("report_title") + L.colon + str(ev.project["name"]))
    grid.note(L("generated_at"), datetime.now().strftime("%Y-%m-%d %H:%M"))
    grid.note(L("file"), str(ev.project["path"]))
    grid.row(L("items_n"), Num(len(ev.stats.items), "count"))
    grid.note(L("raters"), ", ".join(data.raters))
    _decision(grid, data)
    grid.blank()
    _models(grid, data, L, names)
    comparison_sections(grid, data, L, names)
    _gates(grid, data, L)
    _agreement(grid, data, L, names)
    rater_section(grid, data, L, names)
    _signatures(grid, ev, L)
    _diagnostics(grid, ev, L)
    print_setup(ws)  # before the first row: write-only sheets stream their header
    grid.write(ws)
    last = column_letter(max(len(grid.widths()), 17))
    color_rules(ws, f"A1:{last}{len(grid.rows) + 1}", L)


def _decision(grid: Grid, data) -> None:
    """Which model the candidates are compared with, and the rule the verdicts follow."""
    ev = data.evaluation
    if ev.stats.comparisons:
        grid.note(ev.baseline.describe().text(data.language))
    rule = ev.verdicts.decision.describe(ev.verdicts.confidence)
    grid.note(rule.text(data.language))
    for line in summary_lines(ev):  # a judge that counts as a rater, said in words
        grid.note(line.text(data.language))


def _models(grid: Grid, data, L, names) -> None:
    stats, verdicts = data.evaluation.stats, data.evaluation.verdicts
    dims = list(stats.dimensions)
    metric_names = [m for m in ("bleu", "rouge-l") if m in stats.metric_names]
    grid.section(L("models"))
    grid.header(
        [
            L("model"),
            L("n_items"),
            L("complete"),
            *[names[d] for d in dims],
            L("composite"),
            L("ci"),
            *[m.upper() for m in metric_names],
            L("verdict"),
            L("pass_rate"),
            f"{L('ci')} (Wilson)",  # beside the pass rate: its interval
        ]
    )
    by_model = {m.model: m for m in verdicts.models}
    for m in stats.models:
        comp = m.means["composite"]
        v = by_model.get(m.model)
        grid.row(
            m.model,
            Num(m.n_items, "count"),
            Num(m.n_complete, "count"),
            *[Num(m.means[d].mean, "score") for d in dims],
            Num(comp.mean, "score"),
            Centred(interval(comp.ci, 2)),
            *[Num(m.metrics[n].mean if n in m.metrics else None, "metric") for n in metric_names],
            Centred(L.verdict(v.verdict) if v else None),
            Num(v.pass_rate if v else None, "percent"),
            Centred(percent_interval(v.pass_rate_ci) if v else None),
        )
    for m in verdicts.models:  # one line per reason: readable, and the page stays narrow
        for reason in m.reasons:
            grid.note(m.model, L("reasons") + L.colon + reason)
    grid.blank()


def _gates(grid: Grid, data, L) -> None:
    verdicts = data.evaluation.verdicts
    grid.section(L("gates"))
    gate_names = reason_names(data.rubric)
    grid.header([L("rule"), L("on"), L("hard"), L("source")])
    for g in verdicts.gates:
        grid.note(
            g.describe(gate_names),
            "✓" if g.enabled else "",
            "✓" if g.hard else "",
            source_text(g.source),
        )
    grid.blank()


def _agreement(grid: Grid, data, L, names) -> None:
    grid.section(L("agreement_title"))
    grid.header([L("dimension"), L("alpha"), L("ci"), L("reading"), L("units")])
    for a in data.evaluation.stats.alpha:
        grid.row(
            names.get(a.dimension, a.dimension),
            Num(a.alpha, "agree"),
            Centred(interval(a.ci, 3)),
            Centred(L.reading(a.interpretation)),
            Num(a.units, "count"),
        )
    grid.blank()


def _signatures(grid: Grid, ev, L) -> None:
    if not ev.signatures:
        return
    grid.section(L("signatures"))
    grid.header([L("metric"), L("signature")])
    for name, signature in sorted(ev.signatures.items()):
        grid.note(name, signature)  # spills into the empty cells to its right
    grid.blank()


def _diagnostics(grid: Grid, ev, L) -> None:
    stats, verdicts = ev.stats, ev.verdicts
    correlations = stats.correlations[stats.correlations["n"] > 0]
    found = verdicts.mismatches
    if not len(correlations) and not len(found):
        return
    grid.section(L("diagnostics"))
    if len(correlations):
        grid.header([L("metric"), L("correlation"), L("n")])
        for row in correlations.itertuples(index=False):
            grid.row(row.metric, Num(row.rho, "metric"), Num(row.n, "count"))
    if len(found):
        grid.blank()
        grid.header([L("kind"), L("count"), L("examples")])
        samples = dict(
            zip(
                stats.items["item_id"],
                stats.items["model"] + "/" + stats.items["sample_id"].astype(str),
                strict=True,
            )
        )
        for kind, group in found.groupby("kind", sort=True):
            ids = list(dict.fromkeys(group["item_id"].tolist()))
            examples = ", ".join(samples.get(i, str(i)) for i in ids[:4])
            grid.note(
                L.mismatch(kind), Num(len(ids), "count"), examples + (" …" if len(ids) > 4 else "")
            )
