"""The overview's difference rows read comparisons computed in the statistics op (issue 13).

Before, ``OverviewPage`` called ``StatsReport.compare`` while filling its table: paired
Wilcoxon tests on the UI thread at every refresh. A profiler on the UI thread counts calls
of ``compare_models`` while the window opens and refreshes; nothing of ours is replaced.
"""

from __future__ import annotations

import sys
import threading

import pytest

from annotator.core.stats.compare import compare_models
from annotator.gui.lead.models import SORT_ROLE


@pytest.fixture
def ui_thread_compares():
    """Calls of ``compare_models`` made on the UI (this) thread while the test runs."""
    calls: list[int] = []
    code = compare_models.__code__
    previous = sys.getprofile()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code is code:
            calls.append(threading.get_ident())

    sys.setprofile(profile)
    yield calls
    sys.setprofile(previous)


def test_opening_and_refreshing_never_compare_on_the_ui_thread(
    demo_path, open_lead, qtbot, ui_thread_compares
):
    window, controller = open_lead(demo_path)
    first = controller.evaluation
    controller.refresh()
    qtbot.waitUntil(lambda: controller.evaluation is not first, timeout=20000)
    assert ui_thread_compares == []
    # ... yet the page shows the difference, read from what the op computed.
    comparison = controller.evaluation.stats.comparisons[0]
    assert (comparison.baseline, comparison.candidate) == ("base", "lora-v2")
    table = window.overview.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("Δ"))
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    shown = table.item(row, headers.index("Composite")).data(SORT_ROLE)
    stored = comparison.table.set_index("measure").loc["composite", "diff"]
    assert shown == pytest.approx(stored)
