"""The Summary sheet: one page a lead can show in a meeting."""

from __future__ import annotations

from datetime import datetime

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill

from annotator.core.domain.gates import reason_names, source_text
from annotator.core.formats.xlsx_report.cells import (
    SECTION_FONT,
    TITLE_FONT,
    column_letter,
    header,
    safe,
    styled,
)

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


def _num(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def _p(value):
    if value is None or value != value:
        return None
    return "<0.0001" if value < 0.0001 else round(float(value), 4)


def write_summary(ws, data, L) -> None:
    ev = data.evaluation
    stats, verdicts = ev.stats, ev.verdicts
    dims = list(stats.dimensions)
    names = {d.key: d.name(data.language) for d in data.rubric.dimensions}
    names["all"] = L("all_dimensions")
    names["composite"] = L("composite")
    fit_to_width(ws)  # before the first row: write-only sheets stream their header
    widths = (24, 10, 13, *[11] * len(dims), 10, 12, 9, 9, 12, 12)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[column_letter(index)].width = width
    ws.append([styled(ws, L("report_title") + L.colon + str(ev.project["name"]), font=TITLE_FONT)])
    ws.append([L("generated_at"), datetime.now().strftime("%Y-%m-%d %H:%M")])
    ws.append([L("file"), safe(ws, ev.project["path"])])
    ws.append([L("items_n"), int(len(stats.items))])
    ws.append([L("raters"), safe(ws, ", ".join(data.raters))])
    ws.append([])

    ws.append([styled(ws, L("models"), font=SECTION_FONT)])
    metric_names = [m for m in ("bleu", "rouge-l") if m in stats.metric_names]
    ws.append(
        header(
            ws,
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
            ],
        )
    )
    by_model = {m.model: m for m in verdicts.models}
    for m in stats.models:
        comp = m.means["composite"]
        v = by_model.get(m.model)
        ci = comp.ci
        ws.append(
            [
                safe(ws, m.model),
                m.n_items,
                m.n_complete,
                *[_num(m.means[d].mean) for d in dims],
                _num(comp.mean),
                f"[{ci.low:.2f}, {ci.high:.2f}]" if ci and ci.low is not None else None,
                *[_num(m.metrics[n].mean, 3) if n in m.metrics else None for n in metric_names],
                L.verdict(v.verdict) if v else None,
                styled(ws, v.pass_rate, number_format="0%")
                if v and v.pass_rate is not None
                else None,
            ]
        )
    for m in verdicts.models:  # one line per reason: readable, and the page stays narrow
        for reason in m.reasons:
            ws.append([safe(ws, m.model), safe(ws, L("reasons") + L.colon + reason)])
    ws.append([])

    if len(stats.models) >= 2:
        a, b = stats.models[0].model, stats.models[1].model
        table = stats.compare(a, b)
        ws.append([styled(ws, L("comparison") + L.colon + f"{b} − {a}", font=SECTION_FONT)])
        ws.append(header(ws, [L("measure"), L("pairs"), a, b, L("difference"), L("p_value")]))
        for row in table.itertuples(index=False):
            ws.append(
                [
                    safe(ws, names.get(row.measure, row.measure)),
                    int(row.n_pairs),
                    _num(row.mean_a, 3),
                    _num(row.mean_b, 3),
                    _num(row.diff, 3),
                    _p(row.p_value),
                ]
            )
        ws.append([])

    ws.append([styled(ws, L("gates"), font=SECTION_FONT)])
    gate_names = reason_names(data.rubric)
    ws.append(header(ws, [L("rule"), L("on"), L("hard"), L("source")]))
    for g in verdicts.gates:
        ws.append(
            [
                safe(ws, g.describe(gate_names)),
                "✓" if g.enabled else "",
                "✓" if g.hard else "",
                safe(ws, source_text(g.source)),
            ]
        )
    ws.append([])

    ws.append([styled(ws, L("agreement_title"), font=SECTION_FONT)])
    ws.append(header(ws, [L("dimension"), L("alpha"), L("ci"), L("reading"), L("units")]))
    for a in stats.alpha:
        ci = a.ci
        ws.append(
            [
                safe(ws, names.get(a.dimension, a.dimension)),
                _num(a.alpha, 3),
                f"[{ci.low:.3f}, {ci.high:.3f}]" if ci and ci.low is not None else None,
                L.reading(a.interpretation),
                a.units,
            ]
        )
    ws.append([])

    ws.append([styled(ws, L("signatures"), font=SECTION_FONT)])
    ws.append(header(ws, [L("metric"), L("signature")]))
    for name, signature in sorted(ev.signatures.items()):
        ws.append([safe(ws, name), safe(ws, signature)])  # overflows into the empty cells
    ws.append([])

    ws.append([styled(ws, L("diagnostics"), font=SECTION_FONT)])
    ws.append(header(ws, [L("metric"), L("correlation"), L("n")]))
    for row in stats.correlations.itertuples(index=False):
        ws.append([safe(ws, row.metric), _num(row.rho, 3), int(row.n)])
    found = verdicts.mismatches
    if len(found):
        ws.append([])
        ws.append(header(ws, [L("kind"), L("count"), L("examples")]))
        samples = dict(
            zip(
                stats.items["item_id"],
                stats.items["model"] + "/" + stats.items["sample_id"].astype(str),
                strict=True,
            )
        )
        for kind, group in found.groupby("kind", sort=True):
            ids = list(dict.fromkeys(group["item_id"].tolist()))
            ws.append(
                [
                    safe(ws, L.mismatch(kind)),
                    len(ids),
                    safe(
                        ws,
                        ", ".join(samples.get(i, str(i)) for i in ids[:4])
                        + (" …" if len(ids) > 4 else ""),
                    ),
                ]
            )
    color_rules(ws, "A1:L400", L)


def fit_to_width(ws, *, landscape: bool = True) -> None:
    """Print (and PDF) a sheet one page wide, as a meeting handout."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
