"""The Agreement and Disagreements sheets."""

from __future__ import annotations

from annotator.core.formats.xlsx_report.cells import header
from annotator.core.formats.xlsx_report.grid import Centred, Grid, Num
from annotator.core.formats.xlsx_report.layout import print_setup
from annotator.core.formats.xlsx_report.rows_xml import Rounded, Wrapped, write_rows
from annotator.core.formats.xlsx_report.summary import color_rules, interval
from annotator.core.formats.xlsx_report.tables import _finish, _heights


def write_agreement(ws, data, L) -> None:
    stats = data.evaluation.stats
    names = {d.key: d.name(data.language) for d in data.rubric.dimensions}
    names["all"] = L("all_dimensions")
    grid = Grid()
    grid.section(L("agreement_title"))
    grid.header(
        [
            L("dimension"),
            L("alpha"),
            L("ci"),
            L("reading"),
            L("units"),
            L("exact"),
            L("within_one"),
            L("pairs"),
        ]
    )
    for a in stats.alpha:
        pairs = stats.pair_agreement.get(a.dimension, {})
        grid.row(
            names.get(a.dimension, a.dimension),
            Num(a.alpha, "agree"),
            Centred(interval(a.ci, 3)),
            Centred(L.reading(a.interpretation)),
            Num(a.units, "count"),
            Num(pairs.get("exact"), "share"),
            Num(pairs.get("within_one"), "share"),
            Num(pairs.get("pairs"), "count"),
        )
    grid.blank()
    grid.section(L("kappa_title"))
    kappa = stats.kappa
    raters = list(dict.fromkeys([*kappa["rater_a"], *kappa["rater_b"]])) if len(kappa) else []
    for dim in stats.dimensions if raters else ():
        grid.section(names.get(dim, dim))
        grid.header(["", *raters])
        sub = kappa[kappa["dimension"] == dim]
        lookup = {}
        for row in sub.itertuples(index=False):
            lookup[(row.rater_a, row.rater_b)] = lookup[(row.rater_b, row.rater_a)] = row.kappa
        for a in raters:
            grid.row(a, *[Num(1.0 if a == b else lookup.get((a, b)), "agree") for b in raters])
    grid.blank()
    grid.header(
        [
            L("rater_a"),
            L("rater_b"),
            L("dimension"),
            L("n"),
            L("kappa"),
            L("exact"),
            L("within_one"),
        ]
    )
    for row in kappa.itertuples(index=False):
        grid.row(
            row.rater_a,
            row.rater_b,
            names.get(row.dimension, row.dimension),
            Num(row.n, "count"),
            Num(row.kappa, "agree"),
            Num(row.exact, "share"),
            Num(row.within_one, "share"),
        )
    print_setup(ws)  # before the first row: write-only sheets stream their header
    grid.write(ws)
    color_rules(ws, f"D1:D{len(grid.rows) + 1}", L)


def write_disagreements(ws, data, L) -> None:
    stats = data.evaluation.stats
    names = {d.key: d.name(data.language) for d in data.rubric.dimensions}
    table = stats.disagreements
    wanted = set(table["item_id"].tolist())
    items = data.items[data.items["item_id"].isin(wanted)]
    texts = {
        row.item_id: row
        for row in items[["item_id", "uid", "sample_id", "instruction", "generated"]].itertuples(
            index=False
        )
    }
    given: dict[tuple[int, str], list[str]] = {}  # (item, dimension) -> ["alice 4", ...]
    ratings = data.ratings[data.ratings["item_id"].isin(wanted)]
    for item_id, rater, dim, score in zip(
        ratings["item_id"], ratings["rater"], ratings["dimension"], ratings["score"], strict=True
    ):
        given.setdefault((item_id, dim), []).append(f"{rater} {int(score)}")
    labels = [
        L("id"),
        L("model"),
        L("sample_id"),
        L("max_range"),
        L("dimensions"),
        L("resolved"),
        L("rater") + " / " + L("score"),
        L("instruction"),
        L("generated"),
    ]
    widths = _finish(ws, labels, len(table), [18, 12, 12, 8, 22, 8, 34, 34, 34])
    ws.append(header(ws, labels))
    cols: list[list] = [[] for _ in labels]
    for row in table.itertuples(index=False):
        item = texts[row.item_id]
        dims = str(row.dimensions).split(", ")
        parts = [
            f"{names.get(d, d)}: " + ", ".join(given[(row.item_id, d)])
            for d in dims
            if (row.item_id, d) in given
        ]
        values = (
            item.uid,
            row.model,
            item.sample_id,
            row.max_range,
            ", ".join(names.get(d, d) for d in dims),
            "✓" if row.resolved else None,
            "\n".join(parts),
            item.instruction,
            item.generated,
        )
        for col, value in zip(cols, values, strict=True):
            col.append(value)
    _heights(ws, widths, [6, 7, 8], cols[6:])
    columns = [Wrapped(ws, col) for col in cols]
    columns[3] = Rounded(ws, cols[3], "count")
    write_rows(ws, columns, len(table), lambda k: None)
