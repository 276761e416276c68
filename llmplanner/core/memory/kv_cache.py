"""KV-cache sizes, exact to the byte, as each runtime lays the cache out.

Per token and layer a cache holds keys and values of every KV head:
``2 · n_kv_heads · head_dim`` elements (MHA, GQA and MQA differ only in ``n_kv_heads``; Gemma and Qwen3
have head_dim ≠ hidden/heads). Runtimes differ in

- how many positions a layer keeps: llama.cpp pads the context to 256 cells
  (``cparams.n_ctx = GGML_PAD(cparams.n_ctx, 256)``, src/llama-context.cpp) and gives interleaved
  sliding-window layers ``GGML_PAD(min(n_ctx, n_swa·n_seq + n_ubatch), 256)`` cells
  (src/llama-kv-cache-iswa.cpp); transformers' ``DynamicSlidingWindowLayer`` keeps ``sliding_window``
  tokens (cache_utils.py); vLLM allocates 16-token blocks (vllm/v1/core/kv_cache_utils.py);
- what MLA stores: llama.cpp (deepseek2 GGUFs converted for MLA, 2025) and vLLM cache the compressed latent
  (``kv_lora_rank`` + the rotary key ``qk_rope_head_dim``: 576 per token and layer for DeepSeek-V3 —
  arXiv:2405.04434 §2.1.2); transformers caches the decompressed per-head keys and values;
- the element type: f16/bf16/f32 or ggml's block types (q8_0: 34 bytes per 32 elements …), as row sizes
  (``ggml_row_size``), so a quantised cache is exact too.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..architecture import Architecture

LLAMA_CPP_CTX_PAD = 256
"""src/llama-context.cpp: the context is padded to a multiple of 256 cells (ggml-org/llama.cpp PR #17046)."""

#: Families that llama.cpp runs with an interleaved sliding-window cache (its ``hparams.swa_type`` is set in
#: src/llama-model.cpp for these archs); for the others (Mistral v0.1, Qwen2, Phi-3 — whose SWA llama.cpp
#: disables —, Starcoder2) llama.cpp keeps every position in every layer.
LLAMA_CPP_SWA_FAMILIES = frozenset({"gemma2", "gemma3", "gemma3_text", "cohere2", "llama4", "llama4_text",
                                    "gpt_oss", "exaone4", "gemma3n"})


def pad(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


@dataclass(frozen=True)
class CacheWidth:
    """Elements stored per token in one layer."""

    k: int
    v: int


def cache_width(arch: Architecture, *, latent_mla: bool) -> CacheWidth:
    a = arch.attention
    if a.kind == "mla":
        if latent_mla:
            return CacheWidth(a.kv_lora_rank + a.qk_rope_head_dim, a.kv_lora_rank)
        return CacheWidth(a.num_heads * a.qk_head_dim, a.num_heads * a.value_head_dim)
    return CacheWidth(a.num_kv_heads * a.head_dim, a.num_kv_heads * a.head_dim)


def row_bytes(type_name: str, n: int, *, field: str = "kv_format") -> int:
    """Bytes of ``n`` elements of a cache element type (ggml_row_size); refuses rows a block type cannot hold."""
    from ..formats import kv_row_bytes

    return kv_row_bytes(type_name, n)


@dataclass(frozen=True)
class LayerCache:
    layer: int
    cells: int
    k_bytes: int
    v_bytes: int

    @property
    def bytes(self) -> int:
        return self.k_bytes + self.v_bytes


def llama_cpp_cells(arch: Architecture, n_ctx: int, n_seq: int = 1, n_ubatch: int = 512) -> tuple[int, int]:
    """(cells of a full layer, cells of a sliding-window layer) as llama.cpp allocates them."""
    full = pad(n_ctx, LLAMA_CPP_CTX_PAD)
    window = arch.attention.sliding_window
    if window is None or arch.family not in LLAMA_CPP_SWA_FAMILIES:
        return full, full
    return full, pad(min(full, window * n_seq + n_ubatch), LLAMA_CPP_CTX_PAD)


@lru_cache(maxsize=256)
def llama_cpp_layers(arch: Architecture, n_ctx: int, type_k: str, type_v: str, n_seq: int = 1,
                     n_ubatch: int = 512) -> tuple[LayerCache, ...]:
    """Per-layer KV buffers of llama.cpp's unified cache (src/llama-kv-cache.cpp: one K and one V tensor of
    ``ggml_row_size(type, n_embd_k_gqa) × kv_size`` per layer)."""
    width = cache_width(arch, latent_mla=True)
    full, swa = llama_cpp_cells(arch, n_ctx, n_seq, n_ubatch)
    swa_on = arch.family in LLAMA_CPP_SWA_FAMILIES
    k_row, v_row = row_bytes(type_k, width.k), row_bytes(type_v, width.v)
    out = []
    for i in range(arch.num_layers):
        cells = swa if swa_on and arch.attention.is_sliding(i) else full
        out.append(LayerCache(i, cells, k_row * cells, v_row * cells))
    return tuple(out)


def transformers_layers(arch: Architecture, context: int, batch: int, dtype_bytes: int) -> tuple[LayerCache, ...]:
    """transformers' DynamicCache (cache_utils.py): K and V of shape [batch, kv_heads, tokens, head_dim] per
    layer in the model's dtype; sliding-window layers keep at most ``sliding_window`` tokens."""
    width = cache_width(arch, latent_mla=False)
    out = []
    for i in range(arch.num_layers):
        tokens = context
        if arch.attention.is_sliding(i):
            tokens = min(context, arch.attention.sliding_window)
        out.append(LayerCache(i, tokens * batch, width.k * tokens * batch * dtype_bytes,
                              width.v * tokens * batch * dtype_bytes))
    return tuple(out)


VLLM_BLOCK_SIZE = 16
"""vLLM's default KV block size in tokens (vllm/config/cache.py ``block_size``; 16 on CUDA)."""


def vllm_bytes_per_token(arch: Architecture, dtype_bytes: int) -> tuple[int, int]:
    """(bytes per token in full-attention layers, in sliding-window layers) of vLLM's paged cache.

    MLA models store one latent vector of ``kv_lora_rank + qk_rope_head_dim`` per token and layer
    (vllm/attention/backends/mla: ``kv_c_and_k_pe_cache``); others store K and V per KV head.
    """
    a = arch.attention
    if a.kind == "mla":
        per_layer = (a.kv_lora_rank + a.qk_rope_head_dim) * dtype_bytes
    else:
        per_layer = 2 * a.num_kv_heads * a.head_dim * dtype_bytes
    sliding = sum(1 for i in range(arch.num_layers) if a.is_sliding(i))
    return per_layer * (arch.num_layers - sliding), per_layer * sliding


def vllm_cache_bytes(arch: Architecture, context: int, batch: int, dtype_bytes: int) -> int:
    """KV bytes ``batch`` sequences of ``context`` tokens occupy in vLLM's block pool (whole blocks)."""
    full, sliding = vllm_bytes_per_token(arch, dtype_bytes)
    blocks_full = pad(context, VLLM_BLOCK_SIZE)
    window = arch.attention.sliding_window or context
    blocks_swa = pad(min(context, window) + VLLM_BLOCK_SIZE, VLLM_BLOCK_SIZE) if sliding else 0
    return batch * (full * blocks_full + sliding * min(blocks_swa, blocks_full))
