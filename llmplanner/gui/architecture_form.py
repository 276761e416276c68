"""Every field of an ``Architecture``, grouped, with the validation message at the field.

The form edits a plain dict (``arch_io.architecture_to_dict``); after each committed change it builds the
architecture again. A valid one is emitted (``architecture_edited``); an invalid one shows the
``ArchitectureError`` message under the field it names and emits nothing, so the last valid result stays
on screen. Numeric inputs are spin boxes whose ranges are the limits of ``architecture.LIMITS``; a spin box
commits on Enter, focus change, arrow keys or the mouse wheel (not on every keystroke).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from ..core.arch_io import architecture_from_dict, architecture_to_dict
from ..core.architecture import LIMITS, Architecture
from ..core.errors import PlannerError
from ..core.layer_sets import format_layer_set, parse_layer_set
from .qt import QtCore, QtWidgets, Signal, Slot, translate
from .widgets import FieldMessage

try:
    from PySide6.QtCore import QT_TRANSLATE_NOOP
except ImportError:  # pragma: no cover - older bindings
    def QT_TRANSLATE_NOOP(_context, text):  # noqa: N802
        return text

CTX = "Arch"
"""Translation context of the field table (short, so that the table reads)."""
INT_MAX = (1 << 31) - 1


@dataclass(frozen=True)
class Field:
    path: str
    """``section.name`` as ``ArchitectureError`` names it (``model.`` for top-level fields)."""
    label: str
    tooltip: str
    kind: str = "int"
    """int, optional_int (0 shows 'none'), bool, choice, text, layers, tristate."""
    minimum: int = 1
    limit: str | None = None
    choices: tuple[tuple[object, str], ...] = ()


def _c(value, label):
    """A choice: the stored value and its label."""
    return (value, label)


GROUPS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    (QT_TRANSLATE_NOOP("Arch", "Dimensions"), (
        Field("model.name", QT_TRANSLATE_NOOP("Arch", "Name"), QT_TRANSLATE_NOOP(
            "Arch", "The model's name in the plan, reports and the window title."), "text"),
        Field("model.hidden_size", QT_TRANSLATE_NOOP("Arch", "Hidden size"), QT_TRANSLATE_NOOP(
            "Arch", "Width of the residual stream (d_model), in numbers per token. config.json: hidden_size.")),
        Field("model.num_layers", QT_TRANSLATE_NOOP("Arch", "Layers"), QT_TRANSLATE_NOOP(
            "Arch", "Number of transformer blocks. config.json: num_hidden_layers.")),
        Field("model.parallel_block", QT_TRANSLATE_NOOP("Arch", "Parallel attention and MLP"), QT_TRANSLATE_NOOP(
            "Arch", "Attention and MLP read the same input and add to one residual (GPT-J, GPT-NeoX, Falcon)."),
            "bool"),
        Field("model.causal", QT_TRANSLATE_NOOP("Arch", "Causal decoder"), QT_TRANSLATE_NOOP(
            "Arch", "Generates text token by token. Off for encoders such as BERT, which keep no KV cache."), "bool"),
    )),
    (QT_TRANSLATE_NOOP("Arch", "Attention"), (
        Field("attention.kind", QT_TRANSLATE_NOOP("Arch", "Kind"), QT_TRANSLATE_NOOP(
            "Arch", "Standard multi-head attention (MHA, GQA, MQA) or DeepSeek's multi-head latent attention (MLA), "
                 "which compresses keys and values into a low-rank latent."), "choice",
            choices=(_c("standard", QT_TRANSLATE_NOOP("Arch", "Standard (MHA / GQA / MQA)")),
                     _c("mla", QT_TRANSLATE_NOOP("Arch", "Multi-head latent (MLA)"))),),
        Field("attention.num_heads", QT_TRANSLATE_NOOP("Arch", "Attention heads"), QT_TRANSLATE_NOOP(
            "Arch", "Query heads per layer. config.json: num_attention_heads."), limit="num_heads"),
        Field("attention.num_kv_heads", QT_TRANSLATE_NOOP("Arch", "Key/value heads"), QT_TRANSLATE_NOOP(
            "Arch", "Heads of keys and values: equal to the attention heads for MHA, fewer for GQA, 1 for MQA. "
                 "Must divide the attention heads. config.json: num_key_value_heads."), limit="num_heads"),
        Field("attention.head_dim", QT_TRANSLATE_NOOP("Arch", "Head size"), QT_TRANSLATE_NOOP(
            "Arch", "Numbers per head; usually hidden size ÷ heads, but Gemma and Qwen3 choose it freely. "
                 "config.json: head_dim."), limit="head_dim"),
        Field("attention.bias", QT_TRANSLATE_NOOP("Arch", "Biases"), QT_TRANSLATE_NOOP(
            "Arch", "Bias vectors on the query/key/value projections only (Qwen2) or on the output projection too "
                 "(GPT-2)."), "choice",
            choices=(_c("none", QT_TRANSLATE_NOOP("Arch", "none")), _c("qkv", QT_TRANSLATE_NOOP("Arch", "q, k, v")),
                     _c("all", QT_TRANSLATE_NOOP("Arch", "q, k, v and output")))),
        Field("attention.qk_norm", QT_TRANSLATE_NOOP("Arch", "Query/key norm"), QT_TRANSLATE_NOOP(
            "Arch", "A norm on queries and keys: per head (Qwen3, Gemma 3) or over all heads (OLMo 2)."), "choice",
            choices=(_c("none", QT_TRANSLATE_NOOP("Arch", "none")),
                     _c("per_head", QT_TRANSLATE_NOOP("Arch", "per head")),
                     _c("full", QT_TRANSLATE_NOOP("Arch", "over all heads")))),
        Field("attention.fused_qkv", QT_TRANSLATE_NOOP("Arch", "Fused q/k/v matrix"), QT_TRANSLATE_NOOP(
            "Arch", "Queries, keys and values stored as one matrix (GPT-2, Phi-3): same count, another tensor name."),
            "bool"),
        Field("attention.q_lora_rank", QT_TRANSLATE_NOOP("Arch", "Query rank (MLA)"), QT_TRANSLATE_NOOP(
            "Arch", "Width of MLA's low-rank query bottleneck; 'none' projects queries at full rank. "
                 "config.json: q_lora_rank."), "optional_int", minimum=0, limit="rank"),
        Field("attention.kv_lora_rank", QT_TRANSLATE_NOOP("Arch", "Key/value latent rank (MLA)"), QT_TRANSLATE_NOOP(
            "Arch", "Width of the compressed key/value latent that MLA caches instead of keys and values. "
                 "config.json: kv_lora_rank."), minimum=0, limit="rank"),
        Field("attention.qk_rope_head_dim", QT_TRANSLATE_NOOP("Arch", "Rotary key size (MLA)"), QT_TRANSLATE_NOOP(
            "Arch", "Numbers per head of the decoupled rotary part of queries and keys. config.json: "
                 "qk_rope_head_dim."), minimum=0, limit="head_dim"),
        Field("attention.qk_nope_head_dim", QT_TRANSLATE_NOOP("Arch", "Non-rotary key size (MLA)"), QT_TRANSLATE_NOOP(
            "Arch", "Numbers per head of the part of queries and keys without position encoding. config.json: "
                 "qk_nope_head_dim."), minimum=0, limit="head_dim"),
        Field("attention.v_head_dim", QT_TRANSLATE_NOOP("Arch", "Value head size (MLA)"), QT_TRANSLATE_NOOP(
            "Arch", "Numbers per head of the values. config.json: v_head_dim."), minimum=0, limit="head_dim"),
        Field("attention.sliding_window", QT_TRANSLATE_NOOP("Arch", "Sliding window"), QT_TRANSLATE_NOOP(
            "Arch", "Tokens a sliding-window layer attends to; 'none' means every layer sees the whole context. "
                 "config.json: sliding_window."), "optional_int", minimum=0, limit="context"),
        Field("attention.sliding_layers", QT_TRANSLATE_NOOP("Arch", "Sliding-window layers"), QT_TRANSLATE_NOOP(
            "Arch", "Which layers use the window, counted from 0: e.g. 0-40:2 for every second layer. "
                 "Empty means all layers."), "layers"),
    )),
    (QT_TRANSLATE_NOOP("Arch", "MLP and experts"), (
        Field("mlp.intermediate_size", QT_TRANSLATE_NOOP("Arch", "MLP width"), QT_TRANSLATE_NOOP(
            "Arch", "Hidden width of the feed-forward block, in numbers per token. config.json: intermediate_size."),
            limit="intermediate_size"),
        Field("mlp.gated", QT_TRANSLATE_NOOP("Arch", "Gated MLP (SwiGLU / GeGLU)"), QT_TRANSLATE_NOOP(
            "Arch", "Three matrices (gate, up, down) instead of two (up, down)."), "bool"),
        Field("mlp.bias", QT_TRANSLATE_NOOP("Arch", "MLP biases"), QT_TRANSLATE_NOOP(
            "Arch", "Bias vectors on the feed-forward matrices (GPT-2, BERT)."), "bool"),
        Field("mlp.activation", QT_TRANSLATE_NOOP("Arch", "Activation"), QT_TRANSLATE_NOOP(
            "Arch", "The nonlinearity; it changes no count. config.json: hidden_act."), "text"),
        Field("mlp.fused_gate_up", QT_TRANSLATE_NOOP("Arch", "Fused gate/up matrix"), QT_TRANSLATE_NOOP(
            "Arch", "Gate and up stored as one matrix (Phi-3): same count, another tensor name."), "bool"),
        Field("moe", QT_TRANSLATE_NOOP("Arch", "Mixture of experts"), QT_TRANSLATE_NOOP(
            "Arch", "Replace the MLP of some layers by routed experts, of which each token uses a few."), "moe"),
        Field("moe.num_experts", QT_TRANSLATE_NOOP("Arch", "Experts"), QT_TRANSLATE_NOOP(
            "Arch", "Routed experts per sparse layer. config.json: num_local_experts or n_routed_experts."),
            limit="num_experts"),
        Field("moe.experts_per_token", QT_TRANSLATE_NOOP("Arch", "Experts per token"), QT_TRANSLATE_NOOP(
            "Arch", "Experts each token is routed to (top-k). config.json: num_experts_per_tok."),
            limit="num_experts"),
        Field("moe.expert_intermediate_size", QT_TRANSLATE_NOOP("Arch", "Expert width"), QT_TRANSLATE_NOOP(
            "Arch", "Hidden width of one expert's MLP. config.json: moe_intermediate_size."),
            limit="intermediate_size"),
        Field("moe.shared_intermediate_size", QT_TRANSLATE_NOOP("Arch", "Shared expert width"), QT_TRANSLATE_NOOP(
            "Arch", "Total width of the always-active shared experts (DeepSeek: shared experts × expert width); "
                 "0 for none."), minimum=0, limit="intermediate_size"),
        Field("moe.num_shared_experts", QT_TRANSLATE_NOOP("Arch", "Shared experts"), QT_TRANSLATE_NOOP(
            "Arch", "How many experts the shared width is made of (informative; the width decides the count)."),
            minimum=0, limit="num_experts"),
        Field("moe.shared_expert_gate", QT_TRANSLATE_NOOP("Arch", "Shared expert gate"), QT_TRANSLATE_NOOP(
            "Arch", "A sigmoid gate on the shared expert's output (Qwen2-MoE)."), "bool"),
        Field("moe.first_dense_layers", QT_TRANSLATE_NOOP("Arch", "Leading dense layers"), QT_TRANSLATE_NOOP(
            "Arch", "Layers at the start that keep the dense MLP (DeepSeek-V3: 3). "
                    "config.json: first_k_dense_replace."),
            minimum=0, limit="num_layers"),
        Field("moe.layer_frequency", QT_TRANSLATE_NOOP("Arch", "Every n-th layer sparse"), QT_TRANSLATE_NOOP(
            "Arch", "1 makes every layer after the leading dense ones sparse, 2 every second one."),
            limit="num_layers"),
        Field("moe.dense_layers", QT_TRANSLATE_NOOP("Arch", "Other dense layers"), QT_TRANSLATE_NOOP(
            "Arch", "Further layers that keep the dense MLP, counted from 0 (e.g. 0-3, 10)."), "layers"),
        Field("moe.router_bias", QT_TRANSLATE_NOOP("Arch", "Router bias"), QT_TRANSLATE_NOOP(
            "Arch", "A bias on the router's linear layer."), "bool"),
        Field("moe.router_score_bias", QT_TRANSLATE_NOOP("Arch", "Expert score bias"), QT_TRANSLATE_NOOP(
            "Arch", "DeepSeek-V3's per-expert correction bias used to pick the top-k experts."), "bool"),
        Field("moe.expert_bias", QT_TRANSLATE_NOOP("Arch", "Expert biases"), QT_TRANSLATE_NOOP(
            "Arch", "Bias vectors inside each expert's matrices."), "bool"),
        Field("moe.gated", QT_TRANSLATE_NOOP("Arch", "Gated experts"), QT_TRANSLATE_NOOP(
            "Arch", "Experts with three matrices (gate, up, down) instead of two."), "bool"),
    )),
    (QT_TRANSLATE_NOOP("Arch", "Embeddings and norms"), (
        Field("embeddings.vocab_size", QT_TRANSLATE_NOOP("Arch", "Vocabulary"), QT_TRANSLATE_NOOP(
            "Arch", "Tokens in the vocabulary: rows of the embedding and of the output head. config.json: vocab_size."),
            limit="vocab_size"),
        Field("embeddings.tied", QT_TRANSLATE_NOOP("Arch", "Tied output head"), QT_TRANSLATE_NOOP(
            "Arch", "The output head reuses the input embedding matrix, so it is counted once. config.json: "
                 "tie_word_embeddings."), "bool"),
        Field("embeddings.position", QT_TRANSLATE_NOOP("Arch", "Positions"), QT_TRANSLATE_NOOP(
            "Arch", "How positions are encoded: rotary (RoPE, no parameters), a learned table (GPT-2, BERT), ALiBi or "
                 "none."), "choice",
            choices=(_c("rotary", QT_TRANSLATE_NOOP("Arch", "rotary (RoPE)")),
                     _c("learned", QT_TRANSLATE_NOOP("Arch", "learned table")),
                     _c("alibi", QT_TRANSLATE_NOOP("Arch", "ALiBi")), _c("none", QT_TRANSLATE_NOOP("Arch", "none")))),
        Field("embeddings.learned_positions", QT_TRANSLATE_NOOP("Arch", "Learned positions"), QT_TRANSLATE_NOOP(
            "Arch", "Rows of the learned position table. config.json: max_position_embeddings or n_positions."),
            minimum=0, limit="context"),
        Field("embeddings.position_offset", QT_TRANSLATE_NOOP("Arch", "Position offset"), QT_TRANSLATE_NOOP(
            "Arch", "Extra rows of the learned table (OPT reserves 2)."), minimum=0, limit="context"),
        Field("embeddings.token_types", QT_TRANSLATE_NOOP("Arch", "Token types"), QT_TRANSLATE_NOOP(
            "Arch", "Rows of BERT's segment embedding; 0 for none. config.json: type_vocab_size."), minimum=0,
            limit="vocab_size"),
        Field("embeddings.embedding_norm", QT_TRANSLATE_NOOP("Arch", "Norm after embeddings"), QT_TRANSLATE_NOOP(
            "Arch", "A norm right after the embedding lookup (BERT, BLOOM)."), "bool"),
        Field("embeddings.projection_dim", QT_TRANSLATE_NOOP("Arch", "Embedding width"), QT_TRANSLATE_NOOP(
            "Arch", "OPT's word_embed_proj_dim when embeddings are narrower than the hidden size; 'none' when equal."),
            "optional_int", minimum=0, limit="hidden_size"),
        Field("embeddings.pooler", QT_TRANSLATE_NOOP("Arch", "Pooler"), QT_TRANSLATE_NOOP(
            "Arch", "BERT's pooler: a hidden × hidden layer on the first token."), "bool"),
        Field("embeddings.output_bias", QT_TRANSLATE_NOOP("Arch", "Output bias"), QT_TRANSLATE_NOOP(
            "Arch", "A bias vector on the output head."), "bool"),
        Field("norms.kind", QT_TRANSLATE_NOOP("Arch", "Norm"), QT_TRANSLATE_NOOP(
            "Arch", "RMSNorm (a scale per channel) or LayerNorm (scale and usually a bias)."), "choice",
            choices=(_c("rmsnorm", "RMSNorm"), _c("layernorm", "LayerNorm"))),
        Field("norms.per_layer", QT_TRANSLATE_NOOP("Arch", "Norms per layer"), QT_TRANSLATE_NOOP(
            "Arch", "1 for one shared pre-norm (GPT-J), 2 before attention and MLP, 4 with Gemma's post-norms."),
            minimum=0, limit="num_layers"),
        Field("norms.final", QT_TRANSLATE_NOOP("Arch", "Final norm"), QT_TRANSLATE_NOOP(
            "Arch", "A norm after the last layer, before the output head."), "bool"),
        Field("norms.bias", QT_TRANSLATE_NOOP("Arch", "Norm bias"), QT_TRANSLATE_NOOP(
            "Arch", "Whether norms carry a bias: automatic means LayerNorm does and RMSNorm does not."), "tristate"),
    )),
    (QT_TRANSLATE_NOOP("Arch", "Context"), (
        Field("model.max_context", QT_TRANSLATE_NOOP("Arch", "Maximum context"), QT_TRANSLATE_NOOP(
            "Arch", "The longest context the model was trained or extended for, in tokens. config.json: "
                 "max_position_embeddings."), limit="context"),
    )),
)

FIELDS = {f.path: f for _, fields in GROUPS for f in fields}


def _get(data: dict, path: str):
    section, name = path.split(".", 1) if "." in path else (path, None)
    if name is None:
        return data.get(section)
    holder = data if section == "model" else (data.get(section) or {})
    return holder.get(name)


def _set(data: dict, path: str, value) -> None:
    section, name = path.split(".", 1)
    holder = data if section == "model" else data[section]
    holder[name] = value


def default_moe(data: dict) -> dict:
    """The experts a user gets on ticking 'Mixture of experts': Mixtral's 8 experts, 2 per token."""
    width = data["mlp"]["intermediate_size"]
    return {"num_experts": 8, "experts_per_token": 2, "expert_intermediate_size": width}


def default_mla() -> dict:
    """The MLA ranks a user gets on choosing MLA: transformers' ``DeepseekV3Config`` defaults (the
    published DeepSeek-V3 shapes, arXiv:2412.19437 §4.2)."""
    return {"q_lora_rank": 1536, "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
            "v_head_dim": 128}


class ArchitectureForm(QtWidgets.QWidget):
    """The grouped fields (see the module docstring)."""

    architecture_edited = Signal(object)
    """A new valid ``Architecture`` after a user edit."""
    validity_changed = Signal(bool)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._data: dict | None = None
        self._arch: Architecture | None = None
        self._populating = False
        self._valid = True
        self.widgets: dict[str, QtWidgets.QWidget] = {}
        self.messages: dict[str, FieldMessage] = {}
        self._forms: dict[str, QtWidgets.QFormLayout] = {}
        self._cells: dict[str, QtWidgets.QWidget] = {}
        self.general_message = FieldMessage()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.general_message)
        labels: list[QtWidgets.QLabel] = []
        for title, fields in GROUPS:
            box = QtWidgets.QGroupBox(translate(CTX, title))
            form = QtWidgets.QFormLayout(box)
            form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.DontWrapRows)
            for f in fields:
                widget = self._make_widget(f)
                widget.setObjectName(f.path)
                tip = translate(CTX, f.tooltip)
                widget.setToolTip(tip)
                widget.setAccessibleDescription(tip)
                message = FieldMessage()
                self.widgets[f.path] = widget
                self.messages[f.path] = message
                cell = QtWidgets.QWidget()
                cell_layout = QtWidgets.QVBoxLayout(cell)
                cell_layout.setContentsMargins(0, 0, 0, 0)
                cell_layout.setSpacing(1)
                cell_layout.addWidget(widget)
                cell_layout.addWidget(message)
                if f.kind in ("bool", "moe"):
                    widget.setText(translate(CTX, f.label))
                    form.addRow(cell)
                else:
                    label = QtWidgets.QLabel(self.tr("{0}:").format(translate(CTX, f.label)))
                    label.setBuddy(widget)
                    label.setToolTip(tip)
                    form.addRow(label, cell)
                    labels.append(label)
                self._forms[f.path] = form
                self._cells[f.path] = cell
            layout.addWidget(box)
        layout.addStretch(1)
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:  # one label column across the groups, so the fields line up
            label.setMinimumWidth(width)

    # -- widgets -----------------------------------------------------------------------------------------------
    def _make_widget(self, f: Field) -> QtWidgets.QWidget:
        if f.kind in ("int", "optional_int"):
            w = QtWidgets.QSpinBox()
            cap = LIMITS.get(f.limit or f.path.split(".")[-1], INT_MAX)
            w.setRange(0 if f.kind == "optional_int" else f.minimum, min(cap, INT_MAX))
            w.setGroupSeparatorShown(True)
            w.setKeyboardTracking(False)
            w.setAccelerated(True)
            if f.kind == "optional_int":
                w.setSpecialValueText(self.tr("none"))
            w.valueChanged.connect(self._on_field_edited)
            return w
        if f.kind in ("bool", "moe"):
            w = QtWidgets.QCheckBox()
            w.toggled.connect(self._on_field_edited)
            return w
        if f.kind in ("choice", "tristate"):
            w = QtWidgets.QComboBox()
            choices = f.choices if f.kind == "choice" else (
                (None, QT_TRANSLATE_NOOP("Arch", "automatic")), (True, QT_TRANSLATE_NOOP("Arch", "yes")),
                (False, QT_TRANSLATE_NOOP("Arch", "no")))
            for value, label in choices:
                w.addItem(translate(CTX, label), value)
            w.currentIndexChanged.connect(self._on_field_edited)
            return w
        w = QtWidgets.QLineEdit()
        if f.kind == "layers":
            w.setPlaceholderText(self.tr("all layers") if f.path.endswith("sliding_layers") else self.tr("none"))
        w.editingFinished.connect(self._on_field_edited)
        return w

    def _read(self, f: Field):
        w = self.widgets[f.path]
        if f.kind == "int":
            return w.value()
        if f.kind == "optional_int":
            return w.value() or None
        if f.kind in ("bool", "moe"):
            return w.isChecked()
        if f.kind in ("choice", "tristate"):
            return w.currentData()
        return w.text().strip()

    def _write(self, f: Field, value) -> None:
        w = self.widgets[f.path]
        if f.kind == "int":
            w.setValue(int(value))
        elif f.kind == "optional_int":
            w.setValue(int(value or 0))
        elif f.kind == "moe":
            w.setChecked(value is not None)
        elif f.kind == "bool":
            w.setChecked(bool(value))
        elif f.kind in ("choice", "tristate"):
            index = w.findData(value)
            if index < 0 and f.kind == "choice":
                w.addItem(str(value), value)
                index = w.count() - 1
            w.setCurrentIndex(index)
        elif f.kind == "layers":
            if value is None:
                w.setText("")
            else:
                w.setText(format_layer_set(value) if value else "")
        else:
            w.setText(str(value))

    # -- state -------------------------------------------------------------------------------------------------
    @property
    def architecture(self) -> Architecture | None:
        """The last valid architecture."""
        return self._arch

    @property
    def is_valid(self) -> bool:
        return self._valid

    def set_architecture(self, arch: Architecture) -> None:
        """Show ``arch`` (no signal). A no-op when it is the last valid architecture, so a value being
        corrected keeps its message while other settings of the plan change."""
        if arch == self._arch:
            return
        self._arch = arch
        self._data = architecture_to_dict(arch)
        self._populating = True
        try:
            for f in FIELDS.values():
                self.messages[f.path].clear_message()
                if f.path.startswith("moe.") and self._data.get("moe") is None:
                    continue  # hidden; filled in when experts are switched on
                self._write(f, _get(self._data, f.path) if f.kind != "moe" else self._data.get("moe"))
            self.general_message.clear_message()
            self._update_visibility()
        finally:
            self._populating = False
        self._set_valid(True)

    def _update_visibility(self) -> None:
        data = self._data or {}
        mla = (data.get("attention") or {}).get("kind") == "mla"
        moe = data.get("moe") is not None
        window = (data.get("attention") or {}).get("sliding_window") is not None
        learned = (data.get("embeddings") or {}).get("position") == "learned"
        for path, cell in self._cells.items():
            visible = True
            if path.startswith("attention.") and path.split(".")[1] in (
                    "q_lora_rank", "kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim"):
                visible = mla
            elif path in ("attention.head_dim", "attention.num_kv_heads", "attention.fused_qkv",
                          "attention.qk_norm"):
                visible = not mla
            elif path.startswith("moe."):
                visible = moe
            elif path == "attention.sliding_layers":
                visible = window
            elif path in ("embeddings.learned_positions", "embeddings.position_offset"):
                visible = learned
            self._forms[path].setRowVisible(cell, visible)

    @Slot()
    def _on_field_edited(self) -> None:
        if self._populating or self._data is None:
            return
        path = self.sender().objectName()
        f = FIELDS[path]
        data = copy.deepcopy(self._data)
        value = self._read(f)
        try:
            if f.kind == "moe":
                data["moe"] = (self._data.get("moe") or default_moe(data)) if value else None
            elif path == "attention.kind" and value == "mla" and not data["attention"]["kv_lora_rank"]:
                data["attention"].update(kind="mla", **default_mla())
            elif f.kind == "layers":
                if value:
                    value = parse_layer_set(value, data["num_layers"], field=path)
                else:
                    value = None if path.endswith("sliding_layers") else ()
                _set(data, path, value)
            else:
                _set(data, path, value)
            arch = architecture_from_dict(data)
        except PlannerError as e:
            self._data = data
            self._show_error(e, path)
            return
        data = architecture_to_dict(arch)  # complete: defaults of newly switched-on sections filled in
        self._data = data
        if f.kind == "moe" or path == "attention.kind":  # sections filled in with defaults: show them
            self._populating = True
            try:
                for g in FIELDS.values():
                    if g.path.startswith(("moe.", "attention.")) and not (g.path.startswith("moe.") and
                                                                        data["moe"] is None):
                        self._write(g, _get(data, g.path))
            finally:
                self._populating = False
        self._update_visibility()
        for m in self.messages.values():
            m.clear_message()
        self.general_message.clear_message()
        self._set_valid(True)
        if arch != self._arch:
            self._arch = arch
            self.architecture_edited.emit(arch)

    def _show_error(self, error: PlannerError, edited_path: str) -> None:
        self._update_visibility()
        for m in self.messages.values():
            m.clear_message()
        self.general_message.clear_message()
        where = (error.field or edited_path).split("[")[0]
        message = error.message
        target = self.messages.get(where)
        if target is None or not self._cells[where].isVisibleTo(self):
            target = self.messages.get(edited_path)
            message = f"{where}: {message}" if error.field else message
        target.show_message(message)
        self._set_valid(False)

    def _set_valid(self, valid: bool) -> None:
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    def message_for(self, path: str) -> str:
        m = self.messages[path]
        return m.text() if m.isVisibleTo(self) or m.text() else ""
