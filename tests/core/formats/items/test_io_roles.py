"""Which column is which: English and Chinese names, mapping overrides, metric columns."""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.formats.items import read_items
from annotator.core.formats.items.roles import detect_roles, metric_name


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            ["Sample_ID", "Prompt", "Ground Truth", "Model-Output"],
            {
                "id": "Sample_ID",
                "instruction": "Prompt",
                "reference": "Ground Truth",
                "generated": "Model-Output",
            },
        ),
        (
            ["编号", "指令", "参考答案", "模型输出", "模型"],
            {
                "id": "编号",
                "instruction": "指令",
                "reference": "参考答案",
                "generated": "模型输出",
                "model": "模型",
            },
        ),
        (
            ["样本ID", "问题", "标准答案", "生成文本"],
            {
                "id": "样本ID",
                "instruction": "问题",
                "reference": "标准答案",
                "generated": "生成文本",
            },
        ),
        (
            ["QUESTION", "answer", "response", "System"],
            {
                "instruction": "QUESTION",
                "reference": "answer",
                "generated": "response",
                "model": "System",
            },
        ),
        (
            ["query", "gold", "prediction", "version"],
            {
                "instruction": "query",
                "reference": "gold",
                "generated": "prediction",
                "model": "version",
            },
        ),
    ],
)
def test_roles_from_common_names(columns, expected):
    found = detect_roles(columns)
    assert found.roles == expected and found.missing == []


def test_input_is_the_instruction_only_when_there_is_no_other():
    assert detect_roles(["input", "target", "output"]).roles == {
        "instruction": "input",
        "reference": "target",
        "generated": "output",
    }
    roles = detect_roles(["instruction", "input", "label", "predict"]).roles
    assert roles["instruction"] == "instruction" and roles["input"] == "input"


def test_input_is_appended_to_the_instruction_like_alpaca(write, csv_text):
    text = csv_text(
        ["instruction", "input", "label", "predict"],
        [("翻译成英文", "你好", "Hello", "Hi"), ("写诗", "", "r", "g")],
    )
    items = read_items(write("a.csv", text)).items
    assert [i.instruction for i in items] == ["翻译成英文\n你好", "写诗"]


def test_alpaca_output_beside_predict_is_the_reference():
    found = detect_roles(["instruction", "input", "output", "predict"])
    assert found.roles["reference"] == "output" and found.roles["generated"] == "predict"
    assert found.notices


def test_mapping_overrides_and_unsets(write, csv_text):
    text = csv_text(["id", "q", "gold_v2", "gold", "gen"], [("a", "i", "r2", "r1", "g")])
    plan = read_items(
        write("m.csv", text),
        mapping={"instruction": "q", "reference": "gold_v2", "generated": "gen", "id": None},
    )
    item = plan.items[0]
    assert (item.instruction, item.reference, item.generated) == ("i", "r2", "g")
    assert item.sample_id == "1"
    assert item.metadata == {"id": "a", "gold": "r1"}


def test_mapping_a_missing_column_names_the_available_ones():
    with pytest.raises(InputError) as err:
        detect_roles(["q", "a", "g"], {"instruction": "question"}, file="x.csv")
    message = str(err.value)
    assert 'column "question"' in message and '"q", "a", "g"' in message


def test_mapping_an_unknown_role():
    with pytest.raises(InputError, match='unknown role "prompt"'):
        detect_roles(["q"], {"prompt": "q"})


@pytest.mark.parametrize(
    ("column", "metric"),
    [
        ("BLEU", "bleu"),
        ("bleu-4", "bleu"),
        ("predict_bleu-4", "bleu"),
        ("rouge_l", "rouge-l"),
        ("rougeL", "rouge-l"),
        ("predict_rouge-l", "rouge-l"),
        ("ROUGE-1", "rouge-1"),
        ("rouge2", "rouge-2"),
        ("ppl", "perplexity"),
        ("Perplexity", "perplexity"),
        ("acc", "accuracy"),
        ("F1", "f1"),
        ("meteor", "meteor"),
        ("BERTScore", "bertscore"),
        ("notes", None),
        ("bleurt", None),
        ("rouge", None),
    ],
)
def test_metric_names(column, metric):
    assert metric_name(column) == metric


def test_metric_columns_parsed_and_others_kept_as_text(write, csv_text):
    text = csv_text(
        ["instruction", "reference", "generated", "BLEU-4", "rougeL", "ppl", "note"],
        [("i", "r", "g", "0.25", "0.5", "12.5", "007"), ("i", "r", "g", "", "nan", "3", "x")],
    )
    plan = read_items(write("m.csv", text))
    assert plan.metric_columns == {"BLEU-4": "bleu", "rougeL": "rouge-l", "ppl": "perplexity"}
    assert plan.metadata_columns == ["note"]
    assert plan.items[0].metrics == {"bleu": 0.25, "rouge-l": 0.5, "perplexity": 12.5}
    assert plan.items[1].metrics == {"perplexity": 3.0}
    assert plan.items[0].metadata == {"note": "007"}
    assert not any("0-100" in str(n) for n in plan.notices)


def test_percent_scale_is_normalised_but_not_perplexity(write, csv_text):
    text = csv_text(
        ["instruction", "reference", "generated", "bleu", "accuracy", "ppl"],
        [("i", "r", "g", "35.2", "0.5", "20"), ("i", "r", "g", "0.8", "1", "2.5")],
    )
    plan = read_items(write("m.csv", text))
    assert plan.items[0].metrics == pytest.approx(
        {"bleu": 0.352, "accuracy": 0.5, "perplexity": 20.0}
    )
    assert plan.items[1].metrics == pytest.approx(
        {"bleu": 0.008, "accuracy": 1.0, "perplexity": 2.5}
    )
    notes = [str(n) for n in plan.notices if "0-100" in str(n)]
    assert len(notes) == 1 and '"bleu"' in notes[0]


def test_model_column_complements_the_model_argument(write, csv_text):
    text = csv_text(
        ["id", "model", "instruction", "reference", "generated"],
        [("1", "base", "i", "r", "g"), ("1", "lora", "i", "r", "g2"), ("2", "", "i", "r", "g")],
    )
    plan = read_items(write("m.csv", text), model="fallback")
    assert [i.model for i in plan.items] == ["base", "lora", "fallback"]
    assert plan.models_in_file == {"base", "lora"}
    assert read_items(write("n.csv", text)).items[2].model is None
