"""Use case: everything a lead reports — statistics, agreement, gated verdicts.

Reads ratings, items, metric values, adjudications and gates from the project
file and hands them to the pure ``stats`` and ``verdicts`` code.
"""

from __future__ import annotations

import math
import re

from annotator.core.domain.decision import (
    BASELINE_KEY,
    Baseline,
    DecisionRule,
    candidates,
    choose_baseline,
)
from annotator.core.domain.errors import AnnotatorError, ThresholdScaleError
from annotator.core.domain.gates import DEFAULT_GATES, Gate, gates_from_dicts, lower_is_better
from annotator.core.domain.message import Message
from annotator.core.results import Evaluation, JudgesReport
from annotator.core.stats import DEFAULT_RESAMPLES, DEFAULT_SEED, compute
from annotator.core.stats.bootstrap import Interval
from annotator.core.stats.pairwise import PairwiseReport, pairwise_report
from annotator.core.stats.summary import MeanCI
from annotator.core.storage import (
    Database,
    ItemsRepo,
    MetaRepo,
    ModelsRepo,
    RatingsRepo,
    RubricRepo,
)
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.evaluation_repo import AdjudicationsRepo, GatesRepo
from annotator.core.storage.gold import RoundsRepo
from annotator.core.storage.judges import JudgesRepo
from annotator.core.usecases.judges.counting import with_promoted_judgments, with_promoted_scores
from annotator.core.usecases.judges.report import judges_report
from annotator.core.usecases.judges.settings import gate_source
from annotator.core.usecases.metrics_run import last_runs, metrics_wide
from annotator.core.usecases.rater_quality import rater_quality_report
from annotator.core.verdicts import evaluate

__all__ = [
    "Evaluation",
    "baseline",
    "check_threshold",
    "evaluate_project",
    "load_gates",
    "parse_rule",
    "save_gates",
]

ZERO_ONE = ("bleu", "rouge", "chrf", "meteor", "bert", "accuracy", "f1")


def load_gates(db: Database) -> tuple[Gate, ...]:
    stored = GatesRepo(db.conn).load()
    return gates_from_dicts(stored) if stored else DEFAULT_GATES


def load_decision(db: Database) -> DecisionRule:
    """The project's decision rule and minimum (the defaults until changed)."""
    return DecisionRule.from_settings(MetaRepo(db.conn).all())


def baseline(db: Database) -> Baseline:
    """The project's baseline: named by the lead, else by its name, else the first imported."""
    models = [name for name, count in ModelsRepo(db.conn).counts() if count]
    return choose_baseline(models, MetaRepo(db.conn).get(BASELINE_KEY))


def evaluate_project(
    db: Database,
    *,
    level: str = "ordinal",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    gates: tuple[Gate, ...] | None = None,
    round_name: str | None = None,
) -> Evaluation:
    """Compute every statistic and verdict of the project, model comparisons included.

    ``round_name``: "calibration" (or "main") computes them on that round's items only,
    so the lead sees agreement and disagreements on the calibration round before the
    main one; side-by-side judgments and judges are then left out.
    Run it off the UI thread: it is the whole statistics op, and what it returns is only
    read afterwards.
    """
    rubric = RubricRepo(db.conn).load()
    humans = RatingsRepo(db.conn).scores_frame()
    items = ItemsRepo(db.conn).frame()
    metrics, signatures = metrics_wide(db)
    adjudicated = AdjudicationsRepo(db.conn).frame()
    if round_name is not None:
        keep = _round_filter(db, round_name)
        humans, items, metrics, adjudicated = (
            f[keep(f["item_id"])] for f in (humans, items, metrics, adjudicated)
        )
    ratings = with_promoted_scores(db, humans)  # a promoted judge counts as a rater
    meta = MetaRepo(db.conn)
    gates = gates if gates is not None else load_gates(db)
    chosen = baseline(db)
    models = [name for name, count in ModelsRepo(db.conn).counts() if count]
    metric_names = [str(c) for c in metrics.columns if c != "item_id"]
    stats = compute(
        ratings,
        items[["item_id", "model", "sample_id"]],
        metrics if len(metrics.columns) > 1 else None,
        dimensions=rubric.keys,
        weights={d.key: d.weight for d in rubric.dimensions},
        min_raters=int(meta.get("min_raters") or 2),
        level=level,
        adjudicated=adjudicated[["item_id", "dimension", "score"]] if len(adjudicated) else None,
        resamples=resamples,
        seed=seed,
        pairs=candidates(models, chosen) if chosen.model else (),
        lower_better=[m for m in metric_names if lower_is_better(m, gates)],
    )
    quality = rater_quality_report(db, ratings, items[["item_id", "model"]], stats, rubric)
    judgments = ComparisonsRepo(db.conn).frame()
    sides = judges = None
    if round_name is None:
        sides = side_by_side_report(db, chosen.model, seed=seed, resamples=resamples,
                                    frame=judgments)  # fmt: skip
        judges = _judges(db, humans, items, judgments)
    source = gate_source(db) if judges is not None else None
    verdicts = evaluate(
        stats,
        gates,
        rubric=rubric,
        decision=load_decision(db),
        pairwise=sides,
        baseline=chosen.model,
        gate_means=_ppi_means(judges.get(source)) if source else None,
    )
    project = {
        "name": meta.get("name"),
        "uuid": meta.get("uuid"),
        "language": meta.get("language"),
        "path": str(db.path),
        "round": round_name,
    }
    db.await_check()  # a file opened with its check in the background: damaged, no report
    return Evaluation(
        project,
        stats,
        verdicts,
        signatures,
        last_runs(db),
        adjudicated,
        baseline=chosen,
        pairwise=sides,
        judges=judges,
        gates_from=source,
        rater_quality=quality,
    )


ROUNDS = ("calibration", "main")


def _round_filter(db: Database, round_name: str):
    """A test on item ids: in the calibration round, or in none (the main round)."""
    if round_name not in ROUNDS:
        raise AnnotatorError(
            Message('the round is calibration or main, not "{value}"', value=round_name)
        )
    marked = {item_id for item_id, _ in RoundsRepo(db.conn).calibration()}
    if round_name == "calibration" and not marked:
        raise AnnotatorError(
            Message(
                "the project has no calibration round; hand one out with: annotator assign "
                "PROJECT --raters ... --calibration N"
            )
        )
    if round_name == "calibration":
        return lambda ids: ids.isin(marked).to_numpy()
    return lambda ids: ~ids.isin(marked).to_numpy()


def _judges(db: Database, humans, items, judgments) -> JudgesReport | None:
    """Every judge against the humans alone (None when the project has no judge)."""
    if not JudgesRepo(db.conn).judges():
        return None
    humans = humans.astype({"rater": str, "dimension": str})
    frames = {"human": humans, "items": items[["item_id", "model", "sample_id"]]}
    return judges_report(db, **frames, judgments=judgments)


def _ppi_means(judge) -> dict[str, dict[str, MeanCI]]:
    """Per model, the judge's prediction-powered means as the gates read a mean."""
    out: dict[str, dict[str, MeanCI]] = {}
    for m in judge.means if judge is not None else ():
        if m.mean is not None:
            interval = Interval(m.ci[0], m.ci[1])
            out.setdefault(m.model, {})[m.dimension] = MeanCI(m.mean, interval, m.n_human)
    return out


def side_by_side_report(
    db: Database, baseline_model: str | None, *, seed: int, resamples: int, frame=None
) -> PairwiseReport | None:
    """The side-by-side statistics of the project's judgments (and of the promoted
    judges' verdicts); None when it has none."""
    frame = ComparisonsRepo(db.conn).frame() if frame is None else frame
    frame = with_promoted_judgments(db, frame)
    if not len(frame):
        return None
    return pairwise_report(frame, baseline=baseline_model, seed=seed, resamples=resamples)


# -- gate editing ----------------------------------------------------------------------------
_RULE = re.compile(r"^\s*([\w:.\-/]+)\s*(>=|<=|>|<)\s*([-+]?\d+(?:\.\d+)?)\s*$")


def parse_rule(text: str, gates: tuple[Gate, ...]) -> Gate:
    """``"bleu >= 0.35"`` changes the gate with that key (or target); ``"metric:chrf >= 0.5"``
    adds a gate. The threshold is checked against the scale of what it measures."""
    match = _RULE.match(text)
    if not match:
        raise AnnotatorError(
            Message(
                '"{text}" is not a rule; write it like "bleu >= 0.4" or "human:composite >= 4"',
                text=text,
            )
        )
    name, op, threshold = match.group(1), match.group(2), float(match.group(3))
    existing = next((g for g in gates if name in (g.key, g.target)), None)
    if existing is None:  # a default gate the stored ones predate (the pass rate)
        existing = next((g for g in DEFAULT_GATES if name in (g.key, g.target)), None)
    if existing:
        gate = Gate(
            existing.key,
            existing.target,
            op,
            threshold,
            True,
            existing.hard,
            existing.source or "edited",
        )
    elif ":" in name:
        gate = Gate(name.split(":", 1)[1], name, op, threshold, True, False, "added by the lead")
    else:
        keys = ", ".join(g.key for g in gates)
        raise AnnotatorError(
            Message(
                'no gate "{name}" (gates: {keys}); to add one, name its target: '
                "metric:{name}, human:{name} or min:{name}",
                name=name,
                keys=keys,
            )
        )
    check_threshold(gate)
    return gate


def check_threshold(gate: Gate) -> None:
    """Refuse a threshold on the wrong scale: BLEU 40 on a 0-1 scale is almost surely 0.40."""
    value = float(gate.threshold)
    if gate.kind == "rate" and not 0 <= value <= 1:
        if 1 < value <= 100:  # 80 (percent) is almost surely 0.80
            raise ThresholdScaleError(
                Message(
                    "{rule}: a pass rate is a share from 0 to 1; did you mean {suggestion:.2f}?",
                    rule=gate.describe(),
                    suggestion=value / 100,
                ),
                suggestion=round(value / 100, 2),
            )
        raise AnnotatorError(
            Message("{rule}: a pass rate is a share from 0 to 1", rule=gate.describe())
        )
    if gate.kind == "pair" and gate.name not in ("net", "win_rate"):
        raise AnnotatorError(
            Message(
                "{rule}: a side-by-side gate is pair:net or pair:win_rate", rule=gate.describe()
            )
        )
    if gate.kind == "pair" and not (-1 <= value <= 1 if gate.name == "net" else 0 <= value <= 1):
        raise AnnotatorError(
            Message(
                "{rule}: a net score runs from -1 to 1 and a win rate from 0 to 1",
                rule=gate.describe(),
            )
        )
    if gate.kind in ("human", "min") and not 1 <= value <= 5:
        raise AnnotatorError(Message("{rule}: human scores run from 1 to 5", rule=gate.describe()))
    if gate.kind == "metric" and gate.name.lower().startswith(ZERO_ONE) and not 0 <= value <= 1:
        if 1 < value <= 100:
            raise ThresholdScaleError(  # carries the value: the app asks without parsing
                Message(
                    "{rule}: {metric} is on a 0-1 scale; did you mean {suggestion:.2f}?",
                    rule=gate.describe(),
                    metric=gate.name,
                    suggestion=value / 100,
                ),
                suggestion=round(value / 100, 2),
            )
        raise AnnotatorError(
            Message("{rule}: {metric} is on a 0-1 scale", rule=gate.describe(), metric=gate.name)
        )
    if math.isnan(value):
        raise AnnotatorError(Message("{key}: the threshold is not a number", key=gate.key))


def save_gates(db: Database, gates: tuple[Gate, ...]) -> None:
    with db.transaction():
        GatesRepo(db.conn).replace(g.to_dict() for g in gates)
