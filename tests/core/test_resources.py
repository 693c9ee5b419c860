"""The shipped content: the default rubric and the demo evaluation.

Numbers about the demo (agreement, BLEU) are checked with the reference libraries
(krippendorff, sacrebleu), never with our own code.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from statistics import mean

import pytest

from annotator.core.domain.models import Dimension, Rubric

ROOT = Path(__file__).resolve().parents[2] / "resources"
RUBRIC = ROOT / "rubrics" / "default.toml"
DEMO = ROOT / "demo"
KEYS = ("relevance", "fluency", "style", "compliance")
ITEM_FIELDS = ("id", "task", "lang", "instruction", "reference", "base", "lora")
TASKS = {"marketing", "summary", "customer_service", "qa"}
RATERS = {"王小明", "Alice", "李娜"}
MODELS = {"base": "base", "lora": "lora-v2"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def rubric() -> dict:
    with RUBRIC.open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def items() -> list[dict]:
    with (DEMO / "items.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def ratings() -> list[dict]:
    with (DEMO / "ratings.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- rubric


def test_rubric_header(rubric: dict) -> None:
    assert rubric["version"] == 1
    assert rubric["language_default"] == "zh_CN"


def test_rubric_has_the_four_keys_in_order(rubric: dict) -> None:
    assert tuple(d["key"] for d in rubric["dimensions"]) == KEYS


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_five_distinct_nonempty_anchors_per_language(rubric: dict, lang: str) -> None:
    for dim in rubric["dimensions"]:
        anchors = dim[f"anchors_{lang}"]
        assert len(anchors) == 5, dim["key"]
        assert all(isinstance(a, str) and a.strip() for a in anchors), dim["key"]
        assert len(set(anchors)) == 5, dim["key"]


def test_no_anchor_starts_with_a_digit(rubric: dict) -> None:
    for dim in rubric["dimensions"]:
        for anchor in dim["anchors_en"] + dim["anchors_zh"]:
            assert not anchor.lstrip()[:1].isdigit(), (dim["key"], anchor)


def test_anchors_are_short_and_in_their_language(rubric: dict) -> None:
    for dim in rubric["dimensions"]:
        for anchor in dim["anchors_zh"]:
            assert len(anchor) <= 40 and CJK.search(anchor), anchor
        for anchor in dim["anchors_en"]:
            assert len(anchor) <= 90 and not CJK.search(anchor), anchor


def test_names_descriptions_and_weights(rubric: dict) -> None:
    for dim in rubric["dimensions"]:
        for field in ("name_en", "name_zh", "description_en", "description_zh"):
            assert dim[field].strip(), (dim["key"], field)
        assert CJK.search(dim["name_zh"]) and CJK.search(dim["description_zh"])
        assert dim["weight"] > 0


def test_rubric_fits_the_dimension_model(rubric: dict) -> None:
    # the TOML keys must be exactly the Dimension fields, so a loader can pass them through
    dims = []
    for raw in rubric["dimensions"]:
        fields = dict(raw)
        fields["anchors_en"] = tuple(fields["anchors_en"])
        fields["anchors_zh"] = tuple(fields["anchors_zh"])
        dims.append(Dimension(**fields))
    built = Rubric(tuple(dims))
    assert built.keys == KEYS
    assert built.get("compliance").anchor(1, "zh_CN") == rubric["dimensions"][3]["anchors_zh"][0]


# ---------------------------------------------------------------- demo items


def test_items_parse_with_every_field_filled(items: list[dict]) -> None:
    assert len(items) >= 40
    for it in items:
        assert set(it) == set(ITEM_FIELDS), it.get("id")
        assert all(isinstance(it[k], str) and it[k].strip() for k in ITEM_FIELDS), it["id"]
        assert it["task"] in TASKS, it["id"]
        assert it["lang"] in {"zh", "en"}, it["id"]


def test_item_ids_unique_and_both_languages(items: list[dict]) -> None:
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids))
    langs = Counter(it["lang"] for it in items)
    assert langs["zh"] >= 25 and langs["en"] >= 15
    assert {it["task"] for it in items} == TASKS


def test_reference_lengths_and_language(items: list[dict]) -> None:
    for it in items:
        ref = it["reference"]
        if it["lang"] == "zh":
            assert 15 <= len(ref) <= 80 and CJK.search(ref), it["id"]
        else:
            assert 10 <= len(ref.split()) <= 50 and not CJK.search(ref), it["id"]


# ---------------------------------------------------------------- demo ratings


def test_ratings_reference_existing_items_and_dimensions(
    items: list[dict], ratings: list[dict]
) -> None:
    ids = {it["id"] for it in items}
    assert ratings and list(ratings[0]) == [
        "item_id",
        "model",
        "rater",
        "dimension",
        "score",
        "comment",
    ]
    for r in ratings:
        assert r["item_id"] in ids
        assert r["model"] in MODELS.values()
        assert r["rater"] in RATERS
        assert r["dimension"] in KEYS
        assert r["score"] in {"1", "2", "3", "4", "5"}


def test_ratings_coverage(items: list[dict], ratings: list[dict]) -> None:
    keys = Counter((r["item_id"], r["model"], r["rater"], r["dimension"]) for r in ratings)
    assert max(keys.values()) == 1  # no duplicate score
    dims = defaultdict(set)
    panels = defaultdict(set)
    for r in ratings:
        dims[(r["item_id"], r["model"], r["rater"])].add(r["dimension"])
        panels[(r["item_id"], r["model"])].add(r["rater"])
    assert all(d == set(KEYS) for d in dims.values())  # a rater scores all four
    for it in items:  # both models of every item, by the same panel
        assert panels[(it["id"], "base")] == panels[(it["id"], "lora-v2")], it["id"]
    sizes = Counter(len(panels[(it["id"], "base")]) for it in items)
    assert set(sizes) <= {1, 2, 3} and 4 <= sizes[1] <= 8


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_ratings", DEMO / "make_ratings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ratings_csv_is_the_generator_output(ratings: list[dict]) -> None:
    simulated = _load_generator().simulate()
    assert [{k: str(v) for k, v in row.items()} for row in simulated] == ratings


def test_agreement_is_moderate(ratings: list[dict]) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    units = sorted({(r["item_id"], r["model"], r["dimension"]) for r in ratings})
    column = {u: i for i, u in enumerate(units)}
    raters = sorted(RATERS)
    data = [[float("nan")] * len(units) for _ in raters]
    for r in ratings:
        data[raters.index(r["rater"])][column[(r["item_id"], r["model"], r["dimension"])]] = float(
            r["score"]
        )
    alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    assert 0.6 <= alpha <= 0.8


def _human_means(ratings: list[dict]) -> dict[tuple[str, str], float]:
    scores = defaultdict(list)
    for r in ratings:
        scores[(r["item_id"], r["model"])].append(int(r["score"]))
    return {k: mean(v) for k, v in scores.items()}


def test_scores_follow_the_texts(items: list[dict], ratings: list[dict]) -> None:
    means = _human_means(ratings)
    lora = mean(means[(it["id"], "lora-v2")] for it in items)
    base = mean(means[(it["id"], "base")] for it in items)
    assert lora >= 4.2 and 2.5 <= base <= 3.8
    # where the base output makes a blatant claim, its compliance must be rated low
    claim = re.compile(r"100%|全球第一|全网|best in the world|world's best|不生病", re.I)
    flagged = [it["id"] for it in items if claim.search(it["base"])]
    assert len(flagged) >= 4
    for sid in flagged:
        scores = [
            int(r["score"])
            for r in ratings
            if (r["item_id"], r["model"], r["dimension"]) == (sid, "base", "compliance")
        ]
        assert mean(scores) <= 3, sid


def test_demo_shows_both_diagnostic_corners(items: list[dict], ratings: list[dict]) -> None:
    from sacrebleu.metrics import BLEU

    bleu = {
        "zh": BLEU(tokenize="zh", effective_order=True),
        "en": BLEU(tokenize="13a", effective_order=True),
    }
    means = _human_means(ratings)
    auto_high_human_low = human_high_auto_low = 0
    for it in items:
        for field, model in MODELS.items():
            score = bleu[it["lang"]].sentence_score(it[field], [it["reference"]]).score
            human = means[(it["id"], model)]
            auto_high_human_low += score >= 40 and human <= 3.5
            human_high_auto_low += score <= 10 and human >= 4.0
    assert auto_high_human_low >= 3
    assert human_high_auto_low >= 3
