"""Ollama: llama.cpp underneath, plus Ollama's own reserves and default context.

- Ollama runs GGUF models through llama.cpp (``llama-server``), so buffers follow ``llamacpp.py``.
- Per GPU it sets aside ``MinimumMemory()`` — 457 MiB on CUDA/ROCm, 512 MiB on Metal — plus
  ``OLLAMA_GPU_OVERHEAD`` (default 0) before deciding how many layers fit (ml/device.go, server/sched.go).
- Without ``num_ctx`` the context follows the total VRAM: ≥ 47 GiB → 262,144; ≥ 23 GiB → 32,768; else 4,096,
  capped at the model's trained context (server/routes.go "vram-based default context",
  server/sched.go ``effectiveContext``).
- One request at a time by default (``OLLAMA_NUM_PARALLEL`` = 1); the KV cache is f16 unless
  ``OLLAMA_KV_CACHE_TYPE`` says otherwise (quantised caches need flash attention).
"""
from __future__ import annotations

from dataclasses import replace

from . import llamacpp
from .model import GiB, MemoryEstimate, MemoryRequest, MiB

MINIMUM_MEMORY = {"Metal": 512 * MiB}
DEFAULT_MINIMUM = 457 * MiB


def default_context(gpu_total_bytes: int, trained_context: int) -> int:
    """Ollama's VRAM-tier default ``num_ctx`` (server/routes.go), capped at the trained context."""
    if gpu_total_bytes >= 47 * GiB:
        ctx = 262_144
    elif gpu_total_bytes >= 23 * GiB:
        ctx = 32_768
    else:
        ctx = 4_096
    return min(ctx, trained_context)


def estimate(req: MemoryRequest) -> MemoryEstimate:
    est = llamacpp.estimate(req)
    reserve = max((MINIMUM_MEMORY.get(g.backend, DEFAULT_MINIMUM) for g in req.gpus), default=0)
    return replace(est, runtime="ollama", reserve_bytes=reserve,
                   notes=est.notes + ("Ollama runs llama.cpp; it keeps a per-GPU minimum free "
                                      f"({reserve // MiB} MiB) before placing layers",) if req.gpus else est.notes)
