"""The Judges sheet: each LLM judge against the human raters, and the PPI++ means.

Written only when the project has a judge (``evaluation.judges``). Per judge: its name,
its signature on one line and its counts; one table with a row per rubric dimension and
one over all of them (agreement with the human mean and the alternative annotator test,
passed said as a word), the test's reading of each row in words; its side-by-side row when
it judged pairs; then the prediction-powered means beside the human-only ones, with one
sentence saying what they are and which means the verdicts use. Laid out in a ``Grid``
(widths of the longest text, Chinese counted double; number formats of their kind).
"""

from __future__ import annotations

from openpyxl.formatting.rule import CellIsRule

from annotator.core.domain.message import Message
from annotator.core.formats.xlsx_report.cells import column_letter
from annotator.core.formats.xlsx_report.grid import Centred, Grid, Num
from annotator.core.formats.xlsx_report.judges_words import (
    HEADERS,
    LEVELS,
    PASSED,
    PPI_NOTE,
    signature_text,
)
from annotator.core.formats.xlsx_report.layout import print_setup
from annotator.core.formats.xlsx_report.summary import (
    GREEN,
    GREEN_FONT,
    GREY,
    GREY_FONT,
    RED,
    RED_FONT,
    color_rules,
)
from annotator.core.formats.xlsx_report.text_lines import wrapped
from annotator.core.i18n import tr

ALL = "all"
COMPOSITE = "composite"
FROZEN = "A3"  # the title and the test's line stay in view
LINE = 130  # terminal columns of a long sentence's line: the width of the widest table


def write_judges(ws, data, L) -> None:
    """The sheet of ``data.evaluation.judges`` (the caller skips it when that is None)."""
    report = data.evaluation.judges
    lang = L.language
    names = {d.key: d.name(lang) for d in data.rubric.dimensions}
    names[ALL] = Message("all dimensions").text(lang)
    names[COMPOSITE] = L("composite")
    grid = Grid()
    grid.title(_h("title", lang))
    _sentence(grid, test_line(report.epsilon))
    grid.blank()
    for judge in report.judges:
        _judge(grid, judge, data, names, lang)
    print_setup(ws)  # before the first row: write-only sheets stream their header
    ws.freeze_panes = FROZEN
    grid.write(ws)
    last = column_letter(max(len(grid.widths()), 17))
    cells = f"A1:{last}{len(grid.rows) + 1}"
    color_rules(ws, cells, L)
    passed_colours(ws, cells, lang)


def test_line(epsilon: float) -> str:
    """The test's margin and who it assumes the raters are, in the text report's words."""
    level = LEVELS.get(epsilon)
    return tr(
        "Judges (alternative annotator test with epsilon = {epsilon}, {level}; a judge "
        "counts as a rater only when the lead promotes it)",
        epsilon=epsilon,
        level=level.text() if level else "",
    )


def _sentence(grid: Grid, text: str, label: str | None = None) -> None:
    """A long text as notes of one line each (after ``label`` in the first column)."""
    for n, line in enumerate(wrapped(text, LINE if label is None else LINE - 30)):
        if label is None:
            grid.note(line)
        else:
            grid.note(label if n == 0 else "", line)


def passed_word(value: bool | None, language: str) -> str:
    return PASSED[value].text(language)


def passed_colours(ws, cells: str, language: str) -> None:
    """Passed green, not passed red, cannot test grey (words, so readable in print too)."""
    for value, fill, font in ((True, GREEN, GREEN_FONT), (False, RED, RED_FONT),
                              (None, GREY, GREY_FONT)):  # fmt: skip
        word = passed_word(value, language)
        rule = CellIsRule(operator="equal", formula=[f'"{word}"'], fill=fill, font=font)
        ws.conditional_formatting.add(cells, rule)


def _h(key: str, language: str) -> str:
    return HEADERS[key].text(language)


def _judge(grid: Grid, judge, data, names, lang) -> None:
    grid.section(judge.name)
    _sentence(grid, signature_text(judge.signature), _h("signature", lang))
    grid.header([_h(k, lang) for k in ("scores", "items", "judgments", "failures", "promoted")])
    grid.row(
        Num(judge.scores, "count"),
        Num(judge.items, "count"),
        Num(judge.judgments, "count"),
        Num(judge.failures, "count"),
        Centred(_h("yes" if judge.promoted else "no", lang)),
    )
    promotion = judge.promotion()
    if promotion is not None:
        _sentence(grid, capitalised(promotion.text(lang)))
    grid.blank()
    _dimensions(grid, judge, names, lang)
    _side_by_side(grid, judge, lang)
    _means(grid, judge, data, names, lang)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _dimensions(grid: Grid, judge, names, lang) -> None:
    if not judge.dimensions:
        return
    grid.header(
        [
            _h(k, lang)
            for k in (
                "dimension",
                "n",
                "spearman",
                "pearson",
                "mae",
                "bias",
                "kappa",
                "alpha_humans",
                "alpha_with_judge",
                "omega",
                "rho",
                "epsilon",
                "test",
            )
        ]  # fmt: skip
    )
    for d in judge.dimensions:
        grid.row(
            names.get(d.dimension, d.dimension),
            Num(d.n, "count"),
            Num(d.spearman, "agree"),
            Num(d.pearson, "agree"),
            Num(d.mae, "score"),
            Num(d.bias, "signed_score"),
            Num(d.kappa, "agree"),
            Num(d.alpha_humans, "agree"),
            Num(d.alpha_with_judge, "agree"),
            Num(d.winning_rate, "rate"),
            Num(d.advantage_probability, "rate"),
            Num(d.epsilon, "rate"),
            Centred(passed_word(d.passed, lang)),
        )
    for d in judge.dimensions:  # the reading of each row, in words, one line each
        grid.note(names.get(d.dimension, d.dimension), d.reading.text(lang))
    _sentence(grid, _h("how", lang))
    grid.blank()


def _side_by_side(grid: Grid, judge, lang) -> None:
    p = judge.pairwise
    if p is None:
        return
    grid.header(
        [
            _h(k, lang)
            for k in (
                "side_by_side",
                "n",
                "accuracy",
                "consistency",
                "both_orders",
                "omega",
                "rho",
                "epsilon",
                "test",
            )
        ]  # fmt: skip
    )
    grid.row(
        _h("verdicts", lang),
        Num(p.n, "count"),
        Num(p.accuracy, "share"),
        Num(p.consistency, "share"),
        Num(p.both_orders, "count"),
        Num(p.winning_rate, "rate"),
        Num(p.advantage_probability, "rate"),
        Num(p.epsilon, "rate"),
        Centred(passed_word(p.passed, lang)),
    )
    grid.note(_h("side_by_side", lang), p.reading.text(lang))
    grid.blank()


def _means(grid: Grid, judge, data, names, lang) -> None:
    if not judge.means:
        return
    grid.section(_h("ppi_title", lang))
    _sentence(grid, PPI_NOTE.text(lang))
    chosen = data.evaluation.gates_from == judge.name
    gates = data.evaluation.gates_from_text() if chosen else Message(
        "The verdicts use the human-only means (the lead may choose this judge's "
        "prediction-powered means instead: annotator judges PROJECT --gates-from {judge}).",
        judge=judge.name,
    )  # fmt: skip
    _sentence(grid, gates.text(lang))
    grid.header(
        [
            _h(k, lang)
            for k in (
                "model",
                "dimension",
                "ppi_mean",
                "ci_low",
                "ci_high",
                "human_mean",
                "ci_low",
                "ci_high",
                "n_human",
                "n_judge",
            )
        ]  # fmt: skip
    )
    for m in judge.means:
        grid.row(
            m.model,
            names.get(m.dimension, m.dimension),
            Num(m.mean, "score"),
            Num(m.ci[0], "score"),
            Num(m.ci[1], "score"),
            Num(m.human_mean, "score"),
            Num(m.human_ci[0], "score"),
            Num(m.human_ci[1], "score"),
            Num(m.n_human, "count"),
            Num(m.n_judge, "count"),
        )
    grid.blank()
