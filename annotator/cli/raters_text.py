"""Rater quality as text (issue 18): the Raters part of ``annotator report`` and the
rater-adjusted means beside the raw ones, read back from ``report --json``'s ``raters``
entries and ``adjusted_means``. Every flag comes with its reason in words."""

from __future__ import annotations

from annotator.cli._table import text_table
from annotator.core.i18n import tr


def _num(value, digits: int = 2, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _share(value) -> str:
    return "-" if value is None else f"{value:.0%}"


def _raters(raters: list[dict]) -> list[str]:
    rows = [[tr("rater"), tr("items"), tr("median s"), tr("gold"), tr("gold MAE"),
             tr("leniency"), tr("flags")]]  # fmt: skip
    reasons = []
    for r in raters:
        rows.append([str(r["rater"]), str(r.get("items_done", "-")),
                     _num(r.get("median_seconds"), 1), _share(r.get("gold_accuracy")),
                     _num(r.get("gold_mae")), _num(r.get("leniency"), signed=True),
                     ", ".join(r.get("flags") or []) or "-"])  # fmt: skip
        reasons.append([*(r.get("flag_reasons") or []), *(r.get("quality_notes") or [])])
    table = text_table(rows, right={1, 2, 3, 4, 5})
    lines = [table[0]]
    for line, why in zip(table[1:], reasons, strict=True):
        lines += [line, *(f"    - {reason}" for reason in why)]
    return lines


def _adjusted(means: list[dict], names: dict[str, str]) -> list[str]:
    dims = list(dict.fromkeys(m["dimension"] for m in means))
    dims = [d for d in dims if d != "composite"] + (["composite"] if "composite" in dims else [])
    cells = {(m["model"], m["dimension"]): m for m in means}
    header = [tr("model"), *[tr("composite") if d == "composite" else names.get(d, d)
                             for d in dims], tr("items")]  # fmt: skip
    rows, notes = [header], []
    for model in dict.fromkeys(m["model"] for m in means):
        row = [model]
        for d in dims:
            m = cells.get((model, d))
            row.append("" if m is None else f"{_num(m['raw'])} -> {_num(m['adjusted'])}")
            if m is not None and m.get("note") and m["note"] not in notes:
                notes.append(m["note"])
        row.append(str(max((cells[(model, d)]["n"] for d in dims if (model, d) in cells),
                           default=0)))  # fmt: skip
        rows.append(row)
    return [*text_table(rows), *(f"    - {note}" for note in notes)]


def format_raters(data: dict, names: dict[str, str] | None = None) -> list[str]:
    """The report's Raters section and the rater-adjusted means (nothing without ratings)."""
    names = names or {}
    raters = (data.get("stats") or {}).get("raters") or []
    if not raters:
        return []
    lines = ["", tr("Raters (gold: share of gold scores within tolerance; leniency: points "
                    "above the other raters on shared items)")]  # fmt: skip
    lines += _raters(raters)
    means = data.get("adjusted_means") or []
    if means:
        lines += ["", tr("Rater-adjusted means (raw -> adjusted: score = item effect + rater "
                         "effect, least squares per dimension)")]  # fmt: skip
        lines += _adjusted(means, names)
    return lines
