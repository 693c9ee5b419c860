"""The Agreement and Disagreements sheets."""

from __future__ import annotations

from openpyxl.styles import Font

from annotator.core.formats.xlsx_report.cells import (
    SECTION_FONT,
    WrappedText,
    header,
    safe,
    styled,
)
from annotator.core.formats.xlsx_report.summary import color_rules, fit_to_width
from annotator.core.formats.xlsx_report.tables import _finish


def _r(value, digits=3):
    return None if value is None or value != value else round(float(value), digits)


def write_agreement(ws, data, L) -> None:
    stats = data.evaluation.stats
    names = {d.key: d.name(data.language) for d in data.rubric.dimensions}
    names["all"] = L("all_dimensions")
    fit_to_width(ws)  # before the first row: write-only sheets stream their header
    for col, width in zip("ABCDEFGH", (18, 14, 14, 12, 12, 14, 14, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws.append([styled(ws, L("agreement_title"), font=SECTION_FONT)])
    ws.append(
        header(
            ws,
            [
                L("dimension"),
                L("alpha"),
                L("ci"),
                L("reading"),
                L("units"),
                L("exact"),
                L("within_one"),
                L("pairs"),
            ],
        )
    )
    for a in stats.alpha:
        pairs = stats.pair_agreement.get(a.dimension, {})
        ci = a.ci
        ws.append(
            [
                safe(ws, names.get(a.dimension, a.dimension)),
                _r(a.alpha),
                f"[{ci.low:.3f}, {ci.high:.3f}]" if ci.low is not None else None,
                L.reading(a.interpretation),
                a.units,
                _r(pairs.get("exact")),
                _r(pairs.get("within_one")),
                pairs.get("pairs"),
            ]
        )
    ws.append([])
    ws.append([styled(ws, L("kappa_title"), font=SECTION_FONT)])
    kappa = stats.kappa
    raters = list(dict.fromkeys([*kappa["rater_a"], *kappa["rater_b"]])) if len(kappa) else []
    for dim in stats.dimensions:
        ws.append([styled(ws, names.get(dim, dim), font=Font(bold=True))])
        ws.append(header(ws, ["", *raters]))
        sub = kappa[kappa["dimension"] == dim]
        lookup = {}
        for row in sub.itertuples(index=False):
            lookup[(row.rater_a, row.rater_b)] = lookup[(row.rater_b, row.rater_a)] = row.kappa
        for a in raters:
            ws.append([safe(ws, a), *[1.0 if a == b else _r(lookup.get((a, b))) for b in raters]])
    ws.append([])
    ws.append(
        header(
            ws,
            [
                L("rater_a"),
                L("rater_b"),
                L("dimension"),
                L("n"),
                L("kappa"),
                L("exact"),
                L("within_one"),
            ],
        )
    )
    for row in kappa.itertuples(index=False):
        ws.append(
            [
                safe(ws, row.rater_a),
                safe(ws, row.rater_b),
                safe(ws, names.get(row.dimension, row.dimension)),
                int(row.n),
                _r(row.kappa),
                _r(row.exact),
                _r(row.within_one),
            ]
        )
    color_rules(ws, "D1:D40", L)


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
    _finish(ws, len(labels), len(table), [12, 12, 12, 10, 22, 10, 40, 40, 40])
    fit_to_width(ws)
    ws.append(header(ws, labels))
    wrap = WrappedText(ws)
    for row in table.itertuples(index=False):
        item = texts[row.item_id]
        dims = str(row.dimensions).split(", ")
        parts = [
            f"{names.get(d, d)}: " + ", ".join(given[(row.item_id, d)])
            for d in dims
            if (row.item_id, d) in given
        ]
        ws.append(
            [
                item.uid,
                safe(ws, row.model),
                safe(ws, item.sample_id),
                int(row.max_range),
                safe(ws, ", ".join(names.get(d, d) for d in dims)),
                "✓" if row.resolved else "",
                wrap("\n".join(parts)),
                wrap(item.instruction),
                wrap(item.generated),
            ]
        )
