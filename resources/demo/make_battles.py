"""Generate ``battles.csv``, the simulated side-by-side judgments of the annotator demo.

The same three simulated raters as ``make_ratings.py`` compare the two models' answers on
every sample, blind, in Chatbot Arena's battle format (``question_id``, ``judge``,
``model_a`` = the answer shown on the left, ``model_b``, ``winner``):

* A rater's impression of an answer is its mean latent quality (``LATENT`` in
  ``make_ratings.py``) plus noise of the rater's own size; the answer clearly better by
  more than ``SAME`` points wins, otherwise the two are "about the same", unless both
  impressions are below ``BAD`` ("tie (bothbad)").
* Which answer is on the left is random per rater and sample, half and half.

Deterministic (fixed seed, stdlib ``random`` only): ``python resources/demo/make_battles.py``
rewrites ``battles.csv`` next to itself.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_ratings import LATENT, RATERS, sample_ids  # noqa: E402

SEED = 20240619
SAME = 0.6  # a difference of impressions smaller than this is "about the same"
BAD = 2.4  # both impressions below this: both unacceptable


def _impression(rng: random.Random, latent: str, sd: float) -> float:
    return sum(int(d) for d in latent) / len(latent) + rng.gauss(0.0, sd)


def simulate(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for rater, (_, sd, _) in RATERS.items():
        ids = sample_ids()
        lefts = ["base", "lora-v2"] * (len(ids) // 2 + 1)
        rng.shuffle(lefts)
        for sample, left in zip(ids, lefts, strict=False):
            base, lora = LATENT[sample]
            seen = {"base": _impression(rng, base, sd), "lora-v2": _impression(rng, lora, sd)}
            right = "base" if left == "lora-v2" else "lora-v2"
            if max(seen.values()) < BAD:
                winner = "tie (bothbad)"
            elif abs(seen[left] - seen[right]) < SAME:
                winner = "tie"
            else:
                winner = "model_a" if seen[left] > seen[right] else "model_b"
            rows.append(
                {
                    "question_id": sample,
                    "judge": rater,
                    "model_a": left,
                    "model_b": right,
                    "winner": winner,
                }
            )
    return rows


def main() -> None:
    rows = simulate()
    with open(HERE / "battles.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
