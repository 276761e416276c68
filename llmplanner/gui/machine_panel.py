"""The Hardware tab's left side: what this machine has (detected in a worker) and the "what if" machine.

This machine: the tier with its rule and the exact figure it was decided on, each GPU with its catalogue
entry (bandwidth, FP16 FLOP/s) or "not in the catalogue" with its memory, RAM and CPU. What if: GPUs, their
count and RAM picked from the catalogue, and the CPU platform that runs layers left on the CPU. The radio
buttons say which of the two the recommendation is for.
"""
from __future__ import annotations

from ..core.errors import PlannerError
from ..core.hardware import find_accelerator
from ..core.machine import MachineInfo
from ..core.speed_estimate import DEFAULT_HOST
from ..core.target import Target, catalogue_gpus, cpu_platforms
from ..core.tiers import GB, GIB
from .hardware_jobs import WhatIf, what_if_target
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot
from .widgets import FieldMessage


def _gib(n) -> str:
    return "?" if n is None else f"{n / GIB:,.1f} GiB"


class MachinePanel(QtWidgets.QWidget):
    detect_requested = Signal()
    """The user asked to detect this machine again."""
    what_if_changed = Signal(object)
    """A valid new ``WhatIf`` from the form."""
    plan_for_changed = Signal(str)
    """``detected`` or ``catalogue``: which machine the recommendation is for."""
    host_changed = Signal(str)
    """The catalogue id of the CPU platform for layers on the CPU."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._updating = False
        self._what_if = WhatIf()

        # -- this machine
        self.this_box = QtWidgets.QGroupBox(self.tr("This machine"))
        self.plan_this = QtWidgets.QRadioButton(self.tr("Plan for this &machine"))
        self.plan_this.setToolTip(self.tr("Recommend for the machine this app runs on, as detected."))
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(self.fontMetrics().height() // 2 + 4)
        self.progress.setToolTip(self.tr("Detecting GPUs (NVML, torch in a child process, Apple), RAM and CPU…"))
        self.progress_label = QtWidgets.QLabel(self.tr("Detecting this machine…"))
        self.detect_button = QtWidgets.QPushButton(self.tr("&Detect again"))
        self.detect_button.setToolTip(self.tr("Detect this machine's GPUs, RAM and CPU again (after plugging in a "
                                              "GPU or closing programs that held GPU memory)."))
        self.detect_button.clicked.connect(self._on_detect_button_clicked)
        self.tier_label = QtWidgets.QLabel("–")
        self.tier_label.setObjectName("tier_label")
        font = self.tier_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.tier_label.setFont(font)
        self.tier_figure = self._wrapping_label()
        self.tier_figure.setObjectName("tier_figure")
        self.rule_label = self._wrapping_label(muted=True)
        self.gpus_label = self._wrapping_label()
        self.gpus_label.setObjectName("gpus_label")
        self.gpus_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.system_label = self._wrapping_label()
        self.this_best = self._wrapping_label()
        self.this_best.setObjectName("this_best")
        self.notes_label = self._wrapping_label(muted=True)
        self.notes_label.setObjectName("machine_notes")
        self.notes_button = QtWidgets.QToolButton()
        self.notes_button.setObjectName("notes_button")
        self.notes_button.setCheckable(True)
        self.notes_button.setAutoRaise(True)
        self.notes_button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.notes_button.setArrowType(QtCore.Qt.ArrowType.RightArrow)
        self.notes_button.setToolTip(self.tr("What detection found out, and what was assumed where it could not."))
        self.notes_button.toggled.connect(self._on_notes_button_toggled)
        self.notes_label.setVisible(False)
        head = QtWidgets.QHBoxLayout()
        head.addWidget(self.plan_this, 1)
        head.addWidget(self.detect_button)
        busy = QtWidgets.QHBoxLayout()
        busy.addWidget(self.progress_label)
        busy.addWidget(self.progress, 1)
        this = QtWidgets.QVBoxLayout(self.this_box)
        this.addLayout(head)
        this.addLayout(busy)
        for w in (self.tier_label, self.tier_figure, self.rule_label, self.gpus_label, self.system_label,
                  self.this_best, self.notes_button, self.notes_label):
            this.addWidget(w)

        # -- what if
        self.what_box = QtWidgets.QGroupBox(self.tr("What if…"))
        self.plan_what_if = QtWidgets.QRadioButton(self.tr("Plan for the machine &below"))
        self.plan_what_if.setToolTip(self.tr("Recommend for the GPUs and RAM chosen below (\"what if I buy…\")."))
        group = QtWidgets.QButtonGroup(self)
        group.addButton(self.plan_this)
        group.addButton(self.plan_what_if)
        self.plan_this.toggled.connect(self._on_plan_this_toggled)
        self.gpu_combo = QtWidgets.QComboBox()
        self.gpu_combo.setObjectName("what_if_gpu")
        self.gpu_combo.addItem(self.tr("None (CPU only)"), None)
        for acc in catalogue_gpus():
            self.gpu_combo.addItem(acc.name, acc.name)
        self.gpu_combo.setToolTip(self.tr("A GPU or Apple chip from the hardware catalogue (memory, bandwidth and "
                                          "FLOP/s from the vendor's spec sheet)."))
        self.gpu_combo.setMaxVisibleItems(20)
        for combo in (self.gpu_combo,):
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.count_spin = QtWidgets.QSpinBox()
        self.count_spin.setObjectName("what_if_count")
        self.count_spin.setRange(1, 64)
        self.count_spin.setPrefix("× ")
        self.count_spin.setToolTip(self.tr("How many of that GPU in the machine (layers or tensors are split over "
                                           "them)."))
        self.ram_spin = QtWidgets.QSpinBox()
        self.ram_spin.setObjectName("what_if_ram")
        self.ram_spin.setRange(1, 65536)
        self.ram_spin.setSuffix(self.tr(" GiB"))
        self.ram_spin.setGroupSeparatorShown(True)
        self.ram_spin.setToolTip(self.tr("System RAM in GiB (2³⁰ bytes); for an Apple chip, its unified memory."))
        self.host_combo = QtWidgets.QComboBox()
        self.host_combo.setObjectName("what_if_host")
        for acc in cpu_platforms():
            self.host_combo.addItem(acc.name.removeprefix("CPU: "), acc.id)
        self.host_combo.setCurrentIndex(max(0, self.host_combo.findData(DEFAULT_HOST)))
        self.host_combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.host_combo.setMinimumContentsLength(14)
        self.host_combo.setToolTip(self.tr("The CPU and memory system that runs layers left on the CPU (and every "
                                           "layer of a CPU-only machine): its bandwidth in GB/s sets their speed. "
                                           "Also used for this machine, whose memory speed cannot be detected."))
        self.what_message = FieldMessage()
        self.what_summary = self._wrapping_label()
        self.what_summary.setObjectName("what_if_summary")
        self.what_best = self._wrapping_label()
        self.what_best.setObjectName("what_if_best")
        form = QtWidgets.QFormLayout()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in ((self.tr("&GPU:"), self.gpu_combo), (self.tr("C&ount:"), self.count_spin),
                             (self.tr("&RAM:"), self.ram_spin), (self.tr("C&PU:"), self.host_combo)):
            label = QtWidgets.QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        what = QtWidgets.QVBoxLayout(self.what_box)
        what.addWidget(self.plan_what_if)
        what.addLayout(form)
        what.addWidget(self.what_message)
        what.addWidget(self.what_summary)
        what.addWidget(self.what_best)
        for w in (self.gpu_combo, self.count_spin, self.ram_spin):
            signal = w.currentIndexChanged if isinstance(w, QtWidgets.QComboBox) else w.valueChanged
            signal.connect(self._on_form_changed)
        self.host_combo.currentIndexChanged.connect(self._on_host_combo_changed)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.this_box)
        layout.addWidget(self.what_box)
        layout.addStretch(1)
        self.plan_this.setChecked(True)
        self.set_what_if(WhatIf())
        self.set_detecting(True)

    def _wrapping_label(self, muted: bool = False) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        if muted:
            pal = label.palette()
            pal.setColor(QtGui.QPalette.ColorRole.WindowText,
                         QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.PlaceholderText))
            label.setPalette(pal)
        return label

    # -- this machine ------------------------------------------------------------------------------------------
    def set_detecting(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        self.detect_button.setEnabled(not busy)

    def show_machine(self, info: MachineInfo, target: Target | None) -> None:
        d = info.tier_decision
        self.tier_label.setText(self.tr("Tier: {0}").format(info.tier))
        figure = d.usable_bytes if d is not None else 0
        if d is not None and d.usable_bytes:
            self.tier_figure.setText(self.tr("Decided on {0} GB ({1}) of accelerator memory: {2}").format(
                f"{figure / GB:,.2f}", _gib(figure), d.basis))
        else:
            self.tier_figure.setText(self.tr("No accelerator with known memory: models run on the CPU from RAM "
                                             "(0 GB of accelerator memory)."))
        if d is not None:
            self.rule_label.setText(self.tr("Rule: {0}").format(d.rule))
        self.gpus_label.setText(self._gpu_lines(info))
        cpu = info.cpu
        cores = cpu.physical_cores or cpu.logical_cores or "?"
        features = ", ".join(cpu.features) if cpu.features else self.tr("vector extensions unknown")
        lines = [self.tr("RAM: {0} total, {1} available").format(_gib(info.ram_total_bytes),
                                                                 _gib(info.ram_available_bytes)),
                 self.tr("CPU: {0}, {1} cores ({2})").format(cpu.model, cores, features)]
        if info.torch:
            lines.append(self.tr("torch: {0} ({1})").format(info.torch.get("version", "?"),
                                                            info.torch.get("build", "")))
        self.system_label.setText("\n".join(lines))
        notes = list(dict.fromkeys(list(target.notes if target is not None else ()) + list(info.notes)))
        self.notes_label.setText("\n".join(f"• {n}" for n in notes))
        self.notes_button.setText(self.tr("Notes ({0})").format(len(notes)))
        self.notes_button.setVisible(bool(notes))
        self.notes_label.setToolTip("")
        self.notes_label.setVisible(bool(notes) and self.notes_button.isChecked())
        self.this_box.setToolTip(self.tr("Detection layers: {0}").format(
            "; ".join(f"{r.name}: {r.status} ({r.detail})" for r in info.layers)))

    def _gpu_lines(self, info: MachineInfo) -> str:
        import html

        if not info.gpus:
            return self.tr("GPUs: none detected")
        parts = []
        for g in info.gpus:
            name = html.escape(g.name)
            mem = self.tr("{0} total, {1} free").format(_gib(g.memory_total_bytes), _gib(g.memory_free_bytes))
            if g.integrated and g.usable_bytes != g.memory_total_bytes:
                mem = self.tr("{0} unified, {1} usable by the GPU").format(_gib(g.memory_total_bytes),
                                                                           _gib(g.usable_bytes))
            if g.catalogue_match:
                try:
                    acc = find_accelerator(g.catalogue_match)
                except PlannerError:
                    acc = None
            else:
                acc = None
            if acc is not None:
                cat = self.tr("catalogue: {0}, {1} GB/s, {2} TFLOP/s FP16").format(
                    html.escape(acc.name), f"{acc.memory_bandwidth / 1e9:,.0f}", f"{acc.fp16_tensor_flops / 1e12:,.1f}")
            else:
                cat = self.tr("not in the catalogue: memory only (no speeds)")
            parts.append(f"<b>{name}</b> ({html.escape(g.backend)})<br>{html.escape(mem)}<br>{html.escape(cat)}")
        return "<br>".join(parts)

    def show_best(self, source: str, text: str) -> None:
        """One line under a machine: its best choice for the plan (``source`` ``detected`` or ``catalogue``)."""
        label = self.this_best if source == "detected" else self.what_best
        label.setText(text)

    # -- what if -----------------------------------------------------------------------------------------------
    @property
    def what_if(self) -> WhatIf:
        return self._what_if

    @property
    def host(self) -> str:
        return self.host_combo.currentData() or DEFAULT_HOST

    def set_what_if(self, w: WhatIf) -> None:
        """Show ``w`` without emitting ``what_if_changed``."""
        self._updating = True
        try:
            i = self.gpu_combo.findData(w.gpu) if w.gpu else 0
            if i < 0 and w.gpu:
                try:
                    i = self.gpu_combo.findData(find_accelerator(w.gpu).name)
                except PlannerError:
                    i = 0
            self.gpu_combo.setCurrentIndex(max(0, i))
            self.count_spin.setValue(w.count)
            self.ram_spin.setValue(max(1, round(w.ram_bytes / GIB)))
            self._what_if = w
            self._update_count_enabled()
        finally:
            self._updating = False
        self._validate()

    def set_plan_for(self, source: str) -> None:
        self._updating = True
        try:
            (self.plan_this if source == "detected" else self.plan_what_if).setChecked(True)
        finally:
            self._updating = False

    def show_what_if_target(self, target: Target | None) -> None:
        if target is None:
            self.what_summary.setText("")
            return
        acc = target.accelerator
        speed = ""
        if acc is not None:
            speed = self.tr("; {0} GB/s, {1} TFLOP/s FP16").format(f"{acc.memory_bandwidth / 1e9:,.0f}",
                                                                   f"{acc.fp16_tensor_flops / 1e12:,.1f}")
        figure = target.tier.usable_bytes
        self.what_summary.setText(self.tr("Tier {0} ({1} GB of accelerator memory){2}").format(
            target.tier.tier, f"{figure / GB:,.2f}", speed))

    def _update_count_enabled(self) -> None:
        gpu = self.gpu_combo.currentData()
        soc = False
        if gpu:
            try:
                soc = find_accelerator(gpu).kind == "soc"
            except PlannerError:
                soc = False
        self.count_spin.setEnabled(bool(gpu) and not soc)

    def _form_value(self) -> WhatIf:
        return WhatIf(self.gpu_combo.currentData(), self.count_spin.value(), self.ram_spin.value() * GIB, self.host)

    def _validate(self) -> Target | None:
        try:
            target = what_if_target(self._form_value())
        except PlannerError as e:
            self.what_message.show_message(e.message)
            return None
        self.what_message.clear_message()
        self.show_what_if_target(target)
        return target

    @Slot(int)
    def _on_form_changed(self, _value: int) -> None:
        self._update_count_enabled()
        if self._updating:
            return
        if self._validate() is None:
            return
        self._what_if = self._form_value()
        self.what_if_changed.emit(self._what_if)

    @Slot(int)
    def _on_host_combo_changed(self, _index: int) -> None:
        if not self._updating:
            self._what_if = self._form_value()
            self.host_changed.emit(self.host)

    @Slot(bool)
    def _on_plan_this_toggled(self, checked: bool) -> None:
        if not self._updating:
            self.plan_for_changed.emit("detected" if checked else "catalogue")

    @Slot(bool)
    def _on_notes_button_toggled(self, shown: bool) -> None:
        self.notes_label.setVisible(shown)
        self.notes_button.setArrowType(QtCore.Qt.ArrowType.DownArrow if shown else QtCore.Qt.ArrowType.RightArrow)

    @Slot()
    def _on_detect_button_clicked(self) -> None:
        self.detect_requested.emit()
