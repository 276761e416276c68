"""One estimate for a plan: parameters, memory, speed and the fit verdict — what the CLI and every tab call.

This module only connects the engines (``memory``, ``speed``, ``fit``, ``training``); each formula lives in
its own module with its source.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .architecture import Architecture
from .errors import PlannerError
from .fit import FitResult, Machine, fit
from .memory import CPU, Device, MemoryEstimate, MemoryRequest, estimate_memory, runtime_id
from .params import ParamCount, count_params

MODES = ("inference", "full", "lora", "qlora")


def default_format(runtime: str) -> str:
    """GGUF runtimes are mostly run with Q4_K_M files; transformers and vLLM load the BF16 checkpoint."""
    return "q4_k_m" if runtime_id(runtime) in ("llama.cpp", "ollama") else "bf16"


def default_kv_format(runtime: str) -> str:
    return "auto" if runtime_id(runtime) == "vllm" else "f16"


@dataclass(frozen=True)
class HardwareChoice:
    """GPUs (by catalogue name, or a bare memory size) and the host's RAM."""

    gpu: str | None = None
    gpu_count: int = 1
    vram_bytes: int | None = None
    """A GPU of this memory when no catalogue name is given (or to override the catalogue's)."""
    ram_bytes: int | None = None

    def accelerator(self):
        if not self.gpu:
            return None
        from .hardware import find_accelerator

        return find_accelerator(self.gpu)

    def devices(self) -> tuple[Device, ...]:
        acc = self.accelerator()
        if acc is None and self.vram_bytes is None:
            return ()
        if acc is not None and acc.kind == "cpu":
            return ()
        if self.gpu_count < 1:
            raise PlannerError("the GPU count must be at least 1", field="gpu_count")
        if acc is None:
            return tuple(Device(f"GPU{i}", "gpu", self.vram_bytes, "CUDA") for i in range(self.gpu_count))
        backend = {"cuda": "CUDA", "rocm": "ROCm", "metal": "Metal", "sycl": "SYCL", "vulkan": "Vulkan"}.get(
            acc.backend.lower(), acc.backend)
        capacity = self.vram_bytes or acc.usable_memory_bytes or acc.memory_bytes
        if acc.kind == "soc":
            return (Device("Metal" if backend == "Metal" else f"{backend}0", "gpu", capacity, backend),)
        return tuple(Device(f"{backend}{i}", "gpu", capacity, backend) for i in range(self.gpu_count))

    def machine(self) -> Machine:
        acc = self.accelerator()
        ram = self.ram_bytes
        if acc is not None and acc.kind == "soc" and ram is None:
            ram = acc.memory_bytes  # unified memory: what the GPU share leaves is the CPU's
        return Machine(self.devices(), ram, acc.name if acc is not None else "")


@dataclass(frozen=True)
class EstimateRequest:
    arch: Architecture
    runtime: str = "llama.cpp"
    weight_format: str | None = None
    kv_format: str | None = None
    context: int | None = None
    batch: int = 1
    mode: str = "inference"
    hardware: HardwareChoice = field(default_factory=HardwareChoice)
    gpu_layers: int | None = None
    flash_attention: bool = False
    prompt_tokens: int | None = None
    gen_tokens: int | None = None
    header_tensor_types: tuple[tuple[str, str], ...] | None = None
    training: dict = field(default_factory=dict)
    """Options for the training modes (see ``llmplanner.core.training.TrainingSetup``)."""

    def resolved(self) -> "EstimateRequest":
        runtime = runtime_id(self.runtime)
        if self.mode not in MODES:
            raise PlannerError(f"unknown mode {self.mode!r} (one of {', '.join(MODES)})", field="mode")
        ctx = self.context or min(self.arch.max_context, 4096)
        if ctx < 1:
            raise PlannerError("the context must be at least 1 token", field="context")
        if self.batch < 1:
            raise PlannerError("the batch must be at least 1", field="batch")
        return replace(self, runtime=runtime, context=ctx,
                       weight_format=self.weight_format or default_format(runtime),
                       kv_format=self.kv_format or default_kv_format(runtime))

    def memory_request(self) -> MemoryRequest:
        r = self.resolved()
        return MemoryRequest(
            arch=r.arch, weight_format=r.weight_format, kv_format=r.kv_format, runtime=r.runtime,
            context=r.context, batch=r.batch, gpus=r.hardware.devices(), host=CPU, gpu_layers=r.gpu_layers,
            flash_attention=r.flash_attention, prompt_tokens=r.prompt_tokens,
            header_tensor_types=r.header_tensor_types,
        )


@dataclass(frozen=True)
class EstimateReport:
    request: EstimateRequest
    params: ParamCount
    memory: MemoryEstimate | None
    fit: FitResult | None
    training: object | None = None
    speed: object | None = None

    def as_dict(self) -> dict:
        r = self.request
        out = {
            "runtime": r.runtime, "format": r.weight_format, "kv_format": r.kv_format, "context": r.context,
            "batch": r.batch, "mode": r.mode,
        }
        if self.memory is not None:
            out["memory"] = self.memory.as_dict()
        if self.training is not None:
            out["memory"] = self.training.as_dict()
        if self.fit is not None:
            out["fit"] = self.fit.as_dict()
        if self.speed is not None:
            out["speed"] = self.speed.as_dict()
        return out


def run_estimate(req: EstimateRequest) -> EstimateReport:
    """Parameters, memory, fit (when hardware is known) and speed (when a GPU or CPU platform is known)."""
    req = req.resolved()
    params = count_params(req.arch)
    if req.mode != "inference":
        from .training import training_report

        return EstimateReport(req, params, None, None, training=training_report(req))
    mreq = req.memory_request()
    machine = req.hardware.machine()
    verdict = fit(mreq, machine) if (machine.gpus or machine.ram_bytes) else None
    # with hardware the plan's memory is the placement the fit chose (all on the GPU, a partial offload, or
    # the CPU); without, the request as given
    memory = verdict.estimate if verdict is not None else estimate_memory(mreq)
    speed = None
    if req.hardware.gpu:
        from .speed_estimate import speed_for

        placed = req
        if verdict is not None and req.gpu_layers is None and verdict.verdict in ("partial", "tight", "cpu"):
            # time the placement the fit found (a partial offload runs the first layers on the CPU)
            placed = replace(req, gpu_layers=verdict.gpu_layers)
        speed = speed_for(placed, verdict.estimate if verdict is not None else memory)
    return EstimateReport(req, params, memory, verdict, speed=speed)
