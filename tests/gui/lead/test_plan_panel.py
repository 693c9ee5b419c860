"""The overview's plan panel: samples and raters the decision needs, checked against
statsmodels' power of the paired t-test, the t interval and Spearman-Brown by hand."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from statsmodels.stats.power import TTestPower

from annotator.gui.lead.models import SORT_ROLE
from tests.gui.lead.test_decisions import paired_composite


def rows(panel) -> dict[tuple[str, str], list]:
    table = panel.table
    out = {}
    for r in range(table.rowCount()):
        key = (table.item(r, 0).text(), table.item(r, 1).text())
        out[key] = [table.item(r, c) for c in range(table.columnCount())]
    return out


def test_the_plan_panel_says_what_each_number_needs_and_rests_on(demo_path, open_lead):
    window, controller = open_lead(demo_path)
    panel = window.overview.plan_panel
    assert panel.isVisible() and panel.title() == "How much evidence is enough?"
    stats_ = controller.evaluation.stats
    shown = rows(panel)

    # (a) pairs to detect a composite difference of 0.3, power 0.8, alpha 0.05 (two-sided).
    diff = paired_composite(stats_.items, "base", "lora-v2")
    sd = diff.std(ddof=1)
    expected = math.ceil(
        TTestPower().solve_power(effect_size=0.3 / sd, alpha=0.05, power=0.8, nobs=None)
    )
    cells = shown[("detect Δ 0.30", "lora-v2 − base")]
    assert abs(cells[2].data(SORT_ROLE) - expected) <= 1  # statsmodels solves n as a real
    assert cells[3].data(SORT_ROLE) == len(diff)
    assert cells[4].text() == f"+{cells[2].data(SORT_ROLE) - len(diff)}"
    assert f"{sd:.2f} over {len(diff)} pairs" in cells[5].text()

    # (b) samples for each model's 95% t interval to be within +/-0.1.
    for model in ("base", "lora-v2"):
        mine = stats_.items[(stats_.items["model"] == model) & stats_.items["complete"]]
        s = mine["composite"].std(ddof=1)
        n = next(n for n in range(2, 10**5) if stats.t.ppf(0.975, n - 1) * s / np.sqrt(n) <= 0.1)
        cells = shown[("interval ±0.10", model)]
        assert cells[2].data(SORT_ROLE) == n
        assert f"{s:.2f} over {len(mine)} complete items" in cells[5].text()

    # (c) raters per item for item means of reliability 0.8, from each alpha (Spearman-Brown).
    labels = window.overview.labels
    for a in stats_.alpha:
        name = "all dimensions" if a.dimension == "all" else labels[a.dimension]
        r = a.alpha
        k = math.ceil(0.8 * (1 - r) / (r * (1 - 0.8)) - 1e-9)
        cells = shown[("reliability 0.80", name)]
        assert cells[2].data(SORT_ROLE) == max(1, k)
        assert f"{r:.2f} over {a.pairable_values} pairable scores" in cells[5].text()


def test_the_plan_follows_the_baseline(demo_path, open_lead, qtbot, wait_idle):
    window, controller = open_lead(demo_path, poll_ms=10**8)
    controller.set_baseline("lora-v2")
    qtbot.waitUntil(lambda: controller.evaluation.baseline.model == "lora-v2", timeout=20000)
    wait_idle(controller)
    assert ("detect Δ 0.30", "base − lora-v2") in rows(window.overview.plan_panel)


def test_before_any_rating_the_plan_says_what_it_assumes(project_path, open_lead):
    window, controller = open_lead(project_path)
    panel = window.overview.plan_panel
    assert panel.isVisible()
    cells = rows(panel)[("detect Δ 0.30", "lora-v2 − base")]
    # An assumed spread of one point: statsmodels with d = 0.3 / 1.0.
    expected = TTestPower().solve_power(effect_size=0.3, alpha=0.05, power=0.8, nobs=None)
    assert abs(cells[2].data(SORT_ROLE) - math.ceil(expected)) <= 1
    assert cells[3].data(SORT_ROLE) == 0
    assert "assumed" in cells[5].text()
