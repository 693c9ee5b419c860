"""The lead's workspace: import, hand out, watch, adjudicate and export.

One entry point, ``build_lead_workspace``; ``app.py`` wires it to ``--lead``.
"""

from __future__ import annotations


def build_lead_workspace(
    project, *, settings=None, resamples: int = 1000, poll_ms: int | None = None
):
    """The lead window and its controller on an open project (the lead is not blind).

    Args:
        project: an open ``annotator.core.project.Project``.
        settings: a ``QSettings`` (default: the app's).
        resamples: bootstrap resamples for the confidence intervals.
        poll_ms: how often to look for changes by other programs (default 2 s).

    Returns:
        (window, controller); the caller shows the window and keeps both alive. The
        statistics arrive in the background a moment after.
    """
    from annotator.gui.lead.controllers.lead_controller import POLL_MS, LeadController, labels_for
    from annotator.gui.lead.views.window import LeadWindow
    from annotator.gui.settings import ui_language

    window = LeadWindow(labels_for(project, ui_language()))
    controller = LeadController(
        project, window, settings=settings, resamples=resamples, poll_ms=poll_ms or POLL_MS
    )
    return window, controller


__all__ = ["build_lead_workspace"]
