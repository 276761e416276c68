"""Detected machines we do not have, built as ``detect()`` builds them (catalogue match, tier decision) from the
figures real drivers report (tests/data/gpu_memory_figures.json: nvidia-smi totals, Metal working sets)."""
from __future__ import annotations

from llmplanner.core.detect import decide_tier, match_catalogue
from llmplanner.core.machine import CpuInfo, DetectedDevice, MachineInfo

MIB = 1 << 20
GIB = 1 << 30

RTX_4090 = ("NVIDIA GeForce RTX 4090", 24564 * MIB)   # nvidia-smi Memory-Usage total
RTX_3060 = ("NVIDIA GeForce RTX 3060", 12288 * MIB)
RTX_4060 = ("NVIDIA GeForce RTX 4060", 8188 * MIB)
A100_80 = ("NVIDIA A100-SXM4-80GB", 81920 * MIB)
UNKNOWN = ("NVIDIA Imaginary 9000", 16 * 1024 * MIB)
DESKTOP_CPU = CpuInfo("AMD Ryzen 9 7950X 16-Core Processor", "x86_64", 16, 32,
                      ("AVX", "AVX2", "FMA", "F16C", "AVX-512"), "/proc/cpuinfo")
SMALL_CPU = CpuInfo("AMD EPYC", "x86_64", 2, 2, ("AVX", "AVX2", "FMA", "F16C"), "/proc/cpuinfo")


def machine(gpus=(), *, ram=64 * GIB, available=None, cpu=DESKTOP_CPU, free=None, backend="cuda") -> MachineInfo:
    """A machine with NVIDIA GPUs given as (name, total bytes)."""
    devices = [DetectedDevice(name=n, memory_total_bytes=total, memory_free_bytes=total if free is None else free,
                              backend=backend, source="nvml", index=i, memory_usable_bytes=total)
               for i, (n, total) in enumerate(gpus)]
    devices, notes = match_catalogue(devices)
    decision = decide_tier(devices)
    return MachineInfo(gpus=tuple(devices), ram_total_bytes=ram,
                       ram_available_bytes=ram * 3 // 4 if available is None else available, cpu=cpu,
                       tier=decision.tier, tier_decision=decision, notes=tuple(notes), platform="Linux (test)")


def apple(chip="Apple M2 Pro", unified=32 * GIB, usable=21845 * MIB) -> MachineInfo:
    """An Apple Silicon Mac as the sysctl+torch layers report it (Metal's working set: 21845.34 MiB of 32 GiB)."""
    d = DetectedDevice(name=chip, memory_total_bytes=unified, memory_free_bytes=usable, backend="mps",
                       source="sysctl+torch", index=0, memory_usable_bytes=usable, integrated=True)
    devices, notes = match_catalogue([d])
    decision = decide_tier(devices)
    cpu = CpuInfo(chip, "arm64", 12, 12, ("NEON", "DOTPROD"), "sysctl")
    return MachineInfo(gpus=tuple(devices), ram_total_bytes=unified, ram_available_bytes=unified // 2, cpu=cpu,
                       tier=decision.tier, tier_decision=decision, notes=tuple(notes), platform="macOS (test)")
