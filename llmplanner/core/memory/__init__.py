"""Inference memory per runtime: weights, KV cache, activations/compute buffers and runtime overhead.

``estimate_memory(MemoryRequest(...))`` dispatches to the runtime's module; each names its sources.
"""
from __future__ import annotations

from dataclasses import replace

from .model import (CPU, RUNTIMES, Device, DeviceMemory, GiB, MemoryEstimate, MemoryRequest, MiB, Term,
                    runtime_id)

__all__ = ["estimate_memory", "MemoryRequest", "MemoryEstimate", "DeviceMemory", "Device", "CPU", "Term",
           "RUNTIMES", "runtime_id", "GiB", "MiB"]


def estimate_memory(req: MemoryRequest) -> MemoryEstimate:
    runtime = runtime_id(req.runtime)
    req = replace(req, runtime=runtime)
    if runtime == "llama.cpp":
        from .llamacpp import estimate
    elif runtime == "ollama":
        from .ollama_rt import estimate
    elif runtime == "vllm":
        from .vllm_rt import estimate
    else:
        from .transformers_rt import estimate
    return estimate(req)
