"""The lead's Judges page: a judge's numbers against the humans, the scatter, the means,
and using a judge as a rater, through the real window with key presses.

The project is the demo (three simulated raters) with two judges imported from CSV files
written here: "gui-close" gives the rounded human mean on relevance and fluency, "gui-judge"
does the same on relevance and guesses on style. Every number read from the page is
checked against scipy, scikit-learn and pandas on the scores read back with SQL; whether
a judge counts as a rater is read from the database.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3

import krippendorff
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea, QToolTip
from scipy import stats as sps
from sklearn.metrics import cohen_kappa_score

from annotator.core.i18n import tr
from annotator.core.project import Project
from annotator.gui.lead.models import SORT_ROLE
from annotator.gui.lead.views.judges_chart import JITTER, jitter
from annotator.gui.lead.views.judges_tables import AGREEMENT, MEANS
from tests.core.usecases.judges_data import sql_frames

pytestmark = pytest.mark.slow  # each test opens the lead window on the demo

GUESSED = "style"


def _write_judge(folder, name, human, items, close, guessed=(), seed=3):
    """The rounded (half up) human mean on ``close`` dimensions, a guess on ``guessed``."""
    rng = np.random.default_rng(seed)
    means = human.groupby(["item_id", "dimension"])["score"].mean()
    where = items.set_index("item_id")
    rows = []
    for (item_id, dimension), mean in means.items():
        if dimension in close:
            score = int(np.floor(mean + 0.5))
        elif dimension in guessed:
            score = int(rng.integers(1, 6))
        else:
            continue
        sample, model = where.loc[item_id, "sample_id"], where.loc[item_id, "model"]
        rows.append([sample, model, name, dimension, score])
    path = folder / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["item_id", "model", "judge", "dimension", "score"])
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def judged_demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("judged")
    path = folder / "demo.annotator"
    Project.demo(path, fresh=True).close()
    human, _, items = sql_frames(path)
    files = [
        _write_judge(folder, "gui-close", human, items, close={"relevance", "fluency"}),
        _write_judge(folder, "gui-judge", human, items, close={"relevance"}, guessed={GUESSED}),
    ]
    with Project.open(path) as project:
        for file in files:
            project.judges.import_scores(file)
    return path


@pytest.fixture
def project_file(judged_demo, tmp_path):
    path = tmp_path / "demo.annotator"
    shutil.copy(judged_demo, path)
    return path


def _promoted(path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT name, promoted FROM judges"))
    finally:
        con.close()


def _to_page(window, qtbot):
    """From the overview, down the navigation with the keyboard to the Judges page."""
    assert window.current_page() == "overview"
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_page() == "judges"
    assert window.nav.currentItem().text() == tr("Judges")  # in the language shown
    return window.judges


def _choose_judge(window, qtbot, name):
    """Alt+G focuses the judge box (its label's mnemonic); arrows choose."""
    page = window.judges
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.judge_box
    qtbot.keyClick(page.judge_box, Qt.Key.Key_Home)
    for _ in range(page.judge_box.count()):
        if page.header.name.text() == name:
            return page
        qtbot.keyClick(page.judge_box, Qt.Key.Key_Down)
    assert page.header.name.text() == name
    return page


def _press(widget, qtbot, key, controller, wait_idle):
    """Alt+key, then the write it starts: a button's mnemonic clicks it after a short
    animation (QAbstractButton.animateClick), so the write begins a moment later."""
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(400)
    wait_idle(controller)


def _row(page, key) -> dict:
    t = page.agreement
    for r in range(t.rowCount()):
        if t.item(r, AGREEMENT["Dimension"]).data(SORT_ROLE) == key:
            return {name: t.item(r, c) for name, c in AGREEMENT.items()}
    raise AssertionError(f"no row {key}")


def _unit_means(human, judge_rows, dimension):
    """(judge score, human mean, human median) per item, for one dimension."""
    h = human[human["dimension"] == dimension].groupby("item_id")["score"]
    j = judge_rows[judge_rows["dimension"] == dimension].set_index("item_id")["score"]
    ids = sorted(set(j.index) & set(h.groups))
    return (
        j.loc[ids].to_numpy(float),
        h.mean().loc[ids].to_numpy(float),
        h.median().loc[ids].to_numpy(float),
        ids,
    )


def test_the_page_shows_what_scipy_and_sklearn_find(project_file, open_lead, qtbot):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    _to_page(window, qtbot)
    page = _choose_judge(window, qtbot, "gui-judge")
    assert page.content.isVisible() and not page.empty.isVisible()
    human, judges, items = sql_frames(project_file)
    mine = judges[judges["judge"] == "gui-judge"]
    x, y, median, ids = _unit_means(human, mine, GUESSED)
    row = _row(page, GUESSED)
    assert row["n"].data(SORT_ROLE) == len(ids) == items["item_id"].nunique()
    assert row["Spearman"].data(SORT_ROLE) == pytest.approx(sps.spearmanr(x, y)[0], abs=1e-12)
    assert row["Pearson"].data(SORT_ROLE) == pytest.approx(sps.pearsonr(x, y)[0], abs=1e-12)
    assert row["Spearman"].text() == f"{sps.spearmanr(x, y)[0]:.2f}"
    assert row["MAE"].data(SORT_ROLE) == pytest.approx(np.abs(x - y).mean())
    assert row["Bias"].data(SORT_ROLE) == pytest.approx((x - y).mean())
    kappa = cohen_kappa_score(
        x.astype(int),
        np.floor(median + 0.5).astype(int),
        weights="quadratic",
        labels=[1, 2, 3, 4, 5],
    )
    assert row["Kappa"].data(SORT_ROLE) == pytest.approx(kappa)
    # Krippendorff's alpha (ordinal) of the humans, and with the judge as one more rater
    h = human[human["dimension"] == GUESSED].pivot_table(
        index="rater", columns="item_id", values="score"
    )[ids]
    humans_only = krippendorff.alpha(h.to_numpy(float), level_of_measurement="ordinal")
    assert row["Alpha humans"].data(SORT_ROLE) == pytest.approx(humans_only)
    with_judge = np.vstack([h.to_numpy(float), x])
    assert row["Alpha with judge"].data(SORT_ROLE) == pytest.approx(
        krippendorff.alpha(with_judge, level_of_measurement="ordinal")
    )
    # a guess cannot replace a rater; the rounded human mean can: said in words
    assert row["Test"].text() == "not passed" and row["Test"].data(SORT_ROLE) is False
    assert _row(page, "relevance")["Test"].text() == "passed"
    assert "the judge cannot replace a rater on style" in page.readings.text()
    assert "the judge can replace a rater on relevance" in page.readings.text()
    assert [page.agreement.item(r, 0).text() for r in range(page.agreement.rowCount())] == [
        "Relevance",
        "Style consistency",
        "all dimensions",
    ]
    # the signature on one line, the counts
    assert page.header.signature.text().startswith("kind:imported|file:gui-judge.csv|sha256:")
    assert page.header.counts.text().startswith(f"{len(mine)} scores on {len(ids)} items")


def test_the_scatter_draws_each_item_near_its_two_scores(project_file, open_lead, qtbot):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    _to_page(window, qtbot)
    page = _choose_judge(window, qtbot, "gui-judge")
    # choose "Relevance" with the keyboard: Alt+D, then Home (the first dimension)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.dimension_box
    qtbot.keyClick(page.dimension_box, Qt.Key.Key_Home)
    assert page.dimension() == "relevance"
    human, judges, items = sql_frames(project_file)
    x, y, _, ids = _unit_means(human, judges[judges["judge"] == "gui-judge"], "relevance")
    dx, dy = jitter(ids, salt=1), jitter(ids, salt=2)
    assert np.abs(dx).max() <= JITTER and np.abs(dy).max() <= JITTER
    model = items.set_index("item_id")["model"].loc[ids].to_numpy()
    for name in ("base", "lora-v2"):
        (series,) = [s for s in page.chart_view.chart().series() if s.name() == name]
        mine = model == name
        expected = sorted(zip(x[mine] + dx[mine], y[mine] + dy[mine], strict=True))
        shown = sorted((p.x(), p.y()) for p in series.points())
        assert np.allclose(shown, expected), name
    assert f"{len(ids)} points" in page.chart_note.text()


def test_the_means_table_has_the_human_only_mean_pandas_finds(project_file, open_lead, qtbot):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    page = _to_page(window, qtbot)
    page = _choose_judge(window, qtbot, "gui-close")
    human, judges, items = sql_frames(project_file)
    t = page.means
    rows = {
        (
            t.item(r, MEANS["Model"]).data(SORT_ROLE),
            t.item(r, MEANS["Dimension"]).data(SORT_ROLE),
        ): r
        for r in range(t.rowCount())
    }
    by_model = items.set_index("item_id")["model"]
    h = human.assign(model=human["item_id"].map(by_model))
    item_means = h.groupby(["model", "dimension", "item_id"])["score"].mean()
    for model in ("base", "lora-v2"):
        means = item_means.loc[(model, "relevance")]
        r = rows[(model, "relevance")]
        assert t.item(r, MEANS["Human-only mean"]).data(SORT_ROLE) == pytest.approx(means.mean())
        judged = judges[(judges["judge"] == "gui-close") & (judges["dimension"] == "relevance")]
        n_judge = int(judged["item_id"].map(by_model).eq(model).sum())
        assert t.item(r, MEANS["Human / judge scores"]).text() == f"{len(means)} / {n_judge}"
        assert t.item(r, MEANS["PPI mean"]).text().count("[") == 1


def test_use_as_a_rater_promotes_a_judge_that_passed(project_file, open_lead, qtbot, wait_idle):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    _to_page(window, qtbot)
    page = _choose_judge(window, qtbot, "gui-close")
    assert page.header.use_button.text() == "&Use as a rater"
    _press(window, qtbot, Qt.Key.Key_U, controller, wait_idle)
    assert _promoted(project_file)["gui-close"] == 1
    qtbot.waitUntil(lambda: page.header.use_button.text() == "Stop &using", timeout=20000)
    assert "counts as a rater" in page.header.promotion.text()
    _press(window, qtbot, Qt.Key.Key_U, controller, wait_idle)
    assert _promoted(project_file)["gui-close"] == 0


def test_a_judge_that_did_not_pass_is_refused_in_words_then_forced(
    project_file, open_lead, qtbot, wait_idle
):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    _to_page(window, qtbot)
    _choose_judge(window, qtbot, "gui-judge")
    _press(window, qtbot, Qt.Key.Key_U, controller, wait_idle)
    flow = controller.judge_flow
    box = flow.force_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    words = box.text() + "\n" + box.informativeText()
    assert "has not passed the alternative annotator test" in words
    assert "style" in words.lower()
    assert _promoted(project_file)["gui-judge"] == 0
    # Escape keeps it out: nothing written
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    wait_idle(controller)
    assert flow.force_box is None and _promoted(project_file)["gui-judge"] == 0
    # again, and "Use it anyway" (its mnemonic) forces it
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _press(window, qtbot, Qt.Key.Key_U, controller, wait_idle)
    box = flow.force_box
    assert box is not None and box.isVisible()
    _press(box, qtbot, Qt.Key.Key_A, controller, wait_idle)
    assert _promoted(project_file)["gui-judge"] == 1
    page = window.judges
    qtbot.waitUntil(lambda: page.header.use_button.text() == "Stop &using", timeout=20000)
    assert "although it has not passed the alternative annotator test" in (
        page.header.promotion.text()
    )


def test_epsilon_is_stored_from_the_box(project_file, open_lead, qtbot, wait_idle):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    page = _to_page(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.epsilon_box
    qtbot.keyClick(page.epsilon_box, Qt.Key.Key_End)  # crowd raters, 0.1
    wait_idle(controller)
    with Project.open(project_file) as project:
        assert project.judges.settings()["epsilon"] == 0.1
    qtbot.waitUntil(lambda: "epsilon = 0.1)" in page.readings.text(), timeout=20000)


def test_the_gates_read_a_judges_ppi_means_when_chosen(project_file, open_lead, qtbot, wait_idle):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    page = _to_page(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.gates_box
    assert page.gates_box.itemData(0) == "humans" and page.gates_box.currentIndex() == 0
    qtbot.keyClick(page.gates_box, Qt.Key.Key_End)
    chosen = page.gates_box.currentData()
    assert chosen != "humans"
    wait_idle(controller)
    with Project.open(project_file) as project:
        assert project.judges.settings()["gate_source"] == chosen
    qtbot.waitUntil(lambda: page.evaluation.gates_from == chosen, timeout=20000)
    assert page.gates_box.currentData() == chosen  # the box shows what is stored
    qtbot.keyClick(page.gates_box, Qt.Key.Key_Home)
    wait_idle(controller)
    with Project.open(project_file) as project:
        assert project.judges.settings()["gate_source"] == "humans"


def test_a_project_without_judges_says_what_a_judge_is(project_path, open_lead, qtbot):
    window, controller = open_lead(project_path, poll_ms=10**8, resamples=50)
    page = _to_page(window, qtbot)
    assert page.empty.isVisible() and not page.content.isVisible()
    assert "A judge is a large language model" in page.empty.intro.text()
    assert page.empty.command.text() == f"annotator judges import {project_path} FILE --judge NAME"
    assert page.empty.run_button.text() == "Ru&n a judge…"
    assert page.empty.run_button.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_in_chinese_the_wide_table_is_whole_and_the_page_scrolls(
    project_file, open_lead, qtbot, chinese
):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    window.resize(900, 700)
    page = _to_page(window, qtbot)
    qtbot.wait(50)
    for t in (page.agreement, page.means):
        header = t.horizontalHeader()
        assert t.width() >= header.length() + 2 * t.frameWidth()  # every column shown
        assert t.horizontalScrollBar().maximum() == 0
        rows = sum(t.rowHeight(r) for r in range(t.rowCount()))
        assert t.height() >= rows + header.height()
    first = [page.agreement.item(r, 0).text() for r in range(page.agreement.rowCount())]
    assert first[0] == "相关性" and first[-1] == "全部维度"
    assert page.agreement.item(0, AGREEMENT["Test"]).text() in {"通过", "未通过", "无法检验"}
    # the page is wider than the window: it scrolls as a whole, the table is not cut
    scroll = page.findChild(QScrollArea)
    assert scroll.horizontalScrollBar().maximum() > 0


def test_run_a_judge_opens_the_dialog_from_the_empty_page(project_path, open_lead, qtbot):
    from annotator.gui.lead.views.judge_run_dialog import JudgeRunDialog

    window, controller = open_lead(project_path, poll_ms=10**8, resamples=50)
    _to_page(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(JudgeRunDialog)))
    for dialog in window.findChildren(JudgeRunDialog):
        dialog.close()


def test_every_control_of_the_page_is_reached_with_tab(project_file, open_lead, qtbot):
    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    page = _to_page(window, qtbot)
    page.judge_box.setFocus()
    reached = []
    for _ in range(40):
        reached.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    for control in (
        page.judge_box,
        page.epsilon_box,
        page.gates_box,
        page.run_button,
        page.header.use_button,
        page.agreement,
        page.dimension_box,
        page.means,
    ):
        assert control in reached, control


def test_hovering_a_point_names_its_item_and_scores(project_file, open_lead, qtbot):
    from PySide6.QtCharts import QScatterSeries

    window, controller = open_lead(project_file, poll_ms=10**8, resamples=50)
    _to_page(window, qtbot)
    page = _choose_judge(window, qtbot, "gui-close")
    human, judges, items = sql_frames(project_file)
    (series,) = [
        s
        for s in page.chart_view.chart().series()
        if isinstance(s, QScatterSeries) and s.name() == "lora-v2"
    ]
    point = series.points()[0]
    series.hovered.emit(point, True)  # as QtCharts does when the mouse is over it
    tip = QToolTip.text()
    item = int(tip.split()[1])
    assert items.set_index("item_id").loc[item, "model"] == "lora-v2"
    scored = human[human["item_id"] == item].groupby("dimension")["score"]
    dimension = page.dimension()  # "all": the point is one of the item's dimensions
    assert dimension == "all"
    said = {
        key: f"human mean {mean:.2f} of {n} rater(s)"
        for key, mean, n in zip(scored.mean().index, scored.mean(), scored.size(), strict=True)
    }
    assert any(words in tip for words in said.values()), tip
