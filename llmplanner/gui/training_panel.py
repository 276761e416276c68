"""Training memory per GPU (weights, gradients, optimizer states, activations, overhead) and the rule of thumb
beside it, with what the rule assumes and where this setup departs from it (``core.training``)."""
from __future__ import annotations

from ..core.training.memory import RULE_OF_THUMB_BYTES_PER_PARAM, RULE_OF_THUMB_HEADROOM
from . import format as fmt
from .precision_charts import GIB, TrainingChart
from .qt import QtCore, QtWidgets
from .widgets import compact_rows


class TrainingPanel(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.memory = None
        self.chart = TrainingChart()
        self.chart.setToolTip(self.tr("What one GPU holds at the peak of a training step, in GiB; the dashed line "
                                      "is one GPU's memory."))
        self.table = QtWidgets.QTableWidget(7, 2)
        self.table.setObjectName("training_table")
        self.table.setHorizontalHeaderLabels([self.tr("Per GPU"), self.tr("Memory")])
        self.table.verticalHeader().setVisible(False)
        compact_rows(self.table)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        names = [self.tr("Weights"), self.tr("Gradients"), self.tr("Optimizer states"), self.tr("Activations"),
                 self.tr("Overhead"), self.tr("Total"), self.tr("Trainable parameters")]
        tips = [
            self.tr("The model's weights this GPU holds: 16-bit under mixed precision; QLoRA's base in NF4."),
            self.tr("One gradient per trained weight, in the training dtype (only the adapters' for LoRA)."),
            self.tr("The optimizer's state per trained weight plus the fp32 master copy of mixed precision."),
            self.tr("What the forward pass keeps for the backward pass (Korthikanti et al. 2022, per layer)."),
            self.tr("Buffers beyond those: ZeRO-3's gathered layer, QLoRA's dequantised weight."),
            self.tr("The sum: what one GPU needs."),
            self.tr("Weights the optimizer updates."),
        ]
        for r, (name, tip) in enumerate(zip(names, tips)):
            a = QtWidgets.QTableWidgetItem(name)
            a.setToolTip(tip)
            b = QtWidgets.QTableWidgetItem("–")
            b.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 0, a)
            self.table.setItem(r, 1, b)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMaximumHeight((self.table.fontMetrics().height() + 8) * 9)
        self.rule = QtWidgets.QLabel()
        self.rule.setObjectName("rule_of_thumb")
        self.rule.setWordWrap(True)
        self.rule.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rule.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        rule_scroll = QtWidgets.QScrollArea()
        rule_scroll.setWidget(self.rule)
        rule_scroll.setWidgetResizable(True)
        rule_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        side = QtWidgets.QWidget()
        s = QtWidgets.QVBoxLayout(side)
        s.setContentsMargins(0, 0, 0, 0)
        s.addWidget(self.table)
        s.addWidget(rule_scroll, 1)
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        split.addWidget(self.chart)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        em = self.fontMetrics().horizontalAdvance("M")
        split.setSizes([em * 44, em * 32])
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def values(self) -> dict[str, int]:
        m = self.memory
        return {"weights": m.weights_bytes, "gradients": m.gradients_bytes, "optimizer": m.optimizer_bytes,
                "activations": m.activations_bytes, "overhead": m.overhead_bytes, "total": m.total_bytes}

    def show_memory(self, memory, gpu_bytes: int | None, gpu_label: str) -> None:
        """``memory``: a ``TrainingMemory``; ``gpu_bytes``: one GPU's memory for the line (None: no GPU)."""
        self.memory = memory
        v = self.values()
        parts = [v["weights"], v["gradients"], v["optimizer"], v["activations"], v["overhead"]]
        self.chart.set_values([p / GIB for p in parts], [" " + fmt.gib(p) for p in parts],
                              None if gpu_bytes is None else gpu_bytes / GIB, gpu_label)
        cells = [fmt.gib(p) for p in parts] + [fmt.gib(v["total"]), fmt.exact(memory.trainable_params)]
        for r, text in enumerate(cells):
            self.table.item(r, 1).setText(text)
        self.rule.setText(self.explanation(memory))

    def explanation(self, m) -> str:
        s = m.setup
        params = m.all_params - (m.trainable_params if s.mode != "full" else 0)
        rule = params * RULE_OF_THUMB_BYTES_PER_PARAM * RULE_OF_THUMB_HEADROOM
        head = self.tr("<b>Rule of thumb:</b> {0} parameters × {1} bytes × {2} = <b>{3}</b>").format(
            fmt.short_count(params), RULE_OF_THUMB_BYTES_PER_PARAM, RULE_OF_THUMB_HEADROOM, fmt.gib(rule))
        if s.gpu_memory_bytes:
            head += self.tr(", or {0:.1f} GPUs of {1}").format(rule / s.gpu_memory_bytes, fmt.gib(s.gpu_memory_bytes))
        paragraphs = [head + ".",
                      self.tr("The {0} bytes per parameter are full mixed-precision Adam as Megatron-LM counts it: 2 "
                              "(bf16 weights) + 4 (fp32 gradients) + 12 (fp32 master weights and Adam's two "
                              "moments); the {1} adds a flat 25% for everything else.").format(
                          RULE_OF_THUMB_BYTES_PER_PARAM, RULE_OF_THUMB_HEADROOM),
                      self.tr("<b>This estimate:</b> {0} of weights, gradients and optimizer states and {1} of "
                              "activations per GPU, for a micro-batch of {2} × {3} tokens. Activations are not a "
                              "flat 25%: they grow with the micro-batch and the sequence length and shrink with "
                              "recomputation.").format(
                          fmt.gib(m.model_states_bytes), fmt.gib(m.activations_bytes), s.micro_batch,
                          fmt.exact(s.seq_len))]
        if s.mode != "full":
            paragraphs.append(self.tr("The rule assumes every weight is trained; LoRA and QLoRA train only the "
                                      "adapters on a frozen base, so it overstates them by far."))
        if s.zero_stage:
            paragraphs.append(self.tr("ZeRO stage {0} splits {1} among the {2} data-parallel GPUs, which a per-GPU "
                                      "rule cannot express.").format(
                s.zero_stage, {1: self.tr("the optimizer states"), 2: self.tr("optimizer states and gradients"),
                               3: self.tr("optimizer states, gradients and weights")}[s.zero_stage],
                s.data_parallel))
        if m.detailed_gpus is not None:
            paragraphs.append(self.tr("<b>Fewest GPUs of this size that fit this setup:</b> {0}.").format(
                m.detailed_gpus))
        elif s.gpu_memory_bytes:
            paragraphs.append(self.tr("<b>No number of these GPUs fits this setup</b>: with ZeRO stage 0 every GPU "
                                      "holds a full copy; ZeRO, recomputation or a smaller micro-batch would help.")
                              if s.zero_stage == 0 else
                              self.tr("<b>No number of these GPUs fits this setup</b>: one micro-batch's "
                                      "activations alone do not fit."))
        if m.optimizer_paged:
            paragraphs.append(self.tr("QLoRA pages its optimizer states to CPU memory under pressure."))
        paragraphs.append(self.tr("Not included: the CUDA context and library workspaces, allocator "
                                  "fragmentation, communication buckets, optimizer-step temporaries."))
        return "".join(f"<p>{p}</p>" for p in paragraphs)
