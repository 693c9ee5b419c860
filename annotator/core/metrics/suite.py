"""MetricSuite: several metrics computed together over (reference, hypothesis) pairs.

Texts are tokenized and counted once per distinct statistics key (tokenizer), every
metric reads the shared rows. Large inputs are split into chunks scored by a pool of
worker processes (``spawn``: safe inside the Qt application); small ones run inline.
"""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context

import numpy as np

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.metrics import tokenizers
from annotator.core.metrics.base import Metric, StatsKey
from annotator.core.metrics.fastrows import rows_for
from annotator.core.metrics.kernel import Encoder, row_width

#: Below this many pairs everything runs in the calling process.
PARALLEL_THRESHOLD = 5000
#: With ``workers=None``, below this many pairs (or without a free core) the pool is not
#: started: 100,000 pairs take about a second in one process, less than the workers' start
#: and the pickling of their chunks on a busy 2-core machine.
AUTO_POOL_PAIRS = 400_000
_CHUNK = 5000
_MAX_CHUNK = 50_000
EMPTY_HYPOTHESIS = "empty generated text"  # a warning's key, stable (JSON, stored runs)
EMPTY_REFERENCE = "empty reference"
_WARNINGS = {
    EMPTY_HYPOTHESIS: Message("empty generated text"),
    EMPTY_REFERENCE: Message("empty reference"),
}


def warning_message(key: str) -> Message | str:
    """A warning's key as shown: translated when it is one of ours, else as it came."""
    return _WARNINGS.get(key, key)


class MetricsCancelled(AnnotatorError):
    """The metric computation was cancelled; nothing was produced."""


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if not isinstance(value, str):
        if type(value).__name__ == "NAType":  # pandas.NA without importing pandas
            return ""
        return str(value)
    return value


@dataclass
class MetricResult:
    """Sentence values of every metric for a list of pairs.

    Attributes:
        values: Metric name -> float64 array (0-1), one value per pair.
        signatures: Metric name -> signature string.
        warnings: Counted warnings, e.g. ``{"empty generated text": 3}``.
    """

    values: dict[str, np.ndarray]
    signatures: dict[str, str]
    warnings: dict[str, int] = field(default_factory=dict)
    _metrics: tuple[Metric, ...] = ()
    _stats: dict[StatsKey, tuple[int, np.ndarray]] = field(default_factory=dict, repr=False)

    def corpus(self, indices: Sequence[int] | np.ndarray | None = None) -> dict[str, float]:
        """Corpus-level values (BLEU from summed statistics, ROUGE as a mean).

        Args:
            indices: Positions or boolean mask of the pairs of one group (e.g. one
                model); None for all pairs.
        """
        out = {}
        for metric in self._metrics:
            order, rows = self._stats[metric.key]
            if indices is not None:
                rows = rows[np.asarray(indices)]
            out[metric.name] = metric.corpus(rows, order)
        return out


class MetricSuite:
    """A set of metrics computed in one pass.

    Args:
        metrics: Metric objects with distinct names.
        name: Preset name, for display.
    """

    def __init__(self, metrics: Sequence[Metric], name: str = "custom") -> None:
        names = [m.name for m in metrics]
        if len(set(names)) != len(names):
            raise ValueError(f"metric names must be distinct: {names}")
        self.metrics = tuple(metrics)
        self.name = name
        # One counter configuration per statistics key: highest order, LCS or not.
        plan: dict[StatsKey, tuple[int, bool]] = {}
        for m in self.metrics:
            order, lcs = m.needs()
            old_order, old_lcs = plan.get(m.key, (1, False))
            plan[m.key] = (max(order, old_order), lcs or old_lcs)
        self._plan = plan

    @property
    def signatures(self) -> dict[str, str]:
        """Metric name -> signature string."""
        return {m.name: str(m.signature()) for m in self.metrics}

    def compute(
        self,
        references: Sequence[str],
        hypotheses: Sequence[str],
        *,
        workers: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> MetricResult:
        """Score every (reference, hypothesis) pair with every metric.

        Args:
            references: Reference texts (None / NaN count as empty).
            hypotheses: Generated texts, same length.
            workers: Worker processes; None = this process alone unless the input is large
                (``AUTO_POOL_PAIRS``) and another core is free, 1 = in this process.
            progress: Called with (pairs done, pairs total) after each chunk.
            cancel: Polled between chunks; returning True stops with MetricsCancelled.

        Raises:
            ValueError: if the two sequences differ in length.
            MetricsCancelled: when ``cancel`` asked to stop.
        """
        refs = [_as_text(r) for r in references]
        hyps = [_as_text(h) for h in hypotheses]
        if len(refs) != len(hyps):
            raise ValueError(f"{len(refs)} references but {len(hyps)} generated texts")
        total = len(refs)
        warnings = Counter()
        warnings[EMPTY_HYPOTHESIS] = sum(1 for h in hyps if not h.strip())
        warnings[EMPTY_REFERENCE] = sum(1 for r in refs if not r.strip())
        workers = auto_workers(total) if workers is None else max(1, workers)
        bounds = _chunks(total, workers)
        parts: list[tuple[dict[str, np.ndarray], dict[StatsKey, np.ndarray]] | None]
        parts = [None] * len(bounds)
        if workers == 1 or total < PARALLEL_THRESHOLD:
            done = 0
            for i, (lo, hi) in enumerate(bounds):
                if cancel is not None and cancel():
                    raise MetricsCancelled(Message("metric computation cancelled"))
                parts[i] = score_chunk(self.metrics, self._plan, refs[lo:hi], hyps[lo:hi])
                done += hi - lo
                if progress is not None:
                    progress(done, total)
        else:
            self._run_pool(refs, hyps, bounds, parts, workers, progress, cancel)
        return self._assemble(parts, {k: v for k, v in warnings.items() if v})

    def _run_pool(self, refs, hyps, bounds, parts, workers, progress, cancel) -> None:
        # workers - 1 child processes; this process works too, taking chunks from the end
        # of the queue that no child has started (so it never idles while they start up).
        total = len(refs)
        done = 0

        def finish(i: int, part) -> None:
            nonlocal done
            parts[i] = part
            done += bounds[i][1] - bounds[i][0]
            if progress is not None:
                progress(done, total)

        def check_cancel() -> None:
            if cancel is not None and cancel():
                raise MetricsCancelled(Message("metric computation cancelled"))

        pool = ProcessPoolExecutor(max(1, workers - 1), mp_context=get_context("spawn"))
        try:
            with _main_module_hidden():
                pending: dict[Future, int] = {
                    pool.submit(score_chunk, self.metrics, self._plan, refs[lo:hi], hyps[lo:hi]): i
                    for i, (lo, hi) in enumerate(bounds)
                }
            while pending:
                check_cancel()
                stolen = next((f for f in reversed(pending) if f.cancel()), None)
                if stolen is not None:
                    i = pending.pop(stolen)
                    lo, hi = bounds[i]
                    finish(i, score_chunk(self.metrics, self._plan, refs[lo:hi], hyps[lo:hi]))
                    continue
                finished, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                for fut in finished:
                    i = pending.pop(fut)
                    try:
                        finish(i, fut.result())
                    except BrokenProcessPool:
                        # A worker died (killed, out of memory...): do the rest here.
                        pending.clear()
                        break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        for i, (lo, hi) in enumerate(bounds):
            if parts[i] is None:
                check_cancel()
                finish(i, score_chunk(self.metrics, self._plan, refs[lo:hi], hyps[lo:hi]))

    def _assemble(self, parts, warnings: dict[str, int]) -> MetricResult:
        values = {
            m.name: np.concatenate([p[0][m.name] for p in parts])
            if parts
            else np.zeros(0, dtype=np.float64)
            for m in self.metrics
        }
        stats = {}
        for key, (order, _) in self._plan.items():
            width = row_width(order, key.unique)
            rows = [p[1][key] for p in parts]
            stats[key] = (order, np.concatenate(rows) if rows else np.zeros((0, width), np.int64))
        return MetricResult(values, self.signatures, warnings, self.metrics, stats)

    def corpus(self, references: Sequence[str], hypotheses: Sequence[str]) -> dict[str, float]:
        """Corpus-level value of every metric (BLEU from summed statistics)."""
        return self.compute(references, hypotheses).corpus()

    def __repr__(self) -> str:
        return f"<MetricSuite {self.name}: {', '.join(m.name for m in self.metrics)}>"


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Keep spawned workers from re-running the program's main module.

    ``spawn`` re-imports ``__main__`` in every worker; a main module without an
    ``if __name__ == "__main__"`` guard (``python -m annotator``) would run the whole
    command again there. The workers only need this package, so while they start
    ``__main__`` shows neither its spec nor its file and is not re-imported.
    """
    main = sys.modules.get("__main__")
    saved = {a: main.__dict__[a] for a in ("__spec__", "__file__") if main and a in main.__dict__}
    try:
        if main is not None:
            main.__spec__ = None
            main.__dict__.pop("__file__", None)
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


def auto_workers(total: int) -> int:
    """Processes for ``total`` pairs when the caller did not say: 1 unless the input is
    large and the machine has a core to spare (load average below cores - 1)."""
    cores = os.cpu_count() or 1
    if total < AUTO_POOL_PAIRS or cores == 1:
        return 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        return cores
    return max(1, min(cores, int(cores - load)))


def _chunks(total: int, workers: int) -> list[tuple[int, int]]:
    # Several chunks per worker so progress moves and the cores finish together.
    size = _CHUNK if total < PARALLEL_THRESHOLD or workers == 1 else -(-total // (workers * 8))
    size = min(max(size, 1), _MAX_CHUNK)
    return [(lo, min(lo + size, total)) for lo in range(0, total, size)]


def score_chunk(
    metrics: Sequence[Metric],
    plan: dict[StatsKey, tuple[int, bool]],
    refs: Sequence[str],
    hyps: Sequence[str],
) -> tuple[dict[str, np.ndarray], dict[StatsKey, np.ndarray]]:
    """Statistics rows and sentence values for one chunk (runs in a worker process)."""
    stats: dict[StatsKey, np.ndarray] = {}
    values: dict[str, np.ndarray] = {}
    for key, (order, lcs) in plan.items():
        if key.tokenizer == "auto":
            names = ("zh", "13a")
            pick = tokenizers.resolve_auto
        else:
            names = (key.tokenizer,)
            pick = _fixed(key.tokenizer)
        funcs = {n: tokenizers.get_tokenizer(n) for n in names}
        rows = rows_for(key.tokenizer, Encoder(funcs, pick), hyps, refs, order, lcs, key.unique)
        stats[key] = rows
        for m in metrics:
            if m.key == key:
                values[m.name] = m.sentences(rows, order)
    return values, stats


def _fixed(name: str) -> Callable[[str, str], str]:
    return _Fixed(name)


class _Fixed:
    # A picklable "always this tokenizer" chooser.
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, hyp: str, ref: str) -> str:
        return self.name
