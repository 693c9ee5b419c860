"""LLM judges as text (issue 17): the Judges part of ``annotator report`` and the list of
``annotator judges`` (``report --json``'s ``judges`` section, read back). Each judge's
numbers stand next to its signature, and the test's reading is said in words."""

from __future__ import annotations

from annotator.cli._table import text_table
from annotator.core.i18n import tr

LEVELS = {0.2: "expert", 0.15: "skilled", 0.1: "crowd"}


def _num(value, digits: int = 2, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _ci(ci) -> str:
    low, high = (ci or {}).get("low"), (ci or {}).get("high")
    return "-" if low is None else f"[{low:.2f}, {high:.2f}]"


def signature_text(signature: dict) -> str:
    """A judge's signature on one line, as a metric's: ``key:value|key:value``."""
    if not signature:
        return "-"
    parts = []
    for key in sorted(signature):
        value = signature[key]
        if (key.endswith("sha256") or key.endswith("hash")) and isinstance(value, str):
            value = value[:12]
        parts.append(f"{key}:{value}")
    return "|".join(parts)


def level_text(epsilon) -> str:
    level = LEVELS.get(epsilon)
    words = {"expert": tr("expert raters"), "skilled": tr("skilled raters"),
             "crowd": tr("crowd raters")}  # fmt: skip
    return words.get(level, "") if level else ""


def _passed(value) -> str:
    return {True: tr("passed"), False: tr("not passed"), None: tr("cannot test")}[value]


def _dimensions(judge: dict, names: dict[str, str]) -> list[str]:
    rows = [[tr("dimension"), "n", "spearman", "pearson", "mae", "bias", "kappa",
             tr("alpha humans"), tr("alpha with judge"), "omega", "rho", tr("test")]]  # fmt: skip
    readings = []
    for d in judge["dimensions"]:
        key = d["dimension"]
        label = tr("all dimensions") if key == "all" else names.get(key, key)
        rows.append([label, str(d["n"]), _num(d["spearman"]), _num(d["pearson"]),
                     _num(d["mae"]), _num(d["bias"], signed=True), _num(d["kappa"]),
                     _num(d["alpha_humans"], 3), _num(d["alpha_with_judge"], 3),
                     _num(d["winning_rate"]), _num(d["advantage_probability"]),
                     _passed(d["passed"])])  # fmt: skip
        readings.append(d["reading"])
    if len(rows) == 1:
        return []
    return [*("  " + line for line in text_table(rows, right=set(range(1, 11)))),
            *(f"    - {r}" for r in readings)]  # fmt: skip


def _pairwise(judge: dict) -> list[str]:
    p = judge.get("side_by_side")
    if not p:
        return []
    return [
        "  "
        + tr(
            "side by side: accuracy {accuracy} against the human majority on {n}; the two "
            "orders agree on {consistency} of {both} seen both ways",
            accuracy=_num(p["accuracy"]),
            n=p["n"],
            consistency=_num(p["consistency"]),
            both=p["both_orders"],
        ),
        f"    - {p['reading']}",
    ]


def _means(judge: dict, names: dict[str, str]) -> list[str]:
    rows = [[tr("model"), tr("dimension"), tr("PPI mean"), tr("95% CI"), tr("human scores"),
             tr("judge scores"), tr("human-only mean"), tr("95% CI")]]  # fmt: skip
    for m in judge["ppi"]:
        key = m["dimension"]
        label = tr("composite") if key == "composite" else names.get(key, key)
        rows.append([m["model"], label, _num(m["mean"]), _ci(m["ci"]), str(m["n_human"]),
                     str(m["n_judge"]), _num(m["human_mean"]), _ci(m["human_ci"])])  # fmt: skip
    if len(rows) == 1:
        return []
    return [
        "  " + tr("prediction-powered means (PPI++), beside the human-only means:"),
        *("  " + line for line in text_table(rows, right={2, 3, 4, 5, 6, 7})),
    ]


def judge_heading(judge: dict) -> str:
    counts = judge["counts"]
    return tr(
        "{name}  [{signature}]  {scores} scores on {items} items, {judgments} side-by-side "
        "verdicts, {failures} failures",
        name=judge["name"],
        signature=signature_text(judge["signature"]),
        scores=counts["scores"],
        items=counts["items"],
        judgments=counts["judgments"],
        failures=counts["failures"],
    )


def format_judges(judges: list[dict] | None, names: dict[str, str] | None = None) -> list[str]:
    """The report's Judges section (nothing when the project has no judge)."""
    if not judges:
        return []
    names = names or {}
    epsilon = judges[0]["epsilon"]
    lines = ["", tr("Judges (alternative annotator test with epsilon = {epsilon}, {level}; a "
                    "judge counts as a rater only when the lead promotes it)",
                    epsilon=epsilon, level=level_text(epsilon))]  # fmt: skip
    for judge in judges:
        lines += ["", judge_heading(judge)]
        if judge.get("promotion"):
            lines.append("  " + judge["promotion"])
        lines += _dimensions(judge, names) + _pairwise(judge) + _means(judge, names)
    return lines
