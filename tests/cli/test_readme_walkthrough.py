"""The README's lead walkthrough, followed as a newcomer would (issue 14, point 1).

The import lines are taken from README.md (and README.zh-CN.md) as written and run in a real
process on two model files: a fine-tune that answers like the reference and a base model
that does not. The model comparison must then read fine-tune minus base, with the
fine-tune ahead, in whichever order the two files are imported (issue 15: the model named
"base" is the baseline; before, the first model imported was, and a README that imported
the fine-tune first read every difference negative).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.project import Project

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [
    ("用一句话介绍这款面霜", "这款面霜保湿修护，适合干皮。"),
    ("推荐一支学生党口红", "这支口红平价显白，学生党闭眼入。"),
    ("快递延迟怎么回复客户", "非常抱歉给您带来不便，我们会尽快为您处理。"),
    ("写一句防晒霜的卖点", "轻薄不黏腻，高倍防晒不怕晒。"),
    ("Describe the serum in one line", "A light serum that calms and hydrates the skin."),
    ("How to answer a refund request", "We are sorry; your refund is on its way."),
]


def _walkthrough(readme: str) -> list[list[str]]:
    """The `annotator init` and `annotator import` lines of the lead's code block."""
    block = re.search(r"```\n(annotator init .*?)```", readme, re.S)
    assert block, "the README's lead walkthrough (a code block starting with annotator init)"
    lines = []
    for line in block.group(1).splitlines():
        words = shlex.split(line, comments=True)
        if words[:2] in (["annotator", "init"], ["annotator", "import"], ["annotator", "models"]):
            lines.append(words[1:])
    return lines


def _write_inputs(folder: Path) -> None:
    with open(folder / "generated_predictions.jsonl", "w", encoding="utf-8") as fh:
        for prompt, gold in SAMPLES:  # the fine-tune: close to the reference
            fh.write(json.dumps({"prompt": prompt, "label": gold, "predict": gold}) + "\n")
    with open(folder / "base_model.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["instruction", "reference", "generated"])
        for prompt, gold in SAMPLES:  # the base model: a vague answer
            writer.writerow([prompt, gold, "好的。" if not prompt.isascii() else "OK."])


@pytest.mark.parametrize("swap", [False, True], ids=["as-written", "imports-swapped"])
@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_the_readme_walkthrough_compares_the_fine_tune_with_the_base(tmp_path, readme, swap):
    _write_inputs(tmp_path)
    env = {**os.environ, "ANNOTATOR_LANG": "en", "HOME": str(tmp_path)}
    steps = _walkthrough((ROOT / readme).read_text(encoding="utf-8"))
    imports = [k for k, s in enumerate(steps) if s[0] == "import"]
    assert len(imports) == 2
    if swap:
        first, second = imports
        steps[first], steps[second] = steps[second], steps[first]
    for argv in [*steps, ["metrics", "eval.annotator"]]:
        done = subprocess.run(
            [sys.executable, "-m", "annotator", *argv],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, (argv, done.stderr)
    with Project.open(tmp_path / "eval.annotator") as project:
        (comparison,) = project.evaluate(resamples=50).stats.comparisons
    assert (comparison.baseline, comparison.candidate) == ("base", "lora-v2")
    bleu = comparison.table.set_index("measure").loc["bleu"]
    assert bleu["n_pairs"] == len(SAMPLES) and bleu["diff"] > 0.5
    report = subprocess.run(
        [sys.executable, "-m", "annotator", "report", "eval.annotator", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    data = json.loads(report.stdout)
    assert data["baseline"]["model"] == "base" and data["baseline"]["chosen"] == "named"
    (listed,) = data["comparisons"]
    row = next(m for m in listed["measures"] if m["measure"] == "bleu")
    assert (listed["baseline"], listed["candidate"]) == ("base", "lora-v2")
    assert row["diff"] > 0.5 and row["ci_low"] > 0 and row["reading"] == "better"
