"""Use case: decide which rater rates which item.

The unit of assignment is a *sample group*: every item with the same sample id,
whatever the model, goes to the same raters, because comparing two models item by
item needs the same people to have judged both outputs. Loads are balanced in
groups (with one model per sample, that is in items): greedy least-loaded choice,
ties broken by a seeded random draw so rater pairs vary and a seed reproduces it.
"""

from __future__ import annotations

import fnmatch
import math
import random
from dataclasses import dataclass, field

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.i18n import tr
from annotator.core.storage import Database, RatersRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.gold import GoldRepo, RoundsRepo
from annotator.core.storage.rater_names import rater_key
from annotator.core.storage.team_repo import TeamRepo
from annotator.core.usecases.team.gold_mix import (
    calibration_groups,
    gold_count,
    gold_for_raters,
)
from annotator.core.usecases.team.pairs import assign_pairs, pairs_notice
from annotator.core.usecases.team.seal import project_secret

FILTER_KEYS = ("model", "sample", "id", "uid")


@dataclass
class AssignReport:
    """What ``assign`` decided, for the CLI's summary."""

    raters: list[str]
    per_item: int
    seed: int
    items: int
    groups: int
    shared_groups: int
    shared_items: int
    load: dict[str, int] = field(default_factory=dict)  # rater -> items assigned
    kept_elsewhere: int = 0  # assignments of items outside the filter, left as they were
    notices: list[str] = field(default_factory=list)
    comparisons: int = 0  # side-by-side comparisons assigned (rater, comparison) pairs
    pair_load: dict[str, int] = field(default_factory=dict)  # rater -> comparisons assigned
    gold_items: int = 0  # gold items handed out, to every rater or a share each
    calibration_items: int = 0  # items every rater gets first (the calibration round)

    def to_dict(self) -> dict:
        return dict(vars(self))


def parse_filter(text: str | None) -> list[tuple[str, str]]:
    """``"model=lora-v2 sample=s1*"`` -> [("model", "lora-v2"), ("sample", "s1*")].

    Terms are separated by spaces and all must match; a bare term is a sample-id glob.
    """
    terms = []
    for part in (text or "").split():
        key, sep, value = part.partition("=")
        if not sep:
            key, value = "sample", part
        key = key.strip().lower()
        if key not in FILTER_KEYS or not value:
            raise AnnotatorError(
                Message(
                    '"{part}" is not an item filter; write model=NAME, sample=GLOB (e.g. '
                    "sample=s1*) or a bare sample-id glob; several terms, separated by spaces, "
                    "must all match",
                    part=part,
                )
            )
        terms.append((key, value))
    return terms


def _matches(terms: list[tuple[str, str]], uid: str, sample: str, model: str) -> bool:
    values = {"model": model, "sample": sample, "id": sample, "uid": uid}
    return all(fnmatch.fnmatchcase(values[k], v) for k, v in terms)


def _shared_count(shared: float, n_groups: int) -> int:
    # nan and inf would escape as ValueError/OverflowError from int() below
    number = isinstance(shared, (int, float)) and not isinstance(shared, bool)
    if not number or not math.isfinite(shared):
        raise AnnotatorError(
            Message(
                "the shared samples are a number of samples (e.g. 5) or a fraction "
                "(e.g. 0.1), not {value}",
                value=shared,
            )
        )
    if shared < 0:
        raise AnnotatorError(Message("the number of shared samples cannot be negative"))
    if 0 < shared < 1:  # a fraction of the sample groups
        return max(1, round(shared * n_groups))
    if shared != int(shared):
        raise AnnotatorError(
            Message(
                "the shared samples are a number of samples (e.g. 5) or a fraction "
                "(e.g. 0.1), not {value}",
                value=shared,
            )
        )
    return min(int(shared), n_groups)


def assign(
    db: Database,
    raters: list[str],
    per_item: int | None = None,
    items_filter: str | None = None,
    seed: int = 0,
    shared: float = 0,
    gold: str | float | None = "all",
    calibration: int | None = 0,
) -> AssignReport:
    """Assign the (filtered) items to raters; replaces their earlier assignment.

    Args:
        db: the project's database.
        raters: rater names; each must be unique.
        per_item: raters per item (default: all of them).
        items_filter: see ``parse_filter``; items outside it keep their assignment.
        seed: the same seed and inputs give the same assignment.
        shared: sample groups rated by everyone (a count, or a fraction below 1), so
            agreement can be computed when raters do not otherwise all overlap.
        gold: the gold items each rater gets among their work: "all" (the default), a
            share of them or a count (0: handed out like any other item).
        calibration: every rater gets the same this many items (seeded), as a first
            round (``round`` calibration); the rest is the main round.

    Side-by-side comparisons touching a selected item go to the raters of their sample,
    each with the side the rater sees it on (``pairs.assign_pairs``).

    Returns:
        An ``AssignReport`` with each rater's load. Ratings are never deleted.
    """
    names, matched = known_spellings(db, [r.strip() for r in raters if r.strip()])
    if not names:
        raise AnnotatorError(Message("name at least one rater, e.g. alice,bob,carol"))
    k = len(names) if per_item is None else per_item
    # a fraction or a text would escape as a TypeError from the slicing below
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(names):
        raise AnnotatorError(
            Message(
                "the raters per item must be a whole number from 1 to the number of raters "
                "({count}), not {value}",
                count=len(names),
                value=k,
            )
        )
    team = TeamRepo(db.conn)
    groups = _groups(team, items_filter)

    rng = random.Random(seed)
    order = sorted(groups)
    rng.shuffle(order)
    gold_ids = set(GoldRepo(db.conn).items())
    gold_groups = [s for s in order if gold_ids.intersection(groups[s])]
    per_rater_gold = gold_count(gold, len(gold_groups))
    gold_groups = gold_groups if per_rater_gold else []
    order = [s for s in order if s not in set(gold_groups)]
    calib = calibration_groups(order, groups, calibration)
    order = order[len(calib) :]
    gold_of = gold_for_raters(gold_groups, names, per_rater_gold, rng)
    gold_shared = int(per_rater_gold >= len(gold_groups))  # every rater has all of it
    dealt = {sample for samples in gold_of.values() for sample in samples}
    order += [s for s in gold_groups if s not in dealt]  # a share nobody got: as any item
    gold_groups = [s for s in gold_groups if s in dealt]
    n_shared = _shared_count(shared, len(order))
    report = AssignReport(
        raters=names,
        per_item=k,
        seed=seed,
        items=sum(len(v) for v in groups.values()),
        groups=len(order) + len(gold_groups) + len(calib),
        shared_groups=n_shared,
        shared_items=0,
        load=dict.fromkeys(names, 0),
    )
    report.notices.extend(matched)
    if n_shared and k == len(names):
        report.notices.append(
            tr("every item is already rated by every rater; shared samples change nothing")
        )
    shared_groups, rest = order[:n_shared], order[n_shared:]
    # Largest groups first (stable, so the shuffle still decides among equals): the
    # classic greedy rule that keeps loads within one group of each other.
    rest.sort(key=lambda s: -len(groups[s]))
    plan: list[tuple[int, str, int]] = []
    raters_of: dict[str, list[str]] = {}  # sample -> its raters (for its comparisons)
    calib_items = [i for sample in calib for i in groups[sample]]
    report.calibration_items = len(calib_items)
    report.gold_items = sum(len(groups[s]) for s in gold_groups)
    # first the calibration round and the gold items: the rest is balanced around them
    give = _Giver(groups, plan, report, raters_of)
    for sample in calib:
        give(sample, names, 1)
    for name, samples in gold_of.items():
        for sample in samples:
            give(sample, [name], gold_shared)
    for sample in shared_groups:
        give(sample, names, 1)
        report.shared_items += len(groups[sample])
    for sample in rest:
        give(sample, sorted(names, key=lambda n: (report.load[n], rng.random()))[:k], 0)

    selected = [i for ids in groups.values() for i in ids]
    if calibration and not calib:
        report.notices.append(tr("no item is left for a calibration round"))
    before = team.assignments()
    chosen_items = set(selected)
    report.kept_elsewhere = sum(1 for item_id, _, _ in before if item_id not in chosen_items)
    # only a project with comparisons needs the secret (for the sides); taken before writing
    secret = project_secret(db) if ComparisonsRepo(db.conn).count() else None
    pair_load: dict[str, int] = {}
    with db.transaction():
        repo = RatersRepo(db.conn)
        ids = {name: repo.id_for(name, create=True) for name in names}
        team.replace_assignments(selected, ((i, ids[n], s) for i, n, s in plan))
        RoundsRepo(db.conn).mark_calibration((i, ids[n]) for i in calib_items for n in names)
        if secret is not None:
            pair_load = assign_pairs(db, secret, raters_of, chosen_items)
    if pair_load:
        report.pair_load = {n: pair_load.get(n, 0) for n in names}
        report.comparisons = sum(pair_load.values())
        report.notices.append(pairs_notice(pair_load, names))
    return report


def _groups(team: TeamRepo, items_filter: str | None) -> dict[str, list[int]]:
    """sample id -> the ids of its items (every model's) that match the filter."""
    terms = parse_filter(items_filter)
    groups: dict[str, list[int]] = {}
    for item_id, uid, sample, model in team.items_for_assignment():
        if _matches(terms, uid, sample, model):
            groups.setdefault(sample, []).append(item_id)
    if not groups:
        raise AnnotatorError(
            Message('no item matches the filter "{filter}"', filter=items_filter)
            if items_filter
            else Message("the project has no items yet; import some first")
        )
    return groups


@dataclass
class _Giver:
    """Gives a sample group to raters: their load, the plan, the raters of the sample."""

    groups: dict[str, list[int]]
    plan: list[tuple[int, str, int]]
    report: AssignReport
    raters_of: dict[str, list[str]]

    def __call__(self, sample: str, names: list[str], shared: int) -> None:
        self.raters_of.setdefault(sample, []).extend(names)
        for name in names:
            self.report.load[name] += len(self.groups[sample])
            self.plan.extend((item_id, name, shared) for item_id in self.groups[sample])


def known_spellings(db: Database, given: list[str]) -> tuple[list[str], list[str]]:
    """The raters as the project spells them, and a warning for each other spelling.

    "wang  wu" or full-width "ｗａｎｇ ｗｕ" is the rater "Wang Wu" (``storage.rater_names``);
    two spellings of one rater in one list is an error naming both.

    Raises:
        AnnotatorError: a rater is named twice (in any spelling).
    """
    repo = RatersRepo(db.conn)
    names: list[str] = []
    notices: list[str] = []
    first: dict[str, str] = {}
    for name in given:
        key = rater_key(name)
        if name in first.values():  # the very same spelling twice
            raise AnnotatorError(Message("rater(s) named twice: {names}", names=name))
        if key in first:
            raise AnnotatorError(
                Message(
                    'rater named twice: "{first}" and "{again}" are the same rater',
                    first=first[key],
                    again=name,
                )
            )
        first[key] = name
        stored = repo.display_name(name) or name
        if stored != name:
            notices.append(
                tr(
                    '"{given}" is taken as the rater "{stored}" (names that differ '
                    "only by case, width or spaces are the same rater)",
                    given=name,
                    stored=stored,
                )
            )
        names.append(stored)
    return names, notices
