"""The gate flow: the dialog's edit -> checked thresholds -> saved -> verdicts recomputed."""

from __future__ import annotations

import re
from collections import Counter

from annotator.core.domain.errors import AnnotatorError
from annotator.core.i18n import tr
from annotator.gui.lead.changes import GATES, Changes
from annotator.gui.lead.common import verdict_text
from annotator.gui.lead.views.gates_editor import GateEdit, GatesDialog

_RULE = re.compile(r"^(\s*\S+\s*(?:>=|<=|>|<)\s*)([-+]?\d+(?:\.\d+)?)\s*$")


def verdict_changes(before, after) -> tuple[int, Counter]:
    """How many items changed verdict between two verdict tables, and from -> to counts."""
    joined = before[["item_id", "verdict"]].merge(
        after[["item_id", "verdict"]], on="item_id", suffixes=("_old", "_new")
    )
    changed = joined[joined["verdict_old"].astype(str) != joined["verdict_new"].astype(str)]
    moves = Counter(
        zip(changed["verdict_old"].astype(str), changed["verdict_new"].astype(str), strict=True)
    )
    return len(changed), moves


class GatesFlow:
    """Opens the gate editor and applies what the lead changed."""

    def __init__(self, controller):
        self.c = controller
        self.dialog: GatesDialog | None = None
        self.last_result = ""

    def open(self) -> GatesDialog:
        project = self.c.project
        dialog = GatesDialog(project.gates(), self.c.window, project.decision())
        dialog.applied.connect(self.apply)
        self.dialog = dialog
        dialog.show()
        return dialog

    def _checked_rules(self, rules: list[str]) -> list[str] | None:
        """Each rule checked against its scale; a likely slip becomes a question."""
        out = []
        gates = self.c.project.gates()
        for rule in rules:
            try:
                self.c.project.check_rule(rule, gates)
            except AnnotatorError as exc:
                # The error carries the value it proposes: its words are in the reader's
                # language, so they are shown, never parsed.
                suggestion = getattr(exc, "suggestion", None)
                match = _RULE.match(rule)
                if suggestion is not None and match:
                    fixed = match.group(1) + f"{suggestion:.2f}"
                    question = tr("{error}\n\nUse “{fixed}” instead?", error=exc, fixed=fixed)
                    if self.c.ask_yes_no(tr("Threshold on the wrong scale?"), question):
                        out.append(fixed)
                        continue
                self._say(tr("Not applied: {error}", error=exc))
                return None
            out.append(rule)
        return out

    def apply(self, edit: GateEdit) -> None:
        if edit.is_empty():
            self._say(tr("Nothing changed."))
            return
        rules = self._checked_rules(edit.rules)
        if rules is None:
            return
        if self.c.busy:
            self._say(tr("Please wait: another operation is still running."))
            return
        before = self.c.evaluation.verdicts.items if self.c.evaluation else None
        try:
            gates = self.c.project.edit_gates(
                rules=rules,
                enable=edit.enable,
                disable=edit.disable,
                hard=edit.hard,
                soft=edit.soft,
                **edit.decision_changes(),  # saved in the same transaction as the gates
            )
        except AnnotatorError as exc:
            self._say(tr("Not applied: {error}", error=exc))
            return
        if self.dialog is not None:
            self.dialog.set_gates(gates, self.c.project.decision())
        self._say(tr("Saved; recomputing the verdicts…"))

        def recomputed(evaluation) -> None:
            if before is None:
                self._say(tr("Saved."))
                return
            n, moves = verdict_changes(before, evaluation.verdicts.items)
            detail = ", ".join(
                f"{c} {verdict_text(a)} → {verdict_text(b)}" for (a, b), c in moves.most_common()
            )
            detail = f" ({detail})" if detail else ""
            models = "; ".join(
                f"{m.model}: {verdict_text(str(m.verdict))}" for m in evaluation.verdicts.models
            )
            self._say(
                tr(
                    "{n} items changed verdict{detail}. Models: {models}",
                    n=n,
                    detail=detail,
                    models=models,
                )
            )

        self.c.refresh(Changes.of(GATES), then=recomputed)

    def _say(self, text: str) -> None:
        self.last_result = text
        if self.dialog is not None:
            self.dialog.show_result(text)
        self.c.window.status.setText(text)
