"""The Raters sheet: which rater needs a look and why, and the rater-adjusted means.

Written when the evaluation has rater quality signals (``evaluation.rater_quality``,
issue 18). One row per rater: items rated, median seconds per item, gold scores, gold
accuracy (a percentage), gold MAE, gold items missed, leniency (+0.00) and the flags as
words; below the table each flag's reason and each note in words, one line each, and
the gold items a rater missed. The team's references and the flags' thresholds are said
above the table. Then the rater-adjusted means per model and dimension (and composite):
raw, adjusted, the adjustment, n, and the too-sparse note. Laid out in a ``Grid`` as the
Judges sheet (widths of the longest text, Chinese counted double; numbers as numbers).
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule

from annotator.core.formats.xlsx_report.cells import column_letter
from annotator.core.formats.xlsx_report.grid import Centred, Grid, Num
from annotator.core.formats.xlsx_report.layout import print_setup
from annotator.core.formats.xlsx_report.rater_quality_words import (
    ADJUSTED_NOTE,
    HEADERS,
    flag_reason,
    flag_words,
    missed_line,
    team_lines,
    thresholds_line,
)
from annotator.core.formats.xlsx_report.summary import RED, RED_FONT
from annotator.core.formats.xlsx_report.text_lines import wrapped

COMPOSITE = "composite"
RATER_COLUMNS = (
    "rater",
    "items_done",
    "median_seconds",
    "gold_scores",
    "gold_accuracy",
    "gold_mae",
    "gold_missed",
    "leniency",
    "flags",
)
FLAGS_COLUMN = column_letter(RATER_COLUMNS.index("flags") + 1)
MISSED_SHOWN = 12  # gold items named per rater; the count says the rest


def write_rater_quality(ws, data, L) -> None:
    """The sheet of ``data.evaluation.rater_quality`` (the caller skips it when None)."""
    quality = data.evaluation.rater_quality
    lang = L.language
    grid = Grid()
    grid.title(_h("title", lang))
    _sentence(grid, ("" if L.zh else " ").join(m.text(lang) for m in team_lines(quality)))
    _sentence(grid, thresholds_line(quality.thresholds).text(lang))
    grid.blank()
    first = len(grid.rows) + 2  # the first rater's row (1-based, after the header)
    _raters(grid, quality, data, lang)
    print_setup(ws)  # before the first row: write-only sheets stream their header
    ws.freeze_panes = f"B{first}"
    _adjusted(grid, quality.adjusted, data, L)
    grid.write(ws)
    if quality.raters:  # a flagged rater's flags cell in red (the words say it too)
        cells = f"{FLAGS_COLUMN}{first}:{FLAGS_COLUMN}{first + len(quality.raters) - 1}"
        rule = FormulaRule(formula=[f"LEN({FLAGS_COLUMN}{first})>0"], fill=RED, font=RED_FONT)
        ws.conditional_formatting.add(cells, rule)


def _h(key: str, language: str) -> str:
    return HEADERS[key].text(language)


def _sentence(grid: Grid, text: str) -> None:
    for line in wrapped(text):
        grid.note(line)


def _raters(grid: Grid, quality, data, lang) -> None:
    grid.header([_h(k, lang) for k in RATER_COLUMNS])
    for s in quality.raters:
        gold = s.gold
        grid.row(
            s.rater,
            Num(s.items_done, "count"),
            Num(s.median_seconds, "score"),  # two decimals: a speeder's 1.5 s is not "2"
            Num(None if gold is None else gold.n, "count"),
            Num(None if gold is None else gold.accuracy, "percent"),
            Num(None if gold is None else gold.mae, "score"),
            Num(None if gold is None else len(gold.missed), "count"),
            Num(s.leniency, "signed_score"),
            flag_words(s.codes, lang),
        )
    if not any(s.flags for s in quality.raters):
        grid.note(_h("no_flags", lang))
    if quality.raters and all(s.gold is None for s in quality.raters):
        grid.note(_h("no_gold", lang))
    samples = _samples(data)
    for s in quality.raters:  # the reasons in words, one line each, under the table
        for flag in s.flags:
            _reason(grid, s.rater, flag_reason(flag).text(lang))
        for note in s.notes:
            _reason(grid, s.rater, note.text(lang))
        if s.gold is not None and s.gold.missed:
            _reason(grid, s.rater, _missed(s.gold.missed, samples, lang))
    grid.blank()


def _reason(grid: Grid, rater: str, text: str) -> None:
    for n, line in enumerate(wrapped(text, 110)):
        grid.note(rater if n == 0 else "", line)


def _samples(data) -> dict[int, str]:
    items = data.items
    if items is None or not len(items):
        return {}
    names = items["model"].astype(str) + "/" + items["sample_id"].astype(str)
    return dict(zip(items["item_id"].astype(int), names, strict=True))


def _missed(missed, samples: dict[int, str], lang: str) -> str:
    shown = [samples.get(int(i), str(i)) for i in missed[:MISSED_SHOWN]]
    more = " …" if len(missed) > MISSED_SHOWN else ""
    return missed_line(", ".join(shown) + more).text(lang)


def _adjusted(grid: Grid, adjusted, data, L) -> None:
    if adjusted is None or not adjusted.means:
        return
    lang = L.language
    names = {d.key: d.name(lang) for d in data.rubric.dimensions}
    names[COMPOSITE] = L("composite")
    grid.section(_h("adjusted_title", lang))
    _sentence(grid, ADJUSTED_NOTE.text(lang))
    keys = ("model", "dimension", "raw", "adjusted", "adjustment", "n", "note")
    grid.header([_h(k, lang) for k in keys])
    notes: list[str] = []
    for m in _ordered(adjusted.means, [d.key for d in data.rubric.dimensions]):
        mark = None
        if m.note is not None:
            text = m.note.text(lang)
            if text not in notes:
                notes.append(text)
            mark = f"({notes.index(text) + 1})"
        shift = None if m.adjusted is None or m.raw is None else m.adjusted - m.raw
        grid.row(
            m.model,
            names.get(m.dimension, m.dimension),
            Num(m.raw, "score"),
            Num(m.adjusted, "score"),
            Num(shift, "signed_score"),
            Num(m.n, "count"),
            Centred(mark),
        )
    for n, text in enumerate(notes, start=1):
        for k, line in enumerate(wrapped(text, 110)):
            grid.note(f"({n})" if k == 0 else "", line)
    grid.blank()


def _ordered(means, dimensions: list[str]):
    """Per model (as given), the rubric's dimensions in order, then the composite."""
    rank = {d: k for k, d in enumerate([*dimensions, COMPOSITE])}
    models = list(dict.fromkeys(m.model for m in means))
    return sorted(means, key=lambda m: (models.index(m.model), rank.get(m.dimension, 99)))
