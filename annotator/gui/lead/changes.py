"""What a write changed, so that each view redraws only when it is concerned (Anki's OpChanges).

A write of the lead's own (an import, a merge, a gate edit…) names the kinds of data
it changed; the lead controller recomputes the statistics once and hands the result
only to the views whose ``CONCERNS`` meet those kinds. A write by another process is
only seen as a new change token, so the poll that notices it redraws everything.
"""

from __future__ import annotations

from dataclasses import dataclass

ITEMS = "items"  # items added or updated (an import)
RATINGS = "ratings"  # raters' scores (a merge, a sheet) and the lead's adjudications
METRICS = "metrics"  # automatic metric values (computed, or imported with the items)
GATES = "gates"  # the pass/fail rules
ASSIGNMENTS = "assignments"  # who rates which item
BASELINE = "baseline"  # the model candidates are compared with
JUDGMENTS = "judgments"  # side-by-side comparisons and their judgments (issue 16)
KINDS = frozenset({ITEMS, RATINGS, METRICS, GATES, ASSIGNMENTS, BASELINE, JUDGMENTS})

# Which kinds of data each view of the lead window shows. The overview and the items
# page show verdicts (gates) next to the means and metrics; agreement and disagreements
# depend on the scores alone; the raters page on scores and assignments. The overview
# shows the comparisons with the baseline, and verdicts that may rest on a side-by-side
# gate; the side-by-side page shows the judgments (merged like ratings, so a merge's
# RATINGS concern it too).
CONCERNS: dict[str, frozenset[str]] = {
    "overview": frozenset({ITEMS, RATINGS, METRICS, GATES, BASELINE, JUDGMENTS}),
    "side_by_side": frozenset({ITEMS, RATINGS, BASELINE, JUDGMENTS}),
    "agreement": frozenset({ITEMS, RATINGS}),
    "disagreements": frozenset({ITEMS, RATINGS}),
    "items": frozenset({ITEMS, RATINGS, METRICS, GATES}),
    "raters": frozenset({ITEMS, RATINGS, ASSIGNMENTS}),
}


@dataclass(frozen=True)
class Changes:
    """The kinds of data one or more writes changed (a value: combine with ``|``)."""

    kinds: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *kinds: str) -> Changes:
        """Changes of the given kinds; an unknown kind is a programming error."""
        unknown = set(kinds) - KINDS
        if unknown:
            raise ValueError(f"unknown change kinds: {sorted(unknown)}")
        return cls(frozenset(kinds))

    @classmethod
    def everything(cls) -> Changes:
        """Anything may have changed (the first load, a refresh, another process's write)."""
        return cls(KINDS)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def concerns(self, view: str) -> bool:
        """True when ``view`` (a key of ``CONCERNS``) shows data of a changed kind."""
        return bool(self.kinds & CONCERNS[view])


NOTHING = Changes()
