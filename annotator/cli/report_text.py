"""``annotator report`` as text: the models and their verdicts, the decision rule, the paired
comparison of each candidate with the baseline, and agreement; tables aligned by display
width, every mean with the number of complete samples it rests on."""

from __future__ import annotations

from annotator.cli._table import text_table
from annotator.cli.judges_text import format_judges
from annotator.cli.pairwise_text import format_pairwise
from annotator.cli.raters_text import format_raters
from annotator.core.domain.decision import DecisionRule
from annotator.core.domain.wording import (
    difference_name,
    level_name,
    reading_name,
    verdict_name,
)
from annotator.core.i18n import tr


def _fmt(value, digits: int = 2, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _interval(low, high, digits: int = 2, signed: bool = False) -> str:
    return f"[{_fmt(low, digits, signed)}, {_fmt(high, digits, signed)}]"


def _rate(verdict: dict) -> str:
    rate = verdict.get("pass_rate")
    if rate is None:
        return "-"
    ci = verdict.get("pass_rate_ci") or {}
    low, high = ci.get("low"), ci.get("high")
    bounds = "" if low is None else f" [{low:.0%}, {high:.0%}]"
    return f"{rate:.0%}{bounds}"


def _models(data: dict, names: dict[str, str]) -> list[str]:
    stats, verdicts = data["stats"], data["verdicts"]
    dims = stats["settings"]["dimensions"]
    rows = [
        [tr("model"), *[names.get(d, d) for d in dims], tr("composite"), tr("95% CI"),
         tr("complete items"), tr("verdict"), tr("pass rate")]
    ]  # fmt: skip
    by_model = {m["model"]: m for m in verdicts["models"]}
    reasons: list[list[str]] = []
    for m in stats["models"]:
        comp = m["means"]["composite"]
        ci = comp.get("ci") or {}
        v = by_model.get(m["model"], {})
        rows.append(
            [
                m["model"],
                *[_fmt(m["means"][d]["mean"]) for d in dims],
                _fmt(comp["mean"]),
                _interval(ci.get("low"), ci.get("high")),
                tr("{complete} of {items}", complete=m["n_complete"], items=m["n_items"]),
                verdict_name(v.get("verdict")),
                _rate(v),
            ]
        )
        reasons.append(v.get("reasons", []))
    table = text_table(rows, right=set(range(1, len(dims) + 4)) | {len(dims) + 5})
    lines = [table[0]]
    for line, why in zip(table[1:], reasons, strict=True):
        lines.append(line)
        lines += [f"    - {reason}" for reason in why]
    lines.append(
        tr(
            "(means over complete items only: every dimension rated by at least {count} rater(s))",
            count=stats["settings"].get("min_raters", 2),
        )
    )
    decision = verdicts.get("decision")
    if decision:
        lines.append(decision_text(decision))
    if (data.get("gates_from") or {}).get("text"):
        lines.append(data["gates_from"]["text"])
    return lines


def decision_text(decision: dict) -> str:
    """The decision rule in force, in the reader's language."""
    rule = DecisionRule(decision["rule"], int(decision["minimum"]))
    return rule.describe(decision.get("confidence", 0.95)).text()


def _comparison(comparison: dict, names: dict[str, str]) -> list[str]:
    base, cand = comparison["baseline"], comparison["candidate"]
    title = tr(
        "{candidate} - {baseline} (candidate - baseline, on the samples both answered, "
        "complete for both)",
        candidate=cand,
        baseline=base,
    )
    rows = [[tr("measure"), tr("pairs"), base, cand, tr("difference"), tr("95% CI"), "p",
             "d_z", tr("reading")]]  # fmt: skip
    for m in comparison["measures"]:
        digits = 2 if m["kind"] != "metric" else 3
        rows.append(
            [
                names.get(m["measure"], tr("composite") if m["measure"] == "composite"
                          else m["measure"]),
                str(m["n_pairs"]),
                _fmt(m["baseline_mean"], digits),
                _fmt(m["candidate_mean"], digits),
                _fmt(m["diff"], digits, signed=True),
                _interval(m["ci_low"], m["ci_high"], digits, signed=True),
                "-" if m["p_value"] is None else f"{m['p_value']:.2g}",
                _fmt(m["effect_size"]),
                difference_name(m["reading"]) or m.get("note") or "",
            ]
        )  # fmt: skip
    return [title, *text_table(rows, right={1, 2, 3, 4, 5, 6, 7})]


def _comparisons(data: dict, names: dict[str, str]) -> list[str]:
    baseline = data.get("baseline") or {}
    if not data.get("comparisons"):
        return []
    lines = ["", baseline.get("text", "")]
    for comparison in data["comparisons"]:
        lines += ["", *_comparison(comparison, names)]
    lines.append(
        tr(
            "(difference: mean of candidate - baseline per sample, bootstrap 95% interval over"
            " samples; p: Wilcoxon signed-rank; d_z: mean difference / its standard deviation;"
            " better or worse when the whole interval is on one side of 0)"
        )
    )
    return lines


def _agreement(data: dict, names: dict[str, str]) -> list[str]:
    stats = data["stats"]
    rows = [[tr("agreement"), tr("alpha"), tr("95% CI"), tr("reading")]]
    for a in stats["agreement"]["alpha"]:
        bounds = a.get("ci") or {}
        dim = a["dimension"]
        label = tr("all dimensions") if dim == "all" and "all" not in names else names.get(dim, dim)
        rows.append(
            [
                label,
                _fmt(a.get("alpha"), 3),
                _interval(bounds.get("low"), bounds.get("high"), 3),
                reading_name(a.get("interpretation")),
            ]
        )
    return [
        "",
        *text_table(rows, right={1, 2}),
        tr(
            "(Krippendorff's alpha, {level}; {count} item(s) with a 2+ point disagreement)",
            level=level_name(stats["settings"]["level"]),
            count=stats["disagreement_count"],
        ),
    ]


def format_report(data: dict, names: dict[str, str] | None = None) -> str:
    """The report as terminal tables; ``names`` shows dimension keys in the reader's words."""
    names = names or {}
    lines = [f"{data['project']['name']}", ""]
    if data["project"].get("round") == "calibration":
        lines[1:1] = [tr("the calibration round only: the items every rater got first")]
    elif data["project"].get("round") == "main":
        lines[1:1] = [tr("the main round only: the calibration round's items left out")]
    lines += _models(data, names)
    lines += _comparisons(data, names)
    lines += format_pairwise(data.get("pairwise"), names)
    lines += _agreement(data, names)
    lines += format_raters(data, names)
    lines += format_judges(data.get("judges"), names)
    return "\n".join(lines)
