"""Use case: create side-by-side comparisons (one sample answered by two models).

A comparison's ``a`` is the candidate, ``b`` the model it is compared with: the baseline
when the pair has it, otherwise the model imported first. Creating again adds what is
new (samples imported since) and changes nothing else; a pair already compared the other
way round is not compared twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.storage import Database, MetaRepo, ModelsRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.usecases.evaluation import baseline


@dataclass
class PairCreated:
    model_a: str  # the candidate
    model_b: str  # the baseline (or the model imported first)
    created: int
    existing: int
    samples: int  # samples both models answered


@dataclass
class CreateReport:
    pairs: list[PairCreated] = field(default_factory=list)
    baseline: str | None = None

    @property
    def created(self) -> int:
        return sum(p.created for p in self.pairs)

    def to_dict(self) -> dict:
        return {
            "baseline": self.baseline,
            "created": self.created,
            "pairs": [dict(vars(p)) for p in self.pairs],
        }


def _refuse_package(db: Database) -> None:
    if MetaRepo(db.conn).get("kind") == "package":
        raise AnnotatorError(
            Message(
                "{path} is a rater package; create comparisons in the project file", path=db.path
            )
        )


def _pairs(models: list[str], chosen: str | None, *, names, vs_baseline, all_pairs):
    """(candidate, other) pairs the request asks for, oriented as the module says."""
    asked = sum(bool(x) for x in (names, vs_baseline, all_pairs))
    if asked != 1:
        raise AnnotatorError(
            Message("say which comparisons to create: --models A,B, --vs-baseline or --all-pairs")
        )
    order = {m: n for n, m in enumerate(models)}

    def oriented(x: str, y: str) -> tuple[str, str]:
        if y == chosen or (x != chosen and order[y] < order[x]):
            return x, y
        return y, x

    if names:
        unknown = [m for m in names if m not in order]
        if unknown:
            raise AnnotatorError(
                Message(
                    'no model "{name}" in the project (models: {models})',
                    name=unknown[0],
                    models=", ".join(models) or "-",
                )
            )
        if len(names) != 2 or names[0] == names[1]:
            raise AnnotatorError(Message("--models takes two different models: A,B"))
        return [oriented(*names)]
    if vs_baseline:
        return [(m, chosen) for m in models if m != chosen]
    return [oriented(x, y) for x, y in combinations(models, 2)]


def create_comparisons(
    db: Database,
    *,
    models: list[str] | None = None,
    vs_baseline: bool = False,
    all_pairs: bool = False,
) -> CreateReport:
    """Create the comparisons of each pair asked for, on the samples both models answered.

    Raises:
        AnnotatorError: a rater package, no request or more than one, an unknown model,
            fewer than two models, or no sample that both models of a pair answered.
    """
    _refuse_package(db)
    names = [m for m, count in ModelsRepo(db.conn).counts() if count]
    chosen = baseline(db).model
    if len(names) < 2:
        raise AnnotatorError(
            Message("side by side needs two models; the project has {n}", n=len(names))
        )
    pairs = _pairs(names, chosen, names=models, vs_baseline=vs_baseline, all_pairs=all_pairs)
    repo, ids = ComparisonsRepo(db.conn), ModelsRepo(db.conn)
    found = [(a, b, repo.candidates(ids.id_for(a), ids.id_for(b))) for a, b in pairs]
    if not any(rows for _, _, rows in found):
        raise AnnotatorError(
            Message(
                "no sample was answered by both models of {pairs}; nothing was created",
                pairs="; ".join(f"{a} / {b}" for a, b, _ in found),
            )
        )
    report, existing, adding = CreateReport(baseline=chosen), repo.existing(), []
    for model_a, model_b, rows in found:
        new = [
            (f"{ua}|{ub}", sample, a, b)
            for sample, a, b, ua, ub in rows
            if frozenset((a, b)) not in existing
        ]
        existing.update((frozenset((a, b)), 0) for _, _, a, b in new)
        adding += new
        report.pairs.append(
            PairCreated(model_a, model_b, len(new), len(rows) - len(new), len(rows))
        )
    if adding:  # creating again with nothing new leaves the file as it was
        with db.transaction():
            repo.add(adding)
    return report
