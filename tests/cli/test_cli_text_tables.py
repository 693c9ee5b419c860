"""The CLI's text tables on a Chinese project: columns aligned by display width, and the
mid-project report says on how many complete items each model's means rest."""

from __future__ import annotations

import re

from annotator.cli import main
from annotator.core.i18n import display_width
from annotator.core.project import Project

DIMS = ("relevance", "fluency", "style", "compliance")
MODELS = ("base", "微调后的模型乙")  # a model name wider than any fixed column


def _project(tmp_path):
    path = tmp_path / "zh.annotator"
    with Project.create(path, "中文项目", language="zh_CN") as project:
        for model in MODELS:
            f = tmp_path / f"{len(model)}.csv"
            rows = [f"s{k},写一句文案 {k},参考 {k},输出 {k}" for k in range(4)]
            f.write_text("id,instruction,reference,generated\n" + "\n".join(rows) + "\n", "utf-8")
            project.import_file(f, model=model)
    lines = ["model,item,rater,dimension,score"]
    for model in MODELS:
        for k in range(4):
            raters = ("王小明", "Alice") if k < 2 else ("王小明",)  # two items complete of four
            for rater in raters:
                for dim in DIMS:
                    lines.append(f"{model},s{k},{rater},{dim},{3 + (k + len(rater)) % 3}")
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["ratings", "import", str(path), str(ratings)]) == 0
    return path


def _cells(line: str) -> list[tuple[int, int, str]]:
    """(start, end) display columns of each cell of a line; cells are apart by 2+ spaces."""
    out = []
    for match in re.finditer(r"\S+(?: \S+)*", line):
        start = display_width(line[: match.start()])
        out.append((start, start + display_width(match.group()), match.group()))
    return out


def _assert_aligned(lines: list[str], right: set[int]) -> None:
    rows = [_cells(line) for line in lines]
    assert len({len(r) for r in rows}) == 1, lines
    for j in range(len(rows[0])):
        edge = 1 if j in right else 0  # right-aligned columns end at the same column
        assert len({r[j][edge] for r in rows}) == 1, (j, [r[j] for r in rows])


def test_report_table_aligns_with_chinese_headers_and_names(tmp_path, capsys):
    path = _project(tmp_path)
    capsys.readouterr()
    assert main(["report", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    head = next(i for i, line in enumerate(out) if line.startswith("模型"))
    end = next(i for i, line in enumerate(out) if "均值只计完整条目" in line)
    table = [out[head]] + [line for line in out[head + 1 : end] if line.startswith(MODELS)]
    assert len(table) == 3
    _assert_aligned(table, right={1, 2, 3, 4, 5, 6, 7, 9})
    for line in table[1:]:
        assert "2 / 4" in line  # the means rest on 2 complete items of 4
    assert "完整条目" in out[head]
    assert any("均值只计完整条目" in line for line in out)
    agree = next(i for i, line in enumerate(out) if line.startswith("一致性"))
    _assert_aligned(out[agree : agree + 6], right={1, 2})


def test_gates_table_aligns(tmp_path, capsys):
    path = _project(tmp_path)
    capsys.readouterr()
    assert main(["gates", str(path)]) == 0
    lines = capsys.readouterr().out.split("\n\n")[0].splitlines()  # the rule in force follows
    starts = [[c[0] for c in _cells(line)][:3] for line in lines]
    assert len({tuple(s) for s in starts}) == 1, lines  # on/off, key and rule start together
