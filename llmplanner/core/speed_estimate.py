"""Speed for an estimate request: places the model's tensors on devices and runs :mod:`llmplanner.core.speed`.

The bytes per tensor come from the formats engine (``memory.weights.tensor_bytes``: the format's per-tensor
recipe, or a GGUF header's real types), so the weights a token reads follow the model as real files do:

- repeating layers: every tensor, routed experts scaled by k/E (a token reads its k experts);
- the output projection (and its norm) on the device that holds it; a tied output reads the embedding table;
- the token embedding is a lookup (one row per token): read by no matmul.

Layers go where the runtime puts them: llama.cpp/Ollama offload the last ``-ngl`` layers and split them over
GPUs (``memory.llamacpp.assign_layers``, the same placement as the memory estimate), the rest run on the
host CPU; vLLM splits every layer over ``--gpu-count`` GPUs (tensor parallel); transformers spreads whole layers
over the GPUs (``device_map="auto"``). The KV bytes per position follow the cache type exactly
(``formats.kv_row_bytes``; MLA's latent cache where the runtime keeps it).
"""
from __future__ import annotations

from functools import lru_cache

from .errors import PlannerError
from .hardware import Accelerator, find_accelerator
from .speed import SpeedEstimate, estimate_speed
from .speed_workload import AttentionLayers, DeviceLoad, SpeedWorkload

#: The host CPU assumed for layers llama.cpp leaves on the CPU when the request names none: a current desktop
#: with dual-channel DDR5-5600 (catalogue entry ``cpu-ddr5-5600-2ch``).
DEFAULT_HOST = "cpu-ddr5-5600-2ch"
DEFAULT_PROMPT_TOKENS = 512
DEFAULT_GEN_TOKENS = 128
_OUTPUT_ROLES = {"output", "output.bias", "output_norm", "output_norm.bias"}
_LOOKUP_ROLES = {"token_embd", "position_embd", "token_types"}


def _kv_bytes_per_position(arch, runtime: str, kv_format: str) -> float:
    from .formats import kv_row_bytes
    from .memory.kv_cache import cache_width

    width = cache_width(arch, latent_mla=runtime != "transformers")
    if str(kv_format).lower() in ("auto", "", "none"):
        return 2.0 * (width.k + width.v)  # the model's 16-bit dtype
    return float(kv_row_bytes(kv_format, width.k) + kv_row_bytes(kv_format, width.v))


def _window_applies(arch, runtime: str) -> bool:
    if arch.attention.sliding_window is None:
        return False
    if runtime in ("llama.cpp", "ollama"):
        from .memory.kv_cache import LLAMA_CPP_SWA_FAMILIES

        return arch.family in LLAMA_CPP_SWA_FAMILIES
    return True


@lru_cache(maxsize=128)
def _layer_table(arch, weight_format: str, header_types, runtime=None):
    """Per layer: (bytes read per token, bytes resident, matmul FLOPs per token); plus the head's."""
    from .memory.weights import tensor_bytes

    n = arch.num_layers
    read, resident, flops = [0.0] * n, [0.0] * n, [0.0] * n
    head_bytes = head_flops = embedding = 0.0
    has_output = False
    for t, nbytes in tensor_bytes(arch, weight_format, header_types, runtime=runtime):
        if t.layer is not None:
            share = t.active_experts / t.experts
            read[t.layer] += nbytes * share
            resident[t.layer] += nbytes
            if t.is_matrix:
                flops[t.layer] += 2 * t.active_numel
        elif t.role in _OUTPUT_ROLES:
            head_bytes += nbytes
            has_output = has_output or t.role == "output"
            if t.is_matrix:
                head_flops += 2 * t.numel
        elif t.role == "token_embd":
            embedding = nbytes
    if not has_output and arch.causal:  # tied: the output matmul reads the embedding table
        head_bytes += embedding
        head_flops += 2 * arch.embeddings.vocab_size * (arch.embeddings.projection_dim or arch.hidden_size)
    return tuple(read), tuple(resident), tuple(flops), head_bytes, head_flops


def _attention(arch, layer_ids, per_pos: float, runtime: str, share: int = 1) -> tuple[AttentionLayers, ...]:
    from .flops import attention_flops_per_position

    a = arch.attention
    flops = attention_flops_per_position(arch) / share
    groups = a.num_heads if a.kind == "mla" else max(1, a.num_heads // a.num_kv_heads)
    window = _window_applies(arch, runtime)
    full = [i for i in layer_ids if not (window and a.is_sliding(i))]
    slid = [i for i in layer_ids if window and a.is_sliding(i)]
    heads = max(1, a.num_heads // share)
    out = []
    if full:
        out.append(AttentionLayers(len(full), per_pos / share, flops, heads, groups))
    if slid:
        out.append(AttentionLayers(len(slid), per_pos / share, flops, heads, groups, a.sliding_window))
    return tuple(out)


def build_workload(req, host: Accelerator | None = None) -> SpeedWorkload:
    """The speed model's inputs for a resolved :class:`~llmplanner.core.estimate.EstimateRequest`."""
    acc = req.hardware.accelerator()
    if acc is None:
        raise PlannerError("speed needs a GPU or CPU platform from the catalogue", field="gpu")
    arch, runtime = req.arch, req.runtime
    from .formats import get_format

    storage = "float" if get_format(req.weight_format).kind == "float" else "quantized"
    read, resident, flops, head_bytes, head_flops = _layer_table(arch, req.weight_format, req.header_tensor_types,
                                                                 "llama.cpp" if runtime == "ollama" else runtime)
    per_pos = _kv_bytes_per_position(arch, runtime, req.kv_format)
    n = arch.num_layers
    fa = bool(req.flash_attention) or runtime == "vllm"
    common = dict(runtime=runtime, storage=storage, flash_attention=fa, hidden_size=arch.hidden_size)

    def load(dev: Accelerator, layer_ids, with_head: bool, share: int = 1) -> DeviceLoad:
        ids = list(layer_ids)
        return DeviceLoad(
            dev, len(ids),
            weight_bytes=(sum(read[i] for i in ids) + (head_bytes if with_head else 0.0)) / share,
            matmul_flops=sum(flops[i] for i in ids) / share,
            attention=_attention(arch, ids, per_pos, runtime, share),
            resident_weight_bytes=(sum(resident[i] for i in ids) + (head_bytes if with_head else 0.0)) / share,
            output_flops=(head_flops if with_head else 0.0) / share)

    if acc.kind in ("cpu", "soc"):
        return SpeedWorkload((load(acc, range(n), True),), **common)
    count = req.hardware.gpu_count
    if runtime == "vllm" and count > 1:
        loads = tuple(load(acc, range(n), True, share=count) for _ in range(count))
        return SpeedWorkload(loads, split="tensor", **common)
    if runtime in ("llama.cpp", "ollama"):
        from .memory.llamacpp import assign_layers

        gpus = req.hardware.devices()
        ngl = (n + 1) if req.gpu_layers is None else max(0, min(req.gpu_layers, n + 1))
        where = assign_layers(arch, gpus, ngl)
        host_acc = host or find_accelerator(DEFAULT_HOST)
        loads = []
        cpu_layers = [i for i in range(n) if where[i] is None]
        if cpu_layers or where[n] is None:
            loads.append(load(host_acc, cpu_layers, where[n] is None))
        for g in range(len(gpus)):
            ids = [i for i in range(n) if where[i] == g]
            if ids or where[n] == g:
                loads.append(load(acc, ids, where[n] == g))
        return SpeedWorkload(tuple(loads), split="layer", **common)
    # transformers (device_map="auto"): whole layers spread over the GPUs, the head on the last one
    base, extra = divmod(n, count)
    loads, start = [], 0
    for g in range(count):
        k = base + (1 if g < extra else 0)
        loads.append(load(acc, range(start, start + k), g == count - 1))
        start += k
    return SpeedWorkload(tuple(loads), split="layer", **common)


def speed_for(req, memory=None, host: Accelerator | None = None) -> SpeedEstimate:
    """Decode tokens/s averaged over ``gen_tokens`` after ``prompt_tokens`` (defaults 128 after 512), prefill
    tokens/s over the prompt. ``memory`` is accepted for the caller's convenience; the placement is recomputed
    from the same rules."""
    w = build_workload(req, host)
    prompt = DEFAULT_PROMPT_TOKENS if req.prompt_tokens is None else req.prompt_tokens
    gen = DEFAULT_GEN_TOKENS if req.gen_tokens is None else req.gen_tokens
    return estimate_speed(w, prompt, gen)
