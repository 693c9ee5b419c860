"""LLaMA-Factory predictions: prompts rendered the way its templates render them."""

from __future__ import annotations

import pytest

from annotator.core.formats.items import read_items
from annotator.core.formats.items.llamafactory import extract_instruction

QWEN_SYSTEM = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
CASES = [
    (
        "chatml",
        QWEN_SYSTEM + "<|im_start|>user\n请把下面的句子翻译成英文。\n今天天气很好。<|im_end|>\n"
        "<|im_start|>assistant\n",
        "请把下面的句子翻译成英文。\n今天天气很好。",
    ),
    (  # multi-turn, left-padded batch: the last user turn, no padding tokens
        "chatml",
        "<|endoftext|><|endoftext|>" + QWEN_SYSTEM + "<|im_start|>user\n你好<|im_end|>\n"
        "<|im_start|>assistant\n你好！<|im_end|>\n<|im_start|>user\n介绍一下杭州<|im_end|>\n"
        "<|im_start|>assistant\n",
        "介绍一下杭州",
    ),
    (
        "llama3",
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful "
        "assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWrite a haiku about "
        "rain.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        "Write a haiku about rain.",
    ),
    (
        "llama2",
        "<s>[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\n第一个问题 [/INST] "
        "第一个回答 </s><s>[INST] 第二个问题：1+1=? [/INST]",
        "第二个问题：1+1=?",
    ),
    ("llama2", "<s>[INST] <<SYS>>\n简洁回答。\n<</SYS>>\n\n什么是LoRA？ [/INST]", "什么是LoRA？"),
    ("llama2", "<s>[INST] Summarise this.[/INST]", "Summarise this."),  # mistral spacing
    (
        "alpaca",
        "Below is an instruction that describes a task. Write a response that appropriately "
        "completes the request.\n\n### Instruction:\n把这句话改写得更正式\n\n### Response:\n",
        "把这句话改写得更正式",
    ),
    (
        "alpaca",
        "Below is an instruction that describes a task, paired with an input that provides "
        "further context. Write a response that appropriately completes the request.\n\n"
        "### Instruction:\nTranslate to English\n\n### Input:\n你好，世界\n\n### Response:\n",
        "Translate to English\n你好，世界",
    ),
    (
        "chatglm2",
        "[gMASK]sop[Round 1]\n\n问：你好\n\n答：你好！有什么可以帮你？\n\n"
        "[Round 2]\n\n问：介绍一下北京\n\n答：",
        "介绍一下北京",
    ),
    (
        "chatglm3",
        "[gMASK]<sop><|system|>\nYou are ChatGLM3.<|user|>\n写一个笑话<|assistant|>",
        "写一个笑话",
    ),
    (
        "gemma",
        "<bos><start_of_turn>user\n什么是梯度下降？<end_of_turn>\n<start_of_turn>model\n",
        "什么是梯度下降？",
    ),
    ("default", "Human: 今天星期几？\nAssistant:", "今天星期几？"),
    ("plain", "<s> 直接的提示，没有模板 </s>", "直接的提示，没有模板"),
]


@pytest.mark.parametrize(("template", "prompt", "instruction"), CASES)
def test_extract_last_user_turn(template, prompt, instruction):
    assert extract_instruction(prompt) == (instruction, template)


def test_truncated_prompt_still_gives_the_user_text():
    prompt = QWEN_SYSTEM + "<|im_start|>user\n一段很长的文本被截断"
    assert extract_instruction(prompt) == ("一段很长的文本被截断", "chatml")


def test_hint_from_the_previous_row_does_not_change_the_answer():
    for template, prompt, instruction in CASES:
        for hint in ("chatml", "llama2", "alpaca", "default", None):
            assert extract_instruction(prompt, hint) == (instruction, template)


@pytest.mark.parametrize("name", ["generated_predictions.jsonl", "run3.json", "preds.txt"])
def test_predictions_file_recognised_by_its_keys(write_jsonl, name):
    records = [
        {"prompt": CASES[0][1], "predict": "Today is nice.", "label": "The weather is nice today."},
        {"prompt": CASES[2][1], "predict": "Rain falls", "label": "Soft rain"},
    ]
    plan = read_items(write_jsonl(name, records), model="qwen-lora")
    assert plan.format == "llamafactory"
    assert plan.roles == {"instruction": "prompt", "reference": "label", "generated": "predict"}
    first, second = plan.items
    assert first.instruction == CASES[0][2]
    assert (first.reference, first.generated) == ("The weather is nice today.", "Today is nice.")
    assert first.metadata == {"prompt_raw": CASES[0][1], "template": "chatml"}
    assert second.metadata["template"] == "llama3" and second.instruction == CASES[2][2]
    assert [i.sample_id for i in plan.items] == ["1", "2"]
    assert first.model == "qwen-lora"


def test_older_predictions_without_prompt(write_jsonl):
    plan = read_items(
        write_jsonl("generated_predictions.jsonl", [{"predict": "p", "label": "l"}] * 3)
    )
    assert plan.format == "llamafactory"
    assert [(i.instruction, i.reference, i.generated) for i in plan.items] == [("", "l", "p")] * 3
    assert any('no "prompt"' in str(n) for n in plan.notices)
    assert any("3 item(s) have an empty instruction" in str(n) for n in plan.notices)
