"""Import errors and notices read in Chinese when the language is zh_CN (English is the id)."""

from __future__ import annotations

import pytest

from annotator.core.domain.errors import InputError
from annotator.core.formats.items import read_items
from annotator.core.i18n import use_language

HEADER = ["id", "instruction", "reference", "generated"]


def _message(path, **kwargs) -> str:
    with pytest.raises(InputError) as err:
        read_items(path, **kwargs)
    return str(err.value)


def test_missing_column_in_chinese_says_where_to_choose_it(write, csv_text):
    path = write("x.csv", csv_text(["id", "question", "result"], [("1", "q", "g")]))
    with use_language("zh_CN"):
        message = _message(path)
    assert "找不到“reference”文本所在的列" in message
    assert "现有的列：" in message
    assert "请在列映射中选择它所在的列" in message and "--map" not in message
    assert "no column for" not in message


def test_duplicate_ids_in_chinese_list_the_rows(write, csv_text):
    rows = [("s1", "i", "r", "g"), ("s1", "i", "r", "g"), ("s1", "i", "r", "g")]
    path = write("x.csv", csv_text(HEADER, rows))
    with use_language("zh_CN"):
        message = _message(path)
    assert "样本编号“s1”重复（第 2、3 和 4 行）" in message
    # the same file in English, as before
    assert 'duplicate id "s1" (rows 2, 3 and 4)' in _message(path)


def test_old_xls_and_notices_in_chinese(write, csv_text):
    xls = write("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with use_language("zh_CN"):
        assert "这是旧版 Excel 97-2003（.xls）工作簿" in _message(xls)
        plan = read_items(write("y.csv", csv_text(HEADER, [("1", "i", "", "g")])), model="m")
    assert "1 个条目的参考答案为空" in [str(n) for n in plan.notices]
