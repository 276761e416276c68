"""What a machine has: its accelerators, memory and CPU, as plain frozen dataclasses.

``llmplanner.core.detect`` fills these in from the machine it runs on; the Hardware tab's manual override
("what if I buy ...") builds them from the hardware catalogue. Byte counts are exact integers as the source
reported them; ``None`` means the source could not say.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .tiers import TierDecision

BACKENDS = ("cuda", "rocm", "mps", "xpu")
"""Accelerator back-ends, named as torch names its devices (ROCm devices appear as ``cuda`` in torch)."""

LAYER_STATUSES = ("found", "none", "unavailable", "failed", "skipped")
"""What a detection layer reports: it ``found`` devices or facts; it ran and there were ``none``; it could not
run here (``unavailable``: library or driver missing, wrong OS); it ``failed`` (error, timeout); it was
``skipped`` on request."""


@dataclass(frozen=True)
class DetectedDevice:
    """One accelerator."""

    name: str
    memory_total_bytes: int | None
    """Memory the device has (Apple: the whole unified memory)."""
    memory_free_bytes: int | None
    """Free right now: other processes (a desktop, another model) hold the rest."""
    backend: str
    """``cuda``, ``rocm``, ``mps`` or ``xpu``."""
    source: str
    """Which layers saw it: ``nvml``, ``torch``, ``sysctl``, joined by ``+`` when several agree."""
    index: int | None = None
    """Its index for the back-end (``cuda:0`` ...), as torch numbers it when torch saw it, else NVML's."""
    compute_capability: str | None = None
    """NVIDIA ``major.minor`` (8.9 for Ada); AMD's gfx architecture name (``gfx1100``)."""
    driver: str | None = None
    """Driver version (NVIDIA ``550.54.15``) with the driver's CUDA version when known."""
    catalogue_match: str | None = None
    """The hardware catalogue entry this device was matched to (bandwidth, FLOP/s), or None."""
    memory_usable_bytes: int | None = None
    """What one model may use: the total for a discrete GPU; for unified memory the GPU's share (Apple:
    Metal's ``recommendedMaxWorkingSetSize``). None when unknown."""
    integrated: bool = False
    """Shares the system's RAM instead of having its own (Apple Silicon, Jetson, APUs, Intel iGPUs)."""
    pci_bus_id: str | None = None
    uuid: str | None = None

    @property
    def usable_bytes(self) -> int | None:
        return self.memory_usable_bytes if self.memory_usable_bytes is not None else self.memory_total_bytes

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CpuInfo:
    model: str
    architecture: str
    """``x86_64``, ``arm64`` ... as the OS names the machine."""
    physical_cores: int | None
    logical_cores: int | None
    features: tuple[str, ...] = ()
    """Vector extensions that matter to CPU inference (AVX2, AVX-512, NEON ...) where cheaply known."""
    source: str = ""

    def as_dict(self) -> dict:
        d = asdict(self)
        d["features"] = list(self.features)
        return d


@dataclass(frozen=True)
class LayerReport:
    """What one detection layer found, or why it could not."""

    name: str
    status: str
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class MachineInfo:
    gpus: tuple[DetectedDevice, ...]
    ram_total_bytes: int | None
    ram_available_bytes: int | None
    cpu: CpuInfo
    tier: str
    swap_total_bytes: int | None = None
    swap_free_bytes: int | None = None
    tier_decision: TierDecision | None = None
    """The figures and the rule behind ``tier``."""
    layers: tuple[LayerReport, ...] = ()
    notes: tuple[str, ...] = ()
    platform: str = ""
    torch: dict | None = field(default=None)
    """torch's version and build (CUDA/HIP), when the torch layer ran."""

    def as_dict(self) -> dict:
        return {
            "gpus": [g.as_dict() for g in self.gpus],
            "ram_total_bytes": self.ram_total_bytes,
            "ram_available_bytes": self.ram_available_bytes,
            "swap_total_bytes": self.swap_total_bytes,
            "swap_free_bytes": self.swap_free_bytes,
            "cpu": self.cpu.as_dict(),
            "tier": self.tier,
            "tier_detail": self.tier_decision.as_dict() if self.tier_decision is not None else None,
            "platform": self.platform,
            "torch": self.torch,
            "layers": [layer.as_dict() for layer in self.layers],
            "notes": list(self.notes),
        }
