"""Sheet names and headers in the project's language (zh_CN or en).

Every label is a message of the one catalog (English id, Chinese in the .po), shown in
the report's language. Verdicts and readings of alpha come from ``core.wording``, so
the report and the app call the same reading by the same words. A word the report
translates otherwise than the app ("Items" as a count: 条目数, the app's "Items": 条目)
is a ``pgettext`` entry with its own context.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.domain.message import Message, Verbatim
from annotator.core.domain.wording import difference_name, reading_name, verdict_name
from annotator.core.i18n import catalog, current_language, normalize


@dataclass(frozen=True)
class Contextual:
    """A catalog entry with a context (gettext's msgctxt): the same English, its own
    translation. Shown like a ``Message``: ``text(language)``."""

    context: str
    msgid: str

    def text(self, language: str | None = None) -> str:
        lang = normalize(language) if language else current_language()
        return catalog(lang).pgettext(self.context, self.msgid)

    def __str__(self) -> str:
        return self.text()


def pgettext(context: str, msgid: str) -> Contextual:
    """``msgid`` in ``context`` (extracted by packaging/messages.py as msgctxt)."""
    return Contextual(context, msgid)


_LABELS: dict[str, Message | Contextual] = {
    "summary": Message("Summary"),
    "items": Message("Items"),
    "ratings": Message("Ratings"),
    "agreement": Message("Agreement"),
    "disagreements": Message("Disagreements"),
    "charts": Message("Charts"),
    "report_title": Message("Human evaluation report"),
    "project": Message("Project"),
    "generated_at": pgettext("time", "Generated"),
    "file": Message("Project file"),
    "items_n": pgettext("count of items", "Items"),
    "raters": Message("Raters"),
    "gates": Message("Gates (pass rules)"),
    "rule": Message("Rule"),
    "on": Message("On"),
    "hard": Message("Hard"),
    "source": Message("Source"),
    "models": Message("Models"),
    "model": Message("Model"),
    "n_items": Message("Items"),
    "complete": Message("Complete"),
    "composite": Message("Composite"),
    "ci": pgettext("report column", "95% CI"),
    "verdict": Message("Verdict"),
    "pass_rate": Message("Item pass rate"),
    "reasons": Message("Reasons"),
    "comparison": Message("Before / after (paired by sample)"),
    "measure": Message("Measure"),
    "pairs": Message("Pairs"),
    "difference": Message("Difference"),
    "p_value": Message("p (Wilcoxon)"),
    "effect": Verbatim("d_z"),
    "agreement_title": Message("Inter-rater agreement (Krippendorff's alpha)"),
    "dimension": Message("Dimension"),
    "all_dimensions": Message("all"),
    "alpha": Message("Alpha"),
    "reading": Message("Reading"),
    "units": Message("Units"),
    "exact": Message("Exact agreement"),
    "within_one": Message("Within one point"),
    "kappa_title": Message("Pairwise Cohen's kappa (quadratic weights)"),
    "rater_a": Message("Rater A"),
    "rater_b": Message("Rater B"),
    "kappa": Verbatim("Kappa"),
    "n": Message("n"),
    "signatures": Message("How the automatic numbers were made"),
    "metric": Message("Metric"),
    "signature": Message("Signature"),
    "diagnostics": Message("Diagnostics"),
    "correlation": Message("Spearman rho with composite"),
    "id": Message("Item"),
    "sample_id": Message("Sample"),
    "instruction": Message("Instruction"),
    "reference": Message("Reference"),
    "generated": Message("Generated"),
    "mean": Message("mean"),
    "comments": Message("Comments"),
    "rater": Message("Rater"),
    "score": Message("Score"),
    "time": Message("Time"),
    "origin": Message("Origin"),
    "max_range": Message("Max difference"),
    "dimensions": Message("Dimensions"),
    "resolved": Message("Adjudicated"),
    "kind": Message("Kind"),
    "value": Message("Value"),
    "chart_means": Message("Dimension means per model"),
    "chart_composite": Message("Composite score distribution"),
    "count": pgettext("count of items", "Items"),
    "examples": Message("Examples"),
    "surface": Message(
        "Surface match: automatic high, human low (looks like the reference, reads badly)"
    ),
    "narrow": Message(
        "Narrow reference: human high, automatic low (good answer, reference too narrow)"
    ),
    "adjudicated": Message("Adjudicated scores (lead)"),
    "note": Message("Note"),
    "raters_title": Message("Raters: means, leniency and time per item"),
    "items_rated": Message("Items rated"),
    "overall_mean": Message("Overall mean"),
    "leniency": Message("Leniency"),
    "median_seconds": Message("Median seconds per item"),
    "mean_seconds": Message("Mean seconds per item"),
    "no_times": Message(
        "No time per item was recorded (the ratings came from sheets or files, not the app)"
    ),
    "leniency_note": Message(
        "Leniency: the rater's score minus the other raters' mean on the same item and "
        "dimension; above 0 scores higher than colleagues"
    ),
    # the Side by side sheet (issue 16)
    "side_by_side": Message("Side by side"),
    "sbs_title": Message("Side by side (GSB): A is the candidate, B the model it is compared with"),
    "sbs_how": Message(
        "(win rate = (A better + half of same and both bad) / judgments; net = (A better -"
        " B better) / judgments; 95% intervals resample samples; sign test on A better vs"
        " B better; alpha: ordinal, on -1/0/+1)"
    ),
    "pair": Message("Pair"),
    "overall": Message("overall"),
    "gsb_g": Message("G: A better"),
    "gsb_s": Message("S: same"),
    "gsb_b": Message("B: B better"),
    "both_bad": Message("Both bad"),
    "win_rate": Message("Win rate of A"),
    "net": Message("Net score"),
    "sign_p": Message("Sign test p"),
    "samples": Message("Samples"),
    "judgments": Message("Judgments"),
    "position_bias": Message("Position bias"),
    "chose_left": Message("Chose the left answer"),
    "chose_side": Message("Chose a side"),
    "share_left": Message("Share left"),
    "p_50": Message("p (binomial test against 50%)"),
    "all_pairs": Message("all pairs"),
    "left": Message("left"),
    "right": Message("right"),
    "rank": Message("Rank"),
    "elo": Message("Rating (Elo)"),
    "anchor": Message("anchor"),
    "win_matrix": Message("Predicted win probability (row beats column)"),
    "chart_gsb": Message("Share of judgments per pair"),
}


class Labels:
    def __init__(self, language: str):
        self.language = "zh_CN" if str(language).startswith("zh") else "en"
        self.zh = self.language == "zh_CN"
        self.colon = Message(": ").text(self.language)

    def __call__(self, key: str) -> str:
        label = _LABELS.get(key)
        return key if label is None else label.text(self.language)

    def verdict(self, value: str) -> str:
        return verdict_name(str(value), self.language)

    def difference(self, value: str) -> str:
        """A paired comparison's reading ("better", ...); "" when it has none."""
        return difference_name(value, self.language)

    def mismatch(self, kind: str) -> str:
        return self("surface" if kind.startswith("surface") else "narrow")

    def reading(self, value: str) -> str:
        return reading_name(value, self.language)
