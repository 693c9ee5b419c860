"""The lead's views only lay out: they never reach the facade, storage or a controller."""

from __future__ import annotations

import grimp

VIEWS = "annotator.gui.lead.views"
FORBIDDEN = (
    "annotator.core.project",
    "annotator.core.usecases",
    "annotator.core.storage",
    "annotator.gui.lead.controllers",
    "sqlite3",
)


def test_no_view_imports_the_facade_a_use_case_or_a_controller():
    graph = grimp.build_graph("annotator", include_external_packages=True, cache_dir=None)
    views = graph.find_descendants(VIEWS)
    assert views, "the lead's views moved: update this test"
    found = []
    for module in sorted(views):
        for imported in graph.find_modules_directly_imported_by(module):
            if any(imported == f or imported.startswith(f + ".") for f in FORBIDDEN):
                found.append(f"{module} -> {imported}")
    assert found == []
