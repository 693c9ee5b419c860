"""The lead's Side by side page: the GSB table, the bars, position bias, Bradley-Terry.

The demo's evaluation gets a side-by-side report of judgments made up in the test
(``tests.gsb_judgments``); every number the page shows is checked against counts
computed here with pandas and against ``scipy.stats.binomtest``, the bars by the pixels
they paint, and the whole window is reached with the keyboard.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from scipy.stats import binomtest

from annotator.core.project import Project
from annotator.gui.lead.controllers.lead_controller import labels_for
from annotator.gui.lead.gsb_bars import GsbBars, GsbRow, colour
from annotator.gui.lead.models import SORT_ROLE
from annotator.gui.lead.views.side_by_side import SideBySidePage
from annotator.gui.lead.views.side_by_side_tables import COLUMN
from tests.gsb_judgments import PLAN, expected_counts, judgments, with_pairwise


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's evaluation (no judgments) and its dimension labels."""
    path = tmp_path_factory.mktemp("demo") / "demo.annotator"
    with Project.demo(path) as project:
        return project.evaluate(resamples=50), labels_for(project, "en")


@pytest.fixture(scope="module")
def frame(demo):
    evaluation, _ = demo
    return judgments(sorted(evaluation.stats.items["sample_id"].unique()))


def _page(qtbot, demo, evaluation=None) -> SideBySidePage:
    base, labels = demo
    page = SideBySidePage(labels)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    page.show_evaluation(evaluation if evaluation is not None else base)
    return page


def _rows(page) -> dict[tuple[str, str, str], dict[str, object]]:
    """(model_a, model_b, dimension key) -> the raw value of each column, as shown."""
    t = page.gsb
    out = {}
    for r in range(t.rowCount()):
        a, b = t.item(r, COLUMN["Pair"]).data(SORT_ROLE)
        dim = t.item(r, COLUMN["Dimension"]).data(SORT_ROLE)
        out[(a, b, dim)] = {name: t.item(r, c).data(SORT_ROLE) for name, c in COLUMN.items()}
        out[(a, b, dim)]["text"] = {name: t.item(r, c).text() for name, c in COLUMN.items()}
    return out


def test_the_gsb_table_shows_the_counts_pandas_finds(qtbot, demo, frame):
    page = _page(qtbot, demo, with_pairwise(demo[0], frame))
    expected = expected_counts(frame)
    shown = _rows(page)
    assert set(shown) == set(expected.index) == set(PLAN)
    for key, row in expected.iterrows():
        cells = shown[key]
        assert (cells["G: A better"], cells["S: same"], cells["B: B better"]) == (
            row["a"],
            row["tie"],
            row["b"],
        )
        assert cells["Both bad"] == row["both_bad"]
        assert (cells["Samples"], cells["Judgments"]) == (row["samples"], row["judgments"])
        assert cells["text"]["G: A better"] == str(int(row["a"]))
        assert cells["Win rate of A"] == pytest.approx(row["win_rate"])
        assert cells["Net score"] == pytest.approx(row["net"])
        assert cells["text"]["Net score"].startswith(f"{row['net']:+.2f}\n[")  # and its interval
        sign = binomtest(int(row["a"]), int(row["a"] + row["b"]), 0.5).pvalue
        assert cells["Sign test p"] == pytest.approx(sign, rel=1e-9)
    # lora-v2 is clearly better than base: its net score's interval is above 0, in green
    lora = page.gsb.item(0, COLUMN["Net score"])
    assert lora.data(SORT_ROLE) > 0.3 and lora.font().bold()
    assert shown[("lora-v2", "base", "relevance")]["text"]["Dimension"] == "Relevance"
    assert shown[("lora-v2", "base", "")]["text"]["Dimension"] == "overall"
    assert page.content.isVisible() and not page.empty.isVisible()


def test_position_bias_is_the_pooled_share_and_warns_in_words(qtbot, demo, frame):
    page = _page(qtbot, demo, with_pairwise(demo[0], frame))
    overall = frame[frame["dimension"] == ""] if (frame["dimension"] == "").any() else frame
    decisive = overall[overall["outcome"].isin(["a", "b"])]  # one choice per screen
    chose = np.where(decisive["outcome"] == "a", decisive["model_a"], decisive["model_b"])
    left = int((chose == decisive["left"]).sum())
    assert f"{100 * left / len(decisive):.0f}% of the judgments" in page.position.text()
    assert binomtest(left, len(decisive)).pvalue > 0.05
    assert page.warning.isHidden()
    biased = judgments(sorted(frame["sample_id"].unique()), left_bias=0.8)
    page.show_evaluation(with_pairwise(demo[0], biased))
    assert page.warning.isVisible()
    assert "chose the answer on the left more often than chance" in page.warning.text()


def test_bradley_terry_with_three_models_and_none_with_two(qtbot, demo, frame):
    page = _page(qtbot, demo, with_pairwise(demo[0], frame))
    board = page.leaderboard
    models = [board.item(r, 1).text() for r in range(board.rowCount())]
    ratings = [board.item(r, 2).data(SORT_ROLE) for r in range(board.rowCount())]
    # the order of the win rates against base, computed here, is the order of the ratings
    expected = expected_counts(frame)
    against_base = {a: expected.loc[(a, "base", ""), "win_rate"] for a in ("lora-v2", "qwen")}
    assert models == sorted(against_base, key=against_base.get, reverse=True) + ["base"]
    assert ratings == sorted(ratings, reverse=True)
    assert ratings[models.index("base")] == pytest.approx(1000)
    assert board.item(models.index("base"), 3).text() == "anchor"
    # the matrix: each cell is the Elo curve of the shown ratings, and p(a, b) + p(b, a) = 1
    matrix = page.matrix
    heads = [matrix.horizontalHeaderItem(c).text() for c in range(matrix.columnCount())]
    rating = dict(zip(models, ratings, strict=True))
    for i, a in enumerate(heads):
        for j, b in enumerate(heads):
            p = matrix.item(i, j).data(SORT_ROLE)
            if i == j:
                assert p is None
                continue
            assert p == pytest.approx(1 / (1 + 10 ** ((rating[b] - rating[a]) / 400)), abs=1e-9)
            assert p + matrix.item(j, i).data(SORT_ROLE) == pytest.approx(1)
    assert page.ratings.isVisible()
    two = frame[(frame["model_a"] == "lora-v2") & (frame["model_b"] == "base")]
    page.show_evaluation(with_pairwise(demo[0], two))
    assert page.ratings.isHidden() and page.gsb.rowCount() == 2


def test_without_judgments_the_page_says_how_to_create_comparisons(qtbot, demo):
    page = _page(qtbot, demo, dataclasses.replace(demo[0], pairwise=None))
    assert page.empty.isVisible() and page.content.isHidden()
    command = page.empty.command.text()
    assert command.startswith("annotator pairwise create ") and command.endswith("--vs-baseline")
    assert str(demo[0].project["path"]) in command
    assert "No side-by-side judgments yet" in page.empty.title.text()
    empty = dataclasses.replace(demo[0], pairwise=dataclasses.replace(
        with_pairwise(demo[0], judgments(["s1"])).pairwise, pairs=()))  # fmt: skip
    page.show_evaluation(empty)
    assert page.empty.isVisible()


def test_the_bars_paint_each_share_in_its_colour(qtbot, tmp_path):
    bars = GsbBars()
    qtbot.addWidget(bars)
    bars.resize(800, 200)
    rows = [GsbRow("lora-v2 vs base · overall", (60, 25, 10, 5)), GsbRow("other", (0, 0, 0, 0))]
    bars.set_rows(rows)
    bars.show()
    qtbot.waitExposed(bars)
    path = tmp_path / "bars.png"
    assert bars.grab().save(str(path))
    image = bars.grab().toImage()
    rect = bars.bar_rect(0)
    y = rect.center().y() + rect.height() // 2 - 2  # below the share's text
    line = [QColor(image.pixel(x, y)).name() for x in range(rect.left(), rect.right() + 1)]
    for name, count in zip(("good", "same", "bad", "both_bad"), rows[0].counts, strict=True):
        share = line.count(colour(name).name()) / len(line)
        assert share == pytest.approx(count / 100, abs=0.02), name
    empty = bars.bar_rect(1)
    assert colour("good").name() not in {
        QColor(image.pixel(x, empty.center().y())).name()
        for x in range(empty.left(), empty.right())
    }
    assert "60 of 100 judgments (60%)" in bars.tip_at(QPoint(rect.left() + 5, rect.center().y()))
    assert path.stat().st_size > 1000


def test_the_window_reaches_the_page_from_the_keyboard(demo_path, open_lead, qtbot, frame):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    assert window.current_page() == "overview"
    controller.show_evaluation(with_pairwise(controller.evaluation, frame))
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_page() == "side_by_side"
    assert window.nav.currentItem().text() == "Side by side"
    page = window.side_by_side
    assert page.content.isVisible() and page.gsb.rowCount() == len(PLAN)
    assert window.side_by_side.bars.rows[0].counts == tuple(
        expected_counts(frame).loc[("lora-v2", "base", ""), ["a", "tie", "b", "both_bad"]]
    )


def test_judgments_stored_in_the_project_reach_the_page(demo_path, open_lead, qtbot):
    """The real path: comparisons created and judged in raters' blind sessions, then the
    lead window's own statistics op; the page's counts are the stored judgments'."""
    from annotator.core.domain.side_by_side import CHOICES, Choice

    with Project.open(demo_path) as project:
        project.side_by_side.create(vs_baseline=True)
        for k, rater in enumerate(project.raters()):
            scoring = project.session(rater)
            judging = project.side_by_side.session(scoring)
            for index in range(0, len(judging), 2):  # every other comparison
                choice = Choice(CHOICES[(index + k) % len(CHOICES)])
                judging.judge(judging.pair(index).comparison_id, choice)
            scoring.close()
        stored = project.side_by_side.judgments()
    window, controller = open_lead(demo_path, poll_ms=10**8)
    window.show_page("side_by_side")
    page = window.side_by_side
    qtbot.waitUntil(lambda: page.content.isVisible(), timeout=20000)
    shown = _rows(page)
    expected = expected_counts(stored)
    assert set(shown) == set(expected.index) and ("lora-v2", "base", "") in shown
    for key, row in expected.iterrows():
        cells = shown[key]
        assert [cells[h] for h in ("G: A better", "S: same", "B: B better", "Both bad")] == [
            int(row[k]) for k in ("a", "tie", "b", "both_bad")
        ]
        assert cells["Judgments"] == row["judgments"]
    assert sum(int(shown[k]["Judgments"]) for k in shown) == len(stored) >= 3 * 24


def test_tab_leaves_each_table_for_the_next_control(qtbot, demo):
    from PySide6.QtWidgets import QApplication, QTableWidget

    page = _page(qtbot, demo)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    tables = [t for t in page.findChildren(QTableWidget) if t.isVisible() and t.rowCount()]
    assert tables
    for t in tables:
        t.setFocus()
        t.setCurrentCell(0, 0)
        assert QApplication.focusWidget() is t
        qtbot.keyClick(t, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is not t, t.objectName()
