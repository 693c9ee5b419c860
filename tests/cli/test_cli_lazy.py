"""A command loads only its own module: the table of commands in annotator.cli must say
exactly what each module registers, and a command run in a fresh process must not load
the other commands' modules."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from annotator.cli import COMMANDS, build_parser


def _registered(module_name: str) -> set[str]:
    module = importlib.import_module(f"annotator.cli.{module_name}")
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    module.register(sub)
    return set(sub.choices)


def test_the_table_names_what_every_module_registers():
    for module_name, commands in COMMANDS.items():
        assert _registered(module_name) == set(commands), module_name


def test_every_command_module_is_in_the_table():
    from pathlib import Path

    folder = Path(importlib.import_module("annotator.cli").__file__).parent
    on_disk = {path.stem for path in folder.glob("*_cmds.py")}
    assert on_disk == set(COMMANDS)


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


def test_a_named_command_builds_only_its_module_and_anything_else_builds_all():
    every = {c for commands in COMMANDS.values() for c in commands}
    assert _commands(build_parser()) == every
    assert _commands(build_parser(["report", "x.annotator"])) == set(COMMANDS["stats_cmds"])
    assert _commands(build_parser(["--help"])) == every
    assert _commands(build_parser(["reprot"])) == every  # the error lists every command


def _shape(parser: argparse.ArgumentParser) -> dict:
    """Every option and positional of a parser, and of its sub-commands, recursively."""
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            out.update({f"{k}/": _shape(v) for k, v in action.choices.items()})
        else:
            out[action.dest + repr(action.option_strings)] = repr(action.default)
    out["func"] = repr(parser.get_default("func"))
    return out


def test_each_command_built_alone_has_every_option_of_the_full_parser():
    """A module that adds options to another module's command (judges adds --judges to
    preferences import) is loaded with it."""
    full = _shape(build_parser())
    for commands in COMMANDS.values():
        for command in commands:
            alone = _shape(build_parser([command]))
            assert alone[f"{command}/"] == full[f"{command}/"], command


def test_a_report_in_a_new_process_loads_no_other_command(tmp_path):
    code = (
        "import sys\n"
        "from annotator.cli import main\n"
        "try:\n"
        "    main(['report', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('annotator.cli.')"
        " and m.endswith('_cmds')))\n"
    )
    out = (
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "missing.annotator")],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert out == "['annotator.cli.stats_cmds']"


def test_json_out_is_the_cleaned_json_whether_or_not_the_data_was_plain():
    import json
    import math

    import numpy as np

    from annotator.cli._common import to_json
    from annotator.core.stats.jsonsafe import clean

    plain = {"a": [1, 2.5, None, "文"], "b": {"c": (1, 2)}}
    messy = {"a": [np.int64(1), math.nan, np.float64(2.5), math.inf], "b": {3: np.bool_(True)}}
    for data in (plain, messy):
        assert json.loads(to_json(data)) == clean(data)
    assert "NaN" not in to_json(messy) and "Infinity" not in to_json(messy)
