"""Memory as a function of context, vectorised: the curves behind the memory-versus-context chart.

Weights and fixed buffers do not depend on the context, so one scalar estimate supplies them; the KV cache
and the compute buffers are then evaluated for a whole array of contexts with numpy, by the same rules as
the scalar estimate of each runtime (``kv_cache.py``, ``llamacpp.py``, ``transformers_rt.py``,
``vllm_rt.py``) — ``tests/test_memory_sweep.py`` checks every point against the scalar estimate.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .kv_cache import LLAMA_CPP_CTX_PAD, LLAMA_CPP_SWA_FAMILIES, cache_width, row_bytes, vllm_bytes_per_token
from .model import MemoryRequest


@dataclass(frozen=True)
class MemoryCurve:
    contexts: np.ndarray
    weights: np.ndarray
    kv_cache: np.ndarray
    activations: np.ndarray
    overhead: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.weights + self.kv_cache + self.activations + self.overhead


def _pad(x: np.ndarray, m: int) -> np.ndarray:
    return -(-x // m) * m


def memory_curve(req: MemoryRequest, contexts) -> MemoryCurve:
    """Weights, KV cache, activations and overhead (all devices) for each context in ``contexts``."""
    from . import estimate_memory, runtime_id

    ctx = np.asarray(contexts, dtype=np.int64)
    if ctx.ndim != 1 or len(ctx) == 0 or ctx.min() < 1:
        raise ValueError("contexts must be a non-empty 1-D array of positive token counts")
    req = replace(req, runtime=runtime_id(req.runtime))
    base = estimate_memory(replace(req, context=int(ctx[0])))
    arch = req.arch
    n = len(ctx)
    ones = np.ones(n, dtype=np.int64)
    weights = base.weights_bytes * ones
    overhead = base.overhead_bytes * ones
    batch = max(1, req.batch)
    if base.runtime in ("llama.cpp", "ollama"):
        from .llamacpp import F32, GGML_KQ_MASK_PAD, GGML_SCHED_MAX_COPIES

        fa = bool(base.extra.get("flash_attention"))
        width = cache_width(arch, latent_mla=True)
        per_cell = row_bytes(req.kv_format, width.k) + row_bytes(req.kv_format, width.v)
        n_ctx = _pad(ctx * batch, LLAMA_CPP_CTX_PAD)
        ub = np.minimum(req.ubatch, n_ctx)
        a = arch.attention
        swa_on = a.sliding_window is not None and arch.family in LLAMA_CPP_SWA_FAMILIES
        n_swa_layers = sum(1 for i in range(arch.num_layers) if swa_on and a.is_sliding(i))
        swa_cells = _pad(np.minimum(n_ctx, (a.sliding_window or 0) * batch + ub), LLAMA_CPP_CTX_PAD)
        kv = per_cell * ((arch.num_layers - n_swa_layers) * n_ctx + n_swa_layers * swa_cells)
        h = arch.hidden_size
        residual = F32 * h * ub
        mask_t = _pad(ub, GGML_KQ_MASK_PAD)
        mask = (2 if fa else F32) * n_ctx * mask_t
        if fa:
            attention = mask + 2 * residual + F32 * a.num_heads * a.value_head_dim * ub
        else:
            attention = F32 * n_ctx * ub * a.num_heads + mask + 2 * residual
        if arch.is_moe:
            m = arch.moe
            ffn_width = m.expert_intermediate_size * m.experts_per_token * (2 if m.gated else 1) + m.num_experts
            ffn_width += m.shared_intermediate_size
        else:
            ffn_width = arch.mlp.intermediate_size * (2 if arch.mlp.gated else 1)
        ffn = F32 * ffn_width * ub + 2 * residual + mask
        output = F32 * arch.embeddings.vocab_size * ub + residual
        peak = np.maximum(np.maximum(attention, ffn), output)
        inputs = F32 * h * ub + mask
        gpus = [d for d in base.devices if d.device.is_gpu and d.compute]
        pipeline = len(req.gpus) > 1 and (base.gpu_layers or 0) >= arch.num_layers + 1
        copies = GGML_SCHED_MAX_COPIES if pipeline else 1
        host = next(d for d in base.devices if not d.device.is_gpu)
        if gpus:
            activations = len(gpus) * (peak + copies * inputs)
            activations = activations + (copies * inputs if not host.layers else peak + inputs)
        else:
            activations = peak + copies * inputs
        # KV of layers the estimate left on the GPU is still KV: the split does not change the sum
        return MemoryCurve(ctx, weights, kv.astype(np.int64), activations.astype(np.int64), overhead)
    if base.runtime == "transformers":
        from .transformers_rt import DTYPE_BYTES, activation_stages, compute_dtype_bytes

        dtype = compute_dtype_bytes(req.weight_format)
        kv_dtype = DTYPE_BYTES[req.kv_format.lower()]
        width = cache_width(arch, latent_mla=False)
        per_token = (width.k + width.v) * kv_dtype * batch
        a = arch.attention
        kv = np.zeros(n, dtype=np.int64)
        for i in range(arch.num_layers):
            span = np.minimum(ctx, a.sliding_window) if a.is_sliding(i) else ctx
            kv += per_token * span
        prompt = ctx if req.prompt_tokens is None else req.prompt_tokens * ones
        unit = activation_stages(arch, 1, dtype)  # every stage is linear in tokens
        peak = batch * prompt * max(unit.values()) + 4 * arch.embeddings.vocab_size * batch
        return MemoryCurve(ctx, weights, kv, peak.astype(np.int64), overhead)
    # vLLM: the pool is preallocated; the curve is what one batch of requests needs of it
    from .kv_cache import VLLM_BLOCK_SIZE
    from .transformers_rt import compute_dtype_bytes
    from .vllm_rt import KV_DTYPES

    kv_dtype = KV_DTYPES.get(req.kv_format.lower()) or compute_dtype_bytes(req.weight_format)
    full, sliding = vllm_bytes_per_token(arch, kv_dtype)
    blocks = _pad(ctx, VLLM_BLOCK_SIZE)
    window = arch.attention.sliding_window or 0
    swa_tokens = np.minimum(_pad(np.minimum(ctx, window) + VLLM_BLOCK_SIZE, VLLM_BLOCK_SIZE), blocks)
    kv = batch * (full * blocks + sliding * swa_tokens)
    return MemoryCurve(ctx, weights, kv.astype(np.int64), base.activations_bytes * ones, overhead)
