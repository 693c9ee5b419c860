"""The Overview before any rating (what to do next), the decisive columns first, and the
scatter's corner labels that never overlap, driven through the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from annotator.core.project import Project
from annotator.gui.lead.charts import CORNER_GAP, corner_texts, fit_corners


def _new_project(tmp_path, *, items: bool = False):
    path = tmp_path / "eval.annotator"
    with Project.create(path, "first steps", language="en") as project:
        if items:
            csv = tmp_path / "base.csv"
            csv.write_text(
                "id,instruction,reference,generated\n"
                "1,写一句口红文案,平价显白,学生党必入\n"
                "2,写一句面霜文案,保湿不油腻,一抹化水\n",
                encoding="utf-8",
            )
            project.import_file(csv, model="base")
    return path


def test_a_new_project_says_what_to_do_next_and_the_button_opens_the_import(
    tmp_path, open_lead, qtbot
):
    window, controller = open_lead(_new_project(tmp_path))
    overview = window.overview
    steps = overview.next_steps
    assert steps.isVisible() and not overview.charts.isVisible()
    assert not overview.table.isVisible()  # no models: no empty header row either
    assert not any(label.isVisible() for label in overview.corner_labels.values())
    assert steps.next_step == "import"
    assert steps.texts["import"].styleSheet() == "font-weight: bold"
    assert steps.marks["import"].text() == "→" and steps.marks["assign"].text() == ""
    assert controller.imports.wizard is None
    qtbot.mouseClick(steps.buttons["import"], Qt.MouseButton.LeftButton)
    assert controller.imports.wizard is not None and controller.imports.wizard.isVisible()


def test_with_items_and_no_ratings_the_next_step_is_assigning(tmp_path, open_lead, qtbot):
    window, controller = open_lead(_new_project(tmp_path, items=True))
    overview, steps = window.overview, window.overview.next_steps
    assert steps.isVisible() and not overview.charts.isVisible()
    assert steps.marks["import"].text() == "✓" and steps.next_step == "assign"
    assert steps.summary.text() == "2 items of base imported."
    assert overview.table.isVisible() and overview.table.item(0, 0).text() == "base"
    steps.buttons["assign"].setFocus()
    qtbot.keyClick(steps.buttons["assign"], Qt.Key.Key_Space)  # the keyboard works too
    assert controller.handout.assign_dialog.isVisible()
    # Every hand-out and collect button triggers the toolbar's own action.
    fired = []
    for name in ("packages", "sheets", "merge", "import_sheets"):
        window.actions_by_name[name].triggered.connect(lambda *_, n=name: fired.append(n))
    controller.answers.folder = ""  # the folder question is answered with Cancel
    for name in ("packages", "sheets", "merge", "import_sheets"):
        qtbot.mouseClick(steps.buttons[name], Qt.MouseButton.LeftButton)
    assert fired == ["packages", "sheets", "merge", "import_sheets"]


def test_with_ratings_the_charts_replace_the_steps_and_decisive_columns_come_first(
    demo_path, open_lead
):
    window, controller = open_lead(demo_path)
    overview = window.overview
    assert overview.charts.isVisible() and not overview.next_steps.isVisible()
    table = overview.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:5] == ["Model", "Complete items", "Composite", "Verdict", "Pass rate"]
    assert len(headers) > 10  # dimensions and metrics follow
    stats = controller.evaluation.stats
    for r, summary in enumerate(stats.models):
        # Complete items counted here from the item table: a composite only where every
        # dimension was scored.
        mine = stats.items[stats.items["model"] == summary.model]
        complete = int(mine["composite"].notna().sum())
        assert table.item(r, 1).text() == f"{complete} / {len(mine)}"
    # The verdict is on screen without scrolling the table sideways.
    verdict = table.visualItemRect(table.item(0, 3))
    assert verdict.right() <= table.viewport().width()


def _corner_rects(overview):
    narrow, surface = overview.corner_labels["narrow"], overview.corner_labels["surface"]
    return narrow, surface, narrow.geometry(), surface.geometry()


def test_corner_labels_never_overlap_at_the_minimum_size(demo_path, open_lead, qtbot):
    window, controller = open_lead(demo_path)
    overview = window.overview
    window.resize(window.minimumSizeHint())
    qtbot.waitUntil(lambda: window.size() == window.minimumSizeHint(), timeout=5000)
    view = overview.scatter_view

    def placed_at_this_size() -> bool:
        chart = view.chart()
        area = chart.plotArea()
        top = view.mapFromScene(chart.mapToScene(area.topLeft())).y()
        narrow, surface, a, b = _corner_rects(overview)
        return a.bottom() <= top and b.bottom() <= top and b.right() <= view.width()

    qtbot.waitUntil(placed_at_this_size, timeout=5000)
    narrow, surface, a, b = _corner_rects(overview)
    assert view.width() < 700  # the smallest the window gets
    assert not a.intersects(b) and b.left() - a.right() >= CORNER_GAP - 1
    assert view.rect().contains(a) and view.rect().contains(b)
    full = corner_texts()
    # Shortened, and the whole text is in the tooltip.
    for label, key in ((narrow, "narrow"), (surface, "surface")):
        if label.text() != full[key]:
            assert label.toolTip() == full[key]
    # Wide again: whole texts, still apart.
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: narrow.text() == full["narrow"], timeout=5000)
    qtbot.waitUntil(placed_at_this_size, timeout=5000)
    narrow, surface, a, b = _corner_rects(overview)
    assert surface.text() == full["surface"] and not a.intersects(b)


def test_fit_corners_measures_with_the_font(qapp):
    from PySide6.QtWidgets import QLabel

    metrics = QFontMetrics(QLabel().font())
    narrow, surface = "↖ narrow reference", "surface match ↘"
    whole = metrics.horizontalAdvance(narrow) + metrics.horizontalAdvance(surface) + CORNER_GAP
    assert fit_corners(metrics, narrow, surface, whole) == (narrow, surface)
    short = fit_corners(metrics, narrow, surface, whole - 20)
    assert all(t != f for t, f in zip(short, (narrow, surface), strict=True))
    half = (whole - 20 - CORNER_GAP) // 2
    assert all(metrics.horizontalAdvance(t) <= half for t in short)
    assert fit_corners(metrics, narrow, surface, 10) == ("", "")
