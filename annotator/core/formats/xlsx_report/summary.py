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
from annotator.core.formats.xlsx_report.grid import Grid, Num
from annotator.core.formats.xlsx_report.layout import print_setup
from annotator.core.formats.xlsx_report.raters import rater_section
from annotator.core.i18n import tr

GREEN = PatternFill("solid", fgColor="C6EFCE")
RED = PatternFill("solid", fgColor="FFC7CE")
AMBER = PatternFill("solid", fgColor="FFEB9C")
GREEN_FONT, RED_FONT, AMBER_FONT = (
    Font(color="006100"),
    Font(color="9C0006"),
    Font(color="9C5700"),
)


def color_rules(ws, cell_range: str, labels) -> None:
    """Verdicts and agreement readings carry their color; nothing else does."""
    for value, fill, font in (
        (labels.verdict("PASS"), GREEN, GREEN_FONT),
        (labels.verdict("FAIL"), RED, RED_FONT),
        (labels.verdict("NEEDS_REVIEW"), AMBER, AMBER_FONT),
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


def write_summary(ws, data, L) -> None:
    ev = data.evaluation
    names = {d.key: d.name(data.language) for d in data.rubric.dimensions}
    names["all"] = L("all_dimensions")
    names["composite"] = L("composite")
    grid = Grid()
    grid.title(L("report_title") + L.colon + str(ev.project["name"]))
    grid.row(L("generated_at"), datetime.now().strftime("%Y-%m-%d %H:%M"))
    grid.note(L("file"), str(ev.project["path"]))
    grid.row(L("items_n"), Num(len(ev.stats.items), "count"))
    grid.note(L("raters"), ", ".join(data.raters))
    grid.blank()
    _models(grid, data, L, names)
    _comparison(grid, data, L, names)
    _gates(grid, data, L)
    _agreement(grid, data, L, names)
    rater_section(grid, data, L, names)
    _signatures(grid, ev, L)
    _diagnostics(grid, ev, L)
    print_setup(ws)  # before the first row: write-only sheets stream their header
    grid.write(ws)
    color_rules(ws, f"A1:Q{len(grid.rows) + 1}", L)


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
            interval(comp.ci, 2),
            *[Num(m.metrics[n].mean if n in m.metrics else None, "metric") for n in metric_names],
            L.verdict(v.verdict) if v else None,
            Num(v.pass_rate if v else None, "percent"),
        )
    for m in verdicts.models:  # one line per reason: readable, and the page stays narrow
        for reason in m.reasons:
            grid.note(m.model, L("reasons") + L.colon + reason)
    grid.blank()


def _comparison(grid: Grid, data, L, names) -> None:
    stats = data.evaluation.stats
    if len(stats.models) < 2:
        return
    a, b = stats.models[0].model, stats.models[1].model
    table = stats.compare(a, b)
    grid.section(L("comparison") + L.colon + f"{b} − {a}")
    grid.header([L("measure"), L("pairs"), a, b, L("difference"), L("p_value")])
    empty = []
    for row in table.itertuples(index=False):
        label = names.get(row.measure, row.measure)
        if not row.n_pairs:
            empty.append(label)
            continue
        kind = (
            "score" if row.measure in stats.dimensions or row.measure == "composite" else "metric"
        )
        grid.row(
            label,
            Num(row.n_pairs, "count"),
            Num(row.mean_a, kind),
            Num(row.mean_b, kind),
            Num(row.diff, kind),
            Num(row.p_value, "p"),
        )
    if empty:
        grid.note(tr("No pairs (left out): {measures}", measures=tr(", ").join(empty)))
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
            interval(a.ci, 3),
            L.reading(a.interpretation),
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
