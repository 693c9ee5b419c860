"""Errors of the core are translated when they are shown, not when they are raised.

A worker writes under the project's language (``use_language``) while the window speaks
another: the error it raises must read in the language of whoever shows it. Real files
through the real use cases; the Chinese comes from the catalog.
"""

from __future__ import annotations

import threading

import pytest

from annotator.core.domain.errors import AnnotatorError, InputError
from annotator.core.i18n import use_language


def _raised_in_chinese(call) -> AnnotatorError:
    with use_language("zh_CN"), pytest.raises(AnnotatorError) as err:
        call()
    return err.value


def test_an_import_error_raised_in_chinese_reads_in_english_when_shown_in_english(
    project, tmp_path
):
    bad = tmp_path / "outputs.jsonl"
    bad.write_text('{"instruction": "a", "output": "b"}\n[1, 2]\n', encoding="utf-8")
    error = _raised_in_chinese(lambda: project.import_file(bad, model="m"))
    assert isinstance(error, InputError) and error.problems[0].line == 2
    with use_language("en"):
        english = str(error)
    assert "expected a JSON object {...}, found an array" in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english), english
    chinese = error.text("zh_CN")
    assert "应为 JSON 对象 {...}，实际为数组" in chinese and "expected" not in chinese
    assert error.text("en") == english


def test_an_error_raised_in_a_worker_thread_reads_in_the_language_of_the_window(
    project, tmp_path
):
    missing = tmp_path / "no such folder" / "report.xlsx"
    caught: list[BaseException] = []

    def worker() -> None:  # as the app's background export: in the project's language
        with use_language("zh_CN"):
            try:
                project.export(missing)
            except AnnotatorError as exc:
                caught.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    [error] = caught
    with use_language("en"):  # the window, in English, shows it
        assert str(error) == f"the folder {missing.parent} does not exist"
    assert error.text("zh_CN") == f"文件夹 {missing.parent} 不存在"


def test_an_unknown_metric_preset_is_a_message_naming_the_presets(project):
    error = _raised_in_chinese(lambda: project.compute_metrics("bleurt"))
    assert error.text("en") == (
        'unknown metric preset "bleurt"; expected one of default, sacrebleu, llamafactory'
    )
    assert error.text("zh_CN").startswith("未知的指标预设“bleurt”")
