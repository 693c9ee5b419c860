"""models, plan: which model is the baseline, and how many samples and raters a decision needs."""

from __future__ import annotations

import argparse

from annotator.cli._common import add_json, emit
from annotator.cli._table import text_table
from annotator.core.domain.gates import reason_names
from annotator.core.i18n import tr
from annotator.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "models",
        help=tr("list the models and name the baseline"),
        description=tr(
            "List the project's models in import order with their items, and which one is "
            "the baseline (the model before fine-tuning) that every other model is compared "
            "with. Until one is named, a model whose name says so (base, baseline, original, "
            "pretrained, before, 基座, 基线, 原始) is taken, else the first imported."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--baseline", metavar="NAME", help=tr("name the baseline model (stored in the project)")
    )
    group.add_argument(
        "--auto-baseline",
        action="store_true",
        help=tr("forget the named baseline: choose it by name again"),
    )
    add_json(p)
    p.set_defaults(func=cmd_models)

    p = sub.add_parser(
        "plan",
        help=tr("how many samples and raters a decision needs"),
        description=tr(
            "From the ratings so far: the samples needed to detect a paired composite "
            "difference of DELTA between each candidate and the baseline (paired t-test), "
            "the samples needed for each model's composite interval to be within +/- "
            "HALF_WIDTH, and the raters per item needed for reliable item means "
            "(Spearman-Brown). Before any ratings, from an assumed spread that it states."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument(
        "--delta",
        type=float,
        default=0.3,
        help=tr("the composite difference worth detecting (default 0.3)"),
    )
    p.add_argument(
        "--half-width",
        type=float,
        default=0.1,
        help=tr("the +/- width wanted for each model's interval (default 0.1)"),
    )
    p.add_argument(
        "--power", type=float, default=0.8, help=tr("the chance of detecting it (default 0.8)")
    )
    p.add_argument(
        "--alpha", type=float, default=0.05, help=tr("the test's false-alarm rate (default 0.05)")
    )
    add_json(p)
    p.set_defaults(func=cmd_plan)


def format_models(rows: list[dict], baseline: dict) -> str:
    table = [[tr("model"), tr("items"), ""]]
    for row in rows:
        table.append([row["name"], f"{row['items']:,}", tr("baseline") if row["baseline"] else ""])
    lines = text_table(table, right={1})
    lines.append(baseline["text"])
    if baseline.get("named_missing"):
        lines.append(
            tr(
                'the named baseline "{name}" has no items any more',
                name=baseline["named_missing"],
            )
        )
    return "\n".join(lines)


def cmd_models(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        if args.baseline is not None:
            project.set_baseline(args.baseline)
        elif args.auto_baseline:
            project.set_baseline(None)
        rows, baseline = project.models()
    data = {
        "models": rows,
        "baseline": baseline.to_dict() | {"text": baseline.describe().text()},
    }
    emit(args, data, lambda: format_models(rows, data["baseline"]))


def _basis(need: dict, names: dict[str, str] | None = None) -> str:
    """What a number rests on, in words."""
    basis = need["basis"]
    if basis.get("assumed"):
        return basis.get("note") or tr("assumed")
    if "sd" in basis:
        return tr("sd {sd:.2f} over {n}", sd=basis["sd"], n=basis["n"])
    return tr("alpha {alpha:.2f} over {n} values", alpha=basis["reliability_one"], n=basis["n"])


def _count(value) -> str:
    return "-" if value is None else f"{value:,}"


def _needs(head: str, labels: list[str], needs: list[dict]) -> list[str]:
    """A table of samples needed: one row per comparison or model."""
    rows = [[head, tr("samples needed"), tr("now"), tr("more"), tr("from")]]
    for label, need in zip(labels, needs, strict=True):
        counts = [_count(need[k]) for k in ("samples_needed", "samples_now", "samples_more")]
        rows.append([label, *counts, need["reason"] or _basis(need)])
    return text_table(rows, right={1, 2, 3})


def format_plan(data: dict, names: dict[str, str] | None = None) -> str:
    names = names or {}
    lines = []
    if data["comparisons"]:
        lines.append(
            tr(
                "To detect a composite difference of {delta:.2f} (paired t-test, power {power:.0%},"
                " alpha {alpha:g}):",
                delta=data["delta"],
                power=data["power"],
                alpha=data["alpha"],
            )
        )
        labels = [f"{c['candidate']} - {c['baseline']}" for c in data["comparisons"]]
        lines += [*_needs(tr("candidate"), labels, data["comparisons"]), ""]
    lines.append(
        tr(
            "For each model's composite interval within +/- {half_width:.2f} ({level:.0%}):",
            half_width=data["half_width"],
            level=data["confidence"],
        )
    )
    lines += [*_needs(tr("model"), [m["model"] for m in data["models"]], data["models"]), ""]
    lines.append(
        tr(
            "Raters per item for item means with reliability {target:.2f} (Spearman-Brown):",
            target=data["target_reliability"],
        )
    )
    rows = [[tr("dimension"), tr("raters needed"), tr("now"), tr("reliability now"), tr("from")]]
    for r in data["raters"]:
        dim = r["dimension"]
        label = tr("all dimensions") if dim == "all" else names.get(dim, dim)
        now = r["reliability_now"]
        rows.append(
            [label, _count(r["raters_needed"]),
             "-" if r["raters_now"] is None else f"{r['raters_now']:.1f}",
             "-" if now is None else f"{now:.2f}", r["reason"] or _basis(r)]
        )  # fmt: skip
    lines += text_table(rows, right={1, 2, 3})
    return "\n".join(lines)


def cmd_plan(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        plan = project.plan(
            delta=args.delta, half_width=args.half_width, power=args.power, alpha=args.alpha
        )
        names = reason_names(project.rubric)
    data = plan.to_dict()
    emit(args, data, lambda: format_plan(data, names))
