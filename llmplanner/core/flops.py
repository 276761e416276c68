"""Forward-pass FLOPs per token, including the attention term at a given context.

Kaplan et al. 2020, "Scaling Laws for Neural Language Models" (arXiv:2001.08361), Table 1:
``C_forward ≈ 2·N + 2·n_layer·n_ctx·d_attn`` — two FLOPs (a multiply and an add) per weight of every
matrix a token passes through, plus the attention scores (Q·Kᵀ) and the weighted sum of values (A·V)
against every earlier position. Here N is the *active* matrix parameters (routed experts count k of E),
the output projection counts even when it is tied to the embedding (it is still a matmul), the embedding
lookups count nothing, and norms/biases/softmax (O(d) per token, <0.1%) are left out.
Sliding-window layers attend to at most ``window`` positions; MLA attends with its decompressed heads
(qk_nope + qk_rope for scores, v_head_dim for values; arXiv:2405.04434 §2.1).
"""
from __future__ import annotations

from dataclasses import dataclass

from .architecture import Architecture
from .tensors import inventory

LOOKUP_ROLES = frozenset({"token_embd", "position_embd", "token_types"})


def matmul_params(arch: Architecture) -> int:
    """Active parameters that a token multiplies with (lookup tables excluded, tied head included)."""
    n = sum(t.active_numel for t in inventory(arch) if t.is_matrix and t.role not in LOOKUP_ROLES)
    emb = arch.embeddings
    if emb.tied and arch.causal:
        n += emb.vocab_size * (emb.projection_dim or arch.hidden_size)
    return n


def attention_flops_per_position(arch: Architecture) -> int:
    """FLOPs of one query against one key/value position, summed over heads: 2·H·(d_qk + d_v)."""
    a = arch.attention
    return 2 * a.num_heads * (a.qk_head_dim + a.value_head_dim)


@dataclass(frozen=True)
class FlopsPerToken:
    matmul: int
    """2 × active matrix parameters."""
    attention: int
    """Q·Kᵀ and A·V against the context, all layers."""

    @property
    def total(self) -> int:
        return self.matmul + self.attention


def flops_per_token(arch: Architecture, context: int) -> FlopsPerToken:
    """Forward FLOPs for one token that attends to ``context`` earlier positions (itself included)."""
    per_pos = attention_flops_per_position(arch)
    att = 0
    for layer in range(arch.num_layers):
        span = context
        if arch.attention.is_sliding(layer):
            span = min(context, arch.attention.sliding_window)
        att += per_pos * span
    return FlopsPerToken(2 * matmul_params(arch), att)


def prefill_flops(arch: Architecture, tokens: int, past: int = 0) -> int:
    """Forward FLOPs to process ``tokens`` new tokens after ``past`` cached ones (causal attention).

    Token t (1-based, after the cache) attends to ``past + t`` positions, capped by the window on sliding
    layers; the sum is closed-form so a 1M-token prompt costs nothing to estimate.
    """
    per_pos = attention_flops_per_position(arch)

    def span_sum(cap: int | None) -> int:
        lo, hi = past + 1, past + tokens  # spans of the new tokens, uncapped
        if cap is None or hi <= cap:
            return (lo + hi) * tokens // 2
        if lo > cap:
            return cap * tokens
        below = (lo + cap) * (cap - lo + 1) // 2
        return below + cap * (hi - cap)

    att = 0
    full_layers = sum(1 for i in range(arch.num_layers) if not arch.attention.is_sliding(i))
    att += full_layers * span_sum(None)
    sliding = arch.num_layers - full_layers
    if sliding:
        att += sliding * span_sum(arch.attention.sliding_window)
    return 2 * matmul_params(arch) * tokens + per_pos * att
