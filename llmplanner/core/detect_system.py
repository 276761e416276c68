"""The system layer of detection: RAM, swap and the CPU, through psutil and the OS's own files.

psutil reads RAM from the kernel (Linux: ``/proc/meminfo`` MemTotal and MemAvailable; macOS: ``hw.memsize``
and the VM statistics; Windows: ``GlobalMemoryStatusEx``). The CPU's name comes from where each OS keeps it:
Linux ``/proc/cpuinfo`` (``model name`` on x86; ``Model``/``Hardware`` on ARM boards), macOS
``sysctl machdep.cpu.brand_string``, Windows the registry's ``ProcessorNameString``.
"""
from __future__ import annotations

import platform
import re
import subprocess
import sys
from dataclasses import dataclass

from .machine import CpuInfo, LayerReport

#: /proc/cpuinfo flags (x86 ``flags``, ARM ``Features``) → the names shown to users.
CPU_FLAG_NAMES = {
    "avx": "AVX", "avx2": "AVX2", "fma": "FMA", "f16c": "F16C",
    "avx512f": "AVX-512", "avx512_vnni": "AVX512-VNNI", "avx512_bf16": "AVX512-BF16",
    "avx_vnni": "AVX-VNNI", "amx_tile": "AMX",
    "asimd": "NEON", "neon": "NEON", "asimddp": "DOTPROD", "sve": "SVE", "sve2": "SVE2", "i8mm": "I8MM",
    "bf16": "BF16",
}
_FEATURE_ORDER = tuple(dict.fromkeys(CPU_FLAG_NAMES.values()))

#: macOS ``sysctl hw.optional.*`` keys → the same names (Apple: "Determining instruction set
#: characteristics", developer.apple.com/documentation/kernel/1387446-sysctlbyname).
MAC_FEATURE_KEYS = {
    "hw.optional.neon": "NEON", "hw.optional.arm.FEAT_DotProd": "DOTPROD", "hw.optional.arm.FEAT_I8MM": "I8MM",
    "hw.optional.arm.FEAT_BF16": "BF16", "hw.optional.avx2_0": "AVX2", "hw.optional.avx1_0": "AVX",
    "hw.optional.avx512f": "AVX-512", "hw.optional.fma": "FMA",
}


@dataclass(frozen=True)
class SystemFacts:
    ram_total_bytes: int | None
    ram_available_bytes: int | None
    swap_total_bytes: int | None
    swap_free_bytes: int | None
    cpu: CpuInfo
    reports: tuple[LayerReport, ...]


def sysctl(name: str, timeout: float = 5.0) -> str | None:
    """``sysctl -n NAME`` on macOS/BSD; None where it does not exist or fails."""
    try:
        out = subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    return value if out.returncode == 0 and value else None


def parse_cpuinfo(text: str) -> tuple[str | None, tuple[str, ...]]:
    """The CPU model and its known vector features from the text of Linux's ``/proc/cpuinfo``."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields.setdefault(key.strip().lower(), value.strip())
    model = None
    for key in ("model name", "model", "hardware", "cpu model", "processor"):
        value = fields.get(key)
        if value and not value.isdigit():  # x86 "processor : 0" is an index, not a name
            model = value
            break
    flags = (fields.get("flags") or fields.get("features") or "").split()
    return model, ordered_features(CPU_FLAG_NAMES[f] for f in flags if f in CPU_FLAG_NAMES)


def ordered_features(names) -> tuple[str, ...]:
    found = set(names)
    return tuple(n for n in _FEATURE_ORDER if n in found)


def _windows_cpu_name() -> str | None:
    try:
        import winreg  # type: ignore[import-not-found]

        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"HARDWARE\DESCRIPTION\System\CentralProcessor\0") as k:
            return str(winreg.QueryValueEx(k, "ProcessorNameString")[0]).strip()
    except (ImportError, OSError):
        return None


def cpu_model_and_features(system: str | None = None) -> tuple[str, tuple[str, ...], str]:
    """(model, features, where they were read) on this OS, with fallbacks to ``platform``."""
    system = system or platform.system()
    model, features, source = None, (), ""
    if system == "Linux":
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
                model, features = parse_cpuinfo(f.read())
            source = "/proc/cpuinfo"
        except OSError:
            pass
    elif system == "Darwin":
        model = sysctl("machdep.cpu.brand_string")
        features = ordered_features(name for key, name in MAC_FEATURE_KEYS.items() if sysctl(key) == "1")
        if platform.machine() == "arm64" and "NEON" not in features:
            features = ordered_features(features + ("NEON",))  # every Apple Silicon core has Advanced SIMD
        source = "sysctl"
    elif system == "Windows":
        model = _windows_cpu_name()
        source = "registry"
    if not model:
        model = platform.processor() or platform.machine() or "unknown CPU"
        source = source + "+platform" if source else "platform"
    model = re.sub(r"\s+", " ", model).strip()
    return model, features, source


def detect_system() -> SystemFacts:
    """RAM, swap and CPU; never raises (a missing psutil or an unreadable file becomes a report)."""
    reports = []
    ram_total = ram_avail = swap_total = swap_free = None
    physical = logical = None
    try:
        import psutil

        vm = psutil.virtual_memory()
        ram_total, ram_avail = int(vm.total), int(vm.available)
        try:
            sw = psutil.swap_memory()
            swap_total, swap_free = int(sw.total), int(sw.free)
        except (OSError, RuntimeError) as e:  # some containers hide swap
            reports.append(LayerReport("swap", "failed", f"psutil could not read swap: {e}"))
        physical = psutil.cpu_count(logical=False)
        logical = psutil.cpu_count(logical=True)
        reports.append(LayerReport("psutil", "found", f"psutil {psutil.__version__}: RAM, swap, CPU cores"))
    except ImportError:
        reports.append(LayerReport("psutil", "unavailable", "psutil is not installed: RAM and cores unknown"))
    except (OSError, RuntimeError) as e:
        reports.append(LayerReport("psutil", "failed", f"psutil failed: {e}"))
    if logical is None:
        import os

        logical = os.cpu_count()
    model, features, source = cpu_model_and_features()
    cpu = CpuInfo(model=model, architecture=platform.machine() or sys.platform, physical_cores=physical,
                  logical_cores=logical, features=features, source=source)
    return SystemFacts(ram_total, ram_avail, swap_total, swap_free, cpu, tuple(reports))
