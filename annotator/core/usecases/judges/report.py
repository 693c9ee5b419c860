"""Use case: every judge's numbers against the humans (``results.JudgesReport``).

Reads the human scores and judgments (``ratings``, ``judgments``: the humans only, never
a promoted judge) and each judge's own (``judge_scores``, ``judge_judgments``), and hands
them to the statistics through ``stats_adapter``. Per judge: its signature and counts;
per rubric dimension and over all of them, its agreement with the human mean and the
alternative annotator test; for side-by-side verdicts, accuracy against the human
majority, the consistency of its two orders and the test on accuracy; per model, the
prediction-powered means beside the human-only ones.
"""

from __future__ import annotations

import pandas as pd

from annotator.core.domain.gates import reason_terms
from annotator.core.domain.message import Message
from annotator.core.results import (
    JudgeAgreement,
    JudgeMean,
    JudgePairwise,
    JudgeResult,
    JudgesReport,
)
from annotator.core.storage import Database, ItemsRepo, RatingsRepo, RubricRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.usecases.judges import stats_adapter as adapter
from annotator.core.usecases.judges.settings import epsilon_of


def human_scores(db: Database) -> pd.DataFrame:
    """item_id, rater, dimension, score of the humans (names as plain text)."""
    frame = RatingsRepo(db.conn).scores_frame()
    return frame.astype({"rater": str, "dimension": str})


def judge_scores(db: Database, name: str | None = None) -> pd.DataFrame:
    """item_id, rater (the judge), dimension, score of one judge (or all)."""
    frame = JudgesRepo(db.conn).scores_frame(judge=name)
    return frame.rename(columns={"judge": "rater"})[["item_id", "rater", "dimension", "score"]]


def judges_report(
    db: Database,
    *,
    only: str | None = None,
    human: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
    judgments: pd.DataFrame | None = None,
    resamples: int = 1000,
) -> JudgesReport:
    """The report of every judge (or ``only`` one); the frames when the caller has them.

    ``resamples`` is accepted for the evaluation's sake: the intervals here are analytic.
    """
    del resamples
    epsilon = epsilon_of(db)
    judges = [j for j in JudgesRepo(db.conn).judges() if only is None or j["name"] == only]
    if not judges:
        return JudgesReport(epsilon)
    rubric = RubricRepo(db.conn).load()
    human = human_scores(db) if human is None else human
    items = (
        ItemsRepo(db.conn).frame()[["item_id", "model", "sample_id"]] if items is None else items
    )
    judgments = ComparisonsRepo(db.conn).frame() if judgments is None else judgments
    names = reason_terms(rubric)
    weights = {d.key: d.weight for d in rubric.dimensions}
    repo = JudgesRepo(db.conn)
    results = []
    for judge in judges:
        scores = judge_scores(db, judge["name"])
        verdicts = repo.judgments_frame(judge["name"]).rename(columns={"judge": "rater"})
        results.append(
            JudgeResult(
                name=judge["name"],
                signature=judge["signature"],
                promoted=judge["promoted"],
                scores=judge["scores"],
                items=int(scores["item_id"].nunique()),
                judgments=judge["judgments"],
                failures=judge["failures"],
                dimensions=_dimensions(human, scores, rubric.keys, names, epsilon),
                pairwise=_pairwise(judgments, verdicts, epsilon),
                means=_means(human, scores, items, list(rubric.keys), weights),
                labels=names | {"side_by_side": Message("side-by-side judgments")},
            )
        )
    return JudgesReport(epsilon, tuple(results))


def _dimensions(human, scores, keys, names, epsilon) -> tuple[JudgeAgreement, ...]:
    if not len(scores):
        return ()
    scored = set(scores["dimension"])
    out = []
    tested = [k for k in keys if k in scored]
    tests = adapter.alt_tests_scores(human, scores, tested, epsilon)
    for dimension in [*tested, adapter.ALL]:
        numbers = adapter.score_numbers(human, scores, dimension)
        test = tests[dimension]
        shown = names.get(dimension, dimension) if dimension != adapter.ALL else _all()
        out.append(
            JudgeAgreement(
                dimension=dimension,
                **numbers,
                winning_rate=test["winning_rate"],
                advantage_probability=test["advantage_probability"],
                epsilon=epsilon,
                passed=test["passed"],
                reading=adapter.reading(shown, test, epsilon),
            )
        )
    return tuple(out)


def _all() -> Message:
    return Message("all dimensions")


def _pairwise(human: pd.DataFrame, verdicts: pd.DataFrame, epsilon) -> JudgePairwise | None:
    if not len(verdicts):
        return None
    numbers = adapter.pairwise_numbers(human, verdicts, epsilon)

    return JudgePairwise(
        n=numbers["n"],
        accuracy=numbers["accuracy"],
        consistency=numbers["consistency"],
        both_orders=numbers["both_orders"],
        winning_rate=numbers["winning_rate"],
        advantage_probability=numbers["advantage_probability"],
        epsilon=epsilon,
        passed=numbers["passed"],
        reading=adapter.reading(Message("side-by-side judgments"), numbers, epsilon),
    )


def _means(human, scores, items, dimensions, weights) -> tuple[JudgeMean, ...]:
    if not len(scores):
        return ()
    rows = adapter.ppi_means(human, scores, items, dimensions, weights)
    return tuple(
        JudgeMean(
            model=r["model"],
            dimension=r["dimension"],
            mean=r["mean"],
            ci=tuple(r["ci"]),
            n_human=r["n_human"],
            n_judge=r["n_judge"],
            human_mean=r["human_mean"],
            human_ci=tuple(r["human_ci"]),
        )
        for r in rows
    )
