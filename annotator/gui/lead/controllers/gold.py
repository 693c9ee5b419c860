"""Use as gold (issue 18): an adjudicated item's scores become its expected scores.

Small and quick (a few rows), so it runs on the UI thread as the adjudication does; what
happened, or why it was refused, is said in the status bar.
"""

from __future__ import annotations

from annotator.core.domain.errors import AnnotatorError
from annotator.core.i18n import tr
from annotator.gui.lead.changes import ASSIGNMENTS, Changes

# Gold changes what the rater statistics compare with; of the views, only the Raters
# page shows it, and it is concerned by assignments (the gold items are mixed into them).
GOLD_CHANGES = Changes.of(ASSIGNMENTS)


class GoldFlow:
    """The lead's "Use as gold" on the item the Disagreements page shows."""

    def __init__(self, controller):  # the LeadController
        self.controller = controller
        controller.window.disagreements.use_as_gold.connect(self.use_adjudicated)

    def use_adjudicated(self, item_id: int) -> bool:
        """Make the item gold; True when expected scores were written."""
        c = self.controller
        status = c.window.status
        if c.busy:
            status.setText(tr("Please wait: another operation is still running."))
            return False
        try:
            change = c.project.gold.use_adjudicated(item_id)
        except AnnotatorError as exc:
            status.setText(tr("Not used as gold: {reason}", reason=exc))
            return False
        said = tr(
            "Item {id} is gold now: {count} expected score(s) from the adjudication; "
            "{items} gold item(s) in the project",
            id=item_id,
            count=change.written,
            items=change.items,
        )
        status.setText(said)
        # Said again once the statistics are redrawn (their line replaces the status).
        c.refresh(GOLD_CHANGES, then=lambda _evaluation: status.setText(said))
        return True
