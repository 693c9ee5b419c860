"""Use case: the lead's progress view, per rater.

"Assigned" is the rater's assignment, or every item when the project has no
assignments; "done" counts assigned items with every dimension scored. Works on
a package too (its one rater, all its items). Side-by-side comparisons are counted
the same way next to the items: assigned to the rater (or all, without comparison
assignments) and judged (overall, and on each dimension when the project asks for it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from annotator.core.domain.side_by_side import DIMENSIONS_KEY
from annotator.core.i18n import display_width, pad, tr
from annotator.core.storage import Database, MetaRepo, RatersRepo, RubricRepo
from annotator.core.storage.comparisons import ComparisonsRepo
from annotator.core.storage.team_pairs import TeamPairsRepo
from annotator.core.storage.team_repo import TeamRepo


@dataclass(frozen=True)
class RaterStatus:
    rater: str
    assigned: int
    done: int
    remaining: int
    shared: int  # assigned items that every rater shares (for agreement)
    last_merge: str | None
    last_score: str | None
    comparisons: int = 0  # side-by-side comparisons assigned
    judged: int = 0  # of them, judged on every dimension asked for


def team_status(db: Database) -> dict:
    """Per rater: assigned, done, remaining, last merge and last score time.

    Returns:
        ``{"kind", "items", "dimensions", "has_assignments", "raters": [RaterStatus as dict]}``
    """
    team = TeamRepo(db.conn)
    meta = MetaRepo(db.conn)
    all_items = [row[0] for row in team.items_for_assignment()]
    n_dims = len(RubricRepo(db.conn).ids())
    assigned: dict[str, list[int]] = {}
    shared: dict[str, int] = {}
    for item_id, name, is_shared in team.assignments():
        assigned.setdefault(name, []).append(item_id)
        shared[name] = shared.get(name, 0) + int(bool(is_shared))
    has_assignments = bool(assigned)
    package_rater = meta.get("package_rater")
    names = list(
        dict.fromkeys(
            [*RatersRepo(db.conn).names(), *assigned, *([package_rater] if package_rater else [])]
        )
    )
    scored = team.scored_counts()
    merges, last_scores = team.last_merge_times(), team.last_score_times()
    pairs = _pairs(db)
    names = list(dict.fromkeys([*names, *pairs["assigned"]]))
    rows = []
    for name in names:
        items = assigned.get(name, [] if has_assignments else all_items)
        done = sum(1 for i in items if n_dims and scored.get((name, i), 0) >= n_dims)
        cids = pairs["assigned"].get(name, pairs["all"])
        judged = sum(1 for c in cids if pairs["judged"].get((name, c), 0) >= pairs["dims"])
        rows.append(
            RaterStatus(
                rater=name,
                assigned=len(items),
                done=done,
                remaining=len(items) - done,
                shared=shared.get(name, 0),
                last_merge=merges.get(name),
                last_score=last_scores.get(name),
                comparisons=len(cids),
                judged=judged,
            )
        )
    return {
        "kind": meta.get("kind") or "project",
        "items": len(all_items),
        "dimensions": n_dims,
        "has_assignments": has_assignments,
        "comparisons": pairs["count"],
        "raters": [asdict(r) for r in rows],
    }


def _pairs(db: Database) -> dict:
    """Comparisons: how many, who judges which, judged dimensions per (rater, comparison)."""
    repo = ComparisonsRepo(db.conn)
    count = repo.count()
    if not count:
        return {"count": 0, "assigned": {}, "all": [], "judged": {}, "dims": 1}
    team = TeamPairsRepo(db.conn)
    assigned: dict[str, list[int]] = {}
    for cid, name, _ in team.assignments():
        assigned.setdefault(name, []).append(cid)
    per_dimension = MetaRepo(db.conn).get(DIMENSIONS_KEY) == "1"
    dims = 1 + (len(RubricRepo(db.conn).ids()) if per_dimension else 0)
    every = [] if assigned else repo.ids()
    return {
        "count": count,
        "assigned": assigned,
        "all": every,
        "judged": team.judged_dimensions(),
        "dims": dims,
    }


def format_status(status: dict) -> str:
    """The status as a plain-text table for the terminal, in the current language."""
    head = (
        tr("rater"),
        tr("assigned"),
        tr("done"),
        tr("remaining"),
        tr("last merge"),
        tr("last score"),
    )
    pairs = bool(status.get("comparisons"))
    if pairs:  # the side-by-side columns only when the project has comparisons
        head = (*head[:4], tr("comparisons"), tr("judged"), *head[4:])
    rows = [
        (
            r["rater"],
            str(r["assigned"]),
            str(r["done"]),
            str(r["remaining"]),
            *((str(r["comparisons"]), str(r["judged"])) if pairs else ()),
            (r["last_merge"] or "-")[:19].replace("T", " "),
            (r["last_score"] or "-")[:19].replace("T", " "),
        )
        for r in status["raters"]
    ]
    widths = [
        max([display_width(h), *(display_width(row[n]) for row in rows)])
        for n, h in enumerate(head)
    ]
    counts = {"items": status["items"], "dimensions": status["dimensions"]}
    if status["kind"] == "package":
        first = tr("package: {items} items, {dimensions} dimensions", **counts)
    else:
        first = tr("project: {items} items, {dimensions} dimensions", **counts)
    if pairs:
        first += tr("; {count} side-by-side comparisons", count=status["comparisons"])
    if not status["has_assignments"]:
        first += tr("; no assignments (everyone rates all)")
    lines = [first]
    for cells in [head, *rows]:
        lines.append("  ".join(pad(c, w) for c, w in zip(cells, widths, strict=True)))
    if not rows:
        lines.append(tr("no raters yet"))
    return "\n".join(lines)
