"""Messages translated when shown: verdict reasons, errors and readings, one catalog.

The same reading of the same project must say the same thing in the app (interface
language) and in the report (project language), without judging anything twice, and an
error's data (the value it proposes) must not depend on its words.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl
import pytest

from annotator.core.domain.errors import AnnotatorError, ThresholdScaleError
from annotator.core.domain.message import Message, Term, Verbatim
from annotator.core.domain.wording import reading_name
from annotator.core.i18n import use_language
from annotator.core.project import Project

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reasons") / "demo.annotator"
    Project.demo(path, fresh=True).close()
    return path


@pytest.fixture(scope="module")
def both(demo):
    """The demo judged once in English and once in Chinese."""
    with Project.open(demo) as project:
        with use_language("en"):
            english = project.evaluate(resamples=0)
        with use_language("zh_CN"):
            chinese = project.evaluate(resamples=0)
    return english, chinese


def _texts(verdicts):
    items = verdicts.items
    return (
        list(items["reasons"]),
        list(items["not_applicable"]),
        [(m.model, m.reasons, m.not_applicable) for m in verdicts.models],
    )


def test_reasons_made_in_english_read_in_chinese_as_if_judged_in_chinese(both):
    english, chinese = both
    shown = english.verdicts.in_language("zh_CN")
    assert shown.language == "zh_CN"
    assert _texts(shown) == _texts(chinese.verdicts)
    reasons = [r for r in shown.items["reasons"] if r]
    assert reasons, "the demo has items with reasons"
    assert not [r for r in reasons if "incomplete" in r or "raters disagree" in r]
    # and back: nothing was lost on the way
    assert _texts(shown.in_language("en")) == _texts(english.verdicts)
    assert (shown.items["verdict"] == english.verdicts.items["verdict"]).all()


def test_chinese_reasons_name_dimensions_by_their_rubric_names(both):
    _, chinese = both
    english_keys = ("compliance", "fluency", "relevance", "style")
    text = " ".join(chinese.verdicts.items["reasons"]) + " ".join(
        r for m in chinese.verdicts.models for r in m.reasons
    )
    assert not [k for k in english_keys if k in text]


def test_excel_report_of_an_english_evaluation_is_in_the_projects_language(demo, both, tmp_path):
    english, chinese = both
    target = tmp_path / "report.xlsx"
    with Project.open(demo) as project:
        assert project.language == "zh_CN"
        with use_language("en"):  # the window is in English; the report is not
            project.export(target, evaluation=english)
    book = openpyxl.load_workbook(target, read_only=True)
    written = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    wanted = {r for r in chinese.verdicts.items["reasons"] if r}
    assert wanted and wanted <= set(written)
    only_english = {r for r in english.verdicts.items["reasons"] if r} - wanted
    assert only_english and not only_english & set(written)


def test_report_and_app_call_an_alpha_reading_by_the_same_words(demo, both, tmp_path):
    _, chinese = both
    target = tmp_path / "report.xlsx"
    with Project.open(demo) as project:
        project.export(target, evaluation=chinese)
    book = openpyxl.load_workbook(target, read_only=True)
    cells = {c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    words = ("可靠", "尚可", "不可靠")
    in_report = {c for c in cells if isinstance(c, str) and c.startswith(words)}
    assert in_report, "the report shows a reading of alpha"
    app_words = {reading_name(v, "zh_CN") for v in ("reliable", "tentative", "not reliable")}
    assert in_report <= app_words, in_report - app_words


def test_a_message_is_translated_when_shown_not_when_made():
    message = Message(
        "{dimension}: no rater below {threshold:g}",
        dimension=Term("compliance", "合规性"),
        threshold=3.0,
    )
    with use_language("en"):
        error = AnnotatorError(message)
        assert str(error) == "compliance: no rater below 3"
    with use_language("zh_CN"):
        assert str(error) == "合规性：所有评分人均不低于 3"  # the same error, shown later
    assert error.text("zh_CN") == "合规性：所有评分人均不低于 3"
    assert error.text("en") == "compliance: no rater below 3"
    assert Verbatim("{a} {op} {b}", a=Message("composite"), op="<", b=4).text("zh_CN") == (
        "综合分 < 4"
    )


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_scale_error_carries_its_suggestion_in_every_language(demo, tmp_path, language):
    copy = tmp_path / "copy.annotator"
    copy.write_bytes(demo.read_bytes())
    with Project.open(copy) as project, use_language(language):
        before = project.gates()
        with pytest.raises(ThresholdScaleError) as caught:
            project.edit_gates(rules=["bleu >= 40"])
        assert caught.value.suggestion == pytest.approx(0.40)
        assert project.gates() == before
    assert "0.40" in caught.value.text("zh_CN") and "0.40" in caught.value.text("en")
    assert "did you mean" in caught.value.text("en")
    assert "did you mean" not in caught.value.text("zh_CN")


def test_only_the_scale_error_proposes_a_value(demo, tmp_path):
    copy = tmp_path / "copy.annotator"
    copy.write_bytes(demo.read_bytes())
    with Project.open(copy) as project:
        for rule in ("composite >= 40", "bleu >= 400", "bleu >= -3"):
            with pytest.raises(AnnotatorError) as caught:
                project.edit_gates(rules=[rule])
            assert getattr(caught.value, "suggestion", None) is None, rule


def test_packaging_extracts_message_calls_into_the_catalog():
    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "packaging/messages.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    found = {msgid for _context, msgid in tool.extract()}
    # Both are written only as Message(...) in the code.
    assert "{rule}: {metric} is on a 0-1 scale; did you mean {suggestion:.2f}?" in found
    assert "incomplete: {dimension} has {count} of {needed} ratings" in found
