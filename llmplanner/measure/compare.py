"""Measured beside estimated: the transformers-runtime estimate for exactly what the check built and ran."""
from __future__ import annotations

from ..core.memory import MemoryRequest, estimate_memory


def compare_with_estimate(result) -> dict:
    """Peak memory and its parts, estimated for the built architecture at the check's shape, vs measured.

    The estimate is the transformers runtime's (weights + DynamicCache + prefill activations) for one sequence of
    ``prompt + generated`` tokens whose prompt runs in one forward pass — the same work the check did.
    """
    est = estimate_memory(MemoryRequest(
        arch=result.built_architecture, weight_format=result.format, kv_format=result.format,
        runtime="transformers", context=result.prompt_tokens + result.gen_tokens, batch=1,
        prompt_tokens=result.prompt_tokens,
    ))
    estimated = est.weights_bytes + est.kv_cache_bytes + est.activations_bytes
    measured = result.peak_memory_bytes

    def rel(a, b):
        return (a - b) / b if b else None

    return {
        "estimated_peak_bytes": estimated,
        "measured_peak_bytes": measured,
        "peak_difference": rel(estimated, measured),
        "estimated_weights_bytes": est.weights_bytes,
        "measured_weights_bytes": result.weights_bytes,
        "estimated_kv_cache_bytes": est.kv_cache_bytes,
        "measured_kv_cache_bytes": result.kv_cache_bytes,
        "estimated_activations_bytes": est.activations_bytes,
    }


def speed_estimate(result, target):
    """The speed engine's decode and prefill tokens/s for what the check built and ran, on ``target``
    (``core.target.Target``: this machine as detected): transformers runtime, the check's dtype, prompt and
    generated tokens. None where the engine cannot time the device (a GPU outside the catalogue)."""
    from dataclasses import replace

    from ..core.errors import PlannerError
    from ..core.estimate import EstimateRequest
    from ..core.speed_estimate import speed_for

    machine = target.cpu_only() if result.backend == "cpu" else target
    if not machine.can_time:
        return None
    req = EstimateRequest(arch=result.built_architecture, runtime="transformers", weight_format=result.format,
                          kv_format=result.format, context=result.prompt_tokens + result.gen_tokens,
                          prompt_tokens=result.prompt_tokens, gen_tokens=result.gen_tokens).resolved()
    try:
        s = speed_for(replace(req, hardware=machine.hardware), host=machine.host)
    except PlannerError:
        return None
    return {"decode_tokens_per_s": s.decode_tokens_per_s, "prefill_tokens_per_s": s.prefill_tokens_per_s,
            "device": machine.label}
