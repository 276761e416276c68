"""llama.cpp's memory, buffer by buffer, as its load log prints them.

- **Model buffers** (src/llama-model.cpp ``load_tensors``): the input layer (``token_embd``) always stays in
  host memory; with ``-ngl N`` the last N layers go to the GPUs (``i_gpu_start = max(n_layer + 1 - N, 0)``)
  and the output layer (``output``, ``output_norm``) too when ``N > n_layer``; across GPUs layers are split
  in proportion to their memory (``--tensor-split``, default: free memory): layer ``il`` goes to the first
  device whose cumulative share exceeds ``(il - i_gpu_start) / n_gpu_layers``. Tensor bytes come from the
  per-tensor storage of the chosen file type (``llmplanner.core.formats``), or a real GGUF's own types.
- **KV buffers**: see ``kv_cache.py``; each layer's cache lives with the layer (``offload_kqv``).
- **Compute buffers**: ggml's graph allocator reserves the peak of the worst-case graph for one micro-batch
  of ``n_ubatch`` tokens against ``n_kv`` cached positions (src/llama-context.cpp ``graph_reserve``). Tensors
  die as soon as their last consumer has run, so the peak is the largest of three stages:
  attention — the f32 scores ``KQ = n_kv × n_ubatch × n_head`` (soft_max runs in place) plus the f32 mask and
  the residual stream and the attention output (without flash attention; with it the scores are never
  materialised and the mask is f16); the feed-forward block — gate and up projections
  ``n_ff × n_ubatch`` f32 (k experts' worth for MoE) beside the residual and the normed input; the output —
  f32 logits ``n_vocab × n_outputs`` (reserved for every token of the micro-batch) beside the normed state.
  With several GPUs llama.cpp pipelines micro-batches and ggml's scheduler keeps ``GGML_SCHED_MAX_COPIES`` = 4
  copies of every split's inputs (ggml/src/ggml-backend.cpp). The host keeps the embedded inputs and the mask.
  Checked against logged buffers: Llama-2 7B/13B/70B at n_ctx 512 (70.5 / 75 / 145 MiB exactly) and
  Llama-3-8B at 8192 (560 MiB logged; 568 computed), single and dual GPU.
- **Flash attention** is off by default here, as in the builds of the validating logs; llama.cpp's ``-fa auto``
  (the default since late 2025) turns it on where the backend supports it — choose it to model that. A
  quantised V cache requires flash attention (llama-context.cpp refuses it otherwise): it is switched on,
  with a note.
- **Reserve**: ``--fit`` (common/common.h ``fit_params_target``) leaves 1024 MiB free per device; the CUDA
  context and cuBLAS workspace live in that margin, outside llama.cpp's buffers.
"""
from __future__ import annotations

from ..architecture import Architecture
from .kv_cache import llama_cpp_layers, pad
from .model import CPU, Device, DeviceMemory, MemoryEstimate, MemoryRequest, MiB, Term
from functools import lru_cache

from .weights import bytes_by_layer

GGML_SCHED_MAX_COPIES = 4
GGML_KQ_MASK_PAD = 64
"""ggml.h: the mask's token dimension is padded to this (32 in 2024 builds, 64 since 2025)."""
FIT_TARGET = 1024 * MiB
"""common/common.h: ``fit_params_target`` default, the free memory ``--fit`` keeps per device."""
F32 = 4

_OUTPUT_ROLES = {"output", "output.bias", "output_norm", "output_norm.bias", "project_out", "pooler", "pooler.bias"}


def _is_quantised(type_name: str) -> bool:
    return type_name.lower() not in ("f32", "f16", "bf16")


def compute_stages(arch: Architecture, n_tokens: int, n_kv: int, n_outputs: int, flash_attention: bool
                   ) -> dict[str, int]:
    """Peak bytes of the attention, feed-forward and output stages of one micro-batch (see module doc)."""
    a = arch.attention
    h = arch.hidden_size
    residual = F32 * h * n_tokens
    mask_t = pad(n_tokens, GGML_KQ_MASK_PAD)
    if flash_attention:
        mask = 2 * n_kv * mask_t
        attention = mask + 2 * residual + F32 * a.num_heads * a.value_head_dim * n_tokens
    else:
        mask = F32 * n_kv * mask_t
        attention = F32 * n_kv * n_tokens * a.num_heads + mask + 2 * residual
    if arch.is_moe:
        m = arch.moe
        width = m.expert_intermediate_size * m.experts_per_token * (2 if m.gated else 1)
        ffn = F32 * (width + m.num_experts) * n_tokens + 2 * residual + mask
        if m.shared_intermediate_size:
            ffn += F32 * m.shared_intermediate_size * n_tokens
    else:
        ffn = F32 * arch.mlp.intermediate_size * (2 if arch.mlp.gated else 1) * n_tokens + 2 * residual + mask
    output = F32 * arch.embeddings.vocab_size * n_outputs + residual
    return {"attention": attention, "feed-forward": ffn, "output": output}


@lru_cache(maxsize=512)
def assign_layers(arch: Architecture, gpus: tuple[Device, ...], n_gpu_layers: int) -> tuple[int | None, ...]:
    """Device index of every layer (None = host), plus the output layer at index ``n_layer``."""
    n = arch.num_layers
    start = max(n + 1 - n_gpu_layers, 0)
    caps = [g.capacity_bytes or 1 for g in gpus]
    total = sum(caps)
    cum, acc = [], 0
    for c in caps:
        acc += c
        cum.append(acc / total)
    act = min(n_gpu_layers, n + 1)
    where: list[int | None] = []
    for il in range(n + 1):
        if not gpus or il < start:
            where.append(None)
            continue
        frac = (il - start) / act
        where.append(next(i for i, c in enumerate(cum) if frac < c))
    return tuple(where)


def _check_cache_type(type_name: str) -> None:
    """llama.cpp's ``--cache-type-k/-v`` accept only ggml types (``common/arg.cpp`` ``kv_cache_types``);
    the FP8 caches of ``formats.KV_CACHE_TYPES`` are vLLM's."""
    from ..errors import PlannerError
    from ..formats import KV_CACHE_TYPES, kv_cache_type

    if "llama.cpp" not in kv_cache_type(type_name).runtimes:
        ours = ", ".join(k.name for k in KV_CACHE_TYPES.values() if "llama.cpp" in k.runtimes)
        raise PlannerError(f"llama.cpp's KV cache types are {ours}; {type_name!r} is vLLM's", field="kv_format")


def estimate(req: MemoryRequest) -> MemoryEstimate:
    arch = req.arch
    notes: list[str] = []
    fa = req.flash_attention
    type_k = type_v = req.kv_format
    _check_cache_type(type_v)
    if _is_quantised(type_v) and not fa:
        fa = True
        notes.append(f"a {type_v} V cache needs flash attention in llama.cpp: modelled with -fa on")
    n_seq = max(1, req.batch)
    n_ctx = pad(req.context * n_seq, 256)
    n_ubatch = min(req.ubatch, n_ctx)
    gpus = tuple(req.gpus)
    n_layer = arch.num_layers
    ngl = (n_layer + 1) if req.gpu_layers is None else max(0, min(req.gpu_layers, n_layer + 1))
    if not gpus:
        ngl = 0
    where = assign_layers(arch, gpus, ngl)

    devices = [DeviceMemory(g) for g in gpus]
    host = DeviceMemory(req.host)
    weights = [0] * len(gpus)
    layers_on = [0] * len(gpus)
    host_weights = 0
    per_layer, output_bytes, input_bytes = bytes_by_layer(arch, req.weight_format, req.header_tensor_types,
                                                          "llama.cpp", frozenset(_OUTPUT_ROLES))
    # the input layer (token_embd, position/type embeddings, embedding norms) always stays on the host
    host_weights += input_bytes
    for il, nbytes in enumerate(per_layer):
        if where[il] is None:
            host_weights += nbytes
        else:
            weights[where[il]] += nbytes
    if where[n_layer] is None:
        host_weights += output_bytes
    else:
        weights[where[n_layer]] += output_bytes
    for il in range(n_layer):
        if where[il] is not None:
            layers_on[where[il]] += 1

    kv_layers = llama_cpp_layers(arch, n_ctx, type_k, type_v, n_seq, n_ubatch)
    kv = [0] * len(gpus)
    host_kv = 0
    for lc in kv_layers:
        if where[lc.layer] is None:
            host_kv += lc.bytes
        else:
            kv[where[lc.layer]] += lc.bytes

    stages = compute_stages(arch, n_ubatch, n_ctx, n_ubatch, fa)
    peak = max(stages.values())
    inputs = F32 * arch.hidden_size * n_ubatch + (2 if fa else F32) * n_ctx * pad(n_ubatch, GGML_KQ_MASK_PAD)
    pipeline = len(gpus) > 1 and ngl > n_layer
    copies = GGML_SCHED_MAX_COPIES if pipeline else 1
    used_gpus = [i for i in range(len(gpus)) if layers_on[i] or weights[i]]
    gpu_compute = peak + copies * inputs
    host_layers = sum(1 for il in range(n_layer) if where[il] is None)
    host_compute = copies * inputs if not host_layers else peak + inputs
    output_buffer = F32 * arch.embeddings.vocab_size * n_seq  # llama_context output buffer (host)

    out = []
    for i, g in enumerate(gpus):
        out.append(DeviceMemory(g, weights=weights[i], kv_cache=kv[i],
                                compute=gpu_compute if i in used_gpus else 0, layers=layers_on[i]))
    out.append(DeviceMemory(req.host, weights=host_weights, kv_cache=host_kv, compute=host_compute,
                            overhead=output_buffer, layers=host_layers))
    if not gpus:
        notes.append("no GPU given: everything in host memory (CPU backend)")
    elif ngl <= n_layer:
        notes.append(f"partial offload: {ngl} of {n_layer + 1} layers (the output layer counts as one) on the GPU, "
                     "the rest on the CPU")
    width_k = kv_layers[0].k_bytes // max(kv_layers[0].cells, 1) if kv_layers else 0
    terms = (
        Term("KV cache", sum(lc.bytes for lc in kv_layers),
             f"{n_layer} layers × {n_ctx} cells (context {req.context} × {n_seq} sequences, padded to 256) × "
             f"(K {width_k} + V) bytes per cell",
             "llama.cpp src/llama-kv-cache.cpp, src/llama-context.cpp (GGML_PAD(n_ctx, 256))"),
        Term("compute buffer", gpu_compute if gpus else host_compute,
             "max(" + ", ".join(f"{k} {v / MiB:.1f} MiB" for k, v in stages.items()) + f") + {copies} × inputs",
             "ggml-alloc graph reserve for n_ubatch tokens (src/llama-context.cpp graph_reserve)"),
    )
    return MemoryEstimate(
        runtime="llama.cpp", weight_format=req.weight_format, kv_format=req.kv_format, context=req.context,
        # counted as llama.cpp logs them: "offloaded 33/33 layers to GPU" includes the output layer
        batch=n_seq, devices=tuple(out), gpu_layers=ngl if gpus else 0, total_layers=n_layer + 1,
        reserve_bytes=FIT_TARGET if gpus else 0, terms=terms, notes=tuple(notes),
        extra={"n_ctx": n_ctx, "flash_attention": fa, "n_ubatch": n_ubatch,
               "output_layer_on_gpu": bool(gpus) and ngl > n_layer},
    )
