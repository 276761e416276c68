"""Activation memory of one micro-batch: every tensor the forward pass keeps for the backward pass.

Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models" (arXiv:2205.05198)
§4.1 count, for a GPT block with 16-bit activations and 1-byte dropout masks, what each operation stores::

    attention   2sbh  QKV input            4sbh  Q and K (for QKᵀ)       2as²b softmax output
                as²b  softmax dropout mask  2as²b dropout output + 2sbh V (for A·V)
                2sbh  output-projection input  sbh dropout mask       = 11sbh + 5as²b
    MLP         2sbh  first linear's input  8sbh GeLU input   8sbh second linear's input
                sbh   dropout mask                                    = 19sbh
    layernorms  2 × 2sbh inputs                                      = 4sbh
    per layer   sbh(34 + 5as/h) bytes

This module derives the same list from the architecture instead of assuming GPT's shape, so each term
follows the model. Korthikanti's Table 1/2 values are reproduced exactly for GPT shapes (``unfused``
attention, fused norms, dropout; ``tests/test_training.py``), and for transformers' own models the
per-layer bytes equal what PyTorch's autograd saves, byte for byte (``tests/test_training_oracle.py``
counts them with ``torch.autograd.graph.saved_tensors_hooks``):

- a norm keeps its input (h per token) and fp32 statistics per token (which the paper leaves out);
  transformers' eager RMSNorm keeps an fp32 copy of the input and, when its weight trains, the normalised
  16-bit tensor (``setup.norm_kernel``). Parallel blocks (GPT-J, GPT-NeoX) read one residual, kept once;
  Gemma's post-norms keep the block outputs they normalise;
- a linear layer keeps its input only to form its *weight* gradient, ``dW = dYᵀ·X``: PyTorch saves ``X``
  only when the weight requires grad (autograd's ``mm`` formula in ``tools/autograd/derivatives.yaml``
  uses ``self`` only for ``mat2``'s gradient, and the generated code saves it only when that gradient is
  needed). So under LoRA a frozen, non-adapted projection keeps nothing, an adapted one keeps its input for
  the adapter's A, and more generally nothing is kept where no gradient flows: with frozen embeddings the
  first layer keeps nothing below its first adapted projection;
- attention keeps Q (heads × qk_head_dim), K and V; with GQA a fused kernel keeps K and V at the kv-head
  width (FlashAttention-2 saves ``q, k, v, out, softmax_lse``, Dao 2023 arXiv:2307.08691 Algorithm 2; so
  does PyTorch SDPA, which transformers calls with ``enable_gqa``), while unfused attention keeps the
  repeated, full-width copies its matmuls read (transformers' ``repeat_kv``; Megatron's unfused core
  attention) and the s×s probabilities (``5as/h`` with dropout, ``2as/h`` without; transformers' eager
  softmax runs in fp32 and keeps that too); the fused kernel keeps its output and an fp32 log-sum-exp;
- a gated MLP (SwiGLU/GeGLU) keeps the gate projection (activation input), the up projection and the
  activation output (the two operands of the product) and the product (down projection's input):
  4·intermediate per token instead of GPT's 2·(4h); ReLU keeps its output, which is the next input;
- a MoE layer routes each token to k experts: k copies of the token's hidden state (the experts' input),
  k expert intermediates, the fp32 router probabilities and the k weighted expert outputs;
- MLA (DeepSeek-V2/V3) keeps its latent vectors at their ranks and the decompressed heads.

Tensor parallelism over t splits heads, the MLP intermediate and the vocabulary; the norm inputs, the
linear-layer inputs that are replicated and the dropout masks stay whole unless sequence parallelism splits
them along the sequence (Korthikanti Table 2: ``sbh(10 + 24/t + 5as/(ht))`` and ``sbh(34/t + 5as/(ht))``).
Selective recomputation drops the attention core's s² tensors (Table 2: ``34sbh/t``); full recomputation
keeps only each layer's input (``2sbh``) and re-creates one layer's tensors at a time during the backward
pass (that one layer is counted as ``recompute_transient_bytes``, as in Chen et al. 2016 arXiv:1604.06174 §4:
"memory cost of the checkpoints plus one segment").

Outside the layers (Korthikanti §4.3 and Megatron-LM ``megatron/training/theoretical_memory_usage.py``):
the token ids (int64, 8 bytes a token; position ids too for a learned position table), the rotary cos/sin
tables, the embedding dropout mask, the final norm's and the output layer's inputs (2sbh each), the loss's
int64 targets, and the logits kept in fp32 for the cross-entropy loss, ``4sbv/t`` — the largest single term
for a large vocabulary (128k for Llama 3).

Left out: MoE routing bookkeeping (top-k indices and per-expert index lists, ~2 % of a MoE layer in
transformers), transients that live inside one operation (the 16-bit logits before their fp32 copy, kernel
workspaces), partial-rotary tables (counted at the full head size), family-specific module code
(transformers' ``gelu_new`` is a chain of Python ops that keeps several intermediates; Gemma's norm keeps
its normalised tensor in fp32).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..architecture import Architecture
from ..errors import ConfigError
from ..tensors import inventory
from .setup import TrainingSetup

MASK_BYTES = 1
"""Dropout masks are stored one byte per element (torch.bool; Korthikanti §4.1)."""
LSE_BYTES = 4
"""FlashAttention's softmax log-sum-exp is fp32, one value per head per token."""
ROUTER_PROB_BYTES = 4
"""Mixtral/transformers compute router softmax in fp32 (``F.softmax(router_logits, dtype=torch.float)``)."""
LOGIT_BYTES = 4
"""Logits are kept in fp32 for the loss (Korthikanti §4.3: "4sbv")."""
NORM_STAT_BYTES = 4
"""One fp32 statistic (mean or rstd) per normalised row."""
TOKEN_ID_BYTES = 8
"""int64 token ids (Megatron's "Input to embedding": 8sb)."""

ATTENTION_INPUT_ROLES = frozenset({"attn_q", "attn_k", "attn_v", "attn_qkv", "attn_q_a", "attn_kv_a_mqa"})
MLP_INPUT_ROLES = frozenset({"ffn_gate", "ffn_up"})
SHARED_EXPERT_INPUT_ROLES = frozenset({"ffn_gate_shexp", "ffn_up_shexp"})
RELU_LIKE = ("relu",)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class Stored:
    """One tensor kept for the backward pass, sized per token of one sample, on one GPU."""

    name: str
    per_token: int
    """Elements per token on one GPU (heads and intermediates already divided by the tensor-parallel size)."""
    nbytes: int
    """Bytes per element."""
    replicated: bool = False
    """Whole on every tensor-parallel rank; sequence parallelism splits it along the sequence."""
    needed_by: frozenset[str] | None = None
    """Linear roles whose weight gradient is its only use; ``None`` = always kept."""
    core_attention: bool = False
    """An s² tensor of unfused attention, dropped by selective recomputation."""


@dataclass(frozen=True)
class Trainability:
    """Which weights get gradients and which carry adapters (decides what linear inputs are kept)."""

    full: bool
    adapted: frozenset[str] = frozenset()
    rank: int = 0
    lora_dropout: float = 0.0

    def keeps_input(self, roles: frozenset[str]) -> bool:
        if self.full:
            return True
        return bool(roles & self.adapted) and self.lora_dropout == 0.0


@dataclass(frozen=True)
class ActivationMemory:
    """Bytes of stored activations on one GPU for one micro-batch."""

    per_layer: tuple[int, ...]
    embedding_bytes: int
    head_bytes: int
    """Final norm input and the output layer's input."""
    loss_bytes: int
    """fp32 logits for the cross-entropy loss."""
    recompute_transient_bytes: int
    """Full recomputation: one layer's tensors re-created during its backward pass."""
    terms: dict[str, int] = field(default_factory=dict)
    """Bytes per named tensor, summed over layers (before recomputation drops any)."""

    @property
    def layers_bytes(self) -> int:
        return sum(self.per_layer)

    @property
    def total_bytes(self) -> int:
        return (self.layers_bytes + self.embedding_bytes + self.head_bytes + self.loss_bytes
                + self.recompute_transient_bytes)

    def as_dict(self) -> dict:
        return {
            "layers_bytes": self.layers_bytes,
            "per_layer_bytes": list(self.per_layer),
            "embedding_bytes": self.embedding_bytes,
            "head_bytes": self.head_bytes,
            "loss_bytes": self.loss_bytes,
            "recompute_transient_bytes": self.recompute_transient_bytes,
            "total_bytes": self.total_bytes,
            "terms": dict(self.terms),
        }


class _LayerTensors:
    """Builds the list of stored tensors of one transformer layer."""

    def __init__(self, arch: Architecture, setup: TrainingSetup, train: Trainability):
        self.arch, self.setup, self.train = arch, setup, train
        self.t = setup.tensor_parallel
        self.e = setup.activation_bytes
        self.out: list[Stored] = []

    def add(self, name, per_token, nbytes=None, **kw):
        if per_token > 0:
            self.out.append(Stored(name, per_token, self.e if nbytes is None else nbytes, **kw))

    def split(self, n: int) -> int:
        """Elements of a tensor-parallel-split dimension on one GPU."""
        return _ceil_div(n, self.t)

    def linear_input(self, name: str, per_token: int, roles: frozenset[str], *, replicated=True, copies=1):
        """An input read by the linear layers ``roles``: kept if any of them needs its weight gradient;
        adapters add their A output (rank per token) and, with LoRA dropout, their own dropped input."""
        present = roles & self.roles_here
        if not present:
            return
        tr = self.train
        if tr.keeps_input(present):
            self.add(name, per_token * copies, replicated=replicated, needed_by=present)
        for role in sorted(present & tr.adapted):
            self.add(f"lora_a_output[{role}]", tr.rank * copies)
            if tr.lora_dropout > 0:
                self.add(f"lora_dropout_input[{role}]", per_token * copies, replicated=replicated)
                self.add(f"lora_dropout_mask[{role}]", per_token * copies, MASK_BYTES, replicated=replicated)

    def trains(self, roles) -> bool:
        """Whether any of the linear layers ``roles`` present here gets a weight or adapter gradient."""
        present = frozenset(roles) & self.roles_here
        return bool(present) and (self.train.full or bool(present & self.train.adapted))

    # -- blocks ------------------------------------------------------------------------------------------
    def norm(self, name: str, width: int, *, grad_in: bool, rows: int = 1, replicated: bool = True):
        """One norm's kept tensors. A fused kernel (and PyTorch's ``native_layer_norm``) keeps its 16-bit
        input — Korthikanti's 2sbh — plus fp32 statistics per row, which the paper leaves out: mean and
        rstd for LayerNorm (8 bytes), rstd for RMSNorm (4). transformers' eager RMSNorm
        (``LlamaRMSNorm.forward``) keeps the input upcast to fp32 (read by ``pow`` and by the product with
        rstd), the rstd, and — when the norm weight is trained — the normalised tensor cast back to 16
        bits that multiplies the weight. A frozen norm whose input needs no gradient keeps nothing."""
        if not (grad_in or self.train.full):
            return
        if self.arch.norms.kind == "layernorm":
            self.add(f"{name}_input", width, replicated=replicated)
            self.add(f"{name}_statistics", rows, 2 * NORM_STAT_BYTES, replicated=replicated)
        elif self.setup.norm_kernel == "fused":
            self.add(f"{name}_input", width, replicated=replicated)
            self.add(f"{name}_statistics", rows, NORM_STAT_BYTES, replicated=replicated)
        else:
            self.add(f"{name}_input_fp32", width, 4, replicated=replicated)
            self.add(f"{name}_statistics", rows, NORM_STAT_BYTES, replicated=replicated)
            if self.train.full:
                self.add(f"{name}_normalized", width, replicated=replicated)

    def attention(self, x_grad: bool, mlp_roles: frozenset[str]) -> bool:
        """The attention block's tensors; returns whether its output needs a gradient."""
        a, att, s = self.arch, self.arch.attention, self.setup
        h = a.hidden_size
        if att.num_heads % self.t:
            raise ConfigError(f"tensor parallelism over {self.t} GPUs needs the {att.num_heads} attention heads "
                              f"to divide evenly", field="tensor_parallel")
        heads = att.num_heads // self.t
        self.linear_input("attention_input", h, ATTENTION_INPUT_ROLES | mlp_roles)
        if att.kind == "mla":
            q_grad = x_grad or self.trains({"attn_q", "attn_q_a", "attn_q_b"})
            k_grad = v_grad = x_grad or self.trains({"attn_kv_a_mqa", "attn_kv_b"})
            if att.q_lora_rank:
                self.norm("q_latent_norm", att.q_lora_rank, grad_in=x_grad or self.trains({"attn_q_a"}))
                self.linear_input("q_latent", att.q_lora_rank, frozenset({"attn_q_b"}))
            self.norm("kv_latent_norm", att.kv_lora_rank, grad_in=x_grad or self.trains({"attn_kv_a_mqa"}))
            self.linear_input("kv_latent", att.kv_lora_rank, frozenset({"attn_kv_b"}))
            kv_heads = heads
        else:
            fused = self.trains({"attn_qkv"})
            q_grad = x_grad or fused or self.trains({"attn_q"})
            k_grad = x_grad or fused or self.trains({"attn_k"})
            v_grad = x_grad or fused or self.trains({"attn_v"})
            kv_heads = self.split(att.num_kv_heads) if s.attention_kernel == "flash" else heads
            if att.qk_norm != "none":
                per_head = att.qk_norm == "per_head"
                kv = self.split(att.num_kv_heads)
                self.norm("q_norm", heads * att.head_dim, grad_in=q_grad, rows=heads if per_head else 1,
                          replicated=False)
                self.norm("k_norm", kv * att.head_dim, grad_in=k_grad, rows=kv if per_head else 1,
                          replicated=False)
        scores_grad = q_grad or k_grad  # QKᵀ needs a gradient
        any_grad = scores_grad or v_grad
        q, k, v = heads * att.qk_head_dim, kv_heads * att.qk_head_dim, kv_heads * att.value_head_dim
        if s.attention_kernel == "flash":
            if any_grad:  # the fused kernel keeps all of q, k, v, its output and the log-sum-exp
                self.add("q", q)
                self.add("k", k)
                self.add("v", v)
                self.add("attention_output", heads * att.value_head_dim)
                self.add("attention_logsumexp", heads, LSE_BYTES)
            self.adapter_extras(heads * att.value_head_dim, frozenset({"attn_output"}))
        else:
            # QKᵀ keeps K for Q's gradient and Q for K's; A·V keeps V for A's gradient and A for V's.
            if k_grad:
                self.add("q", q)
            if q_grad:
                self.add("k", k)
            if scores_grad:
                self.add("v", v)
            scores = heads * s.seq_len
            # The softmax output serves its own backward (if the scores need a gradient) and, without
            # dropout, the A·V product (if V needs one); with dropout A·V reads the dropped copy.
            probs_kept = scores_grad or (v_grad and not s.dropout)
            if s.attention_kernel == "eager":  # softmax(..., dtype=torch.float32).to(query.dtype)
                if scores_grad or (self.e == 4 and probs_kept):
                    self.add("attention_softmax_fp32", scores, 4, core_attention=True)
                if self.e != 4 and v_grad and not s.dropout:
                    self.add("attention_probs", scores, core_attention=True)
            elif probs_kept:
                self.add("attention_probs", scores, core_attention=True)
            if s.dropout:
                if scores_grad:
                    self.add("attention_dropout_mask", scores, MASK_BYTES, core_attention=True)
                if v_grad:
                    self.add("attention_dropout_output", scores, core_attention=True)
            self.linear_input("output_projection_input", heads * att.value_head_dim,
                              frozenset({"attn_output"}), replicated=False)
        out_grad = any_grad or self.trains({"attn_output"})
        if s.dropout and out_grad:
            self.add("attention_residual_dropout_mask", h, MASK_BYTES, replicated=True)
        return out_grad

    def adapter_extras(self, per_token: int, roles: frozenset[str], copies: int = 1):
        """A linear whose input another operation keeps anyway (FlashAttention's output, ReLU's output):
        only the adapters' own tensors can add to it."""
        tr = self.train
        for role in sorted(roles & self.roles_here & tr.adapted):
            self.add(f"lora_a_output[{role}]", tr.rank * copies)
            if tr.lora_dropout > 0:
                self.add(f"lora_dropout_input[{role}]", per_token * copies)
                self.add(f"lora_dropout_mask[{role}]", per_token * copies, MASK_BYTES)

    def intermediate(self, prefix: str, width: int, gated: bool, x_grad: bool, roles: tuple[str, str, str],
                     copies: int = 1) -> bool:
        """The MLP's inside: activation inputs/outputs and the down projection's input. ``roles`` are the
        gate, up and down projections; returns whether the output needs a gradient."""
        gate_role, up_role, down_role = roles
        f = self.split(width) * copies
        relu = self.arch.mlp.activation.lower() in RELU_LIKE
        up_grad = x_grad or self.trains({up_role})
        if gated:
            # a fused gate_up matrix (Phi-3) is one role: the gate half needs a gradient when it does
            gate_grad = x_grad or self.trains({gate_role}) if gate_role in self.roles_here else up_grad
            if gate_grad:  # the activation's input, and the up projection as the product's other operand
                self.add(f"{prefix}gate_projection", f)
                self.add(f"{prefix}up_projection", f)
            if up_grad:  # the activation's output, the operand the up projection's gradient needs
                self.add(f"{prefix}activation_output", f)
            inner_grad = gate_grad or up_grad
            self.linear_input(f"{prefix}down_projection_input", self.split(width), frozenset({down_role}),
                              replicated=False, copies=copies)
        elif relu:
            inner_grad = up_grad
            if up_grad:
                self.add(f"{prefix}activation_output", f)
            self.adapter_extras(self.split(width), frozenset({down_role}), copies)
        else:
            inner_grad = up_grad
            if up_grad:
                self.add(f"{prefix}activation_input", f)
            self.linear_input(f"{prefix}down_projection_input", self.split(width), frozenset({down_role}),
                              replicated=False, copies=copies)
        return inner_grad or self.trains({down_role})

    def dense_mlp(self, x_grad: bool, share_input: bool) -> bool:
        m = self.arch.mlp
        if not share_input:
            self.linear_input("mlp_input", self.arch.hidden_size, MLP_INPUT_ROLES)
        out_grad = self.intermediate("", m.intermediate_size, m.gated, x_grad, ("ffn_gate", "ffn_up", "ffn_down"))
        if self.setup.dropout and out_grad:
            self.add("mlp_dropout_mask", self.arch.hidden_size, MASK_BYTES, replicated=True)
        return out_grad

    def sparse_mlp(self, x_grad: bool, share_input: bool) -> bool:
        a, moe = self.arch, self.arch.moe
        h, k = a.hidden_size, moe.experts_per_token
        if not share_input:
            self.linear_input("moe_input", h, frozenset({"ffn_gate_inp"}) | SHARED_EXPERT_INPUT_ROLES)
        router_grad = x_grad or self.trains({"ffn_gate_inp"})
        if router_grad:  # softmax's output, and the expert outputs that the routing weights' gradient needs
            self.add("router_probabilities", moe.num_experts, ROUTER_PROB_BYTES, replicated=True)
        self.linear_input("expert_inputs", h, frozenset({"ffn_gate_exps", "ffn_up_exps"}), copies=k)
        out_grad = self.intermediate("expert_", moe.expert_intermediate_size, moe.gated, x_grad,
                                     ("ffn_gate_exps", "ffn_up_exps", "ffn_down_exps"), copies=k)
        if router_grad:
            self.add("expert_outputs", h * k, replicated=True)
        if moe.shared_intermediate_size:
            out_grad |= self.intermediate("shared_expert_", moe.shared_intermediate_size, moe.gated, x_grad,
                                          ("ffn_gate_shexp", "ffn_up_shexp", "ffn_down_shexp"))
        out_grad |= router_grad
        if self.setup.dropout and out_grad:
            self.add("mlp_dropout_mask", h, MASK_BYTES, replicated=True)
        return out_grad

    def build(self, layer: int, roles_here: frozenset[str], grad_in: bool = True) -> tuple[list[Stored], bool]:
        """The tensors of layer ``layer``, whose input needs a gradient if ``grad_in``; returns them and
        whether the layer's output needs one (under LoRA the frozen embeddings' output does not, so the
        first layer keeps less: what no gradient flows through is not kept)."""
        self.out = []
        self.roles_here = roles_here
        a = self.arch
        grad_in = grad_in or self.train.full
        sparse = a.is_sparse_layer(layer)
        one_input = a.parallel_block and a.norms.per_layer <= 1
        mlp_roles = (frozenset({"ffn_gate_inp"}) | SHARED_EXPERT_INPUT_ROLES if sparse else MLP_INPUT_ROLES) \
            if one_input else frozenset()
        n = a.norms.per_layer
        norm_inputs = 1 if a.parallel_block and n <= 2 else n
        if norm_inputs:
            self.norm("norm_0", a.hidden_size, grad_in=grad_in)
        attn_grad = self.attention(grad_in, mlp_roles)
        after_attention = grad_in or attn_grad
        mlp_in = grad_in if a.parallel_block else after_attention
        for i in range(1, norm_inputs):  # post-attention and pre/post-MLP norms of sequential blocks
            self.norm(f"norm_{i}", a.hidden_size, grad_in=after_attention)
        mlp_grad = (self.sparse_mlp if sparse else self.dense_mlp)(mlp_in, one_input)
        return self.out, after_attention or mlp_grad


def _bytes(x: Stored, setup: TrainingSetup) -> int:
    tokens = setup.micro_batch * setup.seq_len
    total = tokens * x.per_token * x.nbytes
    if x.replicated and setup.sequence_parallel:
        return _ceil_div(total, setup.tensor_parallel)
    return total


@lru_cache(maxsize=64)
def _layer_roles(arch: Architecture) -> tuple[frozenset[str], ...]:
    """The inventory roles present in each layer."""
    roles: list[set[str]] = [set() for _ in range(arch.num_layers)]
    for spec in inventory(arch):
        if spec.layer is not None:
            roles[spec.layer].add(spec.role)
    return tuple(frozenset(r) for r in roles)


def layer_tensors(arch: Architecture, setup: TrainingSetup, train: Trainability, layer: int) -> list[Stored]:
    """The tensors layer ``layer`` keeps with no recomputation (its input needing a gradient unless it is
    the first layer of a frozen-base run)."""
    return _LayerTensors(arch, setup, train).build(layer, _layer_roles(arch)[layer],
                                                   grad_in=layer > 0 or train.full)[0]


def activation_memory(arch: Architecture, setup: TrainingSetup, train: Trainability) -> ActivationMemory:
    """Stored activations on one GPU for one micro-batch of ``setup.micro_batch × setup.seq_len`` tokens."""
    e, t = setup.activation_bytes, setup.tensor_parallel
    tokens = setup.micro_batch * setup.seq_len
    builder = _LayerTensors(arch, setup, train)
    per_layer, terms, full_layer_bytes = [], {}, []
    seen: dict[tuple, tuple] = {}  # layers alike (same tensors, same kind, same gradient flow) are built once
    grad = train.full  # LoRA/QLoRA: the frozen embeddings' output needs no gradient
    for i, roles in enumerate(_layer_roles(arch)):
        key = (roles, arch.is_sparse_layer(i), grad)
        if key not in seen:
            stored, grad_out = builder.build(i, roles, grad)
            sizes = [(x.name, _bytes(x, setup), x.core_attention) for x in stored]
            everything = sum(b for _, b, _ in sizes)
            kept = sum(b for _, b, core in sizes if not (core and setup.recompute == "selective"))
            if setup.recompute == "full":
                kept = _bytes(Stored("layer_input", arch.hidden_size, e, replicated=True), setup)
            seen[key] = (sizes, everything, kept, grad_out)
        sizes, everything, kept, grad = seen[key]
        for name, b, _ in sizes:
            terms[name] = terms.get(name, 0) + b
        full_layer_bytes.append(everything)
        per_layer.append(kept)
    transient = max(full_layer_bytes, default=0) if setup.recompute == "full" else 0

    def whole(per_token: int, nbytes: int) -> int:
        n = tokens * per_token * nbytes
        return _ceil_div(n, t) if setup.sequence_parallel else n

    labels = tokens * TOKEN_ID_BYTES  # the loss's int64 targets
    embedding = tokens * TOKEN_ID_BYTES if train.full else 0  # input ids, for the embedding's gradient
    if train.full and arch.embeddings.position == "learned":  # position ids, for the position table's
        embedding += tokens * TOKEN_ID_BYTES
    if arch.embeddings.position == "rotary":  # cos and sin of each position, shared by the batch and layers
        att = arch.attention
        rot = att.qk_rope_head_dim if att.kind == "mla" else att.head_dim
        embedding += setup.seq_len * 2 * rot * e
    if setup.dropout:
        embedding += whole(arch.hidden_size, MASK_BYTES)
    head = 0
    if arch.norms.final:
        final = _LayerTensors(arch, setup, train)
        final.norm("final_norm", arch.hidden_size, grad_in=grad)
        head = sum(_bytes(x, setup) for x in final.out)
    head_role = "token_embd" if arch.embeddings.tied else "output"
    if train.full:
        head += whole(arch.embeddings.projection_dim or arch.hidden_size, e)
    elif head_role in train.adapted and train.lora_dropout == 0:
        head += whole(arch.embeddings.projection_dim or arch.hidden_size, e)
    loss = tokens * _ceil_div(arch.embeddings.vocab_size, t) * LOGIT_BYTES + labels
    return ActivationMemory(tuple(per_layer), embedding, head, loss, transient, terms)
