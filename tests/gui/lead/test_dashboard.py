"""The numbers on the dashboard are the numbers of `annotator report --json`."""

from __future__ import annotations

import json

import pytest

from annotator.cli import main as cli_main
from annotator.gui.lead.models import SORT_ROLE


@pytest.fixture
def report_json(demo_path, capsys, monkeypatch):
    # The window speaks English here; the command line would follow the (Chinese) demo.
    monkeypatch.setenv("ANNOTATOR_LANG", "en")
    capsys.readouterr()
    cli_main(["report", str(demo_path), "--json"])
    return json.loads(capsys.readouterr().out)


def _column(window, header: str) -> int:
    table = window.overview.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return headers.index(header)


def _row(window, model: str) -> int:
    table = window.overview.table
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == model)


def test_overview_numbers_equal_the_cli_report(demo_path, report_json, open_lead):
    window, controller = open_lead(demo_path)
    table = window.overview.table
    labels = window.overview.labels
    verdicts = {m["model"]: m for m in report_json["verdicts"]["models"]}
    assert len(report_json["stats"]["models"]) == 2
    for summary in report_json["stats"]["models"]:
        r = _row(window, summary["model"])
        for key, mean in summary["means"].items():
            item = table.item(r, _column(window, labels[key]))
            assert item.data(SORT_ROLE) == pytest.approx(mean["mean"], abs=1e-12)
            assert item.text().startswith(f"{mean['mean']:.2f}")
            half = (mean["ci"]["high"] - mean["ci"]["low"]) / 2
            assert item.text().endswith(f"±{half:.2f}")
            assert f"{mean['n']} complete items" in item.toolTip()
        for metric, mean in summary["metrics"].items():
            item = table.item(r, _column(window, metric.upper()))
            assert item.text() == f"{mean['mean']:.2f}"
            assert report_json["signatures"][metric] in item.toolTip()
        verdict = table.item(r, _column(window, "Verdict"))
        assert verdict.data(SORT_ROLE) == verdicts[summary["model"]]["verdict"]
        for reason in verdicts[summary["model"]]["reasons"]:
            assert reason in verdict.toolTip()
        rate = table.item(r, _column(window, "Pass rate")).data(SORT_ROLE)
        assert rate == pytest.approx(verdicts[summary["model"]]["pass_rate"])


def test_difference_row_is_candidate_minus_baseline(demo_path, report_json, open_lead):
    window, controller = open_lead(demo_path)
    table = window.overview.table
    means = {m["model"]: m["means"] for m in report_json["stats"]["models"]}
    delta = table.item(2, _column(window, "Composite")).data(SORT_ROLE)
    # Paired on prompts complete for both models, so close to (not equal to) the plain means.
    assert delta == pytest.approx(
        means["lora-v2"]["composite"]["mean"] - means["base"]["composite"]["mean"], abs=0.1
    )
    compare = controller.evaluation.stats.compare("base", "lora-v2").set_index("measure")
    assert delta == pytest.approx(compare.loc["composite", "diff"])


def test_agreement_page_equals_the_cli_report(demo_path, report_json, open_lead):
    window, controller = open_lead(demo_path)
    page = window.agreement
    alphas = report_json["stats"]["agreement"]["alpha"]
    assert page.alpha.rowCount() == len(alphas)
    for r, a in enumerate(alphas):
        assert page.alpha.item(r, 0).data(SORT_ROLE) == a["dimension"]
        assert page.alpha.item(r, 1).data(SORT_ROLE) == pytest.approx(a["alpha"])
        assert page.alpha.item(r, 3).text() == a["interpretation"]
        assert page.alpha.item(r, 3).foreground().color().isValid()
    kappa = [k for k in report_json["stats"]["agreement"]["kappa"] if k["dimension"] == "all"]
    page.dimension.setCurrentIndex(page.dimension.findData("all"))
    raters = [page.kappa.horizontalHeaderItem(c).text() for c in range(page.kappa.columnCount())]
    for k in kappa:
        i, j = raters.index(k["rater_a"]), raters.index(k["rater_b"])
        assert page.kappa.item(i, j).data(SORT_ROLE) == pytest.approx(k["kappa"])


def test_an_unreliable_alpha_links_to_its_disagreements(demo_path, open_lead):
    window, controller = open_lead(demo_path)
    page = window.agreement
    stats = controller.evaluation.stats
    row = next(r for r, a in enumerate(stats.alpha) if a.interpretation == "not reliable")
    dimension = stats.alpha[row].dimension
    page._on_alpha_clicked(row, 5)
    assert window.current_page() == "disagreements"
    shown = window.disagreements.visible_item_ids()
    expected = stats.disagreements[
        stats.disagreements["dimensions"].str.contains(dimension) & ~stats.disagreements["resolved"]
    ]["item_id"]
    assert sorted(shown) == sorted(expected.tolist()) and shown
    assert page.alpha.item(row, 5).text() == f"see {len(shown)} items →"


def test_items_and_raters_pages(demo_path, report_json, open_lead):
    window, controller = open_lead(demo_path)
    assert window.items.model.rowCount() == 96
    window.items.verdict.setCurrentIndex(window.items.verdict.findData("PASS"))
    n_pass = sum(m["n_pass"] for m in report_json["verdicts"]["models"])
    assert window.items.model.rowCount() == n_pass
    raters = window.raters.model
    by_name = {raters.value(r, 0): r for r in range(raters.rowCount())}
    for rater in report_json["stats"]["raters"]:
        r = by_name[rater["rater"]]
        assert raters.row_value(r, "leniency") == pytest.approx(rater["leniency"])
        assert raters.row_value(r, "done") == 76


def test_charts_are_drawn_with_the_corners_labelled(demo_path, open_lead):
    window, controller = open_lead(demo_path)
    overview = window.overview
    assert len(overview.means_view.chart().series()[0].barSets()) == 2
    items = controller.evaluation.stats.items
    complete = items[items["composite"].notna() & items["bleu"].notna()]
    assert overview.scatter_points == len(complete) > 0
    area = overview.scatter_view.chart().plotArea()
    narrow, surface = overview.corner_labels["narrow"], overview.corner_labels["surface"]
    assert narrow.isVisible() and surface.isVisible()
    assert area.width() > 0 and narrow.x() < surface.x()
    # Both sit above the plot area, where they hide no point (inside, they covered some).
    view, chart = overview.scatter_view, overview.scatter_view.chart()
    top = view.mapFromScene(chart.mapToScene(area.topLeft())).y()
    assert narrow.geometry().bottom() <= top and surface.geometry().bottom() <= top
    overview.metric_box.setCurrentText("rouge-l")
    assert "ROUGE-L" in overview.scatter_view.chart().title()
