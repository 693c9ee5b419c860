"""The Summary's Raters section: per rater, items rated, means, leniency, time per item.

Items rated, means and leniency come from the statistics (``stats.raters``: leniency is
the rater's score minus the other raters' mean on the same item and dimension, over
what someone else also scored). Time per item comes from the seconds each rater's
app recorded on an item (``ReportData.times``); items without a recorded time count
for neither the median nor the mean. A flagged rater (``evaluation.rater_quality``) gets
one sentence saying why, pointing to the Raters sheet.
"""

from __future__ import annotations

import pandas as pd

from annotator.core.formats.xlsx_report.grid import Grid, Num
from annotator.core.formats.xlsx_report.rater_quality_words import summary_lines
from annotator.core.formats.xlsx_report.text_lines import wrapped


def seconds_per_rater(times: pd.DataFrame | None) -> dict[str, tuple[float, float]]:
    """rater -> (median, mean) seconds per item, over items with a recorded time."""
    if times is None or not len(times):
        return {}
    timed = times[times["seconds"] > 0]
    grouped = timed.groupby("rater", sort=False)["seconds"]
    return {
        str(r): (float(med), float(mean))
        for r, med, mean in zip(
            grouped.median().index, grouped.median(), grouped.mean(), strict=True
        )
    }


def rater_section(grid: Grid, data, L, names: dict[str, str]) -> None:
    table = data.evaluation.stats.raters
    if not len(table):
        return
    dims = list(data.evaluation.stats.dimensions)
    seconds = seconds_per_rater(data.times)
    timed = [L("median_seconds"), L("mean_seconds")] if seconds else []
    grid.section(L("raters_title"))
    grid.header(
        [
            L("rater"),
            L("items_rated"),
            *[names.get(d, d) for d in dims],
            L("overall_mean"),
            L("leniency"),
            *timed,
        ]
    )
    for row in table.to_dict("records"):
        median, mean = seconds.get(str(row["rater"]), (None, None))
        grid.row(
            str(row["rater"]),
            Num(row["items_done"], "count"),
            *[Num(row.get(f"{d}_mean"), "score") for d in dims],
            Num(row["mean"], "score"),
            Num(row["leniency"], "score"),
            *([Num(median, "seconds"), Num(mean, "seconds")] if seconds else []),
        )
    grid.note(L("leniency_note"))
    if not seconds:
        grid.note(L("no_times"))
    flagged(grid, data, L)
    grid.blank()


def flagged(grid: Grid, data, L) -> None:
    """One sentence per flagged rater, each flag with its reason (the Raters sheet says
    more); nothing when no one is flagged."""
    for message in summary_lines(data.evaluation):
        for line in wrapped(message.text(L.language)):
            grid.note(line)
