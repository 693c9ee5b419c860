"""preview: what an import wizard shows before anything is imported."""

from __future__ import annotations

from annotator.core.formats.items import preview


def test_preview_reads_only_the_first_rows_and_guesses_roles(write, csv_text):
    rows = [(str(k), f"指令{k}", f"参考{k}", f"生成{k}", "0.5") for k in range(1, 101)]
    path = write("p.csv", csv_text(["编号", "指令", "参考", "生成", "BLEU"], rows), "gb18030")
    pre = preview(path, n=5)
    assert (pre.format, pre.encoding) == ("csv", "gb18030")
    assert pre.columns == ["编号", "指令", "参考", "生成", "BLEU"]
    assert len(pre.rows) == 5 and pre.rows[0]["指令"] == "指令1" and pre.row_numbers[0] == 2
    assert pre.roles == {
        "id": "编号",
        "instruction": "指令",
        "reference": "参考",
        "generated": "生成",
    }
    assert pre.metric_columns == {"BLEU": "bleu"} and pre.missing == []
    assert [i.sample_id for i in pre.items] == ["1", "2", "3", "4", "5"]


def test_preview_reports_missing_roles_instead_of_raising(write, csv_text):
    pre = preview(write("p.csv", csv_text(["a", "b"], [("1", "2")])))
    assert pre.missing == ["instruction", "reference", "generated"]
    assert pre.items == [] and len(pre.problems) == 3


def test_preview_of_predictions_shows_extracted_instructions(write_jsonl):
    prompt = "<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n"
    path = write_jsonl(
        "generated_predictions.jsonl", [{"prompt": prompt, "predict": "p", "label": "l"}] * 30
    )
    pre = preview(path, n=3)
    assert pre.format == "llamafactory" and len(pre.items) == 3
    assert pre.items[0].instruction == "你好"


def test_preview_with_a_mapping(write, csv_text):
    pre = preview(
        write("p.csv", csv_text(["x", "y", "z"], [("1", "2", "3")])),
        mapping={"instruction": "x", "reference": "y", "generated": "z"},
    )
    assert pre.missing == [] and pre.items[0].reference == "2"
