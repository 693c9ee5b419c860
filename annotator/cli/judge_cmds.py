"""judge run: an LLM judge over the project through an OpenAI-compatible endpoint (issue 17).

``annotator judge run PROJECT --endpoint URL --model NAME`` asks the judge for a score and
a one-line reason per rubric dimension for every item it has not scored yet, storing each
answer as it arrives; Ctrl+C stops it cleanly (what was stored stays; the same command
again goes on where it stopped).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading

from annotator.cli._common import add_json, emit, finite_number, progress_printer, write_out
from annotator.cli._help import TranslatedParser
from annotator.cli.judges_text import signature_text
from annotator.core.domain.errors import AnnotatorError
from annotator.core.i18n import current_language, tr
from annotator.core.project import Project

EXIT_CANCELLED = 130


def register(sub: argparse._SubParsersAction) -> None:
    judge = sub.add_parser(
        "judge",
        help=tr("run an LLM judge through an OpenAI-compatible endpoint"),
        description=tr("Run an LLM judge: annotator judge run PROJECT --endpoint URL --model NAME"),
    )
    jsub = judge.add_subparsers(
        dest="judge_command", metavar="SUBCOMMAND", parser_class=TranslatedParser
    )
    jsub.required = True
    p = jsub.add_parser(
        "run",
        help=tr("ask an LLM judge for scores and store them as they arrive"),
        description=tr(
            "Ask an LLM judge served by an OpenAI-compatible chat-completions endpoint (vLLM, "
            "SGLang, Ollama, LM Studio, LLaMA-Factory's API server) for a score from 1 to 5 "
            "and a one-line reason on each rubric dimension, the rubric with its anchors in "
            "the project's language as the prompt. Each answer is stored when it arrives: "
            "stopped or killed, the same command again asks only for what is missing. A reply "
            "that does not parse or is out of scale is asked again, then recorded as a "
            "failure, never as a score. The endpoint, model, prompt hash and sampling "
            "settings are the judge's signature; another signature needs another --judge "
            "name. The key is read from an environment variable, never stored."
        ),
    )
    p.add_argument("project", help=tr("the project file"))
    p.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help=tr(
            "the server's address (http://host:8000: /v1 is added) or its API base "
            "(http://host:8000/v1, https://host/api/v1: kept as given)"
        ),
    )
    p.add_argument(
        "--model",
        required=True,
        metavar="NAME",
        help=tr("the model's name as the endpoint serves it"),
    )
    p.add_argument(
        "--judge",
        metavar="NAME",
        help=tr("the judge's name in the project (default: the model's name)"),
    )
    p.add_argument(
        "--dimensions",
        action="append",
        metavar="KEYS",
        help=tr("the dimensions to ask, by key or name, comma-separated (default: all)"),
    )
    _add_units(p)
    _add_sampling(p)
    p.add_argument(
        "--api-key-env",
        metavar="VAR",
        help=tr(
            "the environment variable holding the key, sent as a Bearer token (default: "
            "OPENAI_API_KEY when it is set; none otherwise)"
        ),
    )
    add_json(p)
    p.set_defaults(func=cmd_run)


def _add_units(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--comparisons",
        action="store_true",
        help=tr(
            "judge the side-by-side comparisons instead of the items, each in both orders "
            "(A/B and B/A)"
        ),
    )
    group.add_argument(
        "--with-comparisons", action="store_true", help=tr("judge the items, then the comparisons")
    )
    p.add_argument(
        "--limit", type=int, metavar="N", help=tr("ask for at most N items or orders in this run")
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=4,
        metavar="N",
        help=tr("requests in flight at most (default 4)"),
    )
    p.add_argument(
        "--prompt",
        metavar="FILE",
        help=tr(
            "your own prompt for items (UTF-8 text) with the placeholders {placeholders}; "
            "{format} (the JSON to reply with) is added at the end when missing; other "
            "braces are kept as written",
            placeholders="{instruction} {reference} {answer} {rubric} {dimensions} {format}",
            format="{format}",
        ),
    )
    p.add_argument(
        "--pair-prompt",
        metavar="FILE",
        help=tr(
            "your own prompt for comparisons, with the placeholders {placeholders}",
            placeholders="{instruction} {reference} {answer_a} {answer_b} {rubric} "
            "{dimensions} {format}",
        ),
    )


def _add_sampling(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--temperature",
        type=finite_number,
        default=0.0,
        help=tr("sampling temperature (default 0)"),
    )
    p.add_argument(
        "--max-tokens",
        type=int,
        default=1024,
        metavar="N",
        help=tr("most tokens per reply (default 1024)"),
    )
    p.add_argument("--seed", type=int, help=tr("sampling seed, sent when given"))
    p.add_argument(
        "--no-json-mode",
        action="store_true",
        help=tr(
            "do not ask for the JSON mode ({mode}), for servers that refuse it",
            mode='response_format {"type": "json_object"}',
        ),
    )
    p.add_argument(
        "--timeout",
        type=finite_number,
        default=120.0,
        metavar="SECONDS",
        help=tr("seconds to wait for one reply (default 120)"),
    )
    p.add_argument(
        "--reply-retries",
        type=int,
        default=3,
        metavar="N",
        help=tr("times a reply that cannot be used is asked again (default 3)"),
    )


def _dimensions(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    parts = []
    for value in values:
        for sep in ("\uff0c", "\u3001"):
            value = value.replace(sep, ",")
        parts += [v.strip() for v in value.split(",") if v.strip()]
    return parts or None


@contextlib.contextmanager
def _ctrl_c():
    """Ctrl+C sets the event (the run stops after storing what came); a second one
    interrupts at once. Only the main thread can take the signal."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(_signum, _frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        sys.stderr.write("\n" + tr("stopping: the answers received so far are kept") + "\n")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def cmd_run(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project, _ctrl_c() as stop:
        try:
            report = project.judges.run(
                endpoint=args.endpoint,
                model=args.model,
                judge=args.judge,
                dimensions=_dimensions(args.dimensions),
                concurrency=args.concurrency,
                prompt=args.prompt,
                pair_prompt=args.pair_prompt,
                comparisons=args.comparisons or args.with_comparisons,
                items=True if args.with_comparisons else None,
                limit=args.limit,
                temperature=args.temperature,
                max_tokens=args.max_tokens,
                seed=args.seed,
                json_mode=not args.no_json_mode,
                timeout=args.timeout,
                reply_retries=args.reply_retries,
                api_key_env=args.api_key_env,
                progress=progress_printer(args, tr("judge")),
                cancel=stop.is_set,
            )
        except AnnotatorError as exc:
            partial = getattr(exc, "report", None)
            if partial is None or not args.json:
                raise
            payload = {"error": str(exc), "type": type(exc).__name__, "report": partial.to_dict()}
            write_out(sys.stdout, json.dumps(payload, ensure_ascii=False, indent=2))
            return 1
        names = {d.key: d.name(current_language()) for d in project.rubric.dimensions}
    emit(args, report.to_dict(), lambda: run_text(report.to_dict(), names))
    return EXIT_CANCELLED if report.cancelled else 0


def run_text(report: dict, names: dict[str, str] | None = None) -> str:
    """The report of ``judge run`` for a terminal (``names``: dimension key -> name)."""
    lines = [
        tr(
            "judge {judge}: {asked} asked, {scored} stored, {skipped} already there, "
            "{failed} failed, {retries} retries, {seconds:.1f} s",
            **{
                k: report[k]
                for k in ("judge", "asked", "scored", "skipped", "failed", "retries", "seconds")
            },
        ),
        "  " + tr("signature: {signature}", signature=signature_text(report["signature"])),
        "  "
        + (
            tr("key from the environment variable {name}", name=report["key_from"])
            if report["key_from"]
            else tr("no key sent")
        ),
    ]
    if report["scores"] or report["judgments"]:
        lines.append(
            "  "
            + tr(
                "{scores} scores and {judgments} side-by-side verdicts stored",
                scores=report["scores"],
                judgments=report["judgments"],
            )
        )
    if report["failures"]:
        lines.append("  " + tr("failures (recorded, no score; the next run asks again):"))
        for f in report["failures"]:
            lines.append("    " + tr("{label}, attempts {attempts}: {error}", **f))
    for c in report["consistency"]:
        name = (names or {}).get(c["dimension"], c["dimension"]) or tr("overall")
        rate = "-" if c["pairs"] == 0 else f"{c['rate']:.2f}"
        lines.append(
            "  "
            + tr(
                "same verdict in both orders, {dimension}: {rate} ({consistent} of {pairs})",
                dimension=name,
                rate=rate,
                consistent=c["consistent"],
                pairs=c["pairs"],
            )
        )
    if report["cancelled"]:
        lines.append(
            tr(
                "stopped: {scored} answer(s) of this run are stored; run the same "
                "command again to ask for the rest",
                scored=report["scored"],
            )
        )
    elif not report["units"]:
        lines.append(tr("nothing to ask: this judge has answered everything asked for"))
    return "\n".join(lines)
