"""The Charts sheet: native Excel charts over small data tables on the same sheet."""

from __future__ import annotations

import numpy as np
from openpyxl.chart import BarChart, Reference

from annotator.core.formats.xlsx_report.cells import SECTION_FONT, header, safe, styled
from annotator.core.formats.xlsx_report.layout import Numbers, print_setup

BINS = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0001)


def write_charts(ws, data, L) -> None:
    stats = data.evaluation.stats
    dims = list(stats.dimensions)
    names = {d.key: d.name(data.language) for d in data.rubric.dimensions}
    models = [m for m in stats.models]
    ws.column_dimensions["A"].width = 18
    print_setup(ws)  # before the first row: write-only sheets stream their header
    score, count = Numbers(ws, "score"), Numbers(ws, "count")

    # Table 1: dimension (and composite) means per model.
    ws.append([styled(ws, L("chart_means"), font=SECTION_FONT)])
    ws.append(header(ws, [L("dimension"), *[m.model for m in models]]))
    keys = [*dims, "composite"]
    for key in keys:
        ws.append(
            [
                safe(ws, names.get(key, L("composite"))),
                *[score(m.means[key].mean) for m in models],
            ]
        )
    first, last = 3, 2 + len(keys)
    chart = BarChart()
    chart.type = "col"
    chart.title = L("chart_means")
    chart.y_axis.scaling.min = 1
    chart.y_axis.scaling.max = 5
    chart.y_axis.title = "1-5"
    chart.add_data(
        Reference(ws, min_col=2, max_col=1 + len(models), min_row=2, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "F2")

    # Table 2: how many complete items fall in each composite band, per model.
    ws.append([])
    start = last + 2
    ws.append([styled(ws, L("chart_composite"), font=SECTION_FONT)])
    ws.append(header(ws, [L("composite"), *[m.model for m in models]]))
    items = stats.items[stats.items["complete"]]
    counts = {}
    for m in models:
        values = items.loc[items["model"] == m.model, "composite"].dropna().to_numpy()
        counts[m.model] = np.histogram(values, bins=BINS)[0]
    for k in range(len(BINS) - 1):
        low, high = BINS[k], min(BINS[k + 1], 5.0)
        ws.append([f"{low:.1f}-{high:.1f}", *[count(counts[m.model][k]) for m in models]])
    head = start + 1
    hist = BarChart()
    hist.type = "col"
    hist.title = L("chart_composite")
    hist.y_axis.title = L("count")
    hist.add_data(
        Reference(
            ws, min_col=2, max_col=1 + len(models), min_row=head, max_row=head + len(BINS) - 1
        ),
        titles_from_data=True,
    )
    hist.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=head + len(BINS) - 1))
    hist.height, hist.width = 8, 16
    ws.add_chart(hist, "F20")
