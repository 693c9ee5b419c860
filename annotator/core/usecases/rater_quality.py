"""Use case: per-rater quality signals and rater-adjusted means (issue 18).

Reads the time per item and the rating order (``RatingsRepo.activity_frame``) and the
lead's gold scores (``GoldRepo``), and hands them with the scores the statistics used to
the pure ``stats.rater_quality`` and ``stats.adjusted`` code.
"""

from __future__ import annotations

import pandas as pd

from annotator.core.domain.models import Rubric
from annotator.core.stats import StatsReport
from annotator.core.stats.adjusted import adjusted_means
from annotator.core.stats.rater_quality import RaterQualityReport, Thresholds, rater_quality
from annotator.core.storage import Database, RatingsRepo
from annotator.core.storage.gold import GoldRepo

__all__ = ["rater_quality_report"]


def rater_quality_report(
    db: Database,
    ratings: pd.DataFrame,
    items: pd.DataFrame,
    stats: StatsReport,
    rubric: Rubric,
    thresholds: Thresholds | None = None,
) -> RaterQualityReport:
    """Every rater's signals and flags, and each model's rater-adjusted means.

    Args:
        ratings: the scores the statistics used (``item_id, rater, dimension, score``;
            a promoted judge among the raters).
        items: ``item_id, model``.
        stats: the report computed from ``ratings`` (its leniency per rater).
        rubric: the dimensions and their weights (the composite).
    """
    activity = RatingsRepo(db.conn).activity_frame()
    gold = GoldRepo(db.conn).frame()
    lenient = stats.raters[["rater", "leniency", "shared_ratings"]] if len(stats.raters) else None
    adjusted = adjusted_means(
        ratings, items, rubric.keys, {d.key: d.weight for d in rubric.dimensions}
    )
    return rater_quality(
        ratings,
        activity,
        gold if len(gold) else None,
        lenient,
        thresholds,
        adjusted=adjusted,
    )
