"""The Metrics dialog: choose a preset, compute it, read the means per model and metric.

It lays out; ``controllers.metrics.MetricsFlow`` runs the computation. A result is the
dict of ``MetricsRunReport.to_dict()`` (what the project stores for each preset), so a
run computed earlier shows the same way as one just computed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.domain.gates import label as metric_label
from annotator.core.domain.message import as_text
from annotator.core.i18n import tr
from annotator.core.metrics.suite import warning_message
from annotator.gui.lead.common import number
from annotator.gui.lead.views.cells import cell, fit_height
from annotator.gui.widgets.plain import plain_label, plain_tip


def preset_descriptions() -> dict[str, str]:
    """What each preset of ``annotator.core.metrics`` computes, in the interface language."""
    return {
        "default": tr(
            "BLEU-2 (the gate metric) and ROUGE-1/2/L F1, Chinese tokenized as characters, "
            "other text as 13a words"
        ),
        "sacrebleu": tr("sacrebleu's BLEU-4 with exp smoothing, per item and for the corpus"),
        "llamafactory": tr(
            "what LLaMA-Factory prints: BLEU-4 (method3, characters) and ROUGE-1/2/L of "
            "rouge-chinese on jieba words"
        ),
    }


class MetricsDialog(QDialog):
    """Preset, Compute, and the result as a model x metric table with each signature."""

    compute_requested = Signal(str)  # the preset

    def __init__(self, presets: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Metrics"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preset = QComboBox()
        descriptions = preset_descriptions()
        for name in presets:
            self.preset.addItem(name, name)
            tip = descriptions.get(name, "")
            self.preset.setItemData(self.preset.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.description = plain_label(QLabel())
        self.description.setWordWrap(True)
        self.compute = QPushButton(tr("&Compute"))
        self.compute.setDefault(True)
        self.compute.clicked.connect(lambda: self.compute_requested.emit(self.chosen()))
        self.heading = plain_label(QLabel(tr("Not computed yet for this preset.")))
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.details = QPlainTextEdit()  # signatures, imported means, warnings: copyable
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(110)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)

        row = QHBoxLayout()
        preset_label = QLabel(tr("&Preset:"))
        preset_label.setBuddy(self.preset)
        row.addWidget(preset_label)
        row.addWidget(self.preset)
        row.addWidget(self.compute)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.description)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        layout.addWidget(QLabel(tr("How each metric was computed (signatures):")))
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(760, 460)
        self.results: dict[str, dict] = {}
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self._preset_changed()

    def chosen(self) -> str:
        return str(self.preset.currentData())

    def set_results(self, runs: dict[str, dict]) -> None:
        """Runs computed earlier, by preset (``Project.metric_runs()``)."""
        self.results.update(runs)
        self._preset_changed()

    def show_result(self, report: dict) -> None:
        """A run just computed: remembered for its preset, shown if that preset is chosen."""
        self.results[report["preset"]] = report
        index = self.preset.findData(report["preset"])
        if index >= 0 and index != self.preset.currentIndex():
            self.preset.setCurrentIndex(index)  # shows it
        else:
            self._preset_changed()

    def set_running(self, running: bool) -> None:
        self.compute.setEnabled(not running)
        self.preset.setEnabled(not running)

    def _preset_changed(self, *_args) -> None:
        name = self.chosen()
        self.description.setText(preset_descriptions().get(name, ""))
        report = self.results.get(name)
        if report is None:
            self.heading.setText(tr("Not computed yet for this preset."))
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.details.setPlainText("")
            return
        self._fill(report)

    def metric_names(self, report: dict) -> list[str]:
        return list(dict.fromkeys(n for means in report["means"].values() for n in means))

    def _fill(self, report: dict) -> None:
        names = self.metric_names(report)
        self.heading.setText(
            tr(
                "Preset {preset}: means of {count} metrics over {items} items, per model "
                "(computed {time}); the corpus rows score each model's items as one text",
                preset=report["preset"],
                count=len(names),
                items=report["items"],
                time=str(report.get("computed_at", ""))[:19].replace("T", " "),
            )
        )
        signatures = report.get("signatures", {})
        table = self.table
        table.clear()
        table.setColumnCount(len(names) + 1)
        for c, name in enumerate([tr("Model"), *names]):
            short = name.split("/", 1)[-1]  # the preset is said above: "sacrebleu/bleu" -> BLEU
            header = QTableWidgetItem(name if c == 0 else metric_label(short))
            header.setToolTip(plain_tip(signatures.get(short) or signatures.get(name, "")))
            table.setHorizontalHeaderItem(c, header)
        rows = [(m, report["means"][m], False) for m in report["means"]]
        rows += [(m, report["corpus"].get(m, {}), True) for m in report["means"]]
        table.setRowCount(len(rows))
        for r, (model, values, corpus) in enumerate(rows):
            first = tr("{model} (corpus)", model=model) if corpus else model
            table.setItem(r, 0, cell(first, model, right=False))
            for c, name in enumerate(names, start=1):
                value = values.get(name)
                short = name.split("/", 1)[-1]
                tip = signatures.get(short) or signatures.get(name, "")
                table.setItem(r, c, cell(number(value, 4), value, tip))
        fit_height(table)
        self.details.setPlainText(self._details(report))

    def _details(self, report: dict) -> str:
        lines = [f"{name}: {sig}" for name, sig in report.get("signatures", {}).items()]
        for model, imported in report.get("imported", {}).items():
            values = tr(", ").join(f"{n} {v:.4f}" for n, v in sorted(imported.items()))
            lines.append(tr("{model} imported: {values}", model=model, values=values))
        for warning, count in report.get("warnings", {}).items():
            lines.append(
                tr(
                    "warning: {warning}: {count} item(s) scored 0",
                    warning=as_text(warning_message(warning)),
                    count=count,
                )
            )
        return "\n".join(lines)
