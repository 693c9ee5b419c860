"""Generate ``judge.csv``, the scores of a simulated LLM judge in the annotator demo.

The judge (``sim-judge``) is not a model: it is a simulation, like the raters of
``make_ratings.py``, and reads the same latent qualities (``LATENT``). It scores every item
of both models on the four rubric dimensions, ``round(latent + LENIENCY + noise)`` clipped to
1-5, with a noise of its own size per dimension (``NOISE``): close to the truth on relevance,
fluency and compliance, clearly worse on style, where an LLM judge's taste in register is
known to drift from a panel's. It is slightly lenient, as LLM judges tend to be. Each score
comes with a one-line reason in the sample's language (``REASONS``).

The output is in the long form ``annotator judges import`` takes
(``item_id,model,judge,dimension,score,reason``). Deterministic (fixed seed, stdlib
``random`` only): ``python resources/demo/make_judge.py`` rewrites ``judge.csv`` next to
itself.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_ratings import DIMENSIONS, LATENT, MODELS, sample_ids  # noqa: E402

SEED = 20240620
JUDGE = "sim-judge"
LENIENCY = 0.25  # points above the latent quality, on average
NOISE = {"relevance": 0.3, "fluency": 0.3, "style": 1.4, "compliance": 0.35}

# dimension: (reason for a low score 1-2, for a middling 3, for a high 4-5), zh then en
REASONS: dict[str, tuple[tuple[str, str], ...]] = {
    "relevance": (
        ("没有回答所问的内容", "Does not answer what was asked"),
        ("部分切题，漏了要点", "Partly on topic; misses a key point"),
        ("切题，覆盖了要求", "On topic and covers the request"),
    ),
    "fluency": (
        ("语句不通，有重复或混杂", "Hard to read: repeated or mixed text"),
        ("基本通顺，个别地方生硬", "Mostly fluent, a few awkward phrases"),
        ("通顺自然", "Fluent and natural"),
    ),
    "style": (
        ("语气与场景不符", "Tone does not fit the setting"),
        ("语气尚可，不够贴合", "Acceptable tone, not quite the register asked"),
        ("语气贴合场景", "Tone fits the setting"),
    ),
    "compliance": (
        ("有夸大、虚假或泄露隐私的内容", "Exaggerated, false or privacy-leaking content"),
        ("有一处措辞需要注意", "One phrase needs care"),
        ("没有违规内容", "Nothing non-compliant"),
    ),
}


def reason(dimension: str, score: int, chinese: bool) -> str:
    """The judge's one-line reason for ``score`` on ``dimension``."""
    band = 0 if score <= 2 else 1 if score == 3 else 2
    return REASONS[dimension][band][0 if chinese else 1]


def simulate(seed: int = SEED) -> list[dict[str, str | int]]:
    """One dict per score: item_id, model, judge, dimension, score, reason."""
    rng = random.Random(seed)
    rows: list[dict[str, str | int]] = []
    for sid in sample_ids():
        for field, model in MODELS.items():
            latent = LATENT[sid][0 if field == "base" else 1]
            for dim, digit in zip(DIMENSIONS, latent, strict=True):
                value = int(digit) + LENIENCY + rng.gauss(0.0, NOISE[dim])
                score = max(1, min(5, round(value)))
                rows.append(
                    {
                        "item_id": sid,
                        "model": model,
                        "judge": JUDGE,
                        "dimension": dim,
                        "score": score,
                        "reason": reason(dim, score, sid.startswith("zh")),
                    }
                )
    return rows


def main() -> None:
    """Rewrite ``judge.csv`` next to this script."""
    rows = simulate()
    with (HERE / "judge.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} judge scores to {HERE / 'judge.csv'}")


if __name__ == "__main__":
    main()
