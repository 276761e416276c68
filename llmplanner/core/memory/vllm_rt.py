"""vLLM: a fixed share of each GPU, weights, the profiled activation peak, and a KV block pool filling the rest.

vLLM takes ``gpu_memory_utilization`` (default 0.9) of each GPU's total memory
(vllm/v1/worker/gpu_worker.py ``determine_available_memory``), loads the weights ("Loading model weights took
14.99 GiB" for Llama-3.1-8B BF16), runs a profiling forward pass of ``max_num_batched_tokens`` tokens and a
sampler pass of ``max_num_seqs`` sequences to find the activation peak, and gives everything left to the
paged KV cache of 16-token blocks (``num_gpu_blocks``), which it allocates up front. With tensor parallel
size t the weights and KV heads are split t ways. The longest context it can serve is what the pool holds;
the maximum concurrency at a context is pool ÷ one sequence's cache (vLLM logs "Maximum concurrency for
N tokens per request: X").
"""
from __future__ import annotations

from ..errors import PlannerError
from .kv_cache import VLLM_BLOCK_SIZE, vllm_bytes_per_token, vllm_cache_bytes
from .model import DeviceMemory, GiB, MemoryEstimate, MemoryRequest, Term
from .transformers_rt import DTYPE_BYTES, activation_stages, compute_dtype_bytes
from .weights import tensor_bytes

DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192
MAX_NUM_SEQS = 256
"""vllm/config/scheduler.py defaults (V1 engine, online serving)."""
KV_DTYPES = dict(DTYPE_BYTES, fp8=1, fp8_e4m3=1, fp8_e5m2=1, auto=None)


def estimate(req: MemoryRequest) -> MemoryEstimate:
    arch = req.arch
    gpus = tuple(req.gpus)
    if not gpus:
        raise PlannerError("vLLM needs a GPU: choose one (--gpu) or another runtime", field="gpu")
    tp = len(gpus)
    dtype = compute_dtype_bytes(req.weight_format)
    kv_dtype = KV_DTYPES.get(req.kv_format.lower(), -1)
    if kv_dtype == -1:
        raise PlannerError(f"vLLM's KV cache is auto (the model dtype), fp8, fp8_e4m3 or fp8_e5m2, not "
                           f"{req.kv_format!r}", field="kv_format")
    kv_dtype = kv_dtype or dtype
    if not 0 < req.gpu_memory_utilization <= 1:
        raise PlannerError("gpu_memory_utilization must be in (0, 1]", field="gpu_memory_utilization")
    weights = sum(b for _t, b in tensor_bytes(arch, req.weight_format, runtime="vllm"))
    tokens = req.max_num_batched_tokens or DEFAULT_MAX_NUM_BATCHED_TOKENS
    stages = activation_stages(arch, tokens, dtype)
    sampler = MAX_NUM_SEQS * arch.embeddings.vocab_size * 4 * 2
    activation = max(max(stages.values()), sampler) // tp
    rows = []
    pools = []
    for g in gpus:
        cap = g.capacity_bytes
        if not cap:
            raise PlannerError(f"the memory of {g.name} is unknown", field="gpu")
        budget = int(cap * req.gpu_memory_utilization)
        pool = budget - weights // tp - activation
        pools.append(pool)
        rows.append(DeviceMemory(g, weights=weights // tp, kv_cache=max(pool, 0), compute=activation,
                                 layers=arch.num_layers))
    pool = min(pools)
    full, sliding = vllm_bytes_per_token(arch, kv_dtype)
    per_seq = vllm_cache_bytes(arch, req.context, 1, kv_dtype) // tp
    notes = []
    max_len_tokens = 0
    if full + sliding:
        per_token = (full + sliding) // tp
        max_len_tokens = max(pool, 0) // per_token // VLLM_BLOCK_SIZE * VLLM_BLOCK_SIZE
    concurrency = max(pool, 0) / per_seq if per_seq else 0.0
    if pool <= 0:
        notes.append(f"the weights and activations alone exceed {req.gpu_memory_utilization:.0%} of the GPU: "
                     "vLLM will not start")
    elif concurrency < 1:
        notes.append(f"the KV pool holds {max_len_tokens:,} tokens, less than one {req.context:,}-token "
                     "request: vLLM refuses this max_model_len")
    terms = (
        Term("KV block pool", max(pool, 0) * tp,
             f"{req.gpu_memory_utilization:.2f} × GPU memory − weights − activation peak",
             "vllm/v1/worker/gpu_worker.py determine_available_memory"),
        Term("activation peak", activation * tp,
             f"profile run of {tokens} tokens (max of {', '.join(f'{k} {v / GiB:.2f} GiB' for k, v in stages.items())}"
             f", sampler {sampler / GiB:.2f} GiB)", "vllm/v1/worker/gpu_model_runner.py profile_run"),
    )
    return MemoryEstimate(
        runtime="vllm", weight_format=req.weight_format, kv_format=req.kv_format, context=req.context,
        batch=max(1, req.batch), devices=tuple(rows) + (DeviceMemory(req.host),), gpu_layers=arch.num_layers,
        total_layers=arch.num_layers, reserve_bytes=0, terms=terms, notes=tuple(notes),
        extra={"vllm": {"gpu_memory_utilization": req.gpu_memory_utilization, "tensor_parallel_size": tp,
                        "kv_pool_bytes": max(pool, 0) * tp, "request_kv_bytes": per_seq * tp * max(1, req.batch),
                        "max_model_len_tokens": max_len_tokens, "max_concurrency": concurrency,
                        "max_num_batched_tokens": tokens}},
    )
