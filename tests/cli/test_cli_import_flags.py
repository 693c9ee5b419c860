"""Import errors carry their data; only the command line names its flags (issue 13).

The core says what would fix it (name the model, allow updates) and carries the data
(``ModelNotNamed``, ``ChangedTexts.sample``/``model``); the CLI adds ``--model`` and
``--update``. Real processes.
"""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import ChangedTexts, InputError, ModelNotNamed
from annotator.core.project import Project
from tests.cli.test_cli_facade import _cli


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "flags", language="en"):
        pass
    return path


def _items(path, generated: str):
    path.write_text(f"id,instruction,reference,generated\ns1,q,r,{generated}\n", encoding="utf-8")
    return path


def test_a_file_without_a_model_asks_for_its_name_and_the_cli_names_model(project_file, tmp_path):
    items = _items(tmp_path / "outputs.csv", "g")
    with Project.open(project_file) as p, pytest.raises(InputError) as err:
        p.import_file(items)
    assert [type(x) for x in err.value.problems] == [ModelNotNamed]
    assert "--" not in str(err.value) and "name of the model" in str(err.value)
    done = _cli("import", str(project_file), str(items), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "name of the model" in done.stderr and str(items) in done.stderr
    assert "(command line: --model NAME, for example --model lora-v2)" in done.stderr


def test_changed_texts_carry_the_item_and_the_cli_names_update(project_file, tmp_path):
    first = _items(tmp_path / "v1.csv", "old text")
    changed = _items(tmp_path / "v2.csv", "new text")
    with Project.open(project_file) as p:
        p.import_file(first, model="base")
        with pytest.raises(InputError) as err:
            p.import_file(changed, model="base")
    problem = err.value.problems[0]
    assert isinstance(problem, ChangedTexts) and (problem.sample, problem.model) == ("s1", "base")
    assert problem.row == 2 and "--" not in str(err.value)
    assert "allowing updates" in str(err.value)
    done = _cli("import", str(project_file), str(changed), "--model", "base", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert '"s1"' in done.stderr and "(command line: --update replaces them)" in done.stderr
    done = _cli(
        "import", str(project_file), str(changed), "--model", "base", "--update", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
