"""Hugging Face transformers + PyTorch: weights, DynamicCache, prefill activations, CUDA context.

- Weights: the format's per-tensor storage (bitsandbytes/GPTQ/AWQ keep embeddings, lm_head and norms in
  16-bit; see ``llmplanner.core.formats``). Across several GPUs ``device_map="auto"`` places whole layers
  (accelerate ``infer_auto_device_map``); here in proportion to each GPU's memory, then the rest on the CPU.
- KV cache: ``DynamicCache`` in the compute dtype (``kv_cache.transformers_layers``).
- Activations: ``generate`` runs the whole prompt in one forward pass with ``logits_to_keep=1``
  (generation/utils.py), attention through SDPA (no materialised scores on CUDA), so the peak is the larger of
  the attention block — residual, normed input, q, k, v and the attention output — and the MLP block —
  residual, normed input, gate, up and act(gate)·up — for ``batch × prompt_tokens`` tokens in the compute
  dtype, plus the float32 logits of the last position.
- Reserve: the CUDA context and cuBLAS workspace, outside ``torch.cuda.max_memory_allocated`` (PyTorch
  "CUDA semantics — memory management"; 300–600 MiB on current drivers: 512 MiB is used).
"""
from __future__ import annotations

from ..architecture import Architecture
from ..errors import PlannerError
from .kv_cache import transformers_layers
from .model import DeviceMemory, MemoryEstimate, MemoryRequest, MiB, Term
from .weights import tensor_bytes

CUDA_CONTEXT = 512 * MiB
DTYPE_BYTES = {"f32": 4, "fp32": 4, "float32": 4, "f16": 2, "fp16": 2, "float16": 2, "bf16": 2, "bfloat16": 2}


def compute_dtype_bytes(weight_format: str) -> int:
    """Compute dtype of a format: itself for floats, bf16 for quantised weights (their compute dtype)."""
    return DTYPE_BYTES.get(weight_format.lower(), 2)


def activation_stages(arch: Architecture, tokens: int, dtype: int) -> dict[str, int]:
    a, h = arch.attention, arch.hidden_size
    q = a.num_heads * a.qk_head_dim
    kv = 2 * a.num_kv_heads * a.head_dim if a.kind == "standard" else (
        a.num_heads * (a.qk_head_dim + a.value_head_dim))
    out = a.num_heads * a.value_head_dim
    attention = tokens * (2 * h + q + kv + out) * dtype
    if arch.is_moe:
        m = arch.moe
        width = (3 if m.gated else 2) * m.expert_intermediate_size * m.experts_per_token + m.num_experts
        width += (3 if m.gated else 2) * m.shared_intermediate_size
    else:
        width = (3 if arch.mlp.gated else 2) * arch.mlp.intermediate_size
    mlp = tokens * (2 * h + width) * dtype
    return {"attention": attention, "mlp": mlp}


def estimate(req: MemoryRequest) -> MemoryEstimate:
    arch = req.arch
    dtype = compute_dtype_bytes(req.weight_format)
    kv_dtype = DTYPE_BYTES.get(req.kv_format.lower())
    if kv_dtype is None:
        raise PlannerError(f"transformers' cache holds f16, bf16 or f32, not {req.kv_format!r} (a quantised "
                           "cache needs QuantizedCache, which is not modelled)", field="kv_format")
    batch = max(1, req.batch)
    prompt = req.prompt_tokens or req.context
    weights = tensor_bytes(arch, req.weight_format, runtime="transformers")
    kv_layers = transformers_layers(arch, req.context, batch, kv_dtype)
    stages = activation_stages(arch, batch * prompt, dtype)
    logits = 4 * arch.embeddings.vocab_size * batch
    peak = max(stages.values()) + logits

    gpus = tuple(req.gpus)
    n = arch.num_layers
    layer_bytes = [0] * n
    outside = 0
    for t, b in weights:
        if t.layer is None:
            outside += b
        else:
            layer_bytes[t.layer] += b
    # whole layers to GPUs in order, each up to its share of memory (device_map="auto")
    where: list[int | None] = [None] * n
    if gpus:
        caps = [g.capacity_bytes or 0 for g in gpus]
        budget = [max(c - CUDA_CONTEXT, 0) for c in caps] if all(caps) else [None] * len(gpus)
        used = [0] * len(gpus)
        used[0] += outside
        dev = 0
        for i in range(n):
            while dev < len(gpus) and budget[dev] is not None and used[dev] + layer_bytes[i] > budget[dev]:
                dev += 1
            if dev >= len(gpus):
                break
            where[i] = dev
            used[dev] += layer_bytes[i]
    per_dev = [DeviceMemory(g) for g in gpus]
    rows = []
    for k, g in enumerate(gpus):
        w = sum(layer_bytes[i] for i in range(n) if where[i] == k) + (outside if k == 0 else 0)
        kvb = sum(lc.bytes for lc in kv_layers if where[lc.layer] == k)
        rows.append(DeviceMemory(g, weights=w, kv_cache=kvb, compute=peak if k == 0 else 0,
                                 layers=sum(1 for i in range(n) if where[i] == k)))
    host_layers = [i for i in range(n) if where[i] is None]
    host_w = sum(layer_bytes[i] for i in host_layers) + (0 if gpus else outside)
    host_kv = sum(lc.bytes for lc in kv_layers if where[lc.layer] is None)
    rows.append(DeviceMemory(req.host, weights=host_w, kv_cache=host_kv, compute=0 if gpus else peak,
                             layers=len(host_layers)))
    notes = []
    if gpus and host_layers:
        notes.append(f"device_map='auto' offloads {len(host_layers)} of {n} layers to the CPU (slow)")
    terms = (
        Term("KV cache", sum(lc.bytes for lc in kv_layers),
             f"2 × {n} layers × kv width × {req.context} tokens × {batch} × {kv_dtype} B",
             "transformers cache_utils.py DynamicCache"),
        Term("activations", peak, "max(" + ", ".join(f"{k} {v / MiB:.1f} MiB" for k, v in stages.items()) +
             f") for {batch}×{prompt} prompt tokens + last-token logits",
             "transformers generate (logits_to_keep=1), SDPA attention"),
    )
    del per_dev
    return MemoryEstimate(
        runtime="transformers", weight_format=req.weight_format, kv_format=req.kv_format, context=req.context,
        batch=batch, devices=tuple(rows), gpu_layers=n - len(host_layers) if gpus else 0, total_layers=n,
        reserve_bytes=CUDA_CONTEXT if gpus else 0, terms=terms, notes=tuple(notes),
        extra={"prompt_tokens": prompt},
    )
