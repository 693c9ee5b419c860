"""The words of the Raters sheet, and the Summary's sentence per flagged rater.

Every label is a message of the one catalog, shown in the report's language. A flag's
code (``speeding``, ...) stays the code in ``report --json``; here it is a word. The
Summary's sentences live here, not in ``rater_quality``, so ``summary`` (through
``raters``) imports no sheet module that imports ``summary``.
"""

from __future__ import annotations

from annotator.core.domain.message import Message, Verbatim

HEADERS: dict[str, Message] = {
    "sheet": Message("Raters"),
    "title": Message("Rater quality: who needs a look, and why"),
    "rater": Message("Rater"),
    "items_done": Message("Items rated"),
    "median_seconds": Message("Median seconds per item"),
    "gold_scores": Message("Gold scores"),
    "gold_accuracy": Message("Gold accuracy"),
    "gold_mae": Message("Gold MAE"),
    "gold_missed": Message("Gold items missed"),
    "leniency": Message("Leniency"),
    "flags": Message("Flags"),
    "adjusted_title": Message("Rater-adjusted means"),
    "model": Message("Model"),
    "dimension": Message("Dimension"),
    "raw": Message("Raw mean"),
    "adjusted": Message("Adjusted mean"),
    "adjustment": Message("Adjustment"),
    "n": Message("n"),
    "note": Message("Note"),
    "no_flags": Message("No rater is flagged."),
    "no_gold": Message(
        "The project has no gold items (annotator gold PROJECT FILE imports expected scores)."
    ),
}

FLAG_WORDS: dict[str, Message] = {
    "speeding": Message("speeding"),
    "straight_lining": Message("straight-lining"),
    "drift": Message("drift"),
    "gold": Message("gold items failed"),
    "severity": Message("severity"),
}

ADJUSTED_NOTE = Message(
    "Each model's mean corrected for who rated what: per dimension, score = item effect + "
    "rater effect + error, fitted by least squares; a model's adjusted mean is the mean of "
    "its items' effects. When every rater rates every item it equals the raw mean; it "
    "differs when a harsh or lenient rater scored more of one model's items."
)


def flag_word(code: str) -> Message | Verbatim:
    return FLAG_WORDS.get(code, Verbatim("{code}", code=code))


def flag_words(codes, language: str) -> str:
    """The flags of one rater as words, in one cell ("speeding, gold items failed")."""
    sep = Message(", ").text(language)
    return sep.join(flag_word(c).text(language) for c in codes)


def team_lines(quality) -> list[Message]:
    """The team's references the flags compare each rater with."""
    seconds, share = quality.team_median_seconds, quality.team_straight_share
    out = [
        Message("No time per item is known (neither the app nor the imported files gave one).")
        if seconds is None
        else Message("The team's median time: {seconds:.1f} s per item.", seconds=seconds)
    ]
    if share is not None:
        out.append(
            Message(
                "The team's median share of items with the same score on every dimension: "
                "{share:.0%}.",
                share=share,
            )
        )
    return out


def thresholds_line(t) -> Message:
    """The rules of the flags, with the thresholds this report used."""
    return Message(
        "Flags: speeding, median time under {speed:.0%} of the team's or under {floor:.0f} s "
        "(at least {timed} timed items); straight-lining, the same score on every dimension "
        "for over {straight:.0%} of items and {margin:.0%} above the team (at least "
        "{straight_n} items); drift, the first and last third of the items in rating order "
        "differ, Mann-Whitney p < {p} (at least {drift_n} items); gold items failed, under "
        "{gold:.0%} of gold scores within tolerance (at least {gold_n}); severity, leniency "
        "beyond ±{severity:.2f} points (at least {shared} shared ratings).",
        speed=t.speeding_share,
        floor=t.speeding_floor,
        timed=t.min_timed_items,
        straight=t.straight_share,
        margin=t.straight_margin,
        straight_n=t.min_straight_items,
        p=t.drift_p,
        drift_n=t.min_drift_items,
        gold=t.gold_accuracy,
        gold_n=t.min_gold_scores,
        severity=t.severity,
        shared=t.min_shared_ratings,
    )


def missed_line(items: str) -> Message:
    return Message("gold items missed: {items}", items=items)


def flag_reason(flag) -> Message:
    """One flag said in words: its word and its reason ("speeding — median 1.5 s ...")."""
    return Message("{flag} — {reason}", flag=flag_word(flag.code), reason=flag.reason)


def summary_lines(evaluation) -> list[Message]:
    """The Summary's sentences: one per flagged rater, each flag with its reason, pointing
    to the Raters sheet. Nothing when no rater is flagged (or nothing was measured)."""
    quality = getattr(evaluation, "rater_quality", None)
    if quality is None:
        return []
    out = []
    for signals in quality.raters:
        if not signals.flags:
            continue
        parts = {f"p{n}": flag_reason(f) for n, f in enumerate(signals.flags)}
        template = "{sep}".join(f"{{{k}}}" for k in parts)
        out.append(
            Message(
                "{rater} needs a look: {reasons} (see the Raters sheet).",
                rater=signals.rater,
                reasons=Verbatim(template, sep=Message("; "), **parts),
            )
        )
    return out
