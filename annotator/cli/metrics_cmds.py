"""metrics: BLEU and ROUGE for every item, with the signature that says how."""

from __future__ import annotations

import argparse
import json
import math
import sys

from annotator.cli._common import add_json, emit, progress_printer, write_out
from annotator.cli._table import text_table
from annotator.core.i18n import tr
from annotator.core.metrics.suite import warning_message
from annotator.core.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    from annotator.core.metrics import list_presets

    p = sub.add_parser(
        "metrics",
        help=tr("compute BLEU and ROUGE for every item"),
        description=tr(
            "Compute automatic metrics for every item, store them and print per-model "
            "means. Presets: default (BLEU order 2, uniform weights, auto tokens: zh for Chinese, "
            "13a otherwise; ROUGE-1/2/L F1; the gate metric), sacrebleu (sacrebleu's sentence and "
            "corpus BLEU), llamafactory (what LLaMA-Factory prints as predict_bleu-4 and "
            "predict_rouge-*). Imported metric columns are kept and shown beside."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument("--preset", default="default", choices=list_presets())
    p.add_argument(
        "--workers",
        type=int,
        help=tr("processes to use (default: one; all free cores for a very large project)"),
    )
    add_json(p)
    p.set_defaults(func=cmd_metrics)


def _table(report) -> str:
    names = sorted({n for means in report.means.values() for n in means})
    lines = [
        tr(
            "{count} metrics for {items:,} items (preset {preset})",
            count=len(names),
            items=report.items,
            preset=report.preset,
        )
    ]
    rows = [["", *names]]
    for model, means in report.means.items():
        corpus = report.corpus.get(model, {})
        rows.append([model, *[f"{means[n]:.4f}" for n in names]])
        rows.append(["  " + tr("corpus"), *[f"{corpus.get(n, float('nan')):.4f}" for n in names]])
    lines += text_table(rows, right=set(range(1, len(names) + 1)))
    for model, imported in report.imported.items():
        values = tr(", ").join(f"{n} {v:.4f}" for n, v in sorted(imported.items()))
        lines.append(tr("{model} imported: {values}", model=model, values=values))
    for name, sig in report.signatures.items():
        lines.append(f"  {name}: {sig}")
    for warning, count in report.warnings.items():
        lines.append(
            "  "
            + tr(
                "warning: {warning}: {count} item(s) scored 0",
                warning=warning_message(warning),
                count=count,
            )
        )
    return "\n".join(lines)


def cmd_metrics(args: argparse.Namespace) -> None:
    with Project.open(args.project) as project:
        report = project.compute_metrics(
            args.preset, workers=args.workers, progress=progress_printer(args, tr("metrics"))
        )
    if args.json:
        # The report is str/int/float in dicts only: cleaned here, not by stats.jsonsafe,
        # whose package import (scipy.stats) cost a tenth of the whole command.
        data = json.dumps(_json_safe(report.to_dict()), ensure_ascii=False, indent=2)
        write_out(sys.stdout, data)
        return
    emit(args, report.to_dict(), lambda: _table(report))


def _json_safe(value):
    """NaN and infinities as null (JSON has neither), in nested dicts."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
