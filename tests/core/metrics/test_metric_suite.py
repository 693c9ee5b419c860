"""MetricSuite behaviour: presets, empty texts, workers, progress, cancel, groups."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest
from sacrebleu.metrics import BLEU as SacreBLEU

from annotator.core.metrics import (
    BLEU,
    EMPTY_HYPOTHESIS,
    EMPTY_REFERENCE,
    MetricsCancelled,
    MetricSuite,
    Rouge,
    Signature,
    get_preset,
    list_presets,
)
from annotator.core.metrics import suite as suite_module
from annotator.core.metrics.kernel import Encoder, packed_rows, python_row

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def test_presets_and_signatures():
    assert list_presets() == ["default", "sacrebleu", "llamafactory"]
    sigs = get_preset("default").signatures
    assert set(sigs) == {"bleu", "rouge-1", "rouge-2", "rouge-l"}
    assert sigs["bleu"].startswith("bleu|order:2|weights:uniform|tok:auto|smooth:none|eff:no|")
    assert sigs["rouge-l"].startswith("rouge-l|tok:auto|stat:f1|")
    assert "eff:yes" in get_preset("sacrebleu").signatures["bleu"]
    assert "smooth:method3" in get_preset("llamafactory").signatures["bleu-4"]
    parsed = Signature.parse(sigs["bleu"])
    assert parsed.metric == "bleu" and ("order", "2") in parsed.fields
    with pytest.raises(ValueError, match="unknown metric preset 'bertscore'"):
        get_preset("bertscore")


@pytest.mark.parametrize("preset", ["default", "sacrebleu", "llamafactory"])
def test_empty_texts_give_zero_and_counted_warnings(preset):
    refs = ["参考答案。", "", "  ", "reference", None, float("nan")]
    hyps = ["", "生成", "生成", "\n", "x", "y"]
    result = get_preset(preset).compute(refs, hyps)
    assert result.warnings == {EMPTY_HYPOTHESIS: 2, EMPTY_REFERENCE: 4}
    for name, values in result.values.items():
        assert values.dtype == np.float64 and len(values) == 6
        assert not np.isnan(values).any(), name
        assert (values == 0.0).all(), name
    assert result.signatures == get_preset(preset).signatures
    assert all(v == 0.0 for v in result.corpus().values())


def test_nothing_to_score():
    result = get_preset("default").compute([], [])
    assert all(len(v) == 0 for v in result.values.values())
    assert result.corpus() == {"bleu": 0.0, "rouge-1": 0.0, "rouge-2": 0.0, "rouge-l": 0.0}


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="2 references but 1 generated"):
        get_preset("default").compute(["a", "b"], ["a"])


def test_corpus_of_a_group_equals_corpus_of_that_group_alone(pairs):
    refs, hyps = zip(*pairs[:400], strict=True)
    suite = get_preset("sacrebleu")
    result = suite.compute(refs, hyps)
    mask = np.arange(len(refs)) % 3 == 0
    group = suite.corpus(
        [r for r, m in zip(refs, mask, strict=True) if m], list(np.array(hyps)[mask])
    )
    assert result.corpus(mask) == pytest.approx(group, abs=1e-12)
    assert result.corpus(np.flatnonzero(mask)) == pytest.approx(group, abs=1e-12)


def test_worker_pool_gives_the_same_values_with_progress(pairs, monkeypatch):
    monkeypatch.setattr(suite_module, "PARALLEL_THRESHOLD", 100)
    refs, hyps = zip(*pairs[:800], strict=True)
    suite = get_preset("default")
    seen = []
    pooled = suite.compute(refs, hyps, workers=2, progress=lambda d, t: seen.append((d, t)))
    inline = suite.compute(refs, hyps, workers=1)
    for name in inline.values:
        assert np.array_equal(pooled.values[name], inline.values[name])
    assert pooled.warnings == inline.warnings
    assert seen[-1] == (800, 800) and len(seen) > 1
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cancel_stops_with_an_error(pairs):
    refs, hyps = zip(*(pairs * 5)[:6000], strict=True)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(MetricsCancelled):
        get_preset("default").compute(refs, hyps, workers=1, cancel=cancel)


def test_pairs_with_many_distinct_tokens_take_the_python_path():
    rng = random.Random(3)
    words = [f"w{i}" for i in range(3000)]
    ref = " ".join(rng.choice(words) for _ in range(2500))
    hyp = " ".join(w if rng.random() < 0.7 else rng.choice(words) for w in ref.split())
    pairs = [(ref, hyp), ("a b c d", "a b c e")]
    suite = MetricSuite([BLEU(4, tokenize="13a", smooth="exp", effective_order=True)])
    got = suite.compute([p[0] for p in pairs], [p[1] for p in pairs]).values["bleu"]
    oracle = SacreBLEU(tokenize="13a", effective_order=True)
    expected = [oracle.sentence_score(h, [r]).score / 100 for r, h in pairs]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("unique", [False, True])
def test_packed_and_python_statistics_agree(pairs, unique):
    enc = Encoder({"zh": suite_module.tokenizers.tokenize_zh}, lambda h, r: "zh")
    encoded = [enc.pair(h, r) for r, h in pairs[:500]]
    hyps, refs = [e[0] for e in encoded], [e[1] for e in encoded]
    packed = packed_rows(hyps, refs, 4, True, unique)
    slow = np.array([python_row(h, r, 4, True, unique) for h, r in zip(hyps, refs, strict=True)])
    assert np.array_equal(packed, slow)


def test_custom_suite_and_bad_names():
    suite = MetricSuite([BLEU(2, smooth="floor", name="bleu-2"), Rouge("l", stat="recall")])
    result = suite.compute(["the cat sat on the mat"], ["the cat sat on a mat"])
    assert set(result.values) == {"bleu-2", "rouge-l-r"}
    assert result.values["rouge-l-r"][0] == pytest.approx(5 / 6)
    with pytest.raises(ValueError, match="distinct"):
        MetricSuite([Rouge(1), Rouge(1)])


def test_core_metrics_do_not_import_qt():
    code = (
        "import sys, annotator.core.metrics as m; m.get_preset('default').compute(['a'], ['a']);"
        "assert not any(k.startswith('PySide6') for k in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(_repo_root()))


def _repo_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[3]
