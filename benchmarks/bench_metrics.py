"""Benchmark: BLEU + ROUGE-1/2/L on Chinese pairs, ours against the reference loop.

The reference loop is what one would write with the reference libraries: sacrebleu's
``BLEU(tokenize="zh", effective_order=True).sentence_score`` plus rouge-score's
``RougeScorer(["rouge1", "rouge2", "rougeL"])`` with the same zh tokens. It is timed on
a sample (``--sample``, default 5,000 pairs) and scaled to ``--n``; the values of both
are compared on that sample. Ours runs on all ``--n`` pairs, once in this process and
once with the worker pool. ``--whole`` times instead the whole command as a user runs
it (``python -m annotator metrics PROJECT --json`` in a new process, default preset, on a
project holding the ``--n`` pairs), ``--runs`` times, each against the cheaper reference
loop (sacrebleu zh + rouge-score on characters) measured on the sample right before it.

    .venv/bin/python benchmarks/bench_metrics.py [--n 100000] [--sample 5000] [--whole]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.metrics import BLEU, MetricSuite, Rouge  # noqa: E402

# Common characters so that pairs share n-grams as real outputs do.
_HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小"
    "物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形"
)
_PUNCT = "，。！？、：；“”（）"


def make_pairs(n: int, seed: int = 20240601) -> tuple[list[str], list[str]]:
    """``n`` (reference, hypothesis) pairs, 20-60 characters, hypothesis = edited reference."""
    rng = random.Random(seed)
    refs, hyps = [], []
    for _ in range(n):
        length = rng.randint(20, 60)
        ref = [
            rng.choice(_PUNCT) if rng.random() < 0.08 else rng.choice(_HANZI) for _ in range(length)
        ]
        hyp = list(ref)
        for _ in range(rng.randint(0, length // 2)):
            op, pos = rng.random(), rng.randrange(len(hyp) or 1)
            if op < 0.4 and hyp:
                hyp[pos] = rng.choice(_HANZI)
            elif op < 0.7 and hyp:
                del hyp[pos]
            else:
                hyp.insert(pos, rng.choice(_HANZI + "0123456789ab"))
        refs.append("".join(ref))
        hyps.append("".join(hyp)[:60] or rng.choice(_HANZI))
    return refs, hyps


def reference_loop(refs: list[str], hyps: list[str]) -> dict[str, np.ndarray]:
    """sacrebleu + rouge-score, pair by pair."""
    from rouge_score.rouge_scorer import RougeScorer
    from sacrebleu.metrics import BLEU as SacreBLEU
    from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

    zh = TokenizerZh()

    class ZhTokens:
        def tokenize(self, text: str) -> list[str]:
            return zh(text.rstrip()).split()

    bleu = SacreBLEU(tokenize="zh", effective_order=True)
    scorer = RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=ZhTokens())
    out: dict[str, list[float]] = {"bleu": [], "rouge-1": [], "rouge-2": [], "rouge-l": []}
    for ref, hyp in zip(refs, hyps, strict=True):
        out["bleu"].append(bleu.sentence_score(hyp, [ref]).score / 100)
        s = scorer.score(ref, hyp)
        out["rouge-1"].append(s["rouge1"].fmeasure)
        out["rouge-2"].append(s["rouge2"].fmeasure)
        out["rouge-l"].append(s["rougeL"].fmeasure)
    return {k: np.array(v) for k, v in out.items()}


def suite() -> MetricSuite:
    """Our equivalent: sacrebleu-style sentence BLEU and rouge-score ROUGE, auto tokens."""
    return MetricSuite(
        [
            BLEU(order=4, smooth="exp", effective_order=True, tokenize="auto"),
            Rouge(1),
            Rouge(2),
            Rouge("l"),
        ]
    )


def char_reference_loop(refs: list[str], hyps: list[str]) -> None:
    """sacrebleu (zh) + rouge-score with ``[c for c in text if not c.isspace()]`` tokens."""
    from rouge_score.rouge_scorer import RougeScorer
    from sacrebleu.metrics import BLEU as SacreBLEU

    class CharTokens:
        def tokenize(self, text: str) -> list[str]:
            return [c for c in text if not c.isspace()]

    bleu = SacreBLEU(tokenize="zh", effective_order=True)
    scorer = RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=CharTokens())
    for ref, hyp in zip(refs, hyps, strict=True):
        bleu.sentence_score(hyp, [ref])
        scorer.score(ref, hyp)


def _project(folder: Path, refs: list[str], hyps: list[str]) -> Path:
    """A project file holding the pairs (imported from a CSV, as a user would)."""
    from annotator.core.project import Project

    source, path = folder / "pairs.csv", folder / "bench.annotator"
    with source.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "instruction", "reference", "generated"])
        pairs = enumerate(zip(refs, hyps, strict=True))
        writer.writerows([f"s{k}", "翻译", r, h] for k, (r, h) in pairs)
    with Project.create(path, "bench") as project:
        project.import_file(source, model="bench")
    return path


def whole_command(refs: list[str], hyps: list[str], sample: int, runs: int) -> None:
    """The whole ``annotator metrics`` command against the reference loop, ``runs`` times."""
    n, k = len(refs), min(sample, len(refs))
    with tempfile.TemporaryDirectory() as tmp:
        path = _project(Path(tmp), refs, hyps)
        command = [sys.executable, "-m", "annotator", "metrics", str(path), "--json"]
        cwd = Path(__file__).resolve().parents[1]
        for run in range(1, runs + 1):
            t0 = time.perf_counter()
            char_reference_loop(refs[:k], hyps[:k])
            ref_time = (time.perf_counter() - t0) * n / k
            t0 = time.perf_counter()
            subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL)
            ours = time.perf_counter() - t0
            print(
                f"run {run}: reference loop (sacrebleu zh + rouge-score on characters) "
                f"{ref_time:.1f} s scaled to {n:,} pairs; whole command {ours:.2f} s: "
                f"{ref_time / ours:.1f}x (target: >= 20x)",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="pairs for our implementation")
    parser.add_argument("--sample", type=int, default=5_000, help="pairs for the reference loop")
    parser.add_argument("--whole", action="store_true", help="time the whole command instead")
    parser.add_argument("--runs", type=int, default=3, help="runs of the whole command")
    args = parser.parse_args()
    refs, hyps = make_pairs(args.n)
    if args.whole:
        whole_command(refs, hyps, args.sample, args.runs)
        return
    k = min(args.sample, args.n)

    t0 = time.perf_counter()
    expected = reference_loop(refs[:k], hyps[:k])
    ref_time = (time.perf_counter() - t0) * args.n / k
    print(
        f"reference loop (sacrebleu + rouge-score): measured on {k} pairs, "
        f"{k / (ref_time * k / args.n):,.0f} pairs/s, scaled to {args.n:,} pairs: {ref_time:.1f} s"
    )

    # A second, cheaper reference: rouge-score with a bare character tokenizer (what many
    # scripts use for Chinese). Its values differ on non-CJK runs, so only its time counts.
    t0 = time.perf_counter()
    char_reference_loop(refs[:k], hyps[:k])
    char_time = (time.perf_counter() - t0) * args.n / k
    print(
        f"cheaper reference (sacrebleu + rouge-score on bare characters): {char_time:.1f} s "
        f"scaled to {args.n:,} pairs"
    )

    s = suite()
    got = s.compute(refs[:k], hyps[:k], workers=1).values
    worst = max(float(np.max(np.abs(got[m] - expected[m]))) for m in expected)
    print(
        f"values on the sample: max |ours - reference| = {worst:.2e} "
        f"({'identical within 1e-9' if worst <= 1e-9 else 'MISMATCH'})"
    )

    t0 = time.perf_counter()
    s.compute(refs, hyps, workers=1)
    one = time.perf_counter() - t0
    print(
        f"ours, 1 process:   {one:.2f} s ({args.n / one:,.0f} pairs/s), "
        f"{ref_time / one:.1f}x the reference loop, {char_time / one:.1f}x the cheaper one"
    )

    workers = os.cpu_count() or 1
    t0 = time.perf_counter()
    full = s.compute(refs, hyps, workers=workers)
    many = time.perf_counter() - t0
    print(
        f"ours, {workers} workers: {many:.2f} s ({args.n / many:,.0f} pairs/s), "
        f"{ref_time / many:.1f}x the reference loop, {char_time / many:.1f}x the cheaper one "
        "(target: 20x)"
    )
    same = all(np.array_equal(full.values[m][:k], got[m]) for m in got)
    print(f"pool and single-process values identical: {same}")
    if worst > 1e-9 or not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
