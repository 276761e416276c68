"""The NVIDIA layer of detection: NVML through ``nvidia-ml-py`` (``import pynvml``).

NVML is the library behind ``nvidia-smi``: it reads names, memory, driver and compute capability from the
driver without creating a CUDA context (NVML API reference, docs.nvidia.com/deploy/nvml-api/), so it is
safe and fast in the app's own process. Functions used: ``nvmlInit``, ``nvmlDeviceGetCount``,
``nvmlDeviceGetHandleByIndex``, ``nvmlDeviceGetName``, ``nvmlDeviceGetMemoryInfo`` (total/free/used bytes),
``nvmlDeviceGetCudaComputeCapability``, ``nvmlDeviceGetPciInfo`` (busId), ``nvmlDeviceGetUUID``,
``nvmlSystemGetDriverVersion`` and ``nvmlSystemGetCudaDriverVersion`` (1000 × major + 10 × minor).
"""
from __future__ import annotations

from dataclasses import dataclass

from .machine import DetectedDevice, LayerReport


@dataclass(frozen=True)
class NvmlResult:
    devices: tuple[DetectedDevice, ...]
    report: LayerReport
    notes: tuple[str, ...] = ()


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else str(value)


def cuda_version_text(encoded: int) -> str:
    """NVML's CUDA driver version integer (12040) as ``12.4``."""
    return f"{encoded // 1000}.{(encoded % 1000) // 10}"


def detect_nvml() -> NvmlResult:
    """Every NVIDIA GPU NVML sees; a missing library or driver is a report, never an exception."""
    try:
        import pynvml
    except ImportError:
        return NvmlResult((), LayerReport("nvml", "unavailable",
                                          "nvidia-ml-py (pynvml) is not installed: NVIDIA GPUs not queried"))
    error_type = getattr(pynvml, "NVMLError", Exception)
    try:
        pynvml.nvmlInit()
    except error_type as e:
        return NvmlResult((), LayerReport("nvml", "unavailable", f"no NVIDIA driver found (NVML: {_text(e)})"))
    notes: list[str] = []
    try:
        driver = cuda = None
        try:
            driver = _text(pynvml.nvmlSystemGetDriverVersion())
        except error_type as e:
            notes.append(f"NVML could not read the driver version: {_text(e)}")
        try:
            cuda = cuda_version_text(int(pynvml.nvmlSystemGetCudaDriverVersion()))
        except error_type as e:
            notes.append(f"NVML could not read the driver's CUDA version: {_text(e)}")
        driver_text = " ".join(p for p in (driver, f"(CUDA {cuda})" if cuda else None) if p) or None
        count = int(pynvml.nvmlDeviceGetCount())
        devices = []
        for i in range(count):
            try:
                devices.append(_device(pynvml, error_type, i, driver_text, notes))
            except error_type as e:
                notes.append(f"NVIDIA GPU {i}: NVML could not read it: {_text(e)}")
    except error_type as e:
        return NvmlResult((), LayerReport("nvml", "failed", f"NVML failed: {_text(e)}"), tuple(notes))
    finally:
        try:
            pynvml.nvmlShutdown()
        except error_type:
            pass
    if not devices:
        return NvmlResult((), LayerReport("nvml", "none", f"NVIDIA driver {driver or '?'} but no GPU"),
                          tuple(notes))
    detail = f"{len(devices)} NVIDIA GPU(s), driver {driver_text or 'unknown'}"
    return NvmlResult(tuple(devices), LayerReport("nvml", "found", detail), tuple(notes))


def _device(pynvml, error_type, i: int, driver_text: str | None, notes: list[str]) -> DetectedDevice:
    h = pynvml.nvmlDeviceGetHandleByIndex(i)
    name = _text(pynvml.nvmlDeviceGetName(h))
    total = free = None
    try:
        mem = pynvml.nvmlDeviceGetMemoryInfo(h)
        total, free = int(mem.total), int(mem.free)
    except error_type as e:  # e.g. unified-memory boards where NVML has no framebuffer figures
        notes.append(f"{name}: NVML could not read its memory ({_text(e)})")
    capability = pci = uuid = None
    try:
        major, minor = pynvml.nvmlDeviceGetCudaComputeCapability(h)
        capability = f"{major}.{minor}"
    except error_type:
        pass
    try:
        pci = _text(pynvml.nvmlDeviceGetPciInfo(h).busId)
    except error_type:
        pass
    try:
        uuid = _text(pynvml.nvmlDeviceGetUUID(h))
    except error_type:
        pass
    return DetectedDevice(name=name, memory_total_bytes=total, memory_free_bytes=free, backend="cuda",
                          source="nvml", index=i, compute_capability=capability, driver=driver_text,
                          memory_usable_bytes=total, pci_bus_id=pci, uuid=uuid)
