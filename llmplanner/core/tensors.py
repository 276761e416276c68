"""The tensor inventory of an architecture: every parameter tensor with its shape and role.

This is the one place where shapes become numbers: parameter counts, per-layer tables, per-tensor
quantisation recipes (llama.cpp quantises tensor by tensor) and the CPU/GPU split by layer all read it.

Tensor names follow llama.cpp's GGUF convention (``gguf-py/gguf/constants.py``: ``token_embd``,
``blk.N.attn_q``, ``blk.N.ffn_down_exps`` ...), so an inventory can be compared with a GGUF file's header
and llama.cpp's quantisation rules can match on them. Shapes are PyTorch's ``(out_features, in_features)``;
the last dimension is the row that block quantisation runs along (ggml's ``ne[0]``). Merged expert tensors
are 3-D ``(n_expert, out, in)`` as llama.cpp stores them.

Counting convention (transformers' ``model.num_parameters()``, the reference data's): a tied output
embedding is counted once; buffers (rotary ``inv_freq``, FP8 scales) and multi-token-prediction modules
are not parameters.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import prod

from .architecture import Architecture

COMPONENTS = ("embeddings", "attention", "mlp", "experts", "norms", "output", "other")
"""Breakdown categories, in display order."""


@dataclass(frozen=True)
class TensorSpec:
    name: str
    """GGUF-style name, e.g. ``blk.3.attn_v.weight``."""
    shape: tuple[int, ...]
    role: str
    """The name without layer and suffix (``attn_v``, ``attn_v.bias``): what quantisation rules match on."""
    component: str
    """One of ``COMPONENTS``."""
    layer: int | None = None
    experts: int = 1
    """Routed experts stacked in this tensor (its first dimension), or 1."""
    active_experts: int = 1
    """How many of them one token uses."""

    @property
    def numel(self) -> int:
        return prod(self.shape)

    @property
    def active_numel(self) -> int:
        """Parameters one token reads: all of a dense tensor, k of the E experts of a stacked one."""
        return self.numel // self.experts * self.active_experts

    @property
    def is_matrix(self) -> bool:
        """Two or more dimensions: a candidate for quantisation (llama.cpp quantises only these)."""
        return len(self.shape) >= 2

    @property
    def row_size(self) -> int:
        """Elements along the quantised row (ggml ``ne[0]``)."""
        return self.shape[-1]


class _Inventory:
    """Builds the list; one small method per block of the network."""

    def __init__(self, arch: Architecture):
        self.arch = arch
        self.out: list[TensorSpec] = []

    def add(self, role: str, shape, component: str, layer: int | None = None, *, experts: int = 1,
            active_experts: int = 1, suffix: str = "weight") -> None:
        prefix = f"blk.{layer}." if layer is not None else ""
        full_role = role if suffix == "weight" else f"{role}.{suffix}"
        self.out.append(TensorSpec(f"{prefix}{role}.{suffix}", tuple(int(s) for s in shape), full_role,
                                   component, layer, experts, active_experts))

    def linear(self, role, out_f, in_f, component, layer=None, bias=False, **kw):
        self.add(role, (out_f, in_f), component, layer, **kw)
        if bias:
            self.add(role, (out_f,), component, layer, suffix="bias", **kw)

    def norm(self, role, size, layer=None, component="norms", bias: bool | None = None):
        self.add(role, (size,), component, layer)
        if self.arch.norms.has_bias if bias is None else bias:
            self.add(role, (size,), component, layer, suffix="bias")

    # -- blocks ------------------------------------------------------------------------------------------
    def embeddings(self):
        a, e = self.arch, self.arch.embeddings
        width = e.projection_dim or a.hidden_size
        self.add("token_embd", (e.vocab_size, width), "embeddings")
        if e.position == "learned":
            self.add("position_embd", (e.learned_positions + e.position_offset, a.hidden_size), "embeddings")
        if e.token_types:
            self.add("token_types", (e.token_types, a.hidden_size), "embeddings")
        if e.embedding_norm:
            self.norm("token_embd_norm", a.hidden_size, component="embeddings")
        if e.projection_dim:
            self.linear("project_in", a.hidden_size, e.projection_dim, "other")

    def attention(self, i: int):
        a, att = self.arch, self.arch.attention
        h = a.hidden_size
        qkv_bias = att.bias in ("qkv", "all")
        out_bias = att.bias == "all"
        if att.kind == "mla":
            q_width = att.num_heads * att.qk_head_dim
            if att.q_lora_rank:
                self.linear("attn_q_a", att.q_lora_rank, h, "attention", i, bias=qkv_bias)
                self.norm("attn_q_a_norm", att.q_lora_rank, i, bias=False)
                self.linear("attn_q_b", q_width, att.q_lora_rank, "attention", i)
            else:
                self.linear("attn_q", q_width, h, "attention", i)
            self.linear("attn_kv_a_mqa", att.kv_lora_rank + att.qk_rope_head_dim, h, "attention", i, bias=qkv_bias)
            self.norm("attn_kv_a_norm", att.kv_lora_rank, i, bias=False)
            self.linear("attn_kv_b", att.num_heads * (att.qk_nope_head_dim + att.v_head_dim), att.kv_lora_rank,
                        "attention", i)
            self.linear("attn_output", h, att.num_heads * att.v_head_dim, "attention", i, bias=out_bias)
            return
        q, kv = att.num_heads * att.head_dim, att.num_kv_heads * att.head_dim
        if att.fused_qkv:
            self.linear("attn_qkv", q + 2 * kv, h, "attention", i, bias=qkv_bias)
        else:
            self.linear("attn_q", q, h, "attention", i, bias=qkv_bias)
            self.linear("attn_k", kv, h, "attention", i, bias=qkv_bias)
            self.linear("attn_v", kv, h, "attention", i, bias=qkv_bias)
        if att.qk_norm == "per_head":
            self.norm("attn_q_norm", att.head_dim, i)
            self.norm("attn_k_norm", att.head_dim, i)
        elif att.qk_norm == "full":
            self.norm("attn_q_norm", q, i)
            self.norm("attn_k_norm", kv, i)
        self.linear("attn_output", h, q, "attention", i, bias=out_bias)

    def layer_norms(self, i: int):
        a = self.arch
        n = a.norms.per_layer
        if n == 0:
            return
        if a.parallel_block:
            roles = ["attn_norm", "attn_norm_2"][:n]
        elif n == 1:
            roles = ["attn_norm"]
        elif n == 2:
            roles = ["attn_norm", "ffn_norm"]
        else:
            roles = ["attn_norm", "post_attention_norm", "ffn_norm", "post_ffw_norm"]
            roles += [f"norm_{k}" for k in range(4, n)]
        for role in roles:
            self.norm(role, a.hidden_size, i)

    def dense_mlp(self, i: int):
        a, m = self.arch, self.arch.mlp
        h, f = a.hidden_size, m.intermediate_size
        if m.gated and m.fused_gate_up:
            self.linear("ffn_up", 2 * f, h, "mlp", i, bias=m.bias)
        else:
            if m.gated:
                self.linear("ffn_gate", f, h, "mlp", i, bias=m.bias)
            self.linear("ffn_up", f, h, "mlp", i, bias=m.bias)
        self.linear("ffn_down", h, f, "mlp", i, bias=m.bias)

    def sparse_mlp(self, i: int):
        a, moe = self.arch, self.arch.moe
        h, e, k, f = a.hidden_size, moe.num_experts, moe.experts_per_token, moe.expert_intermediate_size
        self.linear("ffn_gate_inp", e, h, "experts", i, bias=moe.router_bias)
        if moe.router_score_bias:
            self.add("exp_probs_b", (e,), "experts", i, suffix="bias")
        kw = dict(experts=e, active_experts=k)
        if moe.gated:
            self.add("ffn_gate_exps", (e, f, h), "experts", i, **kw)
            if moe.expert_bias:
                self.add("ffn_gate_exps", (e, f), "experts", i, suffix="bias", **kw)
        self.add("ffn_up_exps", (e, f, h), "experts", i, **kw)
        if moe.expert_bias:
            self.add("ffn_up_exps", (e, f), "experts", i, suffix="bias", **kw)
        self.add("ffn_down_exps", (e, h, f), "experts", i, **kw)
        if moe.expert_bias:
            self.add("ffn_down_exps", (e, h), "experts", i, suffix="bias", **kw)
        s = moe.shared_intermediate_size
        if s:
            if moe.gated:
                self.linear("ffn_gate_shexp", s, h, "experts", i)
            self.linear("ffn_up_shexp", s, h, "experts", i)
            self.linear("ffn_down_shexp", h, s, "experts", i)
            if moe.shared_expert_gate:
                self.linear("ffn_gate_inp_shexp", 1, h, "experts", i)

    def head(self):
        a, e = self.arch, self.arch.embeddings
        width = e.projection_dim or a.hidden_size
        if a.norms.final:
            self.norm("output_norm", a.hidden_size)
        if e.projection_dim:
            self.linear("project_out", e.projection_dim, a.hidden_size, "other")
        if e.pooler:
            self.linear("pooler", a.hidden_size, a.hidden_size, "other", bias=True)
        if not e.tied:
            self.add("output", (e.vocab_size, width), "output")
        if e.output_bias:
            self.add("output", (e.vocab_size,), "output", suffix="bias")

    def build(self) -> tuple[TensorSpec, ...]:
        self.embeddings()
        for i in range(self.arch.num_layers):
            self.layer_norms(i)
            self.attention(i)
            if self.arch.is_sparse_layer(i):
                self.sparse_mlp(i)
            else:
                self.dense_mlp(i)
        self.head()
        return tuple(self.out)


@lru_cache(maxsize=64)
def inventory(arch: Architecture) -> tuple[TensorSpec, ...]:
    """Every parameter tensor of ``arch``, embeddings first, then layer by layer, then the head."""
    return _Inventory(arch).build()
