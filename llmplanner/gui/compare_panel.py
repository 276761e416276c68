"""Compare: pin a second model and read both side by side (counts, breakdown, shapes, FLOPs)."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.architecture import Architecture
from ..core.flops import FlopsPerToken
from ..core.params import ParamCount
from ..core.plan import ModelSource
from ..core.presets import all_presets
from ..core.report import ReportTable
from . import format as fmt
from .qt import QtCore, QtWidgets, Signal, Slot, translate
from .widgets import compact_rows


@dataclass(frozen=True)
class ModelFigures:
    """What the Architecture tab computes for one model."""

    label: str
    arch: Architecture
    params: ParamCount
    flops: FlopsPerToken
    context: int
    """The context the FLOPs are for (the plan's, capped at the model's maximum)."""
    memory: object | None = None
    """Inference memory at the plan's runtime, formats, context and batch (``MemoryEstimate``)."""
    memory_error: str | None = None


def component_title(key: str) -> str:
    return {
        "embeddings": translate("Components", "Embeddings"),
        "attention": translate("Components", "Attention"),
        "mlp": translate("Components", "MLP"),
        "experts": translate("Components", "Experts (MoE)"),
        "norms": translate("Components", "Norms"),
        "output": translate("Components", "Output head"),
        "other": translate("Components", "Other"),
    }[key]


def comparison_rows(a: ModelFigures, b: ModelFigures) -> list[tuple[str, str, str, str]]:
    """(quantity, model a, model b, b ÷ a) rows."""
    def ratio(x, y):
        return f"{y / x:.2f}×" if x else "–"

    rows = [
        (translate("Compare", "Total parameters"), fmt.exact(a.params.total), fmt.exact(b.params.total),
         ratio(a.params.total, b.params.total)),
        (translate("Compare", "Active per token"), fmt.exact(a.params.active), fmt.exact(b.params.active),
         ratio(a.params.active, b.params.active)),
        (translate("Compare", "Non-embedding"), fmt.exact(a.params.non_embedding), fmt.exact(b.params.non_embedding),
         ratio(a.params.non_embedding, b.params.non_embedding)),
    ]
    for key in a.params.breakdown:
        x, y = a.params.breakdown[key], b.params.breakdown.get(key, 0)
        if x or y:
            rows.append(("  " + component_title(key), fmt.exact(x), fmt.exact(y), ratio(x, y)))
    aa, ba = a.arch.attention, b.arch.attention
    rows += [
        (translate("Compare", "Layers"), fmt.exact(a.arch.num_layers), fmt.exact(b.arch.num_layers),
         ratio(a.arch.num_layers, b.arch.num_layers)),
        (translate("Compare", "Hidden size"), fmt.exact(a.arch.hidden_size), fmt.exact(b.arch.hidden_size),
         ratio(a.arch.hidden_size, b.arch.hidden_size)),
        (translate("Compare", "Attention"), f"{aa.grouping} {aa.num_heads}/{aa.num_kv_heads}",
         f"{ba.grouping} {ba.num_heads}/{ba.num_kv_heads}", ""),
        (translate("Compare", "Vocabulary"), fmt.exact(a.arch.embeddings.vocab_size),
         fmt.exact(b.arch.embeddings.vocab_size), ratio(a.arch.embeddings.vocab_size, b.arch.embeddings.vocab_size)),
        (translate("Compare", "Maximum context"), fmt.exact(a.arch.max_context), fmt.exact(b.arch.max_context),
         ratio(a.arch.max_context, b.arch.max_context)),
        (translate("Compare", "Forward FLOPs per token"),
         translate("Compare", "{0} at {1}").format(fmt.flops(a.flops.total), fmt.exact(a.context)),
         translate("Compare", "{0} at {1}").format(fmt.flops(b.flops.total), fmt.exact(b.context)),
         ratio(a.flops.total, b.flops.total)),
    ]
    if a.memory is not None or b.memory is not None:
        def mem(f: ModelFigures, attr: str) -> str:
            return fmt.memory(getattr(f.memory, attr)) if f.memory is not None else "–"

        def mem_ratio(attr: str) -> str:
            if a.memory is None or b.memory is None:
                return ""
            return ratio(getattr(a.memory, attr), getattr(b.memory, attr))

        m = a.memory or b.memory
        rows.append((translate("Compare", "Memory: {0}, {1}, KV cache {2}, {3} tokens × {4}").format(
            m.runtime, m.weight_format, m.kv_format, fmt.exact(m.context), m.batch), mem(a, "total_bytes"),
            mem(b, "total_bytes"), mem_ratio("total_bytes")))
        for attr, title in (("weights_bytes", translate("Compare", "Weights")),
                            ("kv_cache_bytes", translate("Compare", "KV cache")),
                            ("activations_bytes", translate("Compare", "Activations")),
                            ("overhead_bytes", translate("Compare", "Overhead"))):
            rows.append(("  " + title, mem(a, attr), mem(b, attr), mem_ratio(attr)))
    for f in (a, b):
        if f.memory_error:
            rows.append((translate("Compare", "Memory of {0}").format(f.label), f.memory_error, "", ""))
    return rows


class ComparePanel(QtWidgets.QWidget):
    pin_requested = Signal(object)
    """A ``ModelSource`` to pin (None: unpin)."""
    pin_current_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.picker = QtWidgets.QComboBox()
        self.picker.setObjectName("compare_picker")
        self.picker.setToolTip(self.tr("A built-in model to compare with the plan's model."))
        for p in all_presets():
            self.picker.addItem(p.name, p.name)
        pin = QtWidgets.QPushButton(self.tr("&Pin"))
        pin.setToolTip(self.tr("Compare the plan's model with the model chosen on the left."))
        pin.clicked.connect(self._on_pin_clicked)
        pin_current = QtWidgets.QPushButton(self.tr("Pin the &current model"))
        pin_current.setToolTip(self.tr("Keep the model as it is now for comparison, then edit the fields and "
                                       "watch the difference."))
        pin_current.clicked.connect(self.pin_current_requested)
        self.unpin = QtWidgets.QPushButton(self.tr("&Unpin"))
        self.unpin.setToolTip(self.tr("Stop comparing."))
        self.unpin.clicked.connect(self._on_unpin_clicked)
        controls = QtWidgets.QHBoxLayout()
        label = QtWidgets.QLabel(self.tr("Compare with:"))
        label.setBuddy(self.picker)
        controls.addWidget(label)
        controls.addWidget(self.picker, 1)
        controls.addWidget(pin)
        controls.addWidget(pin_current)
        controls.addWidget(self.unpin)
        self.status = QtWidgets.QLabel(wordWrap=True)
        self.table = QtWidgets.QTableWidget(0, 4)
        self.table.setObjectName("compare_table")
        self.table.verticalHeader().setVisible(False)
        compact_rows(self.table)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 100)
        layout.addStretch(1)
        self._rows: list[tuple[str, str, str, str]] = []
        self._headers: tuple[str, ...] = ()

    @Slot()
    def _on_pin_clicked(self) -> None:
        self.pin_requested.emit(ModelSource.preset(self.picker.currentData()))

    @Slot()
    def _on_unpin_clicked(self) -> None:
        self.pin_requested.emit(None)

    def show_figures(self, a: ModelFigures, b: ModelFigures | None, error: str | None = None) -> None:
        self.unpin.setEnabled(b is not None or bool(error))
        if b is None:
            self.status.setText(error or self.tr("No model is pinned: choose one above, or pin the current model "
                                                 "before editing it to see what your edits change."))
            self._rows, self._headers = [], ()
            self.table.setRowCount(0)
            self.table.setVisible(False)
            return
        self.status.setText(self.tr("{0} (plan) beside {1} (pinned).").format(a.label, b.label))
        index = self.picker.findData(b.label)
        if index >= 0:
            self.picker.setCurrentIndex(index)
        self.table.setVisible(True)
        self._headers = (self.tr("Quantity"), a.label, b.label, self.tr("Pinned ÷ plan"))
        self._rows = comparison_rows(a, b)
        self.table.setHorizontalHeaderLabels(list(self._headers))
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            for c, text in enumerate(row):
                item = self.table.item(r, c)
                if item is None:
                    item = QtWidgets.QTableWidgetItem()
                    align = QtCore.Qt.AlignmentFlag.AlignLeft if c == 0 else QtCore.Qt.AlignmentFlag.AlignRight
                    item.setTextAlignment(align | QtCore.Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
                item.setText(text)

    def report_table(self) -> ReportTable | None:
        if not self._rows:
            return None
        return ReportTable(self.tr("Comparison"), self._headers, tuple(self._rows))
