"""The llamafactory preset computes what LLaMA-Factory's ComputeSimilarity computes.

The oracle below is LLaMA-Factory's loop body (src/llamafactory/train/sft/metric.py)
with the real jieba, rouge-chinese and NLTK.
"""

from __future__ import annotations

import jieba
import numpy as np
import pytest
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
from rouge_chinese import Rouge as RougeChinese

from annotator.core.metrics import get_preset, llamafactory_printed

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

TOL = 1e-9


def _llamafactory(pred: str, label: str) -> dict[str, float]:
    hypothesis = list(jieba.cut(pred))
    reference = list(jieba.cut(label))
    if len(" ".join(hypothesis).split()) == 0 or len(" ".join(reference).split()) == 0:
        result = {"rouge-1": {"f": 0.0}, "rouge-2": {"f": 0.0}, "rouge-l": {"f": 0.0}}
    else:
        result = RougeChinese().get_scores(" ".join(hypothesis), " ".join(reference))[0]
    out = {k: v["f"] for k, v in result.items()}
    out["bleu-4"] = sentence_bleu(
        [list(label)], list(pred), smoothing_function=SmoothingFunction().method3
    )
    return out


_MULTILINE = [
    ("第一句。\n\n第二句！  第三句？", "第一句。\n \n第二句！第三句"),
    ("他说：“好的。”然后走了……", "他说“好的”。然后……走了"),
    ("Wait...... 然后? 还有吗?", "wait......然后？还有吗？"),
    ("  ", "参考答案"),
    ("生成的文本", "\n"),
    ("", ""),
    ("a", "a"),
    ("同一个句子。", "同一个句子。"),
]


def test_llamafactory_preset_matches_llamafactory(pairs):
    sample = [p for p in pairs if len(p[0]) < 120 and len(p[1]) < 120][:400] + _MULTILINE
    refs, hyps = zip(*sample, strict=True)
    got = get_preset("llamafactory").compute(refs, hyps, workers=1).values
    assert set(got) == {"rouge-1", "rouge-2", "rouge-l", "bleu-4"}
    for i, (ref, hyp) in enumerate(sample):
        expected = _llamafactory(hyp, ref)
        for name, value in expected.items():
            assert got[name][i] == pytest.approx(value, abs=TOL), (name, ref, hyp)


def test_printed_numbers_are_llamafactorys_rounded_mean(pairs):
    sample = pairs[:60]
    refs, hyps = zip(*sample, strict=True)
    got = get_preset("llamafactory").compute(refs, hyps, workers=1).values
    oracle = [_llamafactory(h, r) for r, h in sample]
    for name in ("bleu-4", "rouge-l"):
        expected = float(np.mean([round(o[name] * 100, 4) for o in oracle]))
        assert llamafactory_printed(got[name]) == pytest.approx(expected, abs=1e-9)
    assert llamafactory_printed([]) == 0.0
