"""Two languages: every UI string is translated, placeholders survive translation, and a
window running in Chinese shows no English string that has a translation."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
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

from annotator.core.i18n import set_language
from annotator.core.project import Project
from annotator.core.resources import resource
from annotator.gui.app import build_rater_workspace, install_translator
from annotator.gui.settings import LANGUAGE, app_settings

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "annotator_zh_CN.ts"
PLACEHOLDER = re.compile(r"%\d|%n|\{[^{}]*\}")


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    out = []
    for context in ET.parse(path).getroot():
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            out.append((name, message.findtext("source") or "", message.find("translation")))
    return out


def test_every_entry_is_translated_with_the_same_placeholders():
    entries = messages(TS)
    assert len(entries) > 200
    for context, source, translation in entries:
        text = translation.text or ""
        assert text.strip() and translation.get("type") != "unfinished", (context, source)
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), source
        if re.search(r"&\w", source.replace("&&", "")):
            assert re.search(r"&\w", text.replace("&&", "")), f"mnemonic lost: {source}"


def test_the_translation_file_covers_every_string_in_the_code(tmp_path):
    """lupdate over today's code finds no string the committed .ts lacks."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed next to this Python")
    sources = sorted(str(p) for p in (ROOT / "annotator" / "gui").rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    committed = {(c, s) for c, s, _ in messages(TS)}
    missing = {(c, s) for c, s, _ in messages(fresh)} - committed
    assert not missing, f"run python packaging/i18n.py and translate: {sorted(missing)[:5]}"


def test_the_built_qm_is_shipped():
    assert resource("i18n", "annotator_zh_CN.qm").stat().st_size > 1000


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


@pytest.fixture
def chinese(qapp):
    app_settings().setValue(LANGUAGE, "zh_CN")
    translator = install_translator(qapp)
    assert translator is not None
    yield
    qapp.removeTranslator(translator)
    qapp.removeTranslator(translator.qt_base)
    set_language("en")  # the core's messages followed the interface; later tests read English


def core_messages() -> set[str]:
    """The core's and CLI's messages without placeholders that have a Chinese translation."""
    from annotator.core.i18n import catalog

    translations = catalog("zh_CN")._catalog
    return {k for k, v in translations.items() if k and "{" not in k and v and v != k}


def test_no_english_left_in_the_windows_in_chinese(chinese, qtbot, tmp_path):
    translated = {s for _, s, t in messages(TS) if (t.text or "") != s} | core_messages()
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
