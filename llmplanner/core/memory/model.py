"""Plain data for memory estimates: what a request asks for and what each device holds."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..architecture import Architecture

GiB = 1 << 30
MiB = 1 << 20

RUNTIMES = ("transformers", "llama.cpp", "ollama", "vllm")
RUNTIME_ALIASES = {
    "hf": "transformers", "pytorch": "transformers", "torch": "transformers", "transformers": "transformers",
    "llama.cpp": "llama.cpp", "llamacpp": "llama.cpp", "llama-cpp": "llama.cpp", "gguf": "llama.cpp",
    "ollama": "ollama", "vllm": "vllm",
}


def runtime_id(name: str) -> str:
    """The canonical runtime id for a user-typed name; unknown names raise with the nearest ones."""
    from ..errors import UnknownNameError

    key = str(name).strip().lower()
    if key in RUNTIME_ALIASES:
        return RUNTIME_ALIASES[key]
    raise UnknownNameError("runtime", name, RUNTIMES, field="runtime")


@dataclass(frozen=True)
class Device:
    """Where memory lives: a GPU (or Apple's GPU share of unified memory) or the host's RAM."""

    name: str
    """As the runtime logs it: ``CUDA0``, ``Metal``, ``ROCm0``, ``CPU``."""
    kind: str = "gpu"
    """``gpu`` or ``cpu``."""
    capacity_bytes: int | None = None
    backend: str = "CUDA"
    """``CUDA``, ``ROCm``, ``Metal``, ``Vulkan``, ``SYCL`` or ``CPU``."""

    @property
    def is_gpu(self) -> bool:
        return self.kind == "gpu"


CPU = Device("CPU", "cpu", None, "CPU")


@dataclass(frozen=True)
class MemoryRequest:
    """Everything an inference memory estimate depends on."""

    arch: Architecture
    weight_format: str = "f16"
    kv_format: str = "f16"
    runtime: str = "llama.cpp"
    context: int = 4096
    """Tokens per sequence (prompt + generated) the cache must hold."""
    batch: int = 1
    """Sequences decoded together (llama.cpp/Ollama ``--parallel``, vLLM concurrent requests)."""
    gpus: tuple[Device, ...] = ()
    host: Device = CPU
    gpu_layers: int | None = None
    """llama.cpp ``-ngl``: None offloads every layer (and the output layer) that the GPUs are given."""
    flash_attention: bool = False
    """llama.cpp ``-fa``; off by default as in the builds whose logs validate this model (see llamacpp.py)."""
    ubatch: int = 512
    """llama.cpp ``-ub`` (physical batch) — sizes the compute buffers."""
    prompt_tokens: int | None = None
    """transformers: the prompt processed in one forward pass (sizes the activations); default: context."""
    gpu_memory_utilization: float = 0.9
    """vLLM's share of each GPU it may take."""
    max_num_batched_tokens: int | None = None
    """vLLM's profiling batch (default: 8192, the V1 engine's default for online serving on large GPUs)."""
    header_tensor_types: tuple[tuple[str, str], ...] | None = None
    """A real GGUF's per-tensor ggml types ((name, type) pairs): then its bytes are used, not a recipe."""


@dataclass(frozen=True)
class Term:
    """One named quantity behind a number, with the formula and its source (for tooltips and reports)."""

    name: str
    bytes: int
    formula: str
    source: str


@dataclass(frozen=True)
class DeviceMemory:
    device: Device
    weights: int = 0
    kv_cache: int = 0
    compute: int = 0
    overhead: int = 0
    layers: int = 0
    """Transformer layers whose weights live here."""

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.compute + self.overhead

    def as_dict(self) -> dict:
        return {
            "device": self.device.name,
            "kind": self.device.kind,
            "capacity_bytes": self.device.capacity_bytes,
            "weights_bytes": self.weights,
            "kv_cache_bytes": self.kv_cache,
            "activations_bytes": self.compute,
            "overhead_bytes": self.overhead,
            "total_bytes": self.total,
            "layers": self.layers,
        }


@dataclass(frozen=True)
class MemoryEstimate:
    """Inference memory: the four terms, their split over devices, and how they were computed."""

    runtime: str
    weight_format: str
    kv_format: str
    context: int
    batch: int
    devices: tuple[DeviceMemory, ...]
    gpu_layers: int | None = None
    total_layers: int = 0
    reserve_bytes: int = 0
    """Per GPU, memory the runtime needs beyond its own buffers (CUDA context, the margin llama.cpp's
    ``--fit`` keeps, Ollama's minimum): not part of ``total_bytes``, but counted when deciding a fit."""
    terms: tuple[Term, ...] = ()
    notes: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def weights_bytes(self) -> int:
        return sum(d.weights for d in self.devices)

    @property
    def kv_cache_bytes(self) -> int:
        return sum(d.kv_cache for d in self.devices)

    @property
    def activations_bytes(self) -> int:
        return sum(d.compute for d in self.devices)

    @property
    def overhead_bytes(self) -> int:
        return sum(d.overhead for d in self.devices)

    @property
    def total_bytes(self) -> int:
        return sum(d.total for d in self.devices)

    def on(self, kind: str) -> int:
        """Total bytes on ``gpu`` or ``cpu`` devices."""
        return sum(d.total for d in self.devices if d.device.kind == kind)

    def as_dict(self) -> dict:
        return {
            "runtime": self.runtime,
            "format": self.weight_format,
            "kv_format": self.kv_format,
            "context": self.context,
            "batch": self.batch,
            "weights_bytes": self.weights_bytes,
            "kv_cache_bytes": self.kv_cache_bytes,
            "activations_bytes": self.activations_bytes,
            "overhead_bytes": self.overhead_bytes,
            "total_bytes": self.total_bytes,
            "gpu_bytes": self.on("gpu"),
            "cpu_bytes": self.on("cpu"),
            "reserve_bytes_per_gpu": self.reserve_bytes,
            "gpu_layers": self.gpu_layers,
            "total_layers": self.total_layers,
            "devices": [d.as_dict() for d in self.devices],
            "terms": [{"name": t.name, "bytes": t.bytes, "formula": t.formula, "source": t.source} for t in self.terms],
            "notes": list(self.notes),
            **self.extra,
        }
