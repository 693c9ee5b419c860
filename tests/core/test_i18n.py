"""Messages in the reader's language: choosing it, per-thread overrides, CJK-aware padding."""

from __future__ import annotations

import threading

import pytest

from annotator.core.domain.errors import InputError, Problem
from annotator.core.i18n import (
    current_language,
    display_width,
    normalize,
    pad,
    set_language,
    system_language,
    tr,
    use_language,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh", "zh_CN"),
        ("ZH_cn", "zh_CN"),
        ("en_US.UTF-8", "en"),
        ("de_DE", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_locale_names_map_to_the_two_languages(name, expected):
    assert normalize(name) == expected


def test_the_system_language_is_read_in_posix_order():
    assert system_language({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert system_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert system_language({"LANGUAGE": "zh_CN:en", "LANG": "en_US"}) == "zh_CN"
    assert system_language({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "zh_CN"  # C says nothing
    assert system_language({}) == "en"


def test_a_message_comes_out_in_the_current_language():
    assert tr("row {row}", row=7) == "row 7"
    set_language("zh_CN")
    assert tr("row {row}", row=7) == "第 7 行"
    set_language("en")
    assert tr("row {row}", row=7) == "row 7"


def test_a_problem_says_where_in_chinese():
    problem = Problem("x", file="items.csv", row=5, column="score")
    assert str(problem) == 'items.csv, row 5, column "score": x'
    with use_language("zh_CN"):
        text = str(problem)
        many = str(InputError([Problem(f"p{i}") for i in range(25)]))
    assert text == "items.csv，第 5 行，列“score”：x"
    assert many.endswith("还有 5 个问题")


def test_use_language_is_for_this_thread_only():
    seen = {}

    def other():
        seen["other"] = current_language()

    with use_language("zh_CN"):
        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        seen["here"] = current_language()
    assert seen == {"other": "en", "here": "zh_CN"}
    assert current_language() == "en"


def test_a_faulty_translation_still_shows_the_english_message(monkeypatch):
    from annotator.core import i18n

    catalog = i18n.catalog("zh_CN")
    monkeypatch.setitem(catalog._catalog, "row {row}", "第 {line} 行")  # a translator's typo
    with use_language("zh_CN"):
        assert tr("row {row}", row=3) == "row 3"


def test_padding_counts_chinese_characters_as_two_columns():
    assert display_width("相关性") == 6
    assert display_width("bleu") == 4
    assert pad("相关性", 8) + "|" == "相关性  |"
    assert pad("综合", 6, ">") == "  综合"
    assert pad("longer than width", 4) == "longer than width"
