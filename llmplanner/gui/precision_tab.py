"""The Precision tab: every weight format side by side for the plan's model — memory (weights, KV cache,
activations, overhead), the fit on the plan's hardware and the published quality cost — with memory against
context, the measured rounding error, and the per-GPU memory of the training modes.

Left: the settings (``PlanControls``) and the hardware the figures are checked against. Right: the context,
a summary of the plan's format and the pages. Everything is computed off the GUI thread:

- ``compute_precision`` (``core.format_comparison.compare_formats``) for the formats, the curves and
  training, debounced;
- ``measure`` (``core.format_errors.measure_errors``) for the rounding error, cancellable, with progress;
- ``detect_machine`` (``core.detect.detect`` without torch) once, when the plan uses this machine.

A value the engines refuse (a KV cache the runtime does not have, vLLM without a GPU, LoRA targets the model
lacks) shows its message at the field and the last figures stay on screen.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from ..core.architecture import Architecture
from ..core.errors import PlannerError
from ..core.format_comparison import (FormatComparison, HardwareLimit, adapt_to_runtime, compare_formats,
                                      plan_hardware, runtime_formats)
from ..core.format_errors import Cancelled, ErrorTable, SampleSpec, measure_errors
from ..core.formats import get_format
from ..core.plan import Plan
from ..core.report import ReportSection, ReportTable
from . import format as fmt
from .precision_charts import GIB, BarRow, FormatBarsChart, MemoryCurveChart
from .precision_controls import PlanControls, kv_title, runtime_title
from .qt import QtCore, QtGui, QtWidgets, Slot, translate
from .quant_error_panel import QuantErrorPanel
from .tabs import PlanTab
from .training_panel import TrainingPanel
from .widgets import ContextSlider, FieldMessage, compact_rows, error_color, warning_color

# -- the worker functions (pure: plain frozen dataclasses in, results out) ----------------------------------------


@dataclass(frozen=True)
class PrecisionResult:
    plan: Plan
    comparison: FormatComparison | None
    problem: str | None = None
    problem_field: str | None = None


def compute_precision(plan: Plan, arch: Architecture, detected=None, curve_formats: tuple[str, ...] | None = None
                      ) -> PrecisionResult:
    """Worker function: the comparison for ``plan``, or the engines' objection with the field it names."""
    try:
        return PrecisionResult(plan, compare_formats(plan, arch, plan_hardware(plan, arch, detected), curve_formats))
    except PlannerError as e:
        return PrecisionResult(plan, None, e.message, e.field)


def measure(spec: SampleSpec, formats: tuple[str, ...], cancel) -> ErrorTable | None:
    """Worker function: the rounding error of every format (None when cancelled)."""
    try:
        return measure_errors(spec, formats, cancel=cancel, progress=cancel.report_progress)
    except Cancelled:
        return None


_machine_lock = threading.Lock()
_machine = None


def detect_machine():
    """This machine's GPUs and RAM (``detect`` without the torch layer: NVML, Apple, psutil), once per run."""
    global _machine
    with _machine_lock:
        if _machine is None:
            from ..core.detect import detect

            _machine = detect(use_torch=False)
        return _machine


# -- how figures read ------------------------------------------------------------------------------------------

def verdict_text(fit) -> str:
    v = fit.verdict
    if v == "partial":
        return translate("PrecisionTab", "partial offload: {0} of {1} layers on the GPU").format(
            fit.gpu_layers, fit.total_layers)
    return {"fits": translate("PrecisionTab", "fits with headroom"), "tight": translate("PrecisionTab", "fits, tight"),
            "cpu": translate("PrecisionTab", "CPU only"), "no": translate("PrecisionTab", "does not fit")}[v]


def short_verdict(fit) -> str:
    v = fit.verdict
    if v == "partial":
        return translate("PrecisionTab", "partial {0}/{1}").format(fit.gpu_layers, fit.total_layers)
    return {"fits": translate("PrecisionTab", "fits"), "tight": translate("PrecisionTab", "tight"),
            "cpu": translate("PrecisionTab", "CPU only"), "no": translate("PrecisionTab", "does not fit")}[v]


def verdict_color(verdict: str) -> str:
    dark = QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Base).lightness() < 128
    good, mid, bad = ("#7bd88f", "#ffd180", "#ff8a80") if dark else ("#1b7f3b", "#8a5300", "#b71c1c")
    return {"fits": good, "tight": mid, "partial": mid, "cpu": mid}.get(verdict, bad)


def quality_text(q) -> str:
    if q is None:
        return translate("PrecisionTab", "no quality data")
    if q.delta_ppl is not None:
        return translate("PrecisionTab", "ΔPPL {0:+.3f} ({1})").format(q.delta_ppl, q.model)
    return translate("PrecisionTab", "KLD {0:.4f} ({1})").format(q.kld, q.model)


def quality_long(q) -> str:
    if q is None:
        return translate("PrecisionTab", "no published quality figure for this format")
    parts = []
    if q.delta_ppl is not None:
        parts.append(translate("PrecisionTab", "perplexity {0:+.3f}").format(q.delta_ppl))
    if q.kld is not None:
        parts.append(translate("PrecisionTab", "KL divergence {0:.4f}").format(q.kld))
    return translate("PrecisionTab", "{0} against {1}, measured on {2}").format(", ".join(parts), q.baseline, q.model)


def limit_text(limit: HardwareLimit | None) -> str:
    if limit is None:
        return ""
    if limit.kind == "ram":
        return translate("PrecisionTab", "system RAM: {0}").format(fmt.gib(limit.total_bytes))
    name = limit.name or translate("PrecisionTab", "GPU")
    if limit.count > 1:
        return translate("PrecisionTab", "{0} × {1}: {2}").format(limit.count, name, fmt.gib(limit.total_bytes))
    return translate("PrecisionTab", "{0}: {1}").format(name, fmt.gib(limit.total_bytes))


# -- the table of formats ------------------------------------------------------------------------------------------

class FormatTableModel(QtCore.QAbstractTableModel):
    """One row per format: bits, the four terms and the total in GiB, the fit and the quality cost."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.current = ""
        self.headers = [self.tr("Format"), self.tr("Bits per\nweight"), self.tr("Weights\n(GiB)"),
                        self.tr("KV cache\n(GiB)"), self.tr("Activations\n(GiB)"), self.tr("Overhead\n(GiB)"),
                        self.tr("Total\n(GiB)"), self.tr("Fit"), self.tr("ΔPPL"), self.tr("KLD"),
                        self.tr("Quality\nmeasured on")]
        self.tips = [
            self.tr("The weight format; the plan's is in bold."),
            self.tr("Weight bytes × 8 ÷ parameters for this model: scales and tensors kept in higher precision "
                    "included."),
            self.tr("The model's weights in this format."),
            self.tr("Keys and values of every token of context, for every sequence of the batch."),
            self.tr("Work buffers of one forward pass (the runtime's compute buffers)."),
            self.tr("What the runtime keeps besides (CUDA context, output buffers)."),
            self.tr("The sum of the four."),
            self.tr("Whether it fits the plan's hardware (with the runtime's reserve)."),
            self.tr("Published perplexity increase against the baseline (16-bit weights): lower is better."),
            self.tr("Published mean KL divergence of the next-token distribution from the baseline's (nats)."),
            self.tr("The model and baseline the quality figure was measured on (costs transfer only roughly)."),
        ]

    def set_rows(self, rows, current: str) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.current = current
        self.endResetModel()

    def rowCount(self, parent=QtCore.QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QtCore.QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=QtCore.Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == QtCore.Qt.Orientation.Horizontal:
            if role == QtCore.Qt.ItemDataRole.DisplayRole:
                return self.headers[section]
            if role == QtCore.Qt.ItemDataRole.ToolTipRole:
                return self.tips[section]
        return None

    def cells(self, row) -> list[str]:
        q = row.quality
        if row.memory is None:
            mem = ["–"] * 5
            fit = row.error or ""
        else:
            m = row.memory
            mem = [f"{v / GIB:,.2f}" for v in (m.weights_bytes, m.kv_cache_bytes, m.activations_bytes,
                                               m.overhead_bytes, m.total_bytes)]
            fit = short_verdict(row.fit) if row.fit is not None else "–"
        return ([row.format.label, f"{row.bits_per_weight:.2f}"] + mem + [
            fit, "–" if q is None or q.delta_ppl is None else f"{q.delta_ppl:+.4f}",
            "–" if q is None or q.kld is None else f"{q.kld:.4f}",
            self.tr("no data") if q is None else self.tr("{0} (vs {1})").format(q.model, q.baseline)])

    def data(self, index, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[index.column()]
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole:
            left = index.column() in (0, 7, 10)
            return int((QtCore.Qt.AlignmentFlag.AlignLeft if left else QtCore.Qt.AlignmentFlag.AlignRight)
                       | QtCore.Qt.AlignmentFlag.AlignVCenter)
        if role == QtCore.Qt.ItemDataRole.FontRole and row.format.id == self.current:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role == QtCore.Qt.ItemDataRole.ForegroundRole and index.column() == 7 and row.fit is not None:
            return QtGui.QBrush(QtGui.QColor(verdict_color(row.fit.verdict)))
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            if index.column() == 0:
                return row.format.description
            if index.column() >= 8 and row.quality is not None:
                return row.quality.source
            if index.column() == 7 and row.error:
                return row.error
        return None


# -- the tab ---------------------------------------------------------------------------------------------------

class SettingsScroll(QtWidgets.QScrollArea):
    """Scrolls its settings vertically only, and is never narrower than they need (so nothing is cut)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt API
        hint = super().minimumSizeHint()
        if self.widget() is None:
            return hint
        width = self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2
        return QtCore.QSize(max(hint.width(), width), hint.height())

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(self.minimumSizeHint().width(), super().sizeHint().height())


PAGE_FORMATS, PAGE_TABLE, PAGE_CURVES, PAGE_ERRORS, PAGE_TRAINING = range(5)
CONTROL_FIELDS = {"kv_format": "kv_format", "gpu": "runtime", "runtime": "runtime", "batch": "batch",
                  "mode": "mode", "lora_targets": "lora_targets", "lora_rank": "lora_rank",
                  "optimizer": "optimizer", "recompute": "recompute", "zero_stage": "zero_stage",
                  "data_parallel": "data_parallel", "training": "lora_targets"}


class PrecisionTab(PlanTab):
    tab_id = "precision"

    @classmethod
    def title(cls) -> str:
        return translate("PrecisionTab", "Precision")

    @classmethod
    def sources(cls) -> list[str]:
        return [
            translate("PrecisionTab", "Weight bytes per format: llama.cpp src/llama-quant.cpp (per-tensor recipes) "
                                      "and ggml-common.h (block sizes); bitsandbytes, AutoGPTQ and AutoAWQ buffers "
                                      "(llmplanner/core/weight_storage.py)."),
            translate("PrecisionTab", "Inference memory per runtime: llama.cpp src/llama-context.cpp, "
                                      "llama-kv-cache.cpp and ggml-backend.cpp; transformers DynamicCache and "
                                      "generation/utils.py; vLLM v1/worker/gpu_worker.py and kv_cache_utils.py; "
                                      "Ollama server/sched.go (llmplanner/core/memory/)."),
            translate("PrecisionTab", "Quality cost: llama.cpp tools/perplexity/README.md scoreboards, "
                                      "tools/quantize/quantize.cpp, Lin et al. 2023 (AWQ, arXiv:2306.00978), "
                                      "published GPTQ measurements (resources/quality.json)."),
            translate("PrecisionTab", "Measured rounding error: the reference quantisers of ggml/src/ggml-quants.c, "
                                      "bitsandbytes' NF4/FP4 codebooks (Dettmers et al. 2023, arXiv:2305.14314), the "
                                      "OCP FP8 and MX specifications (llmplanner/core/quant_sim.py)."),
            translate("PrecisionTab", "Training memory: Rajbhandari et al. 2020 (ZeRO, arXiv:1910.02054), "
                                      "Korthikanti et al. 2022 (activations, arXiv:2205.05198), Hu et al. 2021 "
                                      "(LoRA, arXiv:2106.09685), Megatron-LM theoretical_memory_usage.py (the rule "
                                      "of thumb)."),
        ]

    def __init__(self, settings=None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.result: PrecisionResult | None = None
        self._detected = None
        self._detecting = False
        self._curve_formats: tuple[str, ...] | None = None
        self._format_ids: tuple[str, ...] = ()
        self._error_inputs = None
        self._rendered: dict[int, FormatComparison] = {}
        self._status_kind = ""

        self._computation = self.make_computation(compute_precision, description=self.tr("Comparing formats…"))
        self._computation.result_ready.connect(self._on_computation_result_ready)
        self._computation.computation_failed.connect(self._on_computation_failed)
        self._errors = self.make_computation(measure, description=self.tr("Measuring quantisation error…"),
                                             debounce_ms=0, cancellable=True)
        self._errors.result_ready.connect(self._on_errors_result_ready)
        self._errors.computation_failed.connect(self._on_errors_computation_failed)
        self._errors.progress_changed.connect(self._on_errors_progress_changed)
        self._errors.busy_changed.connect(self._on_errors_busy_changed)
        self._detector = self.make_computation(detect_machine, description=self.tr("Detecting this machine…"),
                                               debounce_ms=0)
        self._detector.result_ready.connect(self._on_detector_result_ready)
        self._detector.computation_failed.connect(self._on_detector_computation_failed)

        # -- left: settings and hardware
        self.controls = PlanControls()
        self.controls.plan_changes.connect(self._on_controls_plan_changes)
        self.controls.runtime_chosen.connect(self._on_controls_runtime_chosen)
        self.hardware = QtWidgets.QLabel()
        self.hardware.setObjectName("hardware_line")
        self.hardware.setWordWrap(True)
        self.hardware.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hardware.setToolTip(self.tr("The memory the formats are checked against: the GPUs chosen in the plan, "
                                         "or this machine as detected (its GPUs, else its RAM)."))
        hw_box = QtWidgets.QGroupBox(self.tr("Hardware"))
        QtWidgets.QVBoxLayout(hw_box).addWidget(self.hardware)
        self.legend_note = QtWidgets.QLabel(self.tr(
            "All memory is in GiB (2³⁰ bytes, as nvidia-smi and operating systems count). Quality is the "
            "published perplexity increase (ΔPPL) or KL divergence against 16-bit weights, with the model it was "
            "measured on: costs transfer only roughly between models."))
        self.legend_note.setWordWrap(True)
        self.legend_note.setTextFormat(QtCore.Qt.TextFormat.RichText)
        left = QtWidgets.QWidget()
        l_layout = QtWidgets.QVBoxLayout(left)
        l_layout.setContentsMargins(0, 0, 4, 0)
        l_layout.addWidget(self.controls)
        l_layout.addWidget(hw_box)
        l_layout.addWidget(self.legend_note)
        l_layout.addStretch(1)
        scroll = SettingsScroll()
        scroll.setWidget(left)

        # -- right: context, summary, pages
        self.context = ContextSlider()
        self.context.context_changed.connect(self._on_context_context_changed)
        self.context_label = QtWidgets.QLabel(self.tr("Conte&xt:"))
        self.context_label.setBuddy(self.context.spin)
        self.context_message = FieldMessage()
        context_row = QtWidgets.QHBoxLayout()
        context_row.addWidget(self.context_label)
        context_row.addWidget(self.context, 1)

        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("precision_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("precision_status")
        self.status.setWordWrap(True)
        self.status.setVisible(False)

        self.bars = FormatBarsChart()
        self.bars.setObjectName("format_bars")
        self.bars.row_clicked.connect(self._on_bars_row_clicked)
        self.bars.tooltip_for = self._bar_tooltip
        self.table_model = FormatTableModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("format_table")
        self.table.setModel(self.table_model)
        self.table.verticalHeader().setVisible(False)
        compact_rows(self.table)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.setToolTip(self.tr("Double-click a row to make its format the plan's."))

        self.curves = MemoryCurveChart()
        self.curves.setToolTip(self.tr("Total memory as the context grows, for the formats ticked on the right; the "
                                       "dashed line is the hardware's memory, the dotted one the plan's context."))
        self.curve_list = QtWidgets.QListWidget()
        self.curve_list.setObjectName("curve_formats")
        self.curve_list.setToolTip(self.tr("Tick up to six formats to draw."))
        self.curve_list.itemChanged.connect(self._on_curve_list_item_changed)
        self.curve_reset = QtWidgets.QPushButton(self.tr("&Neighbours"))
        self.curve_reset.setToolTip(self.tr("Draw the plan's format and the formats next to it again."))
        self.curve_reset.clicked.connect(self._on_curve_reset_clicked)
        self.curve_note = QtWidgets.QLabel()
        self.curve_note.setWordWrap(True)
        self.curve_note.setVisible(False)
        side = QtWidgets.QWidget()
        side_layout = QtWidgets.QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.curve_list, 1)
        side_layout.addWidget(self.curve_reset)
        side.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 12)
        curves_page = QtWidgets.QWidget()
        c_layout = QtWidgets.QGridLayout(curves_page)
        c_layout.setContentsMargins(0, 0, 0, 0)
        c_layout.addWidget(self.curves, 0, 0)
        c_layout.addWidget(side, 0, 1)
        c_layout.addWidget(self.curve_note, 1, 0, 1, 2)
        c_layout.setColumnStretch(0, 1)

        self.errors = QuantErrorPanel()
        self.errors.measure_requested.connect(self._on_errors_measure_requested)
        self.errors.cancel_requested.connect(self._on_errors_cancel_requested)
        self.training = TrainingPanel()

        self.pages = QtWidgets.QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.bars, self.tr("&Formats"))
        self.pages.addTab(self.table, self.tr("&Table"))
        self.pages.addTab(curves_page, self.tr("Memory vs &context"))
        self.pages.addTab(self.errors, self.tr("Quantisation &error"))
        self.pages.addTab(self.training, self.tr("Trai&ning memory"))
        self.pages.setTabToolTip(PAGE_FORMATS, self.tr("Memory of every format the runtime loads, with its fit and "
                                                       "quality cost. Click a bar to use that format."))
        self.pages.setTabToolTip(PAGE_ERRORS, self.tr("Quantise a weight sample in every format and measure the "
                                                      "error."))
        self.pages.currentChanged.connect(self._on_pages_current_changed)

        right = QtWidgets.QWidget()
        r_layout = QtWidgets.QVBoxLayout(right)
        r_layout.setContentsMargins(4, 0, 0, 0)
        r_layout.addLayout(context_row)
        r_layout.addWidget(self.context_message)
        r_layout.addWidget(self.summary)
        r_layout.addWidget(self.status)
        r_layout.addWidget(self.pages, 1)

        splitter = QtWidgets.QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(splitter)
        self._set_mode_pages("inference")

    # -- the plan comes in ---------------------------------------------------------------------------------------
    def show_state(self, state) -> None:
        self.state = state
        plan = state.plan
        arch = state.model.architecture
        if arch is None:
            self._show_status(self.tr("This model's architecture is unknown (weights without a config.json): "
                                      "put its config.json beside the weights."), "error")
            return
        self.controls.show_plan(plan)
        self.context.set_values(plan.context, arch.max_context)
        training = plan.mode != "inference"
        self.context_label.setText(self.tr("Se&quence length:") if training else self.tr("Conte&xt:"))
        if plan.context > arch.max_context:
            self.context_message.show_message(self.tr(
                "The plan's context ({0} tokens) is longer than this model's maximum; figures here use {1}.").format(
                fmt.exact(plan.context), fmt.exact(arch.max_context)))
        else:
            self.context_message.clear_message()
        self._set_mode_pages(plan.mode)
        self.errors.set_model_file(plan.model.value if plan.model.kind == "safetensors" else None)
        self.errors.set_current_format(get_format(plan.weight_format).id if self._known(plan.weight_format) else "")
        if plan.hardware.source == "detected" and self._detected is None and not self._detecting:
            self._detecting = True
            self._detector.request_now()
        self._show_hardware_line(None if self.result is None or self.result.comparison is None
                                 else self.result.comparison.limit)
        self._computation.request(*self._inputs(state),
                                  description=self.tr("Comparing formats of {0}…").format(arch.name))
        if self.pages.currentIndex() == PAGE_ERRORS:
            self._maybe_measure()

    @staticmethod
    def _known(format_id: str) -> bool:
        try:
            get_format(format_id)
        except PlannerError:
            return False
        return True

    def _inputs(self, state) -> tuple:
        return (state.plan, state.model.architecture, self._detected, self._curve_formats)

    def compute_now(self) -> None:
        if self.state is None or self.state.model.architecture is None:
            return
        if self.state.plan.hardware.source == "detected" and self._detected is None:
            if self._detecting:  # started with the first state: let it finish rather than detect twice
                self._detector.wait_idle(10000)
            if self._detected is None:
                self._detector.compute_now()
        self._computation.compute_now(*self._inputs(self.state))
        self.render_pages()

    # -- edits go out ------------------------------------------------------------------------------------------
    @Slot(dict)
    def _on_controls_plan_changes(self, changes: dict) -> None:
        if self.state is None:
            return
        try:
            plan = self.state.plan.replace(**changes)
        except PlannerError as e:
            self.controls.show_problem(CONTROL_FIELDS.get(e.field or "", ""), e.message)
            return
        if plan != self.state.plan:
            self.propose(plan)

    @Slot(str)
    def _on_controls_runtime_chosen(self, runtime: str) -> None:
        if self.state is None or runtime == self.state.plan.runtime:
            return
        old = self.state.plan
        plan = adapt_to_runtime(old, runtime)
        notes = []
        if plan.weight_format != old.weight_format:
            notes.append(self.tr("{0} cannot load {1} weights: switched to {2}.").format(
                runtime_title(runtime), self._label(old.weight_format), self._label(plan.weight_format)))
        if plan.kv_format != old.kv_format:
            notes.append(self.tr("{0} has no {1} KV cache: switched to {2}.").format(
                runtime_title(runtime), kv_title(old.kv_format), kv_title(plan.kv_format)))
        if notes:
            self._show_status(" ".join(notes), "warning")
        else:
            self.status.setVisible(False)
        self._curve_formats = None
        self.propose(plan)

    @staticmethod
    def _label(format_id: str) -> str:
        try:
            return get_format(format_id).label
        except PlannerError:
            return format_id

    @Slot(int)
    def _on_context_context_changed(self, context: int) -> None:
        if self.state is not None and context != self.state.plan.context:
            self.propose(self.state.plan.replace(context=context))

    @Slot(int)
    def _on_bars_row_clicked(self, index: int) -> None:
        self._select_row(index)

    @Slot(QtCore.QModelIndex)
    def _on_table_double_clicked(self, index: QtCore.QModelIndex) -> None:
        self._select_row(index.row())

    def _select_row(self, index: int) -> None:
        if self.state is None or self.result is None or self.result.comparison is None:
            return
        rows = self.result.comparison.rows
        if 0 <= index < len(rows) and rows[index].format.id != self.state.plan.weight_format:
            self.propose(self.state.plan.replace(weight_format=rows[index].format.id))

    @Slot(QtWidgets.QListWidgetItem)
    def _on_curve_list_item_changed(self, _item) -> None:
        if getattr(self, "_filling_curve_list", False):
            return
        checked = tuple(self.curve_list.item(i).data(QtCore.Qt.ItemDataRole.UserRole)
                        for i in range(self.curve_list.count())
                        if self.curve_list.item(i).checkState() == QtCore.Qt.CheckState.Checked)
        self._curve_formats = checked[:MemoryCurveChart.MAX_CURVES] or None
        if self.state is not None:
            self._computation.request(*self._inputs(self.state))

    @Slot()
    def _on_curve_reset_clicked(self) -> None:
        self._curve_formats = None
        if self.state is not None:
            self._computation.request(*self._inputs(self.state))

    # -- quantisation error ----------------------------------------------------------------------------------
    @Slot(int)
    def _on_pages_current_changed(self, index: int) -> None:
        self.render_pages(only_visible=True)
        if index == PAGE_ERRORS:
            self._maybe_measure()

    def _measure_inputs(self, spec: SampleSpec | None = None):
        if self.state is None or self.state.model.architecture is None:
            return None
        formats = tuple(f.id for f in runtime_formats(self.state.plan.runtime, self.state.model.architecture))
        return (spec or self.errors.spec(), formats)

    def _maybe_measure(self, spec: SampleSpec | None = None, force: bool = False) -> None:
        inputs = self._measure_inputs(spec)
        if inputs is None or (not force and inputs == self._error_inputs):
            return
        self._error_inputs = inputs
        self._errors.request_now(*inputs, description=self.tr("Measuring quantisation error in {0} formats…").format(
            len(inputs[1])))

    @Slot(object)
    def _on_errors_measure_requested(self, spec: SampleSpec) -> None:
        self._maybe_measure(spec, force=True)

    @Slot()
    def _on_errors_cancel_requested(self) -> None:
        self._errors.cancel()
        self._error_inputs = None
        self.errors.show_cancelled()

    @Slot(int, int)
    def _on_errors_progress_changed(self, done: int, total: int) -> None:
        self.errors.set_progress(done, total)

    @Slot(bool)
    def _on_errors_busy_changed(self, busy: bool) -> None:
        self.errors.set_running(busy)

    @Slot(object)
    def _on_errors_result_ready(self, table: ErrorTable | None) -> None:
        if table is not None:
            self.errors.show_table(table)

    @Slot(str)
    def _on_errors_computation_failed(self, message: str) -> None:
        self._error_inputs = None
        self.errors.set_running(False)
        self.errors.show_message(message)

    def measure_now(self) -> ErrorTable | None:
        """Measure synchronously (screenshots, tests)."""
        inputs = self._measure_inputs()
        if inputs is None:
            return None
        self._error_inputs = inputs
        return self._errors.compute_now(*inputs)

    # -- detection -------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_detector_result_ready(self, machine) -> None:
        self._detected = machine
        self._detecting = False
        if self.state is not None:
            self._computation.request(*self._inputs(self.state))

    @Slot(str)
    def _on_detector_computation_failed(self, message: str) -> None:
        self._detecting = False
        self._show_status(self.tr("This machine could not be detected: {0}").format(message), "warning")

    # -- results come back -------------------------------------------------------------------------------------
    def _show_status(self, text: str, kind: str) -> None:
        """A line above the pages: an ``error`` (gone with the next good result) or a ``warning`` (stays)."""
        pal = self.status.palette()
        pal.setColor(QtGui.QPalette.ColorRole.WindowText, error_color() if kind == "error" else warning_color())
        self.status.setPalette(pal)
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self._status_kind = kind

    @Slot(str)
    def _on_computation_failed(self, message: str) -> None:
        self._show_status(message, "error")

    @Slot(object)
    def _on_computation_result_ready(self, result: PrecisionResult) -> None:
        if result.problem is not None:
            field = CONTROL_FIELDS.get(result.problem_field or "")
            problem = result.problem
            if result.problem_field == "gpu" and result.plan.runtime == "vllm":
                problem = self.tr("vLLM needs a GPU: choose GPUs for the plan, or another runtime. The figures "
                                  "shown are for the last settings that worked.")
            if result.problem_field == "context":
                self.context_message.show_message(problem)
            elif not (field and self.controls.show_problem(field, problem)):
                self._show_status(problem, "error")
            return
        self.result = result
        self.controls.clear_problems(keep=("kv_format",) if self.controls.messages["kv_format"].isVisible()
                                     and self.controls.kv.currentData() != result.plan.kv_format.lower() else ())
        if self._status_kind == "error":
            self.status.setVisible(False)
        c = result.comparison
        self._show_hardware_line(c.limit)
        if result.plan.mode != "inference":
            self._show_training(c)
        else:
            self._show_summary(c)
            self.render_pages(only_visible=True)

    def render_pages(self, only_visible: bool = False) -> None:
        """Bring the format pages up to the latest result; with ``only_visible`` just the page on screen
        (the others follow when they are shown: a drag then redraws one chart, not three)."""
        if self.result is None or self.result.comparison is None or self.result.plan.mode != "inference":
            return
        c = self.result.comparison
        for page, render in ((PAGE_FORMATS, self._show_bars), (PAGE_TABLE, self._show_table),
                             (PAGE_CURVES, self._show_curves)):
            if self._rendered.get(page) is c:
                continue
            if only_visible and not (self.isVisible() and self.pages.currentIndex() == page):
                continue
            render(c)
            self._rendered[page] = c

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.render_pages(only_visible=True)

    def _show_hardware_line(self, limit: HardwareLimit | None) -> None:
        plan = self.state.plan if self.state is not None else None
        if plan is not None and plan.hardware.source == "detected" and self._detected is None:
            text = self.tr("Detecting this machine…")
        elif limit is None:
            text = self.tr("No hardware chosen: the figures are not checked against any memory.")
        elif limit.source == "detected":
            text = (self.tr("This machine, as detected: no GPU found, so the model runs from system RAM ({0}).")
                    .format(fmt.gib(limit.total_bytes)) if limit.kind == "ram" else
                    self.tr("This machine, as detected: {0}.").format(limit_text(limit)))
        else:
            text = (self.tr("Chosen in the plan: system RAM {0}.").format(fmt.gib(limit.total_bytes))
                    if limit.kind == "ram" else self.tr("Chosen in the plan: {0}.").format(limit_text(limit)))
        self.hardware.setText(text)

    def _set_mode_pages(self, mode: str) -> None:
        """Training shows its own page; the format pages are for inference. The page the user is on stays
        when it still applies (disabling the current tab would otherwise move to the next one)."""
        training = mode != "inference"
        current = self.pages.currentIndex()
        own = PAGE_TRAINING if training else PAGE_FORMATS
        self.pages.setTabEnabled(own, True)
        if current != PAGE_ERRORS and not self.pages.isTabEnabled(current) or \
                (training and current in (PAGE_FORMATS, PAGE_TABLE, PAGE_CURVES)) or \
                (not training and current == PAGE_TRAINING):
            self.pages.setCurrentIndex(own)
        for page in (PAGE_FORMATS, PAGE_TABLE, PAGE_CURVES):
            self.pages.setTabEnabled(page, not training)
        self.pages.setTabEnabled(PAGE_TRAINING, training)

    def _show_training(self, c: FormatComparison) -> None:
        m = c.training
        gpu = c.limit.per_device_bytes if c.limit is not None and c.limit.kind == "gpu" else None
        label = limit_text(HardwareLimit(c.limit.name, "gpu", 1, gpu, c.limit.source)) if gpu else ""
        self.training.show_memory(m, gpu, label)
        setup = m.setup
        what = {"full": self.tr("Full fine-tuning"), "lora": self.tr("LoRA"), "qlora": self.tr("QLoRA")}[setup.mode]
        fits = ""
        if gpu:
            ok = m.total_bytes <= gpu
            fits = (self.tr(" — <span style='color:{0}'>fits one GPU of {1}</span>") if ok else
                    self.tr(" — <span style='color:{0}'>more than one GPU's {1}</span>")).format(
                verdict_color("fits" if ok else "no"), fmt.gib(gpu))
        self.summary.setText(self.tr("<b>{0}</b> of {1}: <b>{2} per GPU</b> on {3} GPU(s), sequences of {4} "
                                     "tokens, micro-batch {5}{6}. {7} of {8} parameters are trained.").format(
            what, c.arch.name, fmt.gib(m.total_bytes), setup.data_parallel, fmt.exact(setup.seq_len),
            setup.micro_batch, fits, fmt.short_count(m.trainable_params), fmt.short_count(m.all_params)))

    def _show_table(self, c: FormatComparison) -> None:
        self.table_model.set_rows(c.rows, c.current.format.id if c.current is not None else "")

    def _show_bars(self, c: FormatComparison) -> None:
        current = c.current.format.id if c.current is not None else ""
        limit_gib = c.limit.total_bytes / GIB if c.limit is not None else None
        bar_rows, current_index = [], -1
        sep = ("  ·  ", "")
        for i, row in enumerate(c.rows):
            if row.format.id == current:
                current_index = i
            if row.memory is None:
                bar_rows.append(BarRow(row.format.label, (0.0, 0.0, 0.0, 0.0), ((row.error or "", ""),)))
                continue
            m = row.memory
            values = (m.weights_bytes / GIB, m.kv_cache_bytes / GIB, m.activations_bytes / GIB,
                      m.overhead_bytes / GIB)
            segments = [(fmt.gib(m.total_bytes), "")]
            if row.fit is not None:
                segments += [sep, (short_verdict(row.fit), verdict_color(row.fit.verdict))]
            segments += [sep, (quality_text(row.quality), "")]
            bar_rows.append(BarRow(row.format.label, values, tuple(segments)))
        self.bars.set_rows(bar_rows, current_index, limit_gib, limit_text(c.limit))

    def _bar_tooltip(self, index: int) -> str:
        c = self.result.comparison if self.result is not None else None
        if c is None or not 0 <= index < len(c.rows):
            return ""
        row = c.rows[index]
        if row.memory is None:
            return row.error or ""
        m = row.memory
        return self.tr("{0} ({1:.2f} bits per weight): weights {2}, KV cache {3}, activations {4}, overhead {5}; "
                       "total {6}. Quality: {7}. Click to use this format.").format(
            row.format.label, row.bits_per_weight, fmt.gib(m.weights_bytes), fmt.gib(m.kv_cache_bytes),
            fmt.gib(m.activations_bytes), fmt.gib(m.overhead_bytes), fmt.gib(m.total_bytes),
            quality_long(row.quality))

    def _show_curves(self, c: FormatComparison) -> None:
        limit_gib = c.limit.total_bytes / GIB if c.limit is not None else None
        ids = tuple(r.format.id for r in c.rows)
        shown = tuple(fc.format.id for fc in c.curves)
        self._filling_curve_list = True
        try:
            if ids != self._format_ids:
                self.curve_list.clear()
                for r in c.rows:
                    item = QtWidgets.QListWidgetItem(r.format.label)
                    item.setData(QtCore.Qt.ItemDataRole.UserRole, r.format.id)
                    item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
                    self.curve_list.addItem(item)
                self._format_ids = ids
            for i in range(self.curve_list.count()):
                item = self.curve_list.item(i)
                on = item.data(QtCore.Qt.ItemDataRole.UserRole) in shown
                item.setCheckState(QtCore.Qt.CheckState.Checked if on else QtCore.Qt.CheckState.Unchecked)
        finally:
            self._filling_curve_list = False
        series = [(fc.format.label, fc.curve.contexts, fc.curve.total / GIB) for fc in c.curves]
        current = next((k for k, fc in enumerate(c.curves)
                        if c.current is not None and fc.format.id == c.current.format.id), -1)
        self.curves.set_curves(series, c.context, self.tr("{0} tokens").format(fmt.exact(c.context)), limit_gib,
                               limit_text(c.limit), current)
        self.curve_note.setText(c.curve_error or "")
        self.curve_note.setVisible(bool(c.curve_error))

    def _show_summary(self, c: FormatComparison) -> None:
        plan = c.plan
        row = c.current
        where = self.tr("{0} at {1} tokens × {2} sequence(s), KV cache {3}").format(
            runtime_title(plan.runtime), fmt.exact(c.context), plan.batch, kv_title(plan.kv_format))
        if row is None or row.memory is None:
            self.summary.setText(self.tr("{0} cannot load the plan's format {1}; click a bar to choose one it "
                                         "can. ({2})").format(runtime_title(plan.runtime),
                                                              self._label(plan.weight_format), where))
            return
        m = row.memory
        fit = ""
        if row.fit is not None:
            fit = self.tr(" — <span style='color:{0}'>{1}</span> on {2}").format(
                verdict_color(row.fit.verdict), verdict_text(row.fit), limit_text(c.limit))
        notes = "".join(f"<br><small>{n}</small>" for n in m.notes[:2])
        vllm = m.extra.get("vllm") if isinstance(m.extra, dict) else None
        if vllm:
            notes += "<br><small>" + self.tr(
                "vLLM takes {0:.0%} of each GPU up front and gives what weights and activations leave to its KV cache "
                "pool ({1}); one sequence of this context needs {2}, so about {3:,.0f} run at once.").format(
                vllm["gpu_memory_utilization"], fmt.gib(vllm["kv_pool_bytes"]), fmt.gib(vllm["request_kv_bytes"]),
                vllm["max_concurrency"]) + "</small>"
        self.summary.setText(self.tr(
            "<b>{0}</b> (the plan's format, {1:.2f} bits per weight): <b>{2}</b> in total{3}. {4}. Quality: {5}. "
            "<i>Click a bar to use another format.</i>{6}").format(
            row.format.label, row.bits_per_weight, fmt.gib(m.total_bytes), fit, where, quality_long(row.quality),
            notes))

    # -- export ------------------------------------------------------------------------------------------------
    def report_sections(self) -> list[ReportSection]:
        if self.result is None or self.result.comparison is None:
            return []
        c = self.result.comparison
        plan = c.plan
        lines = [self.tr("Runtime {0}, context {1} tokens, batch {2}, KV cache {3}, mode {4}").format(
            runtime_title(plan.runtime), fmt.exact(c.context), plan.batch, kv_title(plan.kv_format), plan.mode),
            self.tr("Hardware: {0}").format(limit_text(c.limit) or self.tr("none chosen")),
            self.tr("All memory in GiB (2³⁰ bytes).")]
        tables = []
        if c.rows:
            tables.append(ReportTable(self.tr("Memory by format"),
                                      tuple(h.replace("\n", " ") for h in self.table_model.headers),
                                      tuple(tuple(self.table_model.cells(r)) for r in c.rows)))
        if c.training is not None:
            v = self.training
            names = [v.table.item(r, 0).text() for r in range(v.table.rowCount())]
            cells = [v.table.item(r, 1).text() for r in range(v.table.rowCount())]
            tables.append(ReportTable(self.tr("Training memory per GPU"), (self.tr("Per GPU"), self.tr("Memory")),
                                      tuple(zip(names, cells))))
        table = self.errors.table_data
        if table is not None:
            rows = []
            for r in table.rows:
                res = r.result
                rows.append((r.format.label, "–" if res is None else f"{res.rmse:.4e}",
                             "–" if res is None else ("inf" if res.sqnr_db == float("inf") else f"{res.sqnr_db:.2f}"),
                             r.error or (res.note if res is not None else "")))
            tables.append(ReportTable(self.tr("Measured quantisation error ({0})").format(table.sample.description),
                                      (self.tr("Format"), self.tr("RMSE"), self.tr("SQNR (dB)"), self.tr("Note")),
                                      tuple(rows)))
        return [ReportSection(self.tr("Precision"), tuple(lines), tuple(tables))]

    def chart_widgets(self) -> dict[str, QtWidgets.QWidget]:
        self.render_pages()
        return {"formats": self.bars, "memory-vs-context": self.curves, "quantisation-error": self.errors.histogram,
                "training": self.training.chart}

