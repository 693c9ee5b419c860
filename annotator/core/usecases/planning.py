"""Use case: how many samples and raters the decision needs, from the ratings so far."""

from __future__ import annotations

from annotator.core.results import Evaluation
from annotator.core.stats.plan import Plan, plan
from annotator.core.storage import Database
from annotator.core.usecases.evaluation import evaluate_project


def plan_project(
    db: Database,
    *,
    evaluation: Evaluation | None = None,
    delta: float = 0.3,
    half_width: float = 0.1,
    power: float = 0.8,
    alpha: float = 0.05,
) -> Plan:
    """The plan of the project (``stats.plan.plan``): each candidate against the baseline,
    each model's interval, raters per item. ``evaluation``: one just made (the lead window
    has it), else the project is evaluated here without intervals (the plan needs none).

    Raises:
        InputError: a target out of its range (named in the message).
    """
    if evaluation is None:
        evaluation = evaluate_project(db, resamples=0)
    stats = evaluation.stats
    return plan(
        stats.items,
        stats.alpha,
        evaluation.baseline.model,
        [c.candidate for c in stats.comparisons],
        delta=delta,
        half_width=half_width,
        power=power,
        alpha=alpha,
        confidence=stats.confidence,
    )
