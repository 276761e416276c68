"""Fake NVML and torch modules for detection tests: they answer with real figures of real hardware.

Memory totals are what the real drivers report (nvidia-smi's Memory-Usage column, torch's "total capacity" in
its out-of-memory message), as published in public logs; see tests/data/gpu_memory_figures.json.
"""
from __future__ import annotations

import types
from dataclasses import dataclass

MIB = 1 << 20
GIB = 1 << 30


@dataclass
class FakeGpu:
    name: str
    total: int
    free: int
    capability: tuple[int, int] = (8, 9)
    uuid: str = "GPU-00000000-0000-0000-0000-000000000000"
    bus: str = "00000000:01:00.0"
    memory_error: int | None = None


def fake_pynvml(gpus: list[FakeGpu], *, init_error: int | None = None, driver: str = "550.54.15",
                cuda: int = 12040) -> types.ModuleType:
    """A stand-in for ``pynvml`` (nvidia-ml-py) with the functions the NVML layer calls."""
    m = types.ModuleType("pynvml")

    class NVMLError(Exception):
        def __init__(self, value):
            super().__init__(value)
            self.value = value

        def __str__(self):
            return {9: "Driver Not Loaded", 12: "NVML Shared Library Not Found", 3: "Not Supported"}.get(
                self.value, f"error {self.value}")

    m.NVMLError = NVMLError
    m.calls = []

    def init():
        m.calls.append("init")
        if init_error is not None:
            raise NVMLError(init_error)

    def shutdown():
        m.calls.append("shutdown")

    def memory(h):
        g = gpus[h]
        if g.memory_error is not None:
            raise NVMLError(g.memory_error)
        return types.SimpleNamespace(total=g.total, free=g.free, used=g.total - g.free)

    m.nvmlInit = init
    m.nvmlShutdown = shutdown
    m.nvmlSystemGetDriverVersion = lambda: driver
    m.nvmlSystemGetCudaDriverVersion = lambda: cuda
    m.nvmlDeviceGetCount = lambda: len(gpus)
    m.nvmlDeviceGetHandleByIndex = lambda i: i
    m.nvmlDeviceGetName = lambda h: gpus[h].name.encode()  # older nvidia-ml-py returns bytes
    m.nvmlDeviceGetMemoryInfo = memory
    m.nvmlDeviceGetCudaComputeCapability = lambda h: gpus[h].capability
    m.nvmlDeviceGetPciInfo = lambda h: types.SimpleNamespace(busId=gpus[h].bus)
    m.nvmlDeviceGetUUID = lambda h: gpus[h].uuid
    return m


@dataclass
class FakeCudaDevice:
    name: str
    total_memory: int
    free: int
    major: int = 8
    minor: int = 9
    uuid: str = ""
    is_integrated: int = 0
    gcnArchName: str = ""


def fake_torch(*, version: str = "2.5.1+cu124", cuda_build: str | None = "12.4", hip: str | None = None,
               cuda_devices: tuple[FakeCudaDevice, ...] = (), mps: bool = False,
               mps_recommended: int | None = None, xpu_devices: tuple = ()) -> types.SimpleNamespace:
    """A stand-in for the ``torch`` module with what ``llmplanner._probe_torch.probe`` reads."""
    cuda = types.SimpleNamespace(
        is_available=lambda: bool(cuda_devices),
        device_count=lambda: len(cuda_devices),
        get_device_properties=lambda i: cuda_devices[i],
        mem_get_info=lambda i: (cuda_devices[i].free, cuda_devices[i].total_memory),
    )
    backends = types.SimpleNamespace(mps=types.SimpleNamespace(is_built=lambda: mps, is_available=lambda: mps))
    mps_mod = types.SimpleNamespace(recommended_max_memory=lambda: mps_recommended,
                                    driver_allocated_memory=lambda: 0)
    xpu = types.SimpleNamespace(
        is_available=lambda: bool(xpu_devices), device_count=lambda: len(xpu_devices),
        get_device_properties=lambda i: xpu_devices[i],
        mem_get_info=lambda i: (xpu_devices[i].free, xpu_devices[i].total_memory))
    return types.SimpleNamespace(__version__=version, version=types.SimpleNamespace(cuda=cuda_build, hip=hip),
                                 cuda=cuda, backends=backends, mps=mps_mod, xpu=xpu)


def cpu_only_torch() -> types.SimpleNamespace:
    return fake_torch(version="2.13.0+cpu", cuda_build=None)


def probe_with(torch_module) -> dict:
    from llmplanner._probe_torch import probe

    result = probe(torch_module)
    result["seconds"] = 0.0
    return result
