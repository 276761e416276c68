"""The Precision tab's settings: runtime, mode, batch, KV cache and the training options, each with a
tooltip (what it is, its unit) and a message under it when its value cannot be used.

``PlanControls.show_plan(plan, arch)`` fills the widgets without emitting anything; a user's edit emits
``plan_changes(dict)`` — the ``Plan.replace`` arguments it implies — once it is valid. An invalid value
(a KV cache the runtime does not have, an unknown LoRA target) shows its message at the field and emits
nothing, so the last result stays on screen.
"""
from __future__ import annotations

from ..core.errors import PlannerError
from ..core.format_comparison import all_kv_formats, kv_formats
from ..core.plan import MAX_BATCH, MODES, RUNTIMES, Plan, TrainingOptions
from ..core.training.lora import resolve_targets
from ..core.training.setup import OPTIMIZERS, RECOMPUTE
from .qt import QtCore, QtWidgets, Signal, Slot, translate
from .widgets import FieldMessage

RUNTIME_ORDER = ("transformers", "llama.cpp", "ollama", "vllm")
assert set(RUNTIME_ORDER) == set(RUNTIMES)


def runtime_title(runtime: str) -> str:
    return {"transformers": "transformers", "llama.cpp": "llama.cpp", "ollama": "Ollama", "vllm": "vLLM"}[runtime]


def mode_title(mode: str) -> str:
    return {
        "inference": translate("PlanControls", "Inference"),
        "full": translate("PlanControls", "Full fine-tuning"),
        "lora": translate("PlanControls", "LoRA fine-tuning"),
        "qlora": translate("PlanControls", "QLoRA fine-tuning"),
    }[mode]


def kv_title(kv: str) -> str:
    if kv == "auto":
        return translate("PlanControls", "auto (the model's dtype)")
    return kv.upper() if kv in ("f32", "f16", "bf16") else kv


def optimizer_title(name: str) -> str:
    return {
        "adamw": translate("PlanControls", "AdamW (fp32 states)"),
        "adamw-8bit": translate("PlanControls", "AdamW 8-bit (bitsandbytes)"),
        "sgd": translate("PlanControls", "SGD (no state)"),
        "sgd-momentum": translate("PlanControls", "SGD with momentum"),
        "adafactor": translate("PlanControls", "Adafactor (factored)"),
    }.get(name, name)


def recompute_title(name: str) -> str:
    return {
        "none": translate("PlanControls", "None"),
        "selective": translate("PlanControls", "Selective (attention)"),
        "full": translate("PlanControls", "Full (checkpointing)"),
    }.get(name, name)


class PlanControls(QtWidgets.QWidget):
    plan_changes = Signal(dict)
    """``Plan.replace`` arguments for a valid edit (``{"batch": 4}``, ``{"training": TrainingOptions(...)}``)."""
    runtime_chosen = Signal(str)
    """The user picked a runtime (the tab adapts the formats to it)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._plan: Plan | None = None
        self._updating = False
        self.messages: dict[str, FieldMessage] = {}

        self.runtime = QtWidgets.QComboBox()
        self.runtime.setObjectName("runtime")
        for rt in RUNTIME_ORDER:
            self.runtime.addItem(runtime_title(rt), rt)
        self.runtime.setToolTip(self.tr(
            "The program that loads and runs the model. Each keeps weights, KV cache and work buffers its own way, "
            "and each loads its own set of formats (llama.cpp and Ollama: GGUF; transformers and vLLM: "
            "Hugging Face checkpoints)."))
        self.mode = QtWidgets.QComboBox()
        self.mode.setObjectName("mode")
        for m in MODES:
            self.mode.addItem(mode_title(m), m)
        self.mode.setToolTip(self.tr(
            "Inference runs the model; full fine-tuning trains every weight (with gradients and optimizer "
            "states); LoRA trains small adapters on a frozen 16-bit base; QLoRA does the same on a 4-bit NF4 "
            "base."))
        self.batch = QtWidgets.QSpinBox()
        self.batch.setObjectName("batch")
        self.batch.setRange(1, MAX_BATCH)
        self.batch.setKeyboardTracking(False)
        self.batch.setGroupSeparatorShown(True)
        self.batch_label = QtWidgets.QLabel()
        self.kv = QtWidgets.QComboBox()
        self.kv.setObjectName("kv_format")
        for kv in all_kv_formats():
            self.kv.addItem(kv_title(kv), kv)
        self.kv.setToolTip(self.tr(
            "Element type of the keys and values cached for every token of context, per layer: 16-bit by "
            "default; 8- and 4-bit blocks (llama.cpp, Ollama) or FP8 (vLLM) halve or quarter it. transformers "
            "keeps its compute dtype."))

        inference = QtWidgets.QGroupBox(self.tr("Run"))
        form = QtWidgets.QFormLayout(inference)
        self._row(form, self.tr("R&untime:"), self.runtime, "runtime")
        self._row(form, self.tr("&Mode:"), self.mode, "mode")
        self._row(form, self.batch_label, self.batch, "batch")
        self._row(form, self.tr("&KV cache:"), self.kv, "kv_format")

        self.optimizer = QtWidgets.QComboBox()
        self.optimizer.setObjectName("optimizer")
        for o in OPTIMIZERS:
            self.optimizer.addItem(optimizer_title(o), o)
        self.optimizer.setToolTip(self.tr(
            "What the optimizer keeps per trained weight: AdamW two fp32 moments (8 bytes), its 8-bit version "
            "2 bytes, SGD nothing (4 bytes with momentum), Adafactor a row and a column per matrix."))
        self.recompute = QtWidgets.QComboBox()
        self.recompute.setObjectName("recompute")
        for r in RECOMPUTE:
            self.recompute.addItem(recompute_title(r), r)
        self.recompute.setToolTip(self.tr(
            "Activation recomputation (Korthikanti et al. 2022): keep fewer activations for the backward pass "
            "and compute them again. Selective recomputes the attention core; full keeps only each layer's "
            "input (about a third more compute)."))
        self.lora_rank = QtWidgets.QSpinBox()
        self.lora_rank.setObjectName("lora_rank")
        self.lora_rank.setRange(1, 1 << 16)
        self.lora_rank.setKeyboardTracking(False)
        self.lora_rank.setToolTip(self.tr(
            "Rank r of each LoRA adapter: an adapted d_out × d_in matrix gains r × (d_in + d_out) trainable "
            "weights. 8–64 is usual."))
        self.lora_targets = QtWidgets.QLineEdit()
        self.lora_targets.setObjectName("lora_targets")
        self.lora_targets.setToolTip(self.tr(
            "The matrices that get adapters, comma-separated, as PEFT's target_modules names them (q_proj, "
            "k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj …) or all-linear."))
        self.zero = QtWidgets.QComboBox()
        self.zero.setObjectName("zero_stage")
        for stage, text in ((0, self.tr("0 — every GPU holds everything")),
                            (1, self.tr("1 — optimizer states split")),
                            (2, self.tr("2 — also gradients split")),
                            (3, self.tr("3 — also weights split"))):
            self.zero.addItem(text, stage)
        self.zero.setToolTip(self.tr(
            "DeepSpeed ZeRO (Rajbhandari et al. 2020): split optimizer states, gradients and weights among the "
            "data-parallel GPUs instead of copying them to each."))
        self.gpus = QtWidgets.QSpinBox()
        self.gpus.setObjectName("gpu_count")
        self.gpus.setRange(1, 1 << 12)
        self.gpus.setKeyboardTracking(False)
        self.gpus.setToolTip(self.tr(
            "Data-parallel GPUs training together; with ZeRO each holds a 1/N share of what it splits. Memory is "
            "shown per GPU."))

        self.training_box = QtWidgets.QGroupBox(self.tr("Training"))
        tform = QtWidgets.QFormLayout(self.training_box)
        self._row(tform, self.tr("&Optimizer:"), self.optimizer, "optimizer")
        self._row(tform, self.tr("Re&computation:"), self.recompute, "recompute")
        self._row(tform, self.tr("LoRA &rank:"), self.lora_rank, "lora_rank")
        self._row(tform, self.tr("LoRA &targets:"), self.lora_targets, "lora_targets")
        self._row(tform, self.tr("&ZeRO stage:"), self.zero, "zero_stage")
        self._row(tform, self.tr("&GPUs:"), self.gpus, "data_parallel")
        self.lora_rows = (self.lora_rank, self.lora_targets)
        self._tform = tform

        for combo in (self.runtime, self.mode, self.kv, self.optimizer, self.recompute, self.zero):
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.lora_targets.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 8)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(inference)
        layout.addWidget(self.training_box)

        self.runtime.activated.connect(self._on_runtime_activated)
        self.mode.activated.connect(self._on_mode_activated)
        self.batch.valueChanged.connect(self._on_batch_value_changed)
        self.kv.activated.connect(self._on_kv_activated)
        self.optimizer.activated.connect(self._on_training_edited)
        self.recompute.activated.connect(self._on_training_edited)
        self.zero.activated.connect(self._on_training_edited)
        self.lora_rank.valueChanged.connect(self._on_training_edited)
        self.gpus.valueChanged.connect(self._on_training_edited)
        self.lora_targets.editingFinished.connect(self._on_training_edited)
        self._set_mode_labels("inference")

    def _row(self, form: QtWidgets.QFormLayout, label, widget: QtWidgets.QWidget, field: str) -> None:
        if isinstance(label, str):
            label = QtWidgets.QLabel(label)
        label.setBuddy(widget)
        label.setToolTip(widget.toolTip())
        box = QtWidgets.QWidget()
        v = QtWidgets.QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        v.addWidget(widget)
        message = FieldMessage()
        v.addWidget(message)
        self.messages[field] = message
        form.addRow(label, box)

    def _set_mode_labels(self, mode: str) -> None:
        training = mode != "inference"
        self.batch_label.setText(self.tr("Micro-&batch per GPU:") if training else self.tr("&Batch:"))
        self.batch.setToolTip(self.tr(
            "Sequences in one training step on each GPU; activations grow in proportion.") if training else self.tr(
            "Sequences processed together (llama.cpp/Ollama --parallel, vLLM's concurrent requests): each needs "
            "its own KV cache."))
        self.batch_label.setToolTip(self.batch.toolTip())
        self.training_box.setVisible(training)
        self.kv.setEnabled(not training)
        self.runtime.setEnabled(not training)  # training memory does not depend on the inference runtime
        for w in self.lora_rows:
            w.setEnabled(mode in ("lora", "qlora"))
            self._tform.labelForField(w.parentWidget()).setEnabled(mode in ("lora", "qlora"))

    # -- the plan comes in ---------------------------------------------------------------------------------------
    def show_plan(self, plan: Plan) -> None:
        self._plan = plan
        self._updating = True
        try:
            self.runtime.setCurrentIndex(self.runtime.findData(plan.runtime))
            self.mode.setCurrentIndex(self.mode.findData(plan.mode))
            self.batch.setValue(plan.batch)
            kv = self.kv.findData(plan.kv_format.lower())
            if kv < 0:
                self.kv.addItem(plan.kv_format, plan.kv_format.lower())
                kv = self.kv.count() - 1
            self.kv.setCurrentIndex(kv)
            t = plan.training
            for combo, value in ((self.optimizer, t.optimizer), (self.recompute, t.recompute),
                                 (self.zero, t.zero_stage)):
                i = combo.findData(value)
                if i < 0:
                    combo.addItem(str(value), value)
                    i = combo.count() - 1
                combo.setCurrentIndex(i)
            self.lora_rank.setValue(t.lora_rank)
            if not self.lora_targets.hasFocus() or not self.messages["lora_targets"].isVisible():
                self.lora_targets.setText(", ".join(t.lora_targets))
            self.gpus.setValue(t.gpu_count)
            self._set_mode_labels(plan.mode)
        finally:
            self._updating = False
        if plan.kv_format.lower() in kv_formats(plan.runtime):
            self.messages["kv_format"].clear_message()

    def show_problem(self, field: str | None, message: str) -> bool:
        """Show an engine's message at the field it names; False when no field here matches."""
        target = self.messages.get(field or "")
        if target is None:
            return False
        target.show_message(message)
        return True

    def clear_problems(self, keep: tuple[str, ...] = ()) -> None:
        for field, message in self.messages.items():
            if field not in keep:
                message.clear_message()

    # -- edits go out --------------------------------------------------------------------------------------------
    @Slot(int)
    def _on_runtime_activated(self, _index: int) -> None:
        if not self._updating:
            self.messages["runtime"].clear_message()
            self.runtime_chosen.emit(self.runtime.currentData())

    @Slot(int)
    def _on_mode_activated(self, _index: int) -> None:
        if self._updating:
            return
        mode = self.mode.currentData()
        self._set_mode_labels(mode)
        self.plan_changes.emit({"mode": mode})

    @Slot(int)
    def _on_batch_value_changed(self, value: int) -> None:
        if not self._updating:
            self.plan_changes.emit({"batch": value})

    @Slot(int)
    def _on_kv_activated(self, _index: int) -> None:
        if self._updating or self._plan is None:
            return
        kv = self.kv.currentData()
        allowed = kv_formats(self._plan.runtime)
        if kv not in allowed:
            self.messages["kv_format"].show_message(self.tr(
                "{0} cannot keep a {1} cache; it takes {2}. The figures shown are still for {3}.").format(
                runtime_title(self._plan.runtime), kv_title(kv), ", ".join(kv_title(k) for k in allowed),
                kv_title(self._plan.kv_format)))
            return
        self.messages["kv_format"].clear_message()
        self.plan_changes.emit({"kv_format": kv})

    @Slot()
    def _on_training_edited(self, *_) -> None:
        if self._updating or self._plan is None:
            return
        raw = [p.strip() for p in self.lora_targets.text().split(",") if p.strip()]
        try:
            if not raw:
                raise PlannerError(self.tr("name at least one module, or all-linear"), field="lora_targets")
            resolve_targets(raw)
            options = TrainingOptions(optimizer=self.optimizer.currentData(), recompute=self.recompute.currentData(),
                                      lora_rank=self.lora_rank.value(), lora_targets=tuple(raw),
                                      zero_stage=self.zero.currentData(), gpu_count=self.gpus.value())
        except PlannerError as e:
            field = (e.field or "lora_targets").split(".")[-1]
            self.show_problem("data_parallel" if field == "gpu_count" else field, e.message)
            return
        self.messages["lora_targets"].clear_message()
        if options != self._plan.training:
            self.plan_changes.emit({"training": options})

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        return QtCore.QSize(max(hint.width(), self.fontMetrics().horizontalAdvance("M") * 26), hint.height())
