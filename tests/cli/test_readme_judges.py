"""The README's LLM-judge lines, run as written against a real OpenAI-compatible server on
127.0.0.1 (tests/judge_server.py) standing in for ``http://gpu-box:8000/v1``: a lead with a
vLLM server on the LAN gets the judge's scores from the README alone (issue 17)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from annotator.cli import main
from tests.judge_server import DIMENSIONS, FakeLLM, make_project, stored_scores
from tests.judge_server import expected_score as score_of

ROOT = Path(__file__).resolve().parents[2]
LAN = "http://gpu-box:8000/v1"


def _judge_block(readme: str) -> list[str]:
    block = re.search(r"```\n(export JUDGE_KEY=.*?)```", readme, re.S)
    assert block, "the README's judges block (starting with export JUDGE_KEY=)"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines()]


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_the_readme_runs_a_judge_on_a_lan_server(readme, tmp_path, monkeypatch, capsys):
    lines = _judge_block((ROOT / readme).read_text(encoding="utf-8"))
    run = next(line for line in lines if " judge run " in line and "--api-key-env" in line)
    argv = shlex.split(run)
    model = argv[argv.index("--model") + 1]
    key_var = argv[argv.index("--api-key-env") + 1]
    assert argv[argv.index("--endpoint") + 1] == LAN
    project, where = make_project(tmp_path / "eval.annotator", 3)
    project.close()
    for name in ("HTTP_PROXY", "http_proxy", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv(key_var, "sk-lan")
    monkeypatch.chdir(tmp_path)
    with FakeLLM(model=model, key="sk-lan") as server:
        given = [server.url if a == LAN else a for a in argv[1:]]
        assert main(given) == 0, capsys.readouterr()
        assert server.total_answered() == len(where)  # one request per item, all dimensions
    stored = stored_scores(tmp_path / "eval.annotator")
    assert sorted((j, m, s, d, v) for j, m, s, d, v, _ in stored) == sorted(
        (model, m, s, d, score_of(k, d)) for k, (m, s) in where.items() for d in DIMENSIONS
    )
    listing = next(x for x in lines if re.fullmatch(r"annotator judges eval\.annotator", x))
    assert main(shlex.split(listing)[1:]) == 0
    assert model in capsys.readouterr().out
