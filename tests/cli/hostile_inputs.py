"""Broken and hostile inputs for every command of the CLI, and a runner for them.

The commands are read from the parser itself, so a new command or option is covered
without touching this file: each positional and each option taking a value gets the broken
inputs of its role (a project, a file to read, a file to write, a rubric, a text, a number).
Every case is a real ``python -m annotator`` subprocess on real files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.cli import build_parser

TRACEBACK = "Traceback (most recent call last)"
TIMEOUT_S = 180  # a hang is a failure too; generous for a machine shared by many

# The role of an argument by its dest; (command, dest) overrides the plain dest.
ROLE_BY_DEST = {
    "project": "project",
    "file": "input",
    "package": "package",
    "sheet": "sheet",
    "output": "output",
    "path": "output",
    "rubric": "rubric",
}
ROLE_OVERRIDES = {("init", "project"): "new_project", ("ratings import", "file"): "ratings"}
# A valid value for the arguments a command needs, so that one argument at a time is broken.
VALID = {
    "project": "@project",
    "new_project": "@fresh:new.annotator",
    "input": "@items",
    "ratings": "@ratings",
    "package": "@package",
    "sheet": "@sheet",
    "rater": "alice",
    "raters": "alice,bob",
    "item": "base/s1",
    "dimension": "relevance",
    "score": "4",
    # judge run: a port where nothing listens, so a valid line ends in a clear refusal
    "endpoint": "http://127.0.0.1:9/v1",
    "model": "judge-model",
}
# Options a command is given although optional, so that the rest of its line is valid.
GIVEN = {("import", "model"): "lora-v3"}
OUTPUT_SUFFIX = {"export": ".xlsx", "package create": ".annotator", "sheet create": ".xlsx"}
EXTRA = {"open": ["--smoke-test"]}  # never wait for a person to close a window

# Broken files, by role. "@x" names a file made by build_fixtures; a case whose value is a
# file must fail (exit code not 0) and its message must name that file.
PROJECT_CASES = {
    "missing": "@missing.annotator",
    "folder": "@folder",
    "empty": "@empty.annotator",
    "random_bytes": "@random.annotator",
    "truncated_sqlite": "@truncated.annotator",
    "foreign_sqlite": "@foreign.annotator",
    "dropped_table": "@dropped.annotator",
    "newer_schema": "@newer.annotator",
    "renamed_zip": "@garbage.xlsx",
    "package_as_project": "@package",
    "long_name": "@long",
    "undecodable_name": "@undecodable",
}
INPUT_CASES = {
    "missing": "@missing.csv",
    "folder": "@folder",
    "empty": "@empty.csv",
    "random_bytes": "@random.csv",
    "truncated_sqlite": "@truncated.annotator",
    "foreign_sqlite": "@foreign.annotator",
    "renamed_zip": "@garbage.xlsx",
    "unknown_encoding": "@ebcdic.csv",
    "nested_json": "@nested.json",
    "nested_jsonl": "@nested.jsonl",
    "project_as_input": "@project",
    "long_name": "@long",
    "undecodable_name": "@undecodable_csv",
}
PACKAGE_CASES = {
    "missing": "@missing.annotator",
    "folder": "@folder",
    "empty": "@empty.annotator",
    "random_bytes": "@random.annotator",
    "truncated_sqlite": "@truncated.annotator",
    "foreign_sqlite": "@foreign.annotator",
    "dropped_table": "@dropped_package.annotator",
    "newer_schema": "@newer_package.annotator",
    "project_as_package": "@project",
    "renamed_zip": "@garbage.xlsx",
}
SHEET_CASES = {
    "missing": "@missing.xlsx",
    "folder": "@folder",
    "empty": "@empty.xlsx",
    "random_bytes": "@random.xlsx",
    "renamed_zip": "@garbage.xlsx",
    "truncated_xlsx": "@truncated.xlsx",
    "project_as_sheet": "@project",
    "csv_as_sheet": "@items",
}
OUTPUT_CASES = {
    "folder": "@folder",
    "missing_folder": "@nofolder/out",
    "through_a_file": "@items/out",
    "long_name": "@long",
    "the_project_itself": "@same:project",
}
RUBRIC_CASES = {
    "nan_weight": "@nan_weight.toml",
    "negative_weight": "@negative_weight.toml",
    "nested_toml": "@nested.toml",
    "random_bytes": "@random.toml",
    "empty": "@empty.toml",
    "missing": "@missing.toml",
    "folder": "@folder",
}
FILE_CASES = {
    "project": PROJECT_CASES,
    "input": INPUT_CASES,
    "ratings": INPUT_CASES,
    "package": PACKAGE_CASES,
    "sheet": SHEET_CASES,
    "output": OUTPUT_CASES,
    "rubric": RUBRIC_CASES,
    "new_project": {k: OUTPUT_CASES[k] for k in ("folder", "missing_folder", "long_name")}
    | {"existing_file": "@random.annotator"},
}
TEXT_CASES = {
    "empty": "",
    "very_long": "x" * 20000,
    "newline": "alice\nbob",
    "formula": "=cmd|' /C calc'!A0",
    "terminal_escape": "\x1b[2J\x1b[31mred",
    "undecodable": b"\xff\xfe-name",
}
INT_CASES = {"negative": "-1", "zero": "0", "huge": "99999999999999999999", "text": "many"}
FLOAT_CASES = {"nan": "nan", "infinite": "inf", "negative": "-1", "huge": "1e308"}


@dataclass(frozen=True)
class Case:
    """One command line with one broken argument."""

    id: str
    command: str
    argv: tuple
    must_fail: bool  # a broken file: the exit code must not be 0
    names: str | None  # the token of the file the message must name
    json: bool = False
    opens_window: bool = False  # a valid project reaches Qt (offscreen, --smoke-test)


@dataclass
class Result:
    code: int | None
    stdout: str
    stderr: str
    files: dict = field(default_factory=dict)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def leaf_commands(parser: argparse.ArgumentParser | None = None) -> Iterator[tuple]:
    """(command name, its parser) for every runnable command, sub-commands included."""

    def walk(p, path):
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            yield " ".join(path), p
        for action in subs:
            for name, child in action.choices.items():
                yield from walk(child, (*path, name))

    yield from walk(parser or build_parser(), ())


def _role(command: str, action: argparse.Action) -> str:
    if (command, action.dest) in ROLE_OVERRIDES:
        return ROLE_OVERRIDES[(command, action.dest)]
    if action.dest in ROLE_BY_DEST:
        return ROLE_BY_DEST[action.dest]
    if action.type is int:
        return "int"
    if action.type is float:
        return "float"
    return "choice" if action.choices else "text"


def _slots(command: str, parser: argparse.ArgumentParser) -> list[tuple]:
    """(action, role) of every argument taking a value."""
    skip = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)
    return [
        (a, _role(command, a)) for a in parser._actions if not isinstance(a, skip) and a.nargs != 0
    ]


def _valid(command: str, action: argparse.Action, role: str):
    if (command, action.dest) in GIVEN:
        return GIVEN[(command, action.dest)]
    if role == "output":
        return "@fresh:out" + OUTPUT_SUFFIX.get(command, ".annotator")
    return VALID.get(role, VALID.get(action.dest))


def command_line(command: str, parser, broken: argparse.Action, value) -> tuple:
    """The command's argv with ``broken`` set to ``value`` and the others valid."""
    argv: list = command.split()
    for action, role in _slots(command, parser):
        given = value if action is broken else _valid(command, action, role)
        needed = (
            not action.option_strings
            or action.required
            or action is broken
            or (command, action.dest) in GIVEN
        )
        if given is None or not needed:
            if not action.option_strings and action.nargs != "?":
                raise AssertionError(f"{command}: no valid value for {action.dest}; add one")
            continue
        argv += [action.option_strings[0], given] if action.option_strings else [given]
    if value == "@same:project" and "--force" in parser._option_string_actions:
        argv.append("--force")  # the hostile form: overwrite the lead's own project
    return tuple(argv + EXTRA.get(command, []))


def all_cases() -> list[Case]:
    """Every command with every broken value of each of its arguments."""
    cases = []
    for command, parser in leaf_commands():
        for action, role in _slots(command, parser):
            slot = action.option_strings[0] if action.option_strings else action.dest
            has_project = any(r == "project" for _a, r in _slots(command, parser))
            for name, value in _values(role).items():
                if value == "@same:project" and not has_project:
                    continue
                is_file = role in FILE_CASES
                argv = command_line(command, parser, action, value)
                cases.append(
                    Case(
                        id=f"{command}:{slot}={name}",
                        command=command,
                        argv=argv,
                        must_fail=is_file and not _may_succeed(command, role, name),
                        names=value if is_file and name not in _UNNAMED else None,
                        opens_window=command == "open" and not is_file,
                    )
                )
    return cases


_UNNAMED = {"undecodable_name", "long_name", "the_project_itself"}


def _values(role: str) -> dict:
    if role in FILE_CASES:
        return FILE_CASES[role]
    return {"int": INT_CASES, "float": FLOAT_CASES, "choice": {"empty": ""}}.get(role, TEXT_CASES)


def _may_succeed(command: str, role: str, name: str) -> bool:
    # a package is a project file too (info reads one); demo makes its own folder;
    # a good file under a name that is not UTF-8 may well be imported
    return (
        (role, name) == ("project", "package_as_project")
        or (command, name) == ("demo", "missing_folder")
        or (command, name) == ("import", "undecodable_name")
    )


def default_subset(cases: list[Case]) -> list[Case]:
    """A fast representative part: every command at least once, every broken value of every
    role at least once, every argument at least once; every other case with --json."""
    chosen: dict[str, Case] = {}
    by_role: dict[tuple, list[Case]] = {}
    for case in cases:
        if case.opens_window:
            continue
        slot = case.id.split("=")[0]
        by_role.setdefault(_case_role(case), {}).setdefault(slot, []).append(case)
    for slots in by_role.values():
        names = sorted({c.id.split("=", 1)[1] for cs in slots.values() for c in cs})
        slot_list = sorted(slots)
        for k in range(max(len(names), len(slot_list))):
            slot = slot_list[k % len(slot_list)]
            want = names[k % len(names)]
            pick = next((c for c in slots[slot] if c.id.endswith("=" + want)), slots[slot][0])
            chosen[pick.id] = pick
    picked = sorted(chosen.values(), key=lambda c: c.id)
    return [with_json(c) if i % 2 else c for i, c in enumerate(picked)]


def _case_role(case: Case) -> str:
    for command, parser in leaf_commands():
        if command == case.command:
            slot = case.id.split(":", 1)[1].split("=")[0]
            for action, role in _slots(command, parser):
                if slot in (action.dest, *action.option_strings):
                    return "file" if role in FILE_CASES else role
    return "?"


def with_json(case: Case) -> Case:
    return Case(
        case.id + "[json]",
        case.command,
        (*case.argv, "--json"),
        case.must_fail,
        case.names,
        json=True,
        opens_window=case.opens_window,
    )


# --- the files -------------------------------------------------------------------------


def build_fixtures(root: Path) -> dict[str, str]:
    """A real project (two models, two raters assigned), a package, a sheet, and every
    broken file the cases name, in ``root``. Returns token -> name inside ``root``; each case
    gets its own copy of what it uses (see resolve), so no case can spoil another's files."""
    from annotator.cli import main

    root.mkdir(parents=True, exist_ok=True)
    items = root / "items.csv"
    items.write_text(
        "id,instruction,reference,generated\n"
        + "".join(f"s{k},为产品 {k} 写文案,参考 {k},输出 {k}\n" for k in range(1, 7)),
        encoding="utf-8",
    )
    shutil.copy(items, root / "lora.csv")
    project = str(root / "project.annotator")
    for argv in (
        ["init", project, "--language", "en"],
        ["import", project, str(items), "--model", "base"],
        ["import", project, str(root / "lora.csv"), "--model", "lora"],
        ["assign", project, "--raters", "alice,bob"],
        ["package", "create", project, "--rater", "alice", "-o", str(root / "alice.annotator")],
        ["sheet", "create", project, "--rater", "bob", "-o", str(root / "bob.xlsx")],
    ):
        assert main(argv) == 0, argv
    (root / "ratings.csv").write_text("item_id,rater,dimension,score\nbase/s1,carol,relevance,4\n")
    names = {
        "project": "project.annotator",
        "items": "items.csv",
        "ratings": "ratings.csv",
        "package": "alice.annotator",
        "sheet": "bob.xlsx",
    }
    names.update(_broken_files(root, names))
    return names


def _broken_files(root: Path, names: dict) -> dict[str, str]:
    rng = random.Random(12)
    noise = rng.randbytes(8192)
    made = {"folder": "folder"}
    (root / "folder").mkdir()
    for suffix in ("annotator", "csv", "xlsx", "toml"):
        made[f"missing.{suffix}"] = f"missing.{suffix}"
        made[f"empty.{suffix}"] = _write(root, f"empty.{suffix}", b"")
        made[f"random.{suffix}"] = _write(root, f"random.{suffix}", noise)
    project = (root / names["project"]).read_bytes()
    made["truncated.annotator"] = _write(root, "truncated.annotator", project[: len(project) // 3])
    sheet = (root / names["sheet"]).read_bytes()
    made["truncated.xlsx"] = _write(root, "truncated.xlsx", sheet[: len(sheet) // 2])
    conn = sqlite3.connect(root / "foreign.annotator")
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    made["foreign.annotator"] = "foreign.annotator"
    for tag, source in (("", "project"), ("_package", "package")):
        for kind, sql in (("dropped", "DROP TABLE ratings"), ("newer", "PRAGMA user_version = 99")):
            name = f"{kind}{tag}.annotator"
            made[name] = _altered(root / names[source], root / name, sql)
    with zipfile.ZipFile(root / "garbage.xlsx", "w") as z:
        z.writestr("junk.bin", noise)
    made["garbage.xlsx"] = "garbage.xlsx"
    text = "id,instruction,reference,generated\ns1,write,ref,out\n"
    made["ebcdic.csv"] = _write(root, "ebcdic.csv", text.encode("cp500"))
    depth = 100_000
    made["nested.json"] = _write(root, "nested.json", b"[" * depth + b"]" * depth)
    made["nested.jsonl"] = _write(root, "nested.jsonl", b'{"a":' * depth + b"1" + b"}" * depth)
    made["nested.toml"] = _write(root, "nested.toml", b"a = " + b"[" * depth + b"]" * depth)
    rubric = (Path(__file__).parents[2] / "resources" / "rubrics" / "default.toml").read_text(
        encoding="utf-8"
    )
    for name, weight in (("nan_weight", "nan"), ("negative_weight", "-1.0")):
        edited = rubric.replace("weight = 1.0", f"weight = {weight}", 1)
        made[f"{name}.toml"] = _write(root, f"{name}.toml", edited.encode())
    made["long"] = "n" * 300 + ".annotator"
    made["undecodable"] = os.fsdecode(b"\xff\xfe.annotator")
    good = (root / names["items"]).read_bytes()
    made["undecodable_csv"] = _write(root, os.fsdecode(b"\xff\xfe.csv"), good)
    made["nofolder/out"] = "no such folder/out.xlsx"
    made["items/out"] = names["items"] + "/out.xlsx"
    return made


def _write(root: Path, name: str, data: bytes) -> str:
    (root / name).write_bytes(data)
    return name


def _altered(source: Path, target: Path, sql: str) -> str:
    shutil.copy(source, target)
    conn = sqlite3.connect(target)
    conn.execute(sql)
    conn.commit()
    conn.close()
    return target.name


# --- running ----------------------------------------------------------------------------


def environment(root: Path) -> dict[str, str]:
    """A clean user: its own home and data/log folders, English, tracebacks not hidden."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ANNOTATOR_"))}
    home = root / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        ANNOTATOR_LANG="en",
        QT_QPA_PLATFORM="offscreen",
        # the safety net would turn our own bugs into polite sentences: see them instead
        ANNOTATOR_DEBUG="1",
    )
    return env


def resolve(case: Case, work: Path, fixtures: Path, names: dict) -> tuple[list, dict]:
    """The case's argv with tokens made into paths in ``work``, a folder of its own holding
    copies of the fixtures it names. Returns (argv, token -> path)."""
    work.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    argv: list = []
    for arg in case.argv:
        if isinstance(arg, str) and arg.startswith("@fresh:"):
            arg = work / arg[7:]
        elif isinstance(arg, str) and arg.startswith("@same:"):
            arg = paths[arg[6:]]
        elif isinstance(arg, str) and arg.startswith("@"):
            token = arg[1:]
            paths[token] = arg = work / names[token]
            _copy_first_part(fixtures, work, names[token])
        argv.append(os.fsencode(arg) if isinstance(arg, Path) else arg)
    return argv, paths


def _copy_first_part(fixtures: Path, work: Path, name: str) -> None:
    first = Path(name).parts[0]
    if first not in os.listdir(fixtures):  # a name meant not to exist (or too long to)
        return
    source, target = fixtures / first, work / first
    if target.exists():
        return
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy(source, target)


def run_case(case: Case, work: Path, fixtures: Path, names: dict) -> Result:
    """Run one case as a subprocess; a hang ends it after TIMEOUT_S (code None)."""
    argv, paths = resolve(case, work, fixtures, names)
    project = paths.get("project")
    before = project.read_bytes() if project and project.is_file() else None
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "annotator", *argv],
            capture_output=True,
            env=environment(work),
            cwd=work,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace")
        return Result(None, out, f"hang: no exit after {TIMEOUT_S} s")
    after = project.read_bytes() if project and project.is_file() else None
    return Result(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        {"project_changed": before != after, "paths": paths},
    )


def expected_name(case: Case, names: dict) -> str | None:
    """The part of the broken file's name its message must contain."""
    if case.names is None or not case.names.startswith("@"):
        return None
    return Path(names[case.names[1:]]).parts[0]


def json_error(result: Result) -> dict | None:
    """The --json output as a dict, or None if it is not JSON."""
    try:
        data = json.loads(result.stdout)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
