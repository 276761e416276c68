"""The Apple Silicon layer of detection: the chip and the GPU's share of unified memory, without torch.

The GPU of an Apple Silicon Mac has no memory of its own: it uses the unified memory (``sysctl hw.memsize``),
but macOS lets it keep only part of it resident — Metal reports that part as ``MTLDevice
.recommendedMaxWorkingSetSize`` (developer.apple.com/documentation/metal/mtldevice/recommendedmaxworkingsetsize),
which torch returns as ``torch.mps.recommended_max_memory()`` and llama.cpp logs at start-up. In order of
trust, the usable share is:

1. Metal's own figure, when the torch probe could read it;
2. ``sysctl iogpu.wired_limit_mb`` when the user set it (0 means "the default"); Metal's figure follows
   this override exactly (measured on an M3 16 GB in github.com/AlexsJones/llmfit/pull/754);
3. otherwise the default rule: **2/3 of unified memory up to 36 GiB, 3/4 above**. Apple does not publish
   the rule; it is what llama.cpp's Metal back-end logged as ``recommendedMaxWorkingSetSize`` on macOS 13-14:
   16 GiB M1 10922.67 MiB = 2/3 (github.com/abetlen/llama-cpp-python/issues/687); 32 GiB M1/M2 Max
   21845.34 MiB = 2/3 (github.com/ggml-org/llama.cpp/pull/2011, github.com/ollama/ollama/issues/434);
   96 GiB M2 Max 73728 MiB = 3/4 (github.com/ggml-org/llama.cpp/issues/3213); 64 GiB about 48 GB and 128 GiB
   about 96 GB (stencel.io, "Apple silicon limitations with usage on local LLM"). The logs place the switch
   between 32 and 64 GiB; 36 GiB (the M3 Max's smallest size) is taken as the last 2/3 machine, the
   cautious side. Later macOS releases give more (24 GiB M4: 19,069,665,280 B and 64 GiB M2 Max:
   55,662.79 MB in public llama.cpp logs; 128 GiB M5 Max: 107.52 GiB, github.com/antirez/ds4/pull/893), so
   the rule is a lower bound: a plan that fits under it fits under Metal's real figure.
"""
from __future__ import annotations

import platform
from dataclasses import dataclass
from typing import Callable

from .detect_system import sysctl as _sysctl
from .machine import DetectedDevice, LayerReport

GIB = 1 << 30
SMALL_MAC_LIMIT = 36 * GIB
"""Up to this much unified memory the default share is 2/3; above it 3/4."""


def default_gpu_share(unified_bytes: int) -> int:
    """The documented fallback for Metal's recommendedMaxWorkingSetSize (see the module docstring)."""
    if unified_bytes <= SMALL_MAC_LIMIT:
        return unified_bytes * 2 // 3
    return unified_bytes * 3 // 4


@dataclass(frozen=True)
class AppleResult:
    devices: tuple[DetectedDevice, ...]
    report: LayerReport
    notes: tuple[str, ...] = ()


def is_apple_silicon(system: str | None = None, machine: str | None = None,
                     sysctl: Callable[[str], str | None] | None = None) -> bool:
    sysctl = sysctl or _sysctl
    system = system or platform.system()
    if system != "Darwin":
        return False
    if (machine or platform.machine()) == "arm64":
        return True
    return sysctl("sysctl.proc_translated") == "1"  # an x86 Python under Rosetta on Apple Silicon


def detect_apple(*, metal_recommended_bytes: int | None = None, ram_available_bytes: int | None = None,
                 system: str | None = None, machine: str | None = None,
                 sysctl: Callable[[str], str | None] | None = None) -> AppleResult:
    """The Apple GPU as one integrated device; ``metal_recommended_bytes`` comes from the torch probe."""
    sysctl = sysctl or _sysctl
    if not is_apple_silicon(system, machine, sysctl):
        return AppleResult((), LayerReport("apple", "unavailable", "not an Apple Silicon Mac"))
    chip = sysctl("machdep.cpu.brand_string") or "Apple Silicon GPU"
    memsize = sysctl("hw.memsize")
    if not memsize or not memsize.isdigit():
        return AppleResult((), LayerReport("apple", "failed", "sysctl hw.memsize gave no unified memory size"))
    total = int(memsize)
    notes = []
    wired = sysctl("iogpu.wired_limit_mb")
    wired_mb = int(wired) if wired and wired.isdigit() else 0
    if metal_recommended_bytes:
        usable, how = int(metal_recommended_bytes), "Metal's recommendedMaxWorkingSetSize (via torch)"
        source = "sysctl+torch"
    elif wired_mb:
        usable, how = min(total, wired_mb * (1 << 20)), f"iogpu.wired_limit_mb = {wired_mb} (set by the user)"
        source = "sysctl"
    else:
        usable = default_gpu_share(total)
        share = "2/3" if total <= SMALL_MAC_LIMIT else "3/4"
        how = (f"the default rule, {share} of unified memory (a lower bound of Metal's figure; torch with MPS "
               "would read the exact one)")
        source = "sysctl"
    notes.append(f"{chip}: the GPU may use {usable / GIB:.2f} GiB of {total / GIB:.0f} GiB unified memory: {how}")
    free = min(usable, ram_available_bytes) if ram_available_bytes is not None else None
    device = DetectedDevice(name=chip, memory_total_bytes=total, memory_free_bytes=free, backend="mps",
                            source=source, index=0, memory_usable_bytes=usable, integrated=True)
    return AppleResult((device,), LayerReport("apple", "found", f"{chip}, {total / GIB:.0f} GiB unified memory"),
                       tuple(notes))
