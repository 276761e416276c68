"""The Hardware tab: will the plan's model run here — which tier this machine is, what fits at which speed,
the command to run it, and a measurement that checks the estimate.

Left: this machine (detected in a worker on a thread pool of its own, once per session: the torch probe takes
seconds) and the "what if" machine picked from the catalogue. Right: the best choice with its reason and the
pages — every format's verdict, the commands, what fits, the two machines side by side, the tiers' advice
checked against our numbers, the multi-GPU layout and the smallest hardware for a speed, and the measured
check. Every number comes from the core engines (``core.recommend``, ``core.what_fits``, ``core.tier_advice``,
``core.layouts``, ``core.hardware_search``, ``core.commands``), computed on workers.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..core.commands import commands_for, model_ref
from ..core.errors import PlannerError
from ..core.estimate import HardwareChoice as EngineHardware
from ..core.plan import GpuPick, estimate_request
from ..core.plan import HardwareChoice as PlanHardware
from ..core.formats import get_format
from ..core.recommend import READING_TOKENS_PER_S
from ..core.report import ReportSection, ReportTable
from ..core.tiers import GB
from ..core.what_fits import USES
from . import format as fmt
from .check_panel import CheckPanel
from .commands_panel import CommandsPanel
from .hardware_jobs import (HardwareResult, WhatIf, detect_machine, known_machine, recommend_job, scale_out_job,
                            this_target, tiers_job, what_fits_job, what_if_from_plan, what_if_target)
from .hardware_tables import (RIGHT, Cell, Row, RowsTable, context_tokens, format_columns, format_rows,
                              tokens_per_s, verdict_text)
from .machine_panel import MachinePanel
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot, translate
from .tabs import PlanTab
from .widgets import ContextSlider, warning_color
from .workers import Computation

_DETECTION_POOL: QtCore.QThreadPool | None = None


def detection_pool() -> QtCore.QThreadPool:
    """One thread for detection, apart from the shared pool: the torch probe's seconds never hold up another
    tab's computation."""
    global _DETECTION_POOL
    if _DETECTION_POOL is None:
        _DETECTION_POOL = QtCore.QThreadPool()
        _DETECTION_POOL.setMaxThreadCount(1)
    return _DETECTION_POOL


def use_title(tag: str) -> str:
    """A preset tag (``presets.TAGS``) for display."""
    return {"chat": translate("HardwareTab", "Chat"), "code": translate("HardwareTab", "Code"),
            "reasoning": translate("HardwareTab", "Reasoning"),
            "long-context": translate("HardwareTab", "Long context"),
            "multimodal": translate("HardwareTab", "Multimodal"), "moe": translate("HardwareTab", "MoE"),
            "small": translate("HardwareTab", "Small")}.get(tag, tag)


@dataclass(frozen=True)
class Inputs:
    """Everything the computations need, built on the GUI thread from the plan (cheap, plain data)."""

    base: object
    """The plan's ``EstimateRequest`` (inference)."""
    machine: object
    what_if: WhatIf
    plan_for: str


def _targets(inputs: Inputs):
    """(the machine planned for, the other one) — built on the worker (catalogue look-ups)."""
    this = this_target(inputs.machine, inputs.what_if.host)
    other = what_if_target(inputs.what_if)
    if inputs.plan_for == "catalogue" or this is None:
        return other, this
    return this, other


def compute_recommendation(inputs: Inputs, *, cancel=None):
    primary, other = _targets(inputs)
    return recommend_job(inputs.base, primary, other, cancel=cancel)


def compute_what_fits(inputs: Inputs, tags: tuple[str, ...], *, cancel=None):
    primary, _other = _targets(inputs)
    return what_fits_job(inputs.base, primary, tags, cancel=cancel)


def compute_scale_out(inputs: Inputs, fmt_id: str, tokens_per_s: float):
    primary, other = _targets(inputs)
    gpu, memory = None, None
    for t in (primary, other):
        acc = t.accelerator if t is not None else None
        if acc is not None and acc.kind == "gpu":
            gpu, memory = acc.name, t.gpu_memory_bytes
            break
    return scale_out_job(inputs.base, fmt_id, gpu, memory, tokens_per_s)


class HardwareTab(PlanTab):
    tab_id = "hardware"
    machine_detected = Signal(object)
    """This machine's ``MachineInfo`` arrived."""

    @classmethod
    def title(cls) -> str:
        return translate("HardwareTab", "Hardware")

    @classmethod
    def sources(cls) -> list[str]:
        return [
            translate("HardwareTab", "Reading speed: Brysbaert 2019, How many words do we read per minute? "
                                     "(Journal of Memory and Language 109, 104047): 238 words/min; OpenAI: a token "
                                     "is about 3/4 of an English word."),
            translate("HardwareTab", "4-bit weights as the sweet spot: Dettmers & Zettlemoyer 2023, The case for "
                                     "4-bit precision: k-bit Inference Scaling Laws (arXiv:2212.09720)."),
            translate("HardwareTab", "Multi-GPU layouts: vLLM ModelConfig.verify_with_parallel_config (heads "
                                     "divisible by the tensor-parallel size), llama.cpp tools/rpc/README.md."),
            translate("HardwareTab", "Commands: llama.cpp tools/server/README.md and common/arg.cpp, Ollama "
                                     "docs/modelfile.md and docs/faq.md, vLLM engine arguments, transformers "
                                     "quantization/bitsandbytes."),
        ]

    def __init__(self, settings=None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.machine = known_machine()
        self.result: HardwareResult | None = None
        self.fits = None
        self.tiers = None
        self.scale = None
        self._selected: str | None = None
        self._inputs: Inputs | None = None
        self._host: str | None = None
        self._shown_base = None

        self._detect = Computation(detect_machine, description=self.tr("Detecting this machine…"), debounce_ms=0,
                                   pool=detection_pool(), parent=self)
        self._detect.activity_changed.connect(self._on_computation_activity_changed)
        self._computations.append(self._detect)
        self._detect.result_ready.connect(self._on_detect_result_ready)
        self._detect.computation_failed.connect(self._on_detect_computation_failed)
        self._recommend = self.make_computation(compute_recommendation, cancellable=True,
                                                description=self.tr("Recommending formats…"))
        self._recommend.result_ready.connect(self._on_recommend_result_ready)
        self._recommend.computation_failed.connect(self._on_computation_failed)
        self._what_fits = self.make_computation(compute_what_fits, cancellable=True, debounce_ms=150,
                                                description=self.tr("Ranking what fits…"))
        self._what_fits.result_ready.connect(self._on_what_fits_result_ready)
        self._what_fits.computation_failed.connect(self._on_computation_failed)
        self._tiers = self.make_computation(tiers_job, debounce_ms=150,
                                            description=self.tr("Checking the tiers' advice…"))
        self._tiers.result_ready.connect(self._on_tiers_result_ready)
        self._tiers.computation_failed.connect(self._on_computation_failed)
        self._scale = self.make_computation(compute_scale_out, debounce_ms=150,
                                            description=self.tr("Searching layouts and hardware…"))
        self._scale.result_ready.connect(self._on_scale_result_ready)
        self._scale.computation_failed.connect(self._on_computation_failed)

        # -- left: the machines
        self.machine_panel = MachinePanel()
        self.machine_panel.detect_requested.connect(self._on_machine_panel_detect_requested)
        self.machine_panel.what_if_changed.connect(self._on_machine_panel_what_if_changed)
        self.machine_panel.plan_for_changed.connect(self._on_machine_panel_plan_for_changed)
        self.machine_panel.host_changed.connect(self._on_machine_panel_host_changed)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(self.machine_panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 28)

        # -- right: runtime, context, the best choice, the pages
        self.runtime_combo = QtWidgets.QComboBox()
        self.runtime_combo.setObjectName("runtime_combo")
        from ..core.plan import RUNTIMES

        for r in RUNTIMES:
            self.runtime_combo.addItem(r, r)
        self.runtime_combo.setToolTip(self.tr("The runtime whose memory and speed are estimated: llama.cpp and "
                                              "Ollama load GGUF files, vLLM and transformers Hugging Face "
                                              "checkpoints."))
        self.runtime_combo.currentIndexChanged.connect(self._on_runtime_combo_changed)
        self.context = ContextSlider()
        self.context.context_changed.connect(self._on_context_context_changed)
        top = QtWidgets.QHBoxLayout()
        runtime_label = QtWidgets.QLabel(self.tr("R&untime:"))
        runtime_label.setBuddy(self.runtime_combo)
        context_label = QtWidgets.QLabel(self.tr("Conte&xt:"))
        context_label.setBuddy(self.context.spin)
        top.addWidget(runtime_label)
        top.addWidget(self.runtime_combo)
        top.addSpacing(12)
        top.addWidget(context_label)
        top.addWidget(self.context, 1)

        self.best_frame = QtWidgets.QFrame()
        self.best_frame.setObjectName("best_frame")
        self.best_frame.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.best_frame.setAutoFillBackground(True)
        self.best_label = QtWidgets.QLabel(self.tr("Waiting for this machine…"))
        self.best_label.setObjectName("best_label")
        self.best_label.setWordWrap(True)
        self.best_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.best_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.best_label.setFont(font)
        self.alt_label = QtWidgets.QLabel()
        self.alt_label.setWordWrap(True)
        self.for_label = QtWidgets.QLabel()
        self.for_label.setObjectName("for_label")
        self.for_label.setWordWrap(True)
        best = QtWidgets.QVBoxLayout(self.best_frame)
        best.setSpacing(2)
        best.addWidget(self.for_label)
        best.addWidget(self.best_label)
        best.addWidget(self.alt_label)
        self._tint(self.best_frame)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setVisible(False)

        self.pages = QtWidgets.QTabWidget()
        self.pages.setDocumentMode(True)
        self.formats_table = RowsTable(format_columns(), stretch=1)
        self.formats_table.setObjectName("formats_table")
        self.formats_table.selectionModel().selectionChanged.connect(self._on_formats_selection_changed)
        self.use_button = QtWidgets.QPushButton(self.tr("&Use this format in the plan"))
        self.use_button.setObjectName("use_format")
        self.use_button.setToolTip(self.tr("Make the selected format the plan's weight format (the other tabs "
                                           "follow)."))
        self.use_button.clicked.connect(self._on_use_button_clicked)
        self.formats_note = QtWidgets.QLabel()
        self.formats_note.setWordWrap(True)
        formats = QtWidgets.QWidget()
        f_layout = QtWidgets.QVBoxLayout(formats)
        f_layout.setContentsMargins(0, 4, 0, 0)
        f_layout.addWidget(self.formats_table, 1)
        f_row = QtWidgets.QHBoxLayout()
        f_row.addWidget(self.formats_note, 1)
        f_row.addWidget(self.use_button)
        f_layout.addLayout(f_row)
        self.pages.addTab(formats, self.tr("&Formats"))

        self.commands = CommandsPanel()
        self.commands.copied.connect(self._on_commands_copied)
        self.pages.addTab(self.commands, self.tr("Co&mmands"))

        self.fits_table = RowsTable([
            (self.tr("Model"), self.tr("Built-in presets that can hold the context.")),
            (self.tr("Parameters"), self.tr("Total parameters (billions).")),
            (self.tr("Format"), self.tr("The best format for this machine (as on the Formats page).")),
            (self.tr("Verdict"), ""), (self.tr("Memory"), self.tr("GiB, everything the runtime allocates.")),
            (self.tr("Decode"), self.tr("Generated tokens per second.")),
            (self.tr("Uses"), self.tr("The preset's tags."))], stretch=6)
        self.fits_table.setObjectName("fits_table")
        self.use_boxes: dict[str, QtWidgets.QCheckBox] = {}
        filters = QtWidgets.QHBoxLayout()
        filters.addWidget(QtWidgets.QLabel(self.tr("Only for:")))
        for tag in USES:
            box = QtWidgets.QCheckBox(use_title(tag))
            box.setToolTip(self.tr("Show only presets tagged '{0}' (several boxes: any of them).").format(tag))
            box.toggled.connect(self._on_use_box_toggled)
            self.use_boxes[tag] = box
            filters.addWidget(box)
        filters.addStretch(1)
        self.fits_note = QtWidgets.QLabel()
        self.fits_note.setWordWrap(True)
        fits = QtWidgets.QWidget()
        fl = QtWidgets.QVBoxLayout(fits)
        fl.setContentsMargins(0, 4, 0, 0)
        fl.addLayout(filters)
        fl.addWidget(self.fits_table, 1)
        fl.addWidget(self.fits_note)
        self.pages.addTab(fits, self.tr("What &fits"))

        self.compare_table = RowsTable([(self.tr("Quantity"), ""), (self.tr("This machine"), ""),
                                        (self.tr("What if"), "")], stretch=2)
        self.compare_table.setObjectName("compare_table")
        self.pages.addTab(self.compare_table, self.tr("Com&pare"))

        self.tiers_table = RowsTable([
            (self.tr("Tier"), self.tr("By usable accelerator memory; see the rule on the left.")),
            (self.tr("Common advice"), ""),
            (self.tr("Advice checked"), self.tr("The advised model on the tier's smallest machine (from the "
                                                "catalogue), at the plan's runtime and context, at 4 bits.")),
            (self.tr("Largest at 4 bits"), self.tr("The largest preset that meets the tier's test on its smallest "
                                                   "→ largest machine.")),
            (self.tr("Our numbers"), "")], stretch=3)
        self.tiers_table.setObjectName("tiers_table")
        self.tiers_table.setWordWrap(True)
        for column in (1, 2, 3):
            self.tiers_table.horizontalHeader().setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.tiers_note = QtWidgets.QLabel()
        self.tiers_note.setWordWrap(True)
        tiers = QtWidgets.QWidget()
        tl = QtWidgets.QVBoxLayout(tiers)
        tl.setContentsMargins(0, 4, 0, 0)
        tl.addWidget(self.tiers_table, 1)
        tl.addWidget(self.tiers_note)
        self.pages.addTab(tiers, self.tr("&Tiers"))

        self.layout_label = QtWidgets.QLabel()
        self.layout_label.setObjectName("layout_label")
        self.layout_label.setWordWrap(True)
        self.speed_spin = QtWidgets.QDoubleSpinBox()
        self.speed_spin.setObjectName("target_speed")
        self.speed_spin.setRange(0.5, 10000)
        self.speed_spin.setDecimals(1)
        self.speed_spin.setValue(20.0)
        self.speed_spin.setSuffix(self.tr(" tokens/s"))
        self.speed_spin.setKeyboardTracking(False)
        self.speed_spin.setToolTip(self.tr("Decode speed to reach (generated tokens per second)."))
        self.speed_spin.valueChanged.connect(self._on_speed_spin_changed)
        self.speed_table = RowsTable([
            (self.tr("Device"), ""), (self.tr("Tier"), ""),
            (self.tr("Memory"), self.tr("What the plan can use: GPU memory, the Apple GPU's share, or RAM (GiB).")),
            (self.tr("Decode"), ""), (self.tr("Prefill"), "")], stretch=0)
        self.speed_table.setObjectName("speed_table")
        scale = QtWidgets.QWidget()
        sl = QtWidgets.QVBoxLayout(scale)
        sl.setContentsMargins(0, 4, 0, 0)
        lay_box = QtWidgets.QGroupBox(self.tr("When one GPU is not enough"))
        QtWidgets.QVBoxLayout(lay_box).addWidget(self.layout_label)
        sl.addWidget(lay_box)
        speed_box = QtWidgets.QGroupBox(self.tr("Smallest hardware for a decode speed"))
        sb = QtWidgets.QVBoxLayout(speed_box)
        row = QtWidgets.QHBoxLayout()
        speed_label = QtWidgets.QLabel(self.tr("&At least:"))
        speed_label.setBuddy(self.speed_spin)
        row.addWidget(speed_label)
        row.addWidget(self.speed_spin)
        row.addStretch(1)
        sb.addLayout(row)
        sb.addWidget(self.speed_table, 1)
        sl.addWidget(speed_box, 1)
        self.pages.addTab(scale, self.tr("&Scale out"))

        self.check = CheckPanel()
        self.check.check_done.connect(self._on_check_check_done)
        self.pages.addTab(self.check, self.tr("Chec&k"))
        # the slower pages compute when shown (the Formats page, the comparison and the commands need only the
        # recommendation); the commands of a format that does not run need the layout of Scale out
        self._page_jobs = {fits: "fits", tiers: "tiers", scale: "scale", self.commands: "scale"}
        self._stale_pages: set[str] = {"fits", "tiers", "scale"}
        self.pages.currentChanged.connect(self._on_pages_current_changed)

        right = QtWidgets.QWidget()
        r_layout = QtWidgets.QVBoxLayout(right)
        r_layout.setContentsMargins(0, 0, 0, 0)
        r_layout.addLayout(top)
        r_layout.addWidget(self.best_frame)
        r_layout.addWidget(self.status)
        r_layout.addWidget(self.pages, 1)
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([self.fontMetrics().horizontalAdvance("M") * 30, 900])
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(splitter)

        self._stale = True  # a plan arrived while hidden: computed when shown (the other tabs keep the workers)
        if self.machine is not None:
            self._show_machine(self.machine)

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802 - Qt API
        """Detection and the computations start when the tab is first shown, not at start-up: the torch probe
        costs seconds of CPU that the other tabs need more then."""
        super().showEvent(event)
        if self.machine is None and not self._detect.is_busy:
            self._detect.request_now(False)
        if self._stale and self.state is not None:
            self._request_all()

    @staticmethod
    def _tint(frame: QtWidgets.QFrame) -> None:
        pal = QtWidgets.QApplication.palette()
        base, accent = pal.color(QtGui.QPalette.ColorRole.Base), pal.color(QtGui.QPalette.ColorRole.Highlight)
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(
            int(base.red() * 0.8 + accent.red() * 0.2), int(base.green() * 0.8 + accent.green() * 0.2),
            int(base.blue() * 0.8 + accent.blue() * 0.2)))
        frame.setPalette(pal)

    # -- the plan comes in ---------------------------------------------------------------------------------------
    def show_state(self, state) -> None:
        self.state = state
        plan = state.plan
        arch = state.model.architecture
        self.runtime_combo.blockSignals(True)
        self.runtime_combo.setCurrentIndex(max(0, self.runtime_combo.findData(plan.runtime)))
        self.runtime_combo.blockSignals(False)
        self.context.set_values(plan.context, arch.max_context)
        self.machine_panel.set_plan_for(plan.hardware.source)
        if plan.hardware.source == "catalogue":
            w = what_if_from_plan(plan.hardware, self.machine_panel.host)
            if w != self.machine_panel.what_if:
                self.machine_panel.set_what_if(w)
        self.check.set_inputs(state.model, self._this_target())
        if self.isVisible():
            self._request_all()
        else:
            self._stale = True

    def _this_target(self):
        if self.machine is None:
            return None
        try:
            return this_target(self.machine, self._host)  # None: the default platform's memory system
        except PlannerError:
            return None

    def _current_inputs(self) -> Inputs | None:
        if self.state is None:
            return None
        plan = self.state.plan
        base = estimate_request(plan, self.state.model.architecture, mode="inference")
        return Inputs(base, self.machine, self.machine_panel.what_if, plan.hardware.source)

    def _waiting_for_machine(self, inputs: Inputs) -> bool:
        return inputs.plan_for == "detected" and inputs.machine is None

    def _request_all(self) -> None:
        inputs = self._current_inputs()
        if inputs is None:
            return
        self._inputs = inputs
        self._stale = False
        if self._waiting_for_machine(inputs):
            self.best_label.setText(self.tr("Detecting this machine…"))
            return
        name = inputs.base.arch.name
        self._recommend.request(inputs, description=self.tr("Recommending formats for {0}…").format(name))
        self._stale_pages = {"fits", "tiers", "scale"}
        self._request_page(self._page_jobs.get(self.pages.currentWidget()))

    def _request_page(self, page: str | None, *, now: bool = False) -> None:
        """Compute the page's figures if they are stale (``now``: on this thread)."""
        inputs = self._inputs
        if page not in self._stale_pages or inputs is None or self._waiting_for_machine(inputs):
            return
        self._stale_pages.discard(page)
        if page == "fits":
            args = (inputs, self._tags())
            comp = self._what_fits
        elif page == "tiers":
            args = (replace(inputs.base, hardware=EngineHardware()),)
            if args[0] == self._shown_base and not now:
                return
            comp = self._tiers
        else:
            fmt_id = self._selected or inputs.base.resolved().weight_format
            args = (inputs, fmt_id, self.speed_spin.value())
            comp = self._scale
        if now:
            comp.compute_now(*args)
        else:
            comp.request(*args)

    def _request_scale_out(self) -> None:
        self._stale_pages.add("scale")
        self._request_page(self._page_jobs.get(self.pages.currentWidget()))

    @Slot(int)
    def _on_pages_current_changed(self, _index: int) -> None:
        self._request_page(self._page_jobs.get(self.pages.currentWidget()))

    def _tags(self) -> tuple[str, ...]:
        return tuple(t for t, box in self.use_boxes.items() if box.isChecked())

    def compute_now(self) -> None:
        """The machine, the recommendation and the page on show, on this thread (smoke test, screenshots).
        Headless, this machine is detected without the torch probe (NVML, Apple, psutil: well under a second)
        unless the tab's own detection is already under way."""
        if self.machine is None:
            if self._detect.is_busy:
                self._detect.wait_idle(180_000)
            if self.machine is None:
                self._detect.compute_now(False, False)
        inputs = self._current_inputs()
        if inputs is None:
            return
        self._inputs = inputs
        self._stale = False
        self._recommend.compute_now(inputs)
        self._stale_pages = {"fits", "tiers", "scale"}
        self._request_page(self._page_jobs.get(self.pages.currentWidget()), now=True)

    # -- detection ---------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_detect_result_ready(self, info) -> None:
        self._show_machine(info)
        self.machine_detected.emit(info)
        if self.state is not None:
            self.check.set_inputs(self.state.model, self._this_target())
            if self.isVisible():
                self._request_all()
            else:
                self._stale = True

    def _show_machine(self, info) -> None:
        self.machine = info
        self.machine_panel.set_detecting(False)
        self.machine_panel.show_machine(info, self._this_target())

    @Slot(str)
    def _on_detect_computation_failed(self, message: str) -> None:
        self.machine_panel.set_detecting(False)
        self._show_status(self.tr("Detection failed: {0}").format(message))

    @Slot()
    def _on_machine_panel_detect_requested(self) -> None:
        self.machine_panel.set_detecting(True)
        self._detect.request_now(True)

    # -- edits go out ------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_machine_panel_what_if_changed(self, w: WhatIf) -> None:
        """The plan holds the "what if" machine only while it is the one planned for; otherwise the form is the
        tab's own and only the comparison follows it."""
        if self.state is None:
            return
        plan = self.state.plan
        if plan.hardware.source == "catalogue":
            hardware = self._catalogue_hardware(w)
            if hardware != plan.hardware:
                self.propose(plan.replace(hardware=hardware))
        else:
            self._request_all()

    @staticmethod
    def _catalogue_hardware(w: WhatIf) -> PlanHardware:
        return PlanHardware("catalogue", (GpuPick(w.gpu, w.count),) if w.gpu else (), w.ram_bytes)

    @Slot(str)
    def _on_machine_panel_plan_for_changed(self, source: str) -> None:
        if self.state is None:
            return
        plan = self.state.plan
        hardware = self._catalogue_hardware(self.machine_panel.what_if) if source == "catalogue" else PlanHardware()
        if hardware != plan.hardware:
            self.propose(plan.replace(hardware=hardware))

    @Slot(str)
    def _on_machine_panel_host_changed(self, host: str) -> None:
        self._host = host
        if self.machine is not None:
            self.machine_panel.show_machine(self.machine, self._this_target())
        if self.state is not None:
            self.check.set_inputs(self.state.model, self._this_target())
        self._request_all()

    @Slot(int)
    def _on_runtime_combo_changed(self, _index: int) -> None:
        runtime = self.runtime_combo.currentData()
        if self.state is not None and runtime != self.state.plan.runtime:
            from ..core.estimate import default_format, default_kv_format

            self.propose(self.state.plan.replace(runtime=runtime, weight_format=default_format(runtime),
                                                 kv_format=default_kv_format(runtime)))

    @Slot(int)
    def _on_context_context_changed(self, context: int) -> None:
        if self.state is not None and context != self.state.plan.context:
            self.propose(self.state.plan.replace(context=context))

    @Slot()
    def _on_use_button_clicked(self) -> None:
        key = self.formats_table.current_key()
        if key and self.state is not None and key != self.state.plan.weight_format:
            self.propose(self.state.plan.replace(weight_format=key))

    @Slot(bool)
    def _on_use_box_toggled(self, _checked: bool) -> None:
        self._stale_pages.add("fits")
        self._request_page("fits")

    @Slot(float)
    def _on_speed_spin_changed(self, _value: float) -> None:
        self._request_scale_out()

    @Slot(str)
    def _on_commands_copied(self, tool: str) -> None:
        self.activity_changed.emit(self.tr("Copied the {0} command to the clipboard").format(tool))

    @Slot(object)
    def _on_check_check_done(self, _outcome) -> None:
        self.activity_changed.emit("")

    # -- results come back -------------------------------------------------------------------------------------
    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        pal = self.status.palette()
        pal.setColor(self.status.foregroundRole(), warning_color())
        self.status.setPalette(pal)
        self.status.setVisible(bool(text))

    @Slot(str)
    def _on_computation_failed(self, message: str) -> None:
        self._show_status(message)

    @Slot(object)
    def _on_recommend_result_ready(self, result: HardwareResult) -> None:
        self.result = result
        self._show_status("")
        rec = result.recommendation
        best = rec.best.option.format if rec.best is not None else None
        self.for_label.setText(self.tr("{0} on {1} — {2}, {3}").format(
            rec.model, rec.target.label, rec.runtime, fmt.tokens(rec.context)))
        if rec.best is not None:
            self.best_label.setText(self.tr("Best: {0}").format(rec.best.reason))
        else:
            self.best_label.setText(self.tr("Nothing fits this machine at {0}: see Scale out for a layout that "
                                            "does.").format(fmt.tokens(rec.context)))
        self.alt_label.setText(self.tr("Also: {0}").format(rec.best_quality.reason) if rec.best_quality else "")
        self.alt_label.setVisible(rec.best_quality is not None)
        keep = self.formats_table.current_key()
        self.formats_table.set_rows(format_rows(rec.options, best))
        plan_fmt = self.state.plan.weight_format if self.state is not None else None
        chosen = keep if keep and self.formats_table.row_of(keep) >= 0 else (best or plan_fmt)
        if chosen:
            self.formats_table.select_key(chosen)
        self._selected = self.formats_table.current_key()
        self.formats_note.setText(self.tr("★ best choice. Speeds: decode averaged over 128 tokens after a 512-token "
                                          "prompt. Reading speed: {0} tokens/s. Notes on the machine: left.").format(
            f"{READING_TOKENS_PER_S:.1f}"))
        for r in (rec, result.other):
            if r is None:
                continue
            b = r.best.option if r.best is not None else None
            text = self.tr("Best here: {0}, {1}, {2}").format(b.label, verdict_text(b), tokens_per_s(
                b.decode_tokens_per_s)) if b is not None else self.tr("Best here: nothing fits")
            self.machine_panel.show_best(r.target.source, text)
        self._update_commands()
        self._update_compare()
        self._request_scale_out()

    @Slot(QtCore.QItemSelection, QtCore.QItemSelection)
    def _on_formats_selection_changed(self, _selected, _deselected) -> None:
        key = self.formats_table.current_key()
        if key and key != self._selected:
            self._selected = key
            self._update_commands()
            self._request_scale_out()

    def selected_option(self):
        if self.result is None or not self._selected:
            return None
        try:
            return self.result.recommendation.option(self._selected)
        except PlannerError:
            return None

    def _update_commands(self) -> None:
        o = self.selected_option()
        if o is None or self.state is None:
            self.commands.show_commands((), self.tr("Choose a format on the Formats page."))
            return
        t = self.result.recommendation.target
        scale = self.scale
        layout = None
        if scale is not None and scale.format == o.format and scale.layout is not None:
            layout = scale.layout.layout
        ref = model_ref(self.state.plan.model, self.state.model.architecture.name)
        where, cmds = commands_for(ref, o, t, batch=self.state.plan.batch, layout=layout)
        if where == "machine":
            heading = self.tr("{0} on {1}: {2}").format(o.label, t.label, verdict_text(o))
            if not cmds:
                heading += " " + self.tr("(no command: this runtime does not load this format)")
        elif where == "layout":
            heading = self.tr("{0} does not run on {1}; on the smallest layout: {2}").format(o.label, t.label,
                                                                                           layout.how)
        else:
            heading = self.tr("{0} does not run on {1}: no command (see Scale out).").format(o.label, t.label)
        self.commands.show_commands(cmds, heading)

    def _update_compare(self) -> None:
        r = self.result
        if r is None:
            return
        rec, other = r.recommendation, r.other
        this_rec, what_rec = (rec, other) if rec.target.source == "detected" else (other, rec)

        def col(x, getter):
            if x is None:
                return self.tr("detecting…") if self.machine is None else "–"
            try:
                return getter(x)
            except (AttributeError, TypeError):
                return "–"

        def best(x):
            return x.best.option if x.best is not None else None

        def tier(x):
            t = x.target.tier
            return self.tr("{0} ({1} GB)").format(t.tier, f"{t.usable_bytes / GB:,.2f}")

        def bandwidth(x):
            acc = x.target.accelerator or x.target.host
            return self.tr("{0} GB/s").format(f"{acc.memory_bandwidth / 1e9:,.0f}")

        plan_fmt = self.state.plan.weight_format if self.state is not None else ""

        def plan_option(x):
            try:
                return x.option(plan_fmt)
            except PlannerError:
                return None

        rows = [
            (self.tr("Machine"), lambda x: x.target.label),
            (self.tr("Tier"), tier),
            (self.tr("GPUs"), lambda x: str(x.target.gpu_count)),
            (self.tr("Memory per GPU"), lambda x: fmt.memory(x.target.gpu_memory_bytes)
             if x.target.gpu_memory_bytes else "–"),
            (self.tr("RAM"), lambda x: fmt.memory(x.target.ram_bytes) if x.target.ram_bytes else "–"),
            (self.tr("Memory bandwidth"), bandwidth),
            (self.tr("Best format"), lambda x: best(x).label if best(x) else self.tr("none fits")),
            (self.tr("Its verdict"), lambda x: verdict_text(best(x))),
            (self.tr("Its decode"), lambda x: tokens_per_s(best(x).decode_tokens_per_s)),
            (self.tr("Its prefill"), lambda x: tokens_per_s(best(x).prefill_tokens_per_s)),
            (self.tr("Its longest context"), lambda x: context_tokens(best(x).longest_context)),
            (self.tr("Plan's format ({0})").format(plan_fmt), lambda x: verdict_text(plan_option(x))),
            (self.tr("Plan's format: decode"), lambda x: tokens_per_s(plan_option(x).decode_tokens_per_s)),
        ]
        self.compare_table.set_rows([Row((Cell(q), Cell(col(this_rec, g)), Cell(col(what_rec, g)))) for q, g in rows])

    @Slot(object)
    def _on_what_fits_result_ready(self, w) -> None:
        self.fits = w
        rows = []
        for e in w.entries:
            o = e.option
            rows.append(Row((
                Cell(e.preset, e.hf_repo or ""), Cell(f"{e.total_params / 1e9:,.1f} B", align=RIGHT),
                Cell(o.label), Cell(verdict_text(o), e.reason), Cell(fmt.memory(o.memory_bytes), align=RIGHT),
                Cell(tokens_per_s(o.decode_tokens_per_s), align=RIGHT),
                Cell(", ".join(use_title(t) for t in e.tags)),
            ), key=e.preset, emphasis="" if o.on_gpu or o.verdict == "cpu" else "muted"))
        self.fits_table.set_rows(rows)
        groups = {"context": [], "encoder": [], "fit": []}
        for preset, kind, _why in w.left_out:
            groups.setdefault(kind, []).append(preset)
        titles = {"context": self.tr("shorter maximum context"), "encoder": self.tr("not text generators"),
                  "fit": self.tr("fit in no format")}
        left = "; ".join(f"{titles.get(k, k)}: {', '.join(names)}" for k, names in groups.items() if names)
        self.fits_note.setText(self.tr("{0} presets at {1}, best placement first, then larger models. Left out — "
                                       "{2}.").format(len(w.entries), fmt.tokens(w.context), left or "–"))
        self.fits_note.setToolTip("\n".join(f"{p}: {why}" for p, _k, why in w.left_out))

    @Slot(object)
    def _on_tiers_result_ready(self, checks) -> None:
        self.tiers = checks
        rows = []
        for c in checks:
            adv = "\n".join(self.tr("{0} ({1} B): {2}, {3}").format(
                m.preset, f"{m.params / 1e9:.1f}", verdict_text(m.option), tokens_per_s(m.option.decode_tokens_per_s))
                for m in c.advised)
            lo = c.largest_on_floor.preset if c.largest_on_floor else "–"
            hi = c.largest_on_ceiling.preset if c.largest_on_ceiling else "–"
            verdict = {"agrees": self.tr("agree"), "ours larger": self.tr("allow more"),
                       "ours smaller": self.tr("disagree")}[c.agreement]
            tip = c.summary + "\n" + self.tr("Smallest machine: {0}\nLargest machine: {1}").format(c.floor, c.ceiling)
            rows.append(Row((Cell(c.tier, tip), Cell(c.advice, tip), Cell(adv, tip), Cell(f"{lo} → {hi}", tip),
                             Cell(verdict, tip)), key=c.tier,
                            emphasis="warning" if c.agreement == "ours smaller" else ""))
        self.tiers_table.set_rows(rows)
        self.tiers_note.setText("\n".join(f"• {c.tier}: {c.summary}" for c in checks))
        if self._inputs is not None:
            self._shown_base = replace(self._inputs.base, hardware=EngineHardware())

    @Slot(object)
    def _on_scale_result_ready(self, s) -> None:
        self.scale = s
        search = s.layout
        if s.gpu is None:
            text = self.tr("Neither machine has a catalogue GPU to stack: choose one under 'What if'.")
        elif search is None or search.layout is None:
            text = self.tr("No layout of {0} holds {1}: {2}").format(s.gpu, s.format,
                                                                     search.why_not if search else "")
        else:
            lay = search.layout
            label = get_format(s.format).label
            context = fmt.tokens(self._inputs.base.resolved().context) if self._inputs else ""
            if lay.total_gpus == 1:
                text = self.tr("One {0} holds {1} at {2}: {3} of its {4}; decode {5}.").format(
                    lay.gpu, label, context, fmt.memory(lay.memory_per_gpu_bytes), fmt.memory(lay.gpu_memory_bytes),
                    tokens_per_s(lay.decode_tokens_per_s))
            else:
                where = self.tr("{0} × {1}").format(lay.total_gpus, lay.gpu)
                if lay.nodes > 1:
                    where = self.tr("{0} over {1} nodes").format(where, lay.nodes)
                text = self.tr("{0} hold {1} at {2}: {3}. Per GPU {4} of {5}; decode {6}.").format(
                    where, label, context, lay.how, fmt.memory(lay.memory_per_gpu_bytes),
                    fmt.memory(lay.gpu_memory_bytes), tokens_per_s(lay.decode_tokens_per_s))
        self.layout_label.setText(text)
        self.speed_table.set_rows([Row((Cell(p.label), Cell(p.tier), Cell(fmt.memory(p.memory_bytes), align=RIGHT),
                                        Cell(tokens_per_s(p.decode_tokens_per_s), align=RIGHT),
                                        Cell(tokens_per_s(p.prefill_tokens_per_s), align=RIGHT)))
                                   for p in s.picks] or
                                  [Row((Cell(self.tr("No single catalogue device reaches {0} with {1}").format(
                                      tokens_per_s(s.speed), s.format)), Cell(""), Cell(""), Cell(""), Cell("")))])
        self._update_commands()

    # -- export ------------------------------------------------------------------------------------------------
    def report_sections(self) -> list[ReportSection]:
        if self.result is None:
            return []
        rec = self.result.recommendation
        lines = [self.tr("Machine: {0}; tier {1} ({2})").format(rec.target.label, rec.target.tier.tier,
                                                               rec.target.tier.basis)]
        if rec.best is not None:
            lines.append(self.tr("Best: {0}").format(rec.best.reason))
        cols = tuple(c for c, _tip in format_columns())
        table = ReportTable(self.tr("Formats on this machine"), cols,
                            tuple(tuple(c.text for c in r.cells) for r in self.formats_table.rows_model.rows))
        tables = [table]
        if self.fits is not None:
            tables.append(ReportTable(self.tr("What fits"), (self.tr("Model"), self.tr("Format"), self.tr("Verdict"),
                                                             self.tr("Decode")),
                                      tuple((e.preset, e.option.label, verdict_text(e.option),
                                             tokens_per_s(e.option.decode_tokens_per_s)) for e in self.fits.entries)))
        if self.tiers is not None:
            tables.append(ReportTable(self.tr("Tiers"), (self.tr("Tier"), self.tr("Common advice"),
                                                         self.tr("Our numbers")),
                                      tuple((c.tier, c.advice, c.summary) for c in self.tiers)))
        return [ReportSection(self.title(), tuple(lines), tuple(tables))]
