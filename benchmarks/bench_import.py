"""Import speed: a seeded 100,000-row CSV of Chinese triples (about 30 MB).

Run: ``python benchmarks/bench_import.py [--rows N] [--with-db]``. Prints rows/s for
``read_items`` and its ratio to a bare ``pandas.read_csv`` and to ``csv.reader`` of
the same file, measured in the same run (best of ``--repeat``). ``--with-db`` also
times the whole import into a new project file (read + SQLite write), best of
``--repeat`` too, each into a new file.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.formats.items import read_items  # noqa: E402

# Common characters: the text looks like Chinese to jieba and to the eye.
_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业"
    "本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利"
)
_PUNCT = "，。、；：？！"


def make_csv(path: Path, rows: int, seed: int = 20240601) -> None:
    """Write the seeded benchmark CSV (id, instruction, reference, generated, bleu, rouge-l)."""
    rng = random.Random(seed)

    def text(n: int) -> str:
        chars = rng.choices(_CHARS, k=n)
        for k in range(rng.randrange(8, 20), n, rng.randrange(8, 20)):
            chars[k] = rng.choice(_PUNCT)
        return "".join(chars)

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "instruction", "reference", "generated", "bleu", "rouge-l"])
        for k in range(rows):
            writer.writerow(
                [
                    f"s{k}",
                    text(rng.randint(15, 30)),
                    text(rng.randint(30, 50)),
                    text(rng.randint(30, 50)),
                    f"{rng.random():.4f}",
                    f"{rng.random():.4f}",
                ]
            )


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--with-db", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "triples.csv"
        make_csv(path, args.rows)
        size = path.stat().st_size / 1e6

        def bare_pandas() -> None:
            pd.read_csv(path, dtype=str, keep_default_na=False, engine="c")

        def bare_csv() -> None:
            with path.open(encoding="utf-8", newline="") as f:
                list(csv.reader(f))

        def ours() -> None:
            plan = read_items(path, model="bench")
            assert len(plan.items) == args.rows

        t_pandas = best(bare_pandas, args.repeat)
        t_csv = best(bare_csv, args.repeat)
        t_ours = best(ours, args.repeat)
        print(f"file: {args.rows} rows, {size:.1f} MB")
        for name, t in (
            ("pandas.read_csv", t_pandas),
            ("csv.reader", t_csv),
            ("read_items", t_ours),
        ):
            print(f"{name:>16}: {t:6.3f} s  {args.rows / t:>10,.0f} rows/s")
        print(f"read_items / pandas.read_csv = {t_ours / t_pandas:.2f}x")
        print(f"read_items / csv.reader      = {t_ours / t_csv:.2f}x")
        if args.with_db:
            from annotator.core.project import Project

            runs = iter(range(args.repeat))

            def whole() -> None:
                with Project.create(Path(tmp) / f"bench{next(runs)}.annotator", "bench") as p:
                    p.import_file(path, model="bench")

            total = best(whole, args.repeat)
            print(
                f"whole import into a new project file: {total:.3f} s "
                f"({args.rows / total:,.0f} rows/s; target for 100,000 rows: <= 5 s); "
                f"{total / t_pandas:.1f}x a bare pandas.read_csv of the file"
            )


if __name__ == "__main__":
    main()
