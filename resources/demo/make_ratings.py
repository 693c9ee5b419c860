"""Generate ``ratings.csv``, the simulated human scores of the annotator demo.

How the simulation works:

* Each (sample, model) pair has a *latent* quality on the four rubric dimensions
  (relevance, fluency, style, compliance), written by hand after reading the texts in
  ``items.jsonl`` and listed in ``LATENT`` below as a 4-digit string. For instance the base
  model's "100% effective, best in the world" face cream is on topic (4) and fluent (4) but
  in the wrong register (1) and non-compliant (1): ``"4411"``. An output that states a
  wrong fact is rated low on relevance and, as false information, on compliance; its style
  is marked down too, as real raters do once they see an answer is wrong (halo effect).
* Three simulated raters read the same pair and score ``round(latent + bias + noise)``,
  clipped to 1-5. ``王小明`` is a little strict, ``Alice`` is lenient, ``李娜`` is careful
  (small noise). Now and then (``SLIP``) a rater misreads an item and is two points off,
  which gives the few 2-point disagreements real panels have.
* Every sample is rated for both models by the same 2 or 3 raters, except ``SINGLE``
  samples drawn at random, which have a single rater: the demo's incomplete items.
* A rater writes the comment in ``NOTES`` (in their own language) on the dimension it is
  about, when their score there is 3 or lower.

The output is deterministic (fixed seed, stdlib ``random`` only). Run it from anywhere:
``python resources/demo/make_ratings.py``; it rewrites ``ratings.csv`` next to itself.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20240618
DIMENSIONS = ("relevance", "fluency", "style", "compliance")
MODELS = {"base": "base", "lora": "lora-v2"}  # items.jsonl field -> model name in the CSV
SINGLE = 6  # samples left with a single rater
SLIP = 0.04  # chance that one score is two points off

# name: (bias, noise standard deviation, writes comments in Chinese)
RATERS: dict[str, tuple[float, float, bool]] = {
    "王小明": (-0.3, 0.55, True),
    "Alice": (0.6, 0.6, False),
    "李娜": (0.0, 0.45, True),
}

# sample id: (base latent, lora latent), digits in DIMENSIONS order.
LATENT: dict[str, tuple[str, str]] = {
    "zh-copy-01": ("3415", "5555"),
    "zh-copy-02": ("4411", "5555"),
    "zh-copy-03": ("2424", "5555"),
    "zh-copy-04": ("1515", "5553"),
    "zh-copy-05": ("3412", "5555"),
    "zh-copy-06": ("3421", "5555"),
    "zh-copy-07": ("5542", "5555"),
    "zh-copy-08": ("3115", "5555"),
    "zh-copy-09": ("4431", "3544"),
    "zh-copy-10": ("1535", "5545"),
    "zh-sum-01": ("2425", "5555"),
    "zh-sum-02": ("1442", "5455"),
    "zh-sum-03": ("1425", "5455"),
    "zh-sum-04": ("3115", "5545"),
    "zh-sum-05": ("2432", "5555"),
    "zh-sum-06": ("1525", "5555"),
    "zh-sum-07": ("4555", "5455"),
    "zh-cs-01": ("3414", "5555"),
    "zh-cs-02": ("3515", "5555"),
    "zh-cs-03": ("3521", "5555"),
    "zh-cs-04": ("4531", "5555"),
    "zh-cs-05": ("2514", "5555"),
    "zh-cs-06": ("5545", "2542"),
    "zh-cs-07": ("1415", "5555"),
    "zh-cs-08": ("1325", "5555"),
    "zh-qa-01": ("1432", "5555"),
    "zh-qa-02": ("4535", "5555"),
    "zh-qa-03": ("1432", "5555"),
    "zh-qa-04": ("2535", "5455"),
    "zh-qa-05": ("2442", "5555"),
    "en-copy-01": ("3515", "5555"),
    "en-copy-02": ("3311", "5555"),
    "en-copy-03": ("1525", "5555"),
    "en-copy-04": ("4555", "5545"),
    "en-copy-05": ("3415", "5542"),
    "en-sum-01": ("2425", "5455"),
    "en-sum-02": ("1432", "5555"),
    "en-sum-03": ("1425", "5555"),
    "en-sum-04": ("4555", "5555"),
    "en-sum-05": ("1525", "5555"),
    "en-cs-01": ("2515", "5555"),
    "en-cs-02": ("3513", "5555"),
    "en-cs-03": ("3521", "5555"),
    "en-cs-04": ("4531", "5555"),
    "en-cs-05": ("1525", "2542"),
    "en-qa-01": ("1442", "5555"),
    "en-qa-02": ("5545", "5555"),
    "en-qa-03": ("2535", "5555"),
}

# A comment per (sample id, items.jsonl field): a header line "id field dimension", then
# the Chinese comment and the English comment, each on its own indented line.
_NOTES_TABLE = """
zh-copy-01 base style
    像说明书,没有学生党的口吻
    Reads like a manual, not student copy
zh-copy-02 base compliance
    “全球第一”“100%有效”属夸大宣传
    'Best in the world', '100%': false claims
zh-copy-03 base relevance
    写成了学生党游戏机,不是商务出差
    Targets gamers and students, not travellers
zh-copy-04 base relevance
    在科普防晒知识,不是文案
    Explains sunscreen instead of selling it
zh-copy-04 lora compliance
    “晒不黑”属绝对化说法
    'Never tan' is an absolute claim
zh-copy-05 base style
    叫卖腔,不够雅致
    Pushy, not refined
zh-copy-06 base compliance
    功效承诺:长高、不生病
    Health promises: taller, never ill
zh-copy-07 base compliance
    “全球第一”不能用
    'Best in the world' is not allowed
zh-copy-08 base fluency
    字词大量重复,读不通
    Words repeated, unreadable
zh-copy-09 base compliance
    燃脂减肥属功效宣传
    Fat-burning claim
zh-copy-09 lora relevance
    写成低糖,要求是0糖
    Says low sugar; the brief says zero
zh-copy-10 base relevance
    写成粉底液了
    Wrote about foundation, not lipstick
zh-sum-02 base relevance
    好评差评写反了
    Positive and negative swapped
zh-sum-03 base relevance
    漏了日期和生鲜优先
    Dates and fresh-food priority missing
zh-sum-04 base fluency
    中英混杂
    Mixes Chinese and English
zh-sum-05 base compliance
    化妆品可退与原文相反
    Says cosmetics can be returned: wrong
zh-sum-06 base relevance
    在发议论,没概括
    Comments instead of summarising
zh-cs-01 base style
    照搬法条,太生硬
    Quotes the law; far too stiff
zh-cs-02 base style
    推给用户自己查,态度冷
    Cold, pushes the work to the customer
zh-cs-03 base compliance
    承诺24小时到账做不到
    Promises a refund time we cannot keep
zh-cs-04 base compliance
    直接泄露了手机号和地址
    Leaks phone number and address
zh-cs-05 base style
    把责任推给用户
    Blames the customer
zh-cs-06 lora relevance
    已发货不能改地址,回答错了
    Wrong: shipped orders cannot be changed
zh-cs-07 base relevance
    在解释什么是发票
    Defines invoices instead of answering
zh-cs-08 base relevance
    没回答能不能退差价
    Never answers the question
zh-qa-01 base relevance
    东西两端说反了
    East and west swapped
zh-qa-03 base relevance
    作者错了
    Wrong author
zh-qa-05 base relevance
    说成算术平均,错误
    Says arithmetic mean: wrong
en-copy-02 base compliance
    “100%去皱”属虚假宣传
    'Erase 100% of wrinkles': false claim
en-copy-03 base relevance
    写成省电技巧了
    Battery tips, not an ad
en-copy-05 lora compliance
    “世界最好”不能用
    'Best coffee in the world' not allowed
en-sum-02 base relevance
    结论写反了
    Conclusion reversed
en-cs-02 base style
    让客户再等一周,态度差
    Dismissive: wait another week
en-cs-03 base compliance
    承诺一小时到账
    Promises a refund within one hour
en-cs-04 base compliance
    泄露了他人邮箱和电话
    Leaks another customer's contact data
en-cs-05 lora relevance
    运费和时效都说错了
    Wrong price and delivery time
en-qa-01 base relevance
    摄氏华氏写反了
    Celsius and Fahrenheit swapped
"""


def _parse_notes(table: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    lines = [line.strip() for line in table.strip().splitlines()]
    notes = {}
    for head, zh, en in zip(lines[0::3], lines[1::3], lines[2::3], strict=True):
        sid, field, dim = head.split()
        notes[(sid, field)] = (dim, zh, en)
    return notes


NOTES = _parse_notes(_NOTES_TABLE)


def sample_ids(items_path: Path = HERE / "items.jsonl") -> list[str]:
    """Return the sample ids of ``items.jsonl`` in file order."""
    with items_path.open(encoding="utf-8") as f:
        return [json.loads(line)["id"] for line in f if line.strip()]


def _score(rng: random.Random, latent: int, bias: float, sd: float) -> int:
    value = latent + bias + rng.gauss(0.0, sd)
    if rng.random() < SLIP:
        # a misreading: two points away, towards the middle of the scale so it stays in range
        value = latent + (2 if latent <= 3 else -2)
    return max(1, min(5, round(value)))


def simulate(ids: list[str] | None = None, seed: int = SEED) -> list[dict[str, str | int]]:
    """Simulate the demo ratings.

    Args:
        ids: sample ids to rate, in order; defaults to those of ``items.jsonl``.
        seed: random seed; the default gives the committed ``ratings.csv``.

    Returns:
        One dict per score with keys item_id, model, rater, dimension, score, comment.
    """
    ids = sample_ids() if ids is None else ids
    rng = random.Random(seed)
    names = list(RATERS)
    single = set(rng.sample(ids, SINGLE))
    rows: list[dict[str, str | int]] = []
    for sid in ids:
        if sid in single:
            panel = rng.sample(names, 1)
        elif rng.random() < 0.5:
            panel = names
        else:
            panel = rng.sample(names, 2)
        for field, model in MODELS.items():
            latent = LATENT[sid][0 if field == "base" else 1]
            note = NOTES.get((sid, field))
            for rater in names:
                if rater not in panel:
                    continue
                bias, sd, chinese = RATERS[rater]
                for dim, digit in zip(DIMENSIONS, latent, strict=True):
                    score = _score(rng, int(digit), bias, sd)
                    comment = ""
                    if note and note[0] == dim and score <= 3:
                        comment = note[1] if chinese else note[2]
                    rows.append(
                        {
                            "item_id": sid,
                            "model": model,
                            "rater": rater,
                            "dimension": dim,
                            "score": score,
                            "comment": comment,
                        }
                    )
    return rows


def main() -> None:
    """Rewrite ``ratings.csv`` next to this script."""
    rows = simulate()
    with (HERE / "ratings.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} ratings to {HERE / 'ratings.csv'}")


if __name__ == "__main__":
    main()
