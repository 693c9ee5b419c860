"""The Summary's paired comparisons: one section per candidate, always candidate − baseline.

A lead asks whether each fine-tune beats the model before it, so every candidate gets its
own table (``evaluation.stats.comparisons``, one per model but the baseline), its title
naming the direction of the difference. Each measure shows its pairs, both means, the
signed difference with its bootstrap interval, Wilcoxon's p, d_z and the reading the
interval gives (coloured by ``summary.color_rules``). A measure without pairs is no row:
it is named below the table, and so is why a test or an interval is missing.
"""

from __future__ import annotations

from annotator.core.domain.message import Message
from annotator.core.formats.xlsx_report.grid import Centred, Grid, Num
from annotator.core.i18n import tr

HOW_READ = Message(
    "(difference: mean of candidate - baseline per sample, bootstrap 95% interval over"
    " samples; p: Wilcoxon signed-rank; d_z: mean difference / its standard deviation;"
    " better or worse when the whole interval is on one side of 0)"
)


def signed_interval(low, high, digits: int) -> str | None:
    """A difference's interval with its signs shown ("[+0.12, +0.40]"), or None."""
    if low is None or high is None or low != low or high != high:
        return None
    return f"[{low:+.{digits}f}, {high:+.{digits}f}]"


def comparison_sections(grid: Grid, data, L, names) -> None:
    """The baseline line, then one table per candidate, then how to read them."""
    ev = data.evaluation
    if not ev.stats.comparisons:
        return
    for comparison in ev.stats.comparisons:
        _section(grid, comparison, L, names)
    grid.note(HOW_READ.text(data.language))
    grid.blank()


def _section(grid: Grid, comparison, L, names) -> None:
    base, cand = comparison.baseline, comparison.candidate
    grid.section(
        tr(
            "{candidate} − {baseline} (candidate − baseline, on the samples both answered,"
            " complete for both)",
            candidate=cand,
            baseline=base,
        )
    )
    grid.header(
        [
            L("measure"),
            L("pairs"),
            f"{base}\n{L('mean')}",  # the model's name whole on its line, "mean" below
            f"{cand}\n{L('mean')}",
            L("difference"),
            L("ci"),
            L("p_value"),
            L("effect"),
            L("reading"),
        ]
    )
    empty, remarks = [], []
    for row in comparison.table.itertuples(index=False):
        label = names.get(row.measure, row.measure)
        if not row.n_pairs:
            empty.append(label)
            continue
        metric = row.kind == "metric"
        kind = "metric" if metric else "score"
        grid.row(
            label,
            Num(row.n_pairs, "count"),
            Num(row.baseline_mean, kind),
            Num(row.candidate_mean, kind),
            Num(row.diff, "signed_" + kind),
            Centred(signed_interval(row.ci_low, row.ci_high, 3 if metric else 2)),
            Num(row.p_value, "p"),
            Num(row.effect_size, "effect"),
            Centred(L.difference(row.reading) or None),
        )
        if isinstance(row.note, Message):
            remarks.append(label + L.colon + row.note.text(L.language))
    for remark in remarks:
        grid.note(remark)
    if empty:
        grid.note(tr("No pairs (left out): {measures}", measures=tr(", ").join(empty)))
    grid.blank()
