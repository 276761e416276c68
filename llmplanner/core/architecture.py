"""An exact, immutable description of a transformer's shapes.

Everything that decides a parameter count, a KV-cache size or a FLOP count lives here, in plain frozen
dataclasses; nothing here knows where the numbers came from (a ``config.json``, a preset, a GGUF header or
the Architecture tab). The tensor inventory built from a spec (``llmplanner.core.tensors``) is the single
source of every count.

Field meanings follow Hugging Face transformers' configuration classes (``LlamaConfig``, ``MixtralConfig``,
``DeepseekV3Config`` ...), whose names the reader in ``hf_config`` maps from.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

from .errors import ArchitectureError

NormKind = Literal["rmsnorm", "layernorm"]
PositionKind = Literal["rotary", "learned", "alibi", "none"]
BiasKind = Literal["none", "qkv", "all"]
QKNormKind = Literal["none", "per_head", "full"]
AttentionKind = Literal["standard", "mla"]

#: Upper bounds that no real model comes near; larger values are typos or hostile input, refused with a
#: message instead of allocating absurd arrays later.
LIMITS = {
    "vocab_size": 1 << 24,
    "hidden_size": 1 << 20,
    "num_layers": 10_000,
    "num_heads": 1 << 16,
    "head_dim": 1 << 16,
    "intermediate_size": 1 << 24,
    "num_experts": 1 << 16,
    "context": 1 << 31,
    "rank": 1 << 20,
}


def _check_int(owner: str, name: str, value, *, minimum: int = 1, limit: str | None = None) -> None:
    where = f"{owner}.{name}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArchitectureError(where, f"must be an integer, got {value!r}")
    if value < minimum:
        raise ArchitectureError(where, f"must be at least {minimum}, got {value}")
    cap = LIMITS.get(limit or name)
    if cap is not None and value > cap:
        raise ArchitectureError(where, f"{value:,} is larger than any real model uses (limit {cap:,})")


@dataclass(frozen=True)
class Attention:
    """Self-attention of one layer.

    ``standard`` covers MHA (kv heads = heads), GQA and MQA (one kv head); ``head_dim`` may differ from
    hidden/heads (Gemma, Qwen3). ``mla`` is DeepSeek-V2/V3's Multi-head Latent Attention (arXiv:2405.04434
    §2.1): queries through an optional low-rank ``q_lora_rank`` bottleneck, keys and values through a shared
    ``kv_lora_rank`` latent plus a decoupled rotary key of ``qk_rope_head_dim``.
    """

    num_heads: int
    num_kv_heads: int
    head_dim: int
    kind: AttentionKind = "standard"
    bias: BiasKind = "none"
    """``qkv``: biases on the q/k/v projections only (Qwen2); ``all``: on the output projection too."""
    qk_norm: QKNormKind = "none"
    """Norm on queries and keys: ``per_head`` over head_dim (Qwen3, Gemma 3), ``full`` over all heads (OLMo 2)."""
    fused_qkv: bool = False
    """Stored as one q/k/v matrix (GPT-2, GPT-NeoX, Falcon, Phi-3): the same count, another GGUF tensor."""
    # Multi-head Latent Attention
    q_lora_rank: int | None = None
    kv_lora_rank: int = 0
    qk_rope_head_dim: int = 0
    qk_nope_head_dim: int = 0
    v_head_dim: int = 0
    # Sliding-window attention: the window and which layers use it (None = every layer).
    sliding_window: int | None = None
    sliding_layers: tuple[int, ...] | None = None

    def __post_init__(self):
        _check_int("attention", "num_heads", self.num_heads)
        _check_int("attention", "num_kv_heads", self.num_kv_heads, limit="num_heads")
        if self.kind == "standard":
            _check_int("attention", "head_dim", self.head_dim)
            if self.num_heads % self.num_kv_heads:
                raise ArchitectureError(
                    "attention.num_kv_heads",
                    f"{self.num_kv_heads} key/value heads must divide the {self.num_heads} attention heads",
                )
        elif self.kind == "mla":
            if self.q_lora_rank is not None:
                _check_int("attention", "q_lora_rank", self.q_lora_rank, limit="rank")
            _check_int("attention", "kv_lora_rank", self.kv_lora_rank, limit="rank")
            _check_int("attention", "qk_rope_head_dim", self.qk_rope_head_dim, minimum=0, limit="head_dim")
            _check_int("attention", "qk_nope_head_dim", self.qk_nope_head_dim, minimum=0, limit="head_dim")
            _check_int("attention", "v_head_dim", self.v_head_dim, limit="head_dim")
            if self.qk_rope_head_dim + self.qk_nope_head_dim < 1:
                raise ArchitectureError("attention.qk_nope_head_dim", "query/key head size must be positive")
        else:
            raise ArchitectureError("attention.kind", f"unknown attention kind {self.kind!r}")
        if self.bias not in ("none", "qkv", "all"):
            raise ArchitectureError("attention.bias", f"must be none, qkv or all, got {self.bias!r}")
        if self.qk_norm not in ("none", "per_head", "full"):
            raise ArchitectureError("attention.qk_norm", f"must be none, per_head or full, got {self.qk_norm!r}")
        if self.sliding_window is not None:
            _check_int("attention", "sliding_window", self.sliding_window, limit="context")

    @property
    def qk_head_dim(self) -> int:
        """Size of one query/key head (MLA: nope + rope parts)."""
        if self.kind == "mla":
            return self.qk_nope_head_dim + self.qk_rope_head_dim
        return self.head_dim

    @property
    def value_head_dim(self) -> int:
        return self.v_head_dim if self.kind == "mla" else self.head_dim

    @property
    def grouping(self) -> str:
        """MHA, GQA, MQA or MLA, as the literature names them."""
        if self.kind == "mla":
            return "MLA"
        if self.num_kv_heads == self.num_heads:
            return "MHA"
        return "MQA" if self.num_kv_heads == 1 else "GQA"

    def is_sliding(self, layer: int) -> bool:
        if self.sliding_window is None:
            return False
        return self.sliding_layers is None or layer in self.sliding_layers


@dataclass(frozen=True)
class MLP:
    """The dense feed-forward block: gated 3-matrix (SwiGLU/GeGLU: gate, up, down) or plain 2-matrix."""

    intermediate_size: int
    gated: bool = True
    bias: bool = False
    activation: str = "silu"
    fused_gate_up: bool = False
    """Gate and up stored as one matrix (Phi-3): the same count, another GGUF tensor."""

    def __post_init__(self):
        _check_int("mlp", "intermediate_size", self.intermediate_size)


@dataclass(frozen=True)
class MoE:
    """Mixture of Experts (Switch/GShard routing; Mixtral arXiv:2401.04088; DeepSeekMoE arXiv:2401.06066).

    Layers ``first_dense_layers`` .. and every ``layer_frequency``-th layer after them are sparse, except
    those listed in ``dense_layers``; the others use the dense ``MLP``.
    """

    num_experts: int
    experts_per_token: int
    expert_intermediate_size: int
    shared_intermediate_size: int = 0
    """Width of the always-active shared expert MLP (DeepSeek: n_shared_experts × moe_intermediate_size)."""
    num_shared_experts: int = 0
    shared_expert_gate: bool = False
    """A sigmoid gate (hidden → 1) on the shared expert output (Qwen2-MoE)."""
    first_dense_layers: int = 0
    layer_frequency: int = 1
    dense_layers: tuple[int, ...] = ()
    router_bias: bool = False
    """A bias on the router's linear layer."""
    router_score_bias: bool = False
    """DeepSeek-V3's per-expert ``e_score_correction_bias`` used for top-k selection."""
    expert_bias: bool = False
    gated: bool = True

    def __post_init__(self):
        _check_int("moe", "num_experts", self.num_experts)
        _check_int("moe", "experts_per_token", self.experts_per_token, limit="num_experts")
        _check_int("moe", "expert_intermediate_size", self.expert_intermediate_size, limit="intermediate_size")
        _check_int("moe", "shared_intermediate_size", self.shared_intermediate_size, minimum=0,
                   limit="intermediate_size")
        _check_int("moe", "first_dense_layers", self.first_dense_layers, minimum=0, limit="num_layers")
        _check_int("moe", "layer_frequency", self.layer_frequency, limit="num_layers")
        if self.experts_per_token > self.num_experts:
            raise ArchitectureError(
                "moe.experts_per_token",
                f"{self.experts_per_token} experts per token is more than the {self.num_experts} experts",
            )

    def is_sparse(self, layer: int) -> bool:
        if layer < self.first_dense_layers or layer in self.dense_layers:
            return False
        return (layer - self.first_dense_layers) % self.layer_frequency == 0 if self.layer_frequency > 1 else True


@dataclass(frozen=True)
class Embeddings:
    """Token embedding, position embedding and the output head."""

    vocab_size: int
    tied: bool = False
    """Input and output embedding share one matrix, counted once (transformers' convention)."""
    position: PositionKind = "rotary"
    learned_positions: int = 0
    """Rows of a learned absolute position table (GPT-2 n_positions, BERT max_position_embeddings)."""
    position_offset: int = 0
    """Extra rows of the learned table: OPT's learned positional embedding reserves 2 (modeling_opt.py)."""
    token_types: int = 0
    """BERT's token-type (segment) embedding rows."""
    embedding_norm: bool = False
    """A norm right after the embeddings (BERT's embeddings.LayerNorm, BLOOM's word_embeddings_layernorm)."""
    pooler: bool = False
    """BERT's pooler: a hidden × hidden dense layer with bias on the first token."""
    output_bias: bool = False
    projection_dim: int | None = None
    """OPT's word_embed_proj_dim when it differs from hidden: embeddings live in this size, with project_in
    and project_out matrices (no bias) between."""

    def __post_init__(self):
        _check_int("embeddings", "vocab_size", self.vocab_size)
        if self.position not in ("rotary", "learned", "alibi", "none"):
            raise ArchitectureError("embeddings.position", f"unknown position embedding {self.position!r}")
        if self.position == "learned":
            _check_int("embeddings", "learned_positions", self.learned_positions, limit="context")
        _check_int("embeddings", "position_offset", self.position_offset, minimum=0, limit="context")
        _check_int("embeddings", "token_types", self.token_types, minimum=0, limit="vocab_size")
        if self.projection_dim is not None:
            _check_int("embeddings", "projection_dim", self.projection_dim, limit="hidden_size")


@dataclass(frozen=True)
class Norms:
    """Normalisation layers: kind, how many per layer (1 for GPT-J/Falcon-7B's single pre-norm, 2 for
    pre-attention and pre-MLP, 4 for Gemma 2/3's extra post-norms), and the final norm."""

    kind: NormKind = "rmsnorm"
    per_layer: int = 2
    final: bool = True
    bias: bool | None = None
    """LayerNorm carries a bias unless told otherwise; RMSNorm never does."""

    def __post_init__(self):
        if self.kind not in ("rmsnorm", "layernorm"):
            raise ArchitectureError("norms.kind", f"must be rmsnorm or layernorm, got {self.kind!r}")
        _check_int("norms", "per_layer", self.per_layer, minimum=0, limit="num_layers")

    @property
    def has_bias(self) -> bool:
        return self.kind == "layernorm" if self.bias is None else bool(self.bias)


@dataclass(frozen=True)
class Architecture:
    """A whole model: the shapes, not the weights."""

    name: str
    hidden_size: int
    num_layers: int
    attention: Attention
    mlp: MLP
    embeddings: Embeddings
    norms: Norms = field(default_factory=Norms)
    moe: MoE | None = None
    parallel_block: bool = False
    """Attention and MLP read the same input and add to one residual (GPT-J, GPT-NeoX, Falcon)."""
    max_context: int = 4096
    family: str = "custom"
    """The Hugging Face ``model_type`` it came from, or ``custom``."""
    causal: bool = True
    """False for encoders (BERT): no autoregressive decoding, no KV cache at generation."""
    notes: tuple[str, ...] = ()
    """What was assumed while reading the source (defaults filled in, unknown fields ignored)."""

    def __post_init__(self):
        _check_int("model", "hidden_size", self.hidden_size)
        _check_int("model", "num_layers", self.num_layers)
        _check_int("model", "max_context", self.max_context, limit="context")
        if self.moe is not None and self.moe.first_dense_layers > self.num_layers:
            raise ArchitectureError(
                "moe.first_dense_layers",
                f"{self.moe.first_dense_layers} dense layers is more than the {self.num_layers} layers",
            )
        a = self.attention
        if a.sliding_layers is not None:
            bad = [i for i in a.sliding_layers if not 0 <= i < self.num_layers]
            if bad:
                raise ArchitectureError("attention.sliding_layers", f"layer {bad[0]} is not in 0..{self.num_layers - 1}")

    # -- convenience -------------------------------------------------------------------------------------
    def replace(self, **changes) -> "Architecture":
        """A copy with some top-level fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def is_sparse_layer(self, layer: int) -> bool:
        return self.moe is not None and self.moe.is_sparse(layer)

    @property
    def sparse_layers(self) -> tuple[int, ...]:
        return tuple(i for i in range(self.num_layers) if self.is_sparse_layer(i))

    @property
    def is_moe(self) -> bool:
        return bool(self.sparse_layers)


def standard_attention(hidden_size: int, num_heads: int, num_kv_heads: int | None = None,
                       head_dim: int | None = None, **kw) -> Attention:
    """Attention whose head size defaults to hidden/heads, refusing shapes where that does not divide."""
    _check_int("attention", "num_heads", num_heads)
    if head_dim is None:
        _check_int("model", "hidden_size", hidden_size)
        if hidden_size % num_heads:
            raise ArchitectureError(
                "attention.num_heads",
                f"{num_heads} heads must divide the hidden size {hidden_size} when no head_dim is given",
            )
        head_dim = hidden_size // num_heads
    return Attention(num_heads=num_heads, num_kv_heads=num_heads if num_kv_heads is None else num_kv_heads,
                     head_dim=head_dim, **kw)
