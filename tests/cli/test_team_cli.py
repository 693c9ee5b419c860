"""The team commands as a lead runs them: assign, package, sheet, status, with --json."""

from __future__ import annotations

import argparse
import json

import openpyxl
import pytest

from annotator.cli import project_cmds, team_cmds
from annotator.cli._common import run_command
from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.usecases.importing import MemoryPlan, import_plan


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annotator")
    sub = parser.add_subparsers(dest="command")
    project_cmds.register(sub)
    team_cmds.register(sub)
    return parser


def run(capsys, *argv):
    args = _parser().parse_args(list(argv))
    code = run_command(args, args.func)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, _ = run(capsys, *argv, "--json")
    return code, json.loads(out)


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "eval.annotator"
    # English, so the messages below read as written; tests/cli/test_cli_language.py has the
    # Chinese side.
    with Project.create(path, "cli eval", language="en") as p:
        for model in ("base", "lora-v2"):
            drafts = [
                ItemDraft(
                    f"s{k}", f"指令 {k}", f"参考 {k}", f"{model} 输出 {k}", row=k + 1, model=model
                )
                for k in range(1, 7)
            ]
            import_plan(p.db, MemoryPlan(tmp_path / f"{model}.jsonl", drafts, f"sha-{model}"))
    return str(path)


def test_the_team_story_on_the_command_line(capsys, tmp_path, project):
    code, data = run_json(
        capsys,
        "assign",
        project,
        "--raters",
        "alice,bob,carol",
        "--per-item",
        "2",
        "--seed",
        "3",
        "--shared",
        "1",
    )
    assert code == 0 and data["items"] == 12 and data["shared_items"] == 2
    assert sum(data["load"].values()) == 2 * 2 * 5 + 3 * 2  # 5 samples x 2 raters + 1 shared
    load = data["load"]
    pkg = str(tmp_path / "alice.annotator")
    code, data = run_json(capsys, "package", "create", project, "--rater", "alice", "-o", pkg)
    assert code == 0 and data["items"] == load["alice"]
    with Project.open(pkg) as p:
        session = p.session("alice")
        session.set_score(session.order[0], "relevance", 5)
    code, out, _ = run(capsys, "package", "merge", project, pkg)
    assert code == 0 and "1 new, 0 changed, 0 unchanged scores" in out and "backup" in out
    code, data = run_json(capsys, "package", "merge", project, pkg)
    assert code == 0 and data["unchanged"] == 1 and data["wrote"] is False

    sheet = str(tmp_path / "bob.xlsx")
    assert run(capsys, "sheet", "create", project, "--rater", "bob", "-o", sheet)[0] == 0
    wb = openpyxl.load_workbook(sheet)
    wb["ratings"]["E2"] = 7
    wb["ratings"]["F2"] = "3"
    wb.save(sheet)
    code, out, err = run(capsys, "sheet", "import", project, sheet)
    assert code == 1 and 'ratings!E2: "7" is not a score from 1 to 5' in err
    code, data = run_json(capsys, "sheet", "import", project, sheet)
    assert code == 1 and data["problems"][0]["cell"] == "ratings!E2"
    code, data = run_json(capsys, "sheet", "import", project, sheet, "--skip-invalid")
    assert code == 0 and data["new"] == 1 and len(data["skipped"]) == 1

    code, data = run_json(capsys, "status", project)
    rows = {r["rater"]: r for r in data["raters"]}
    assert code == 0 and set(rows) == {"alice", "bob", "carol"}
    assert rows["alice"]["last_merge"] and rows["carol"]["last_merge"] is None
    code, out, _ = run(capsys, "status", project)
    assert code == 0 and "remaining" in out and "carol" in out


def test_clear_errors(capsys, tmp_path, project):
    code, _, err = run(capsys, "assign", project, "--raters", "a", "--per-item", "2")
    assert code == 1 and "raters per item must be a whole number from 1" in err
    code, _, err = run(capsys, "package", "merge", project, str(tmp_path / "nope.annotator"))
    assert code == 1 and "does not exist" in err
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 this is not really a zip")
    code, _, err = run(capsys, "sheet", "import", project, str(junk))
    assert code == 1 and "error:" in err and "xlsx" in err
