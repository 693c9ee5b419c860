"""Two languages from one catalog: every string of the app is a gettext message of
resources/i18n/messages_zh_CN.po (the catalog of the core and the CLI), translated with its
placeholders and mnemonics; Qt translates only its own words; a window running in Chinese
shows no English string that has a translation."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QWidget,
)

from annotator.core.i18n import catalog, set_language, tr, use_language
from annotator.core.project import Project
from annotator.gui.app import build_rater_workspace, install_translator
from annotator.gui.settings import LANGUAGE, app_settings

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "annotator" / "gui"
MNEMONIC = re.compile(r"&\w")


def gui_calls() -> list[tuple[str, int, ast.Call]]:
    """(file, line, call) of every call in the app's code."""
    out = []
    for path in sorted(GUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                out.append((str(path.relative_to(ROOT)), node.lineno, node))
    return out


def gui_messages() -> dict[str, str]:
    """Every message the app's code asks tr() for, with where it is asked."""
    found = {}
    for where, line, call in gui_calls():
        if getattr(call.func, "id", None) == "tr" and call.args:
            first = call.args[0]
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"{where}:{line}: the message must be a string literal"
            )
            found.setdefault(first.value, f"{where}:{line}")
    return found


def fields(text: str) -> list[tuple[str, str, str]]:
    return sorted(
        (name, conv or "", spec or "")
        for _, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    )


def test_the_app_translates_through_gettext_only():
    """No Qt tr(), translate() or %1/.arg(): they would look in a catalog that is gone."""
    qt_ways = []
    for where, line, call in gui_calls():
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in ("tr", "translate", "arg"):
            qt_ways.append(f"{where}:{line}: .{func.attr}()")
    assert qt_ways == []
    leftovers = sorted(p.name for p in (ROOT / "resources" / "i18n").glob("annotator_*"))
    assert leftovers == [], "Qt keeps no catalog of the app's own words"


def test_every_string_of_the_app_is_translated_in_the_catalog():
    messages = gui_messages()
    assert len(messages) > 250  # the app does speak through tr
    translations = catalog("zh_CN")._catalog
    problems = []
    for message, where in sorted(messages.items()):
        text = translations.get(message)
        if not text:
            problems.append(f"{where}: untranslated {message!r}: run packaging/messages.py")
        elif fields(text) != fields(message):
            problems.append(f"{where}: placeholders differ: {message!r} -> {text!r}")
        elif MNEMONIC.search(message.replace("&&", "")) and not MNEMONIC.search(
            text.replace("&&", "")
        ):
            problems.append(f"{where}: mnemonic lost: {message!r} -> {text!r}")
    assert problems == []


def test_a_sentence_of_the_app_reads_in_either_language():
    with use_language("zh_CN"):
        chinese = tr("Item {n} of {total} · {uid}", n=3, total=12, uid="s1")
    with use_language("en"):
        english = tr("Item {n} of {total} · {uid}", n=3, total=12, uid="s1")
    assert english == "Item 3 of 12 · s1"
    assert chinese != english and "3" in chinese and "12" in chinese and "s1" in chinese


def test_english_needs_no_qt_catalog_and_chinese_loads_only_qts_own(qapp):
    app_settings().setValue(LANGUAGE, "en")
    try:
        assert install_translator(qapp) is None
        app_settings().setValue(LANGUAGE, "zh_CN")
        qt_words = install_translator(qapp)
        if qt_words is None:
            pytest.skip("this Qt ships no qtbase_zh_CN")
        try:
            assert qt_words.language().startswith("zh")
            assert "qtbase_zh_CN" in Path(qt_words.filePath()).name
        finally:
            qapp.removeTranslator(qt_words)
    finally:
        app_settings().setValue(LANGUAGE, "en")
        set_language("en")


def model_texts(model) -> list[str]:
    """Headers and the first rows of an item view's model, as a person sees them."""
    try:
        columns, rows = model.columnCount(QModelIndex()), model.rowCount(QModelIndex())
    except TypeError:  # Qt's private list models (QListWidget) hide columnCount
        return []
    texts = []
    for column in range(columns):
        texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
        texts += [str(model.index(row, column).data() or "") for row in range(min(rows, 20))]
    return texts


def visible_texts(root: QWidget) -> list[str]:
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QMenu):
            texts.append(widget.title())
        elif isinstance(widget, QListWidget):
            texts += [widget.item(row).text() for row in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_texts(widget.model())
        texts += [action.text() for action in widget.actions()]
    return [re.sub(r"<[^>]+>", "", t).strip() for t in texts if t and t.strip()]


def translated_messages() -> set[str]:
    """The catalog's messages without placeholders that have a Chinese translation."""
    translations = catalog("zh_CN")._catalog
    return {k for k, v in translations.items() if k and "{" not in k and v and v != k}


def test_no_english_left_in_the_windows_in_chinese(chinese, qtbot, tmp_path):
    translated = translated_messages()
    assert set(gui_messages()) & translated  # the app's own words are checked too
    project = Project.demo(tmp_path / "demo.annotator")
    windows = []
    try:
        window, controller = build_rater_workspace(project, "王小明")
        windows.append(window)
        window.show()
        from annotator.gui.lead import build_lead_workspace

        lead, lead_controller = build_lead_workspace(project, poll_ms=10**8)
        windows.append(lead)
        lead.show()
        qtbot.waitUntil(lambda: lead_controller.evaluation is not None, timeout=20000)
        gates = lead_controller.gates.open()  # its sources come from the core's catalog
        windows.append(gates)
        assert "默认值（业内常用）：综合分 >= 4.0" in visible_texts(gates)
        for root in (window, lead, gates):
            leftover = [t for t in visible_texts(root) if t in translated]
            assert leftover == [], f"{type(root).__name__} shows untranslated: {leftover}"
        assert any("评分" in t or "相关性" in t for t in visible_texts(window))
        # Values filled into translated sentences are words too (the level of measurement).
        assert not [t for t in visible_texts(lead) if "ordinal" in t]
        # Dimensions are named as the rubric names them, lists of them too (相关性，流畅度).
        keys = {"relevance", "fluency", "style", "compliance"}
        assert not [t for t in visible_texts(lead) if set(t.split(", ")) & keys]
        lead_controller.shutdown()
    finally:
        for w in windows:  # windows save their last state (time on item) as they close
            w.close()
            w.deleteLater()
        project.close()


def test_core_messages_follow_the_interface_language(chinese, tmp_path):
    from annotator.core.domain.errors import AnnotatorError
    from annotator.core.project import Project

    with pytest.raises(AnnotatorError) as caught:  # what the app shows when opening fails
        Project.open(tmp_path / "missing.annotator")
    assert "不存在" in str(caught.value)


def test_the_import_wizard_in_chinese_speaks_chinese_down_to_its_buttons_and_errors(
    chinese, qtbot, tmp_path
):
    from PySide6.QtWidgets import QWizard

    from annotator.core.project import Project
    from annotator.gui.lead import build_lead_workspace

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,instruction,reference,generated,bleu\ns1,写文案,参考,输出,abc\n", encoding="utf-8"
    )
    Project.create(tmp_path / "p.annotator", "p").close()
    project = Project.open(tmp_path / "p.annotator")
    window, controller = build_lead_workspace(project, poll_ms=10**8)
    try:
        wizard = controller.imports.open(str(bad))
        wizard.columns_page.model_name.setText("base")
        wizard.next()
        page = wizard.confirm_page
        qtbot.waitUntil(lambda: page.plan is not None or page.error is not None, timeout=20000)
        assert "第 2 行" in str(page.error) and "应为数字" in str(page.error)
        assert "取消" in wizard.button(QWizard.WizardButton.CancelButton).text()  # Qt's own
        wizard.reject()
    finally:
        controller.shutdown()
        window.close()
        project.close()
