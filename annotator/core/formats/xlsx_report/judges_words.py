"""The words of the Judges sheet, and the Summary's sentences about judges.

Every label is a message of the one catalog, shown in the report's language; the words
the text report already uses ("passed", "expert raters", ...) are its own messages. The
Summary's sentences live here, not in ``judges``, so ``summary`` imports no sheet that
imports it.
"""

from __future__ import annotations

from annotator.core.domain.message import Message, Verbatim
from annotator.core.i18n import current_language, normalize

LEVELS = {
    0.2: Message("expert raters"),
    0.15: Message("skilled raters"),
    0.1: Message("crowd raters"),
}
PASSED = {True: Message("passed"), False: Message("not passed"), None: Message("cannot test")}

HEADERS: dict[str, Message | Verbatim] = {
    "sheet": Message("Judges"),
    "title": Message("LLM judges against the human raters: can a judge replace a rater?"),
    "signature": Message("Signature"),
    "scores": Message("Scores given"),
    "items": Message("Items scored"),
    "judgments": Message("Side-by-side verdicts"),
    "failures": Message("Failures"),
    "promoted": Message("Counts as a rater"),
    "yes": Message("yes"),
    "no": Message("no"),
    "dimension": Message("Dimension"),
    "n": Message("n"),
    "spearman": Message("Spearman"),
    "pearson": Message("Pearson"),
    "mae": Message("MAE"),
    "bias": Message("Bias (judge - humans)"),
    "kappa": Message("Kappa (quadratic)"),
    "alpha_humans": Message("Alpha, humans"),
    "alpha_with_judge": Message("Alpha, humans and judge"),
    "omega": Message("Winning rate (omega)"),
    "rho": Message("Advantage probability (rho)"),
    "epsilon": Verbatim("epsilon"),
    "test": Message("Alternative annotator test"),
    "how": Message(
        "(n: items with the judge's score and a human's; Spearman, Pearson, MAE and bias "
        "against the mean of the human scores of each item; kappa against the rounded human "
        "median; alpha: Krippendorff's, ordinal; the test leaves one human out at a time)"
    ),
    "side_by_side": Message("Side by side"),
    "verdicts": Message("Verdicts (both orders)"),
    "accuracy": Message("Accuracy against the human majority"),
    "consistency": Message("The two orders agree"),
    "both_orders": Message("Seen in both orders"),
    "ppi_title": Message("Prediction-powered means"),
    "model": Message("Model"),
    "ppi_mean": Message("PPI++ mean"),
    "ci_low": Message("95% CI low"),
    "ci_high": Message("95% CI high"),
    "human_mean": Message("Human-only mean"),
    "n_human": Message("Human scores"),
    "n_judge": Message("Judge scores"),
}

PPI_NOTE = Message(
    "Prediction-powered inference (PPI++, Angelopoulos et al. 2023) estimates each model's "
    "mean human score from the human scores and the judge's scores together: the items both "
    "scored correct the judge's bias, so the 95% interval stays valid, and it is narrower "
    "than the human-only one when the judge scored items the humans did not."
)


def signature_text(signature: dict) -> str:
    """A judge's signature on one line, as a metric's: ``key:value|key:value`` (hashes cut
    to 12 characters), as the text report shows it."""
    if not signature:
        return "-"
    parts = []
    for key in sorted(signature):
        value = signature[key]
        if (key.endswith("sha256") or key.endswith("hash")) and isinstance(value, str):
            value = value[:12]
        parts.append(f"{key}:{value}")
    return "|".join(parts)


def summary_lines(evaluation) -> list[Message]:
    """The Summary's sentences about judges: one per promoted judge (why it counts as a
    rater), the gates' source when it is a judge, or a pointer to the Judges sheet when
    judges exist and none counts as a rater. Nothing when the project has no judge."""
    report = evaluation.judges
    if report is None or not report.judges:
        return []
    promoted = report.promoted()
    lines: list[Message] = [_Capital(j.promotion()) for j in promoted]
    if not promoted:
        lines.append(
            Message(
                "LLM judges in this project: {names}. None of them counts as a rater; how "
                "each agrees with the human raters, and its prediction-powered means, are on "
                "the Judges sheet.",
                names=", ".join(j.name for j in report.judges),
            )
        )
    gates = evaluation.gates_from_text()
    if gates is not None:
        lines.append(gates)
    return lines


class _Capital:
    """A message shown with a capital first letter (a clause made a sentence)."""

    def __init__(self, message: Message):
        self.message = message

    def text(self, language: str | None = None) -> str:
        shown = self.message.text(language)
        stop = "。" if normalize(language or current_language()) == "zh_CN" else "."
        return shown[:1].upper() + shown[1:] + ("" if shown.endswith(stop) else stop)
