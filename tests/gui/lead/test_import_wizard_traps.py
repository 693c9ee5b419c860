"""The import wizard's traps (issue 14, point 5), walked with real keys and clicks:
our own rating sheet is refused with the button that takes it, the model is chosen from
the project's models, and the confirmation counts new / unchanged / updated."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.project import Project


def _csv(path, rows):
    path.write_text(
        "id,instruction,reference,generated\n" + "".join(f"{r}\n" for r in rows),
        encoding="utf-8",
    )
    return path


def _project(tmp_path):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "traps", language="en") as p:
        p.import_file(_csv(tmp_path / "v1.csv", ["s1,q1,r1,g1", "s2,q2,r2,g2"]), model="base")
        p.import_file(_csv(tmp_path / "lora.csv", ["s1,q1,r1,h1"]), model="lora-v2")
        p.assign(["wang"])
    return path


def test_a_rating_sheet_is_refused_with_the_import_sheets_button(tmp_path, open_lead, qtbot):
    path = _project(tmp_path)
    with Project.open(path) as p:
        p.create_sheet("wang", tmp_path / "wang.xlsx")
    window, controller = open_lead(path)
    wizard = controller.imports.open(str(tmp_path / "wang.xlsx"))
    page = wizard.file_page
    assert wizard.currentPage() is page and not page.isComplete()
    assert "rating sheet written by annotator" in page.status.text()
    assert page.redirect.isVisible()
    assert page.redirect.text() == "Import it as a filled rating sheet"
    opened = []
    window.actions_by_name["import_sheets"].triggered.connect(lambda *_: opened.append(1))
    qtbot.mouseClick(page.redirect, Qt.MouseButton.LeftButton)
    assert opened == [1] and not wizard.isVisible()
    # A file of items afterwards hides the button again.
    wizard = controller.imports.open(str(tmp_path / "v1.csv"))
    assert not wizard.file_page.redirect.isVisible()
    with Project.open(path, read_only=True) as check:
        assert check.info()["items"] == 3


def test_the_model_is_chosen_from_the_project_and_the_counts_say_nothing_is_new(
    tmp_path, open_lead, qtbot, wait_idle
):
    path = _project(tmp_path)
    # Named after nothing in the project: the lead has to choose (base_model was taken).
    again = _csv(tmp_path / "base_model.csv", ["s1,q1,r1,g1", "s2,q2,r2,g2"])
    window, controller = open_lead(path)
    wizard = controller.imports.open(str(again))
    columns = wizard.columns_page
    assert wizard.currentPage() is columns
    box = columns.model_box
    assert [box.itemText(i) for i in range(box.count())] == ["base", "lora-v2"]
    assert columns.model_name.text() == ""  # no guess from the file name
    assert "base_model" in columns.model_name.placeholderText()
    assert not columns.isComplete()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # open the list
    box.setCurrentIndex(0)  # the popup's choice, as a click on "base" makes it
    box.hidePopup()
    assert columns.model_name.text() == "base" and columns.isComplete()
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    confirm = wizard.confirm_page
    qtbot.waitUntil(lambda: confirm.plan is not None or confirm.error is not None)
    text = confirm.summary.text()
    assert "base: 0 new, 2 already imported unchanged, 0 already imported with other texts" in text
    assert "Nothing new: every item of this file is in the project already." in text
    assert "will be added or updated" not in text
    # A new name typed in: two new items for that model.
    qtbot.mouseClick(wizard.button(wizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    columns.model_name.clear()
    qtbot.keyClicks(columns.model_name, "base-v3")
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: confirm.plan is not None or confirm.error is not None)
    assert "base-v3: 2 new, 0 already imported unchanged" in confirm.summary.text()
    qtbot.mouseClick(wizard.button(wizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_idle(controller)
    assert controller.imports.last_report.models["base-v3"].added == 2


def test_changed_texts_are_counted_before_the_import_refuses_them(tmp_path, open_lead, qtbot):
    path = _project(tmp_path)
    changed = _csv(tmp_path / "base.csv", ["s1,q1,r1,g1", "s2,q2,r2,OTHER", "s3,q3,r3,g3"])
    window, controller = open_lead(path)
    wizard = controller.imports.open(str(changed))
    columns = wizard.columns_page
    assert columns.model_name.text() == "base"  # the file is named after a model it has
    wizard.next()
    confirm = wizard.confirm_page
    qtbot.waitUntil(lambda: confirm.plan is not None or confirm.error is not None)
    text = confirm.summary.text()
    assert "3 items in the file:" in text
    assert "base: 1 new, 1 already imported unchanged, 1 already imported with other texts" in text
    assert "1 item(s) already imported have other texts in this file" in text
