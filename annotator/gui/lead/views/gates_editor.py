"""Gate editor: change, add and switch off the pass/fail rules, then see what changed.

The dialog only collects the lead's intent; ``controllers.gates.GatesFlow.apply`` writes
it through ``Project.edit_gates`` and reports how many items changed verdict. A
threshold on the wrong scale (BLEU 40 on a 0-1 scale) becomes a question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.decision import INTERVAL, POINT, DecisionRule
from annotator.core.domain.gates import Gate, source_text
from annotator.core.i18n import tr
from annotator.gui.widgets.plain import plain_label

ON, HARD, RULE, SOURCE = range(4)


def rule_text(gate: Gate) -> str:
    """The rule as the lead edits it: "bleu >= 0.4", "compliance >= 3"."""
    return f"{gate.key} {gate.op} {gate.threshold:g}"


@dataclass
class GateEdit:
    """What the lead asked for, in ``Project.edit_gates`` terms."""

    rules: list[str] = field(default_factory=list)
    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    hard: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)
    decision: str | None = None  # "interval" or "point" when changed
    minimum: int | None = None  # complete samples a model needs, when changed

    def is_empty(self) -> bool:
        switches = self.rules or self.enable or self.disable or self.hard or self.soft
        return not switches and not self.decision_changes()

    def decision_changes(self) -> dict:
        """The ``decision``/``minimum`` arguments of ``Project.edit_gates`` (the changed ones)."""
        out = {"decision": self.decision, "minimum": self.minimum}
        return {k: v for k, v in out.items() if v is not None}


class GatesDialog(QDialog):
    """Rules in a table: tick to switch on, tick "hard" to fail even while under review."""

    applied = Signal(object)  # GateEdit

    def __init__(
        self,
        gates: tuple[Gate, ...],
        parent: QWidget | None = None,
        decision: DecisionRule | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(tr("Gates: when is an item or a model good enough?"))
        self.gates = gates
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("On"), tr("Hard"), tr("Rule"), tr("Source")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.new_rule = QLineEdit()
        self.new_rule.setPlaceholderText(
            tr('New rule, e.g. "metric:chrf >= 0.5" or "human:fluency >= 4"')
        )
        add = QPushButton(tr("Add"))
        add.clicked.connect(self.add_rule)
        self.new_rule.returnPressed.connect(self.add_rule)
        self.result = plain_label(QLabel())  # rules and model names as typed
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close
        )
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(lambda: self.applied.emit(self.edit()))
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.new_rule, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                tr(
                    "A model passes when every rule that is on holds for its "
                    "means; an item when it holds for the item. Edit a rule's "
                    "text to change its threshold."
                )
            )
        )
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addLayout(self._decision_form())
        layout.addWidget(self.result)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.set_gates(gates, decision or DecisionRule())

    def _decision_form(self) -> QFormLayout:
        """How a gate on a mean decides, and the samples a model needs before it is judged."""
        self.rule_box = QComboBox()
        self.rule_box.addItem(
            tr("95% interval: pass or fail only when the evidence is clear"), INTERVAL
        )
        self.rule_box.addItem(tr("point estimate: the mean alone decides"), POINT)
        self.rule_box.setToolTip(
            tr(
                "With the interval rule a mean whose interval straddles a threshold is "
                "INCONCLUSIVE (the reasons estimate how many more samples would settle it)"
            )
        )
        self.minimum_box = QSpinBox()
        self.minimum_box.setRange(1, 1_000_000)
        self.minimum_box.setSuffix(tr(" complete samples"))
        self.minimum_box.setToolTip(
            tr("With fewer complete samples a model is NEEDS MORE DATA, not judged")
        )
        form = QFormLayout()
        form.addRow(tr("Decision rule"), self.rule_box)
        form.addRow(tr("A model needs at least"), self.minimum_box)
        return form

    def set_gates(self, gates: tuple[Gate, ...], decision: DecisionRule | None = None) -> None:
        """Show ``gates`` (and ``decision``, when given) as saved: edits start from them."""
        self.gates = gates
        if decision is not None:
            self.decision = decision
            self.rule_box.setCurrentIndex(max(self.rule_box.findData(decision.rule), 0))
            self.minimum_box.setValue(decision.minimum)
        self.table.setRowCount(0)
        for gate in gates:
            source = source_text(gate.source)  # the built-in ones in the reader's language
            self._add_row(gate.enabled, gate.hard, rule_text(gate), source, gate.key)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def _add_row(self, on: bool, hard: bool, rule: str, source: str, key: str | None) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for column, checked in ((ON, on), (HARD, hard)):
            box = QTableWidgetItem()
            box.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            box.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.table.setItem(r, column, box)
        text = QTableWidgetItem(rule)
        text.setData(Qt.ItemDataRole.UserRole, key)  # None: a new rule
        self.table.setItem(r, RULE, text)
        info = QTableWidgetItem(source)
        info.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(r, SOURCE, info)
        return r

    def add_rule(self) -> None:
        text = self.new_rule.text().strip()
        if text:
            self._add_row(True, False, text, tr("added by the lead"), None)
            self.new_rule.clear()

    def row_of(self, key: str) -> int:
        for r in range(self.table.rowCount()):
            if self.table.item(r, RULE).data(Qt.ItemDataRole.UserRole) == key:
                return r
        raise KeyError(key)

    def set_rule(self, key: str, text: str) -> None:
        self.table.item(self.row_of(key), RULE).setText(text)

    def set_checked(self, key: str, column: int, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.table.item(self.row_of(key), column).setCheckState(state)

    def edit(self) -> GateEdit:
        """The differences between the table and the gates it was filled from."""
        edit = GateEdit()
        by_key = {g.key: g for g in self.gates}
        for r in range(self.table.rowCount()):
            key = self.table.item(r, RULE).data(Qt.ItemDataRole.UserRole)
            text = self.table.item(r, RULE).text().strip()
            on = self.table.item(r, ON).checkState() == Qt.CheckState.Checked
            hard = self.table.item(r, HARD).checkState() == Qt.CheckState.Checked
            gate = by_key.get(key)
            if gate is None:
                edit.rules.append(text)
                if hard:
                    edit.hard.append(text.split()[0].split(":", 1)[-1])
                continue
            if text != rule_text(gate):
                edit.rules.append(text)  # a changed rule is switched on by the core
            if on != gate.enabled or (text != rule_text(gate) and not on):
                (edit.enable if on else edit.disable).append(key)
            if hard != gate.hard:
                (edit.hard if hard else edit.soft).append(key)
        if self.rule_box.currentData() != self.decision.rule:
            edit.decision = self.rule_box.currentData()
        if self.minimum_box.value() != self.decision.minimum:
            edit.minimum = self.minimum_box.value()
        return edit

    def show_result(self, text: str) -> None:
        self.result.setText(text)
