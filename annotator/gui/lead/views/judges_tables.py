"""The tables and words of the Judges page: one judge against the humans.

Each function fills a ``QTableWidget`` from a ``results.JudgeResult`` the statistics op
computed; nothing is computed here but the wording. Every cell keeps its raw value
(``SORT_ROLE``) and says in its tooltip how it was made; whether the judge passed the
alternative annotator test is a word, coloured only as well.
"""

from __future__ import annotations

import json

from PySide6.QtWidgets import QTableWidget

from annotator.core.i18n import tr
from annotator.gui.lead.common import number, percent
from annotator.gui.lead.views.cells import cell
from annotator.gui.lead.views.side_by_side_tables import fit

ALL = "all"
# Signature keys in the order a reader looks for them; the rest follow by name.
FIRST = ("kind", "model", "endpoint", "prompt_sha256", "temperature")

AGREEMENT_HEADERS = (
    "Dimension",
    "n",
    "Spearman",
    "Pearson",
    "MAE",
    "Bias",
    "Kappa",
    "Alpha humans",
    "Alpha with judge",
    "Omega",
    "Rho",
    "Test",
)
AGREEMENT = {name: index for index, name in enumerate(AGREEMENT_HEADERS)}
PAIRWISE_HEADERS = ("n", "Accuracy", "Consistency", "Both orders", "Omega", "Rho", "Test")
PAIRWISE = {name: index for index, name in enumerate(PAIRWISE_HEADERS)}
MEANS_HEADERS = ("Model", "Dimension", "PPI mean", "Human-only mean", "Human / judge scores")
MEANS = {name: index for index, name in enumerate(MEANS_HEADERS)}


def signature_text(signature: dict) -> str:
    """The judge's signature on one line, as a metric's: ``key:value|key:value``."""
    if not signature:
        return "–"
    keys = [k for k in FIRST if k in signature] + sorted(k for k in signature if k not in FIRST)
    parts = []
    for key in keys:
        value = signature[key]
        if (key.endswith("sha256") or key.endswith("hash")) and isinstance(value, str):
            value = value[:12]
        parts.append(f"{key}:{value}")
    return "|".join(parts)


def signature_tip(signature: dict) -> str:
    return json.dumps(signature, ensure_ascii=False, indent=1, sort_keys=True)


def passed_text(passed: bool | None) -> str:
    return {True: tr("passed"), False: tr("not passed"), None: tr("cannot test")}[passed]


def passed_meaning(passed: bool | None) -> str | None:
    return {True: "PASS", False: "FAIL", None: "NEEDS_MORE_DATA"}[passed]


def dimension_text(key: str, labels: dict[str, str]) -> str:
    if key == ALL:
        return tr("all dimensions")
    return labels.get(key) or (tr("composite") if key == "composite" else key)


def agreement_headers() -> list[str]:
    return [
        tr("Dimension"),
        tr("n"),
        tr("Spearman"),
        tr("Pearson"),
        tr("MAE"),
        tr("Bias\n(judge − humans)"),
        tr("Kappa\n(quadratic)"),
        tr("Alpha\nhumans"),
        tr("Alpha\nwith judge"),
        tr("Omega\n(winning rate)"),
        tr("Rho\n(advantage)"),
        tr("Test"),
    ]


def _agreement_tips(epsilon: float) -> dict[str, str]:
    return {
        "n": tr("items (and dimensions) with the judge's score and at least one human's"),
        "corr": tr("correlation of the judge's score with the items' human mean"),
        "mae": tr("mean absolute difference between the judge's score and the human mean"),
        "bias": tr("mean of (judge − human mean): above 0, the judge is more lenient"),
        "kappa": tr(
            "Cohen's kappa with quadratic weights, the judge against the humans' median"
            " rounded half up, on the 1-5 scale"
        ),
        "alpha": tr("Krippendorff's alpha (ordinal) of the humans alone, on the same items"),
        "alpha_j": tr("Krippendorff's alpha (ordinal) with the judge as one more rater"),
        "omega": tr(
            "alternative annotator test (Calderon et al., 2025): the share of humans the"
            " judge beats when each is left out in turn (one-sided t-test with margin"
            " epsilon = {epsilon}, Benjamini-Yekutieli at q = 0.05); the judge passes at"
            " 0.5 or more",
            epsilon=epsilon,
        ),
        "rho": tr(
            "average advantage probability: how likely the judge agrees with the other"
            " humans at least as well as the left-out human does"
        ),
    }


def fill_agreement(t: QTableWidget, judge, labels: dict[str, str]) -> None:
    """One row per rubric dimension the judge scored, then "all dimensions"."""
    t.clear()
    t.setColumnCount(len(AGREEMENT_HEADERS))
    t.setHorizontalHeaderLabels(agreement_headers())
    t.setRowCount(len(judge.dimensions))
    for r, d in enumerate(judge.dimensions):
        tips = _agreement_tips(d.epsilon)
        reading = d.reading.text()
        cells = (
            cell(dimension_text(d.dimension, labels), d.dimension, right=False),
            cell(str(d.n), d.n, tips["n"]),
            cell(number(d.spearman), d.spearman, "Spearman: " + tips["corr"]),
            cell(number(d.pearson), d.pearson, "Pearson: " + tips["corr"]),
            cell(number(d.mae), d.mae, tips["mae"]),
            cell(number(d.bias, signed=True), d.bias, tips["bias"]),
            cell(number(d.kappa), d.kappa, tips["kappa"]),
            cell(number(d.alpha_humans, 3), d.alpha_humans, tips["alpha"]),
            cell(number(d.alpha_with_judge, 3), d.alpha_with_judge, tips["alpha_j"]),
            cell(number(d.winning_rate), d.winning_rate, tips["omega"]),
            cell(number(d.advantage_probability), d.advantage_probability, tips["rho"]),
            cell(passed_text(d.passed), d.passed, reading, passed_meaning(d.passed), False),
        )
        for c, item in enumerate(cells):
            t.setItem(r, c, item)
    fit(t)


def readings_text(judge) -> str:
    """The test's reading of every row, one line each."""
    lines = [f"• {d.reading.text()}" for d in judge.dimensions]
    if judge.pairwise is not None:
        lines.append(f"• {judge.pairwise.reading.text()}")
    return "\n".join(lines)


def fill_pairwise(t: QTableWidget, pairwise) -> None:
    """The judge's side-by-side verdicts in one row (both orders combined)."""
    t.clear()
    headers = [
        tr("n"),
        tr("Accuracy\n(human majority)"),
        tr("Consistency\nof the two orders"),
        tr("Seen in\nboth orders"),
        tr("Omega\n(winning rate)"),
        tr("Rho\n(advantage)"),
        tr("Test"),
    ]
    t.setColumnCount(len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setRowCount(1)
    p = pairwise
    tips = _agreement_tips(p.epsilon)
    cells = (
        cell(str(p.n), p.n, tr("comparisons (and dimensions) with a human majority")),
        cell(
            percent(p.accuracy),
            p.accuracy,
            tr(
                "share of comparisons where the judge's verdict (both orders combined; two"
                " that disagree are a tie) is the humans' strict majority"
            ),
        ),  # fmt: skip
        cell(
            percent(p.consistency),
            p.consistency,
            tr(
                "share of the comparisons seen in both orders (A/B and B/A) where the two"
                " verdicts agree"
            ),
        ),  # fmt: skip
        cell(str(p.both_orders), p.both_orders),
        cell(number(p.winning_rate), p.winning_rate, tips["omega"]),
        cell(number(p.advantage_probability), p.advantage_probability, tips["rho"]),
        cell(passed_text(p.passed), p.passed, p.reading.text(), passed_meaning(p.passed), False),
    )
    for c, item in enumerate(cells):
        t.setItem(0, c, item)
    fit(t)


def with_ci(mean: float | None, ci) -> str:
    low, high = ci if ci else (None, None)
    if mean is None:
        return "–"
    if low is None or high is None:
        return number(mean)
    return f"{number(mean)} [{number(low)}, {number(high)}]"


def fill_means(t: QTableWidget, judge, labels: dict[str, str]) -> None:
    """Per model and dimension (and the composite): PPI++ beside the human-only mean."""
    t.clear()
    headers = [
        tr("Model"),
        tr("Dimension"),
        tr("PPI++ mean\n[95% CI]"),
        tr("Human-only mean\n[95% CI]"),
        tr("Scores used\nhuman / judge"),
    ]
    t.setColumnCount(len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setRowCount(len(judge.means))
    ppi_tip = tr(
        "prediction-powered inference, power-tuned (PPI++; Angelopoulos et al., 2023):"
        " the judge's scores on every item, corrected by the humans' on the items both"
        " scored; 95% interval"
    )
    human_tip = tr("the mean of the human scores alone and its 95% interval")
    for r, m in enumerate(judge.means):
        cells = (
            cell(m.model, m.model, right=False),
            cell(dimension_text(m.dimension, labels), m.dimension, right=False),
            cell(with_ci(m.mean, m.ci), m.mean, ppi_tip),
            cell(with_ci(m.human_mean, m.human_ci), m.human_mean, human_tip),
            cell(f"{m.n_human} / {m.n_judge}", (m.n_human, m.n_judge)),
        )
        for c, item in enumerate(cells):
            t.setItem(r, c, item)
    fit(t)
